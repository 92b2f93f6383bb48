/**
 * Reads the record Lambda's on-failure destination sends for a worker invocation that crashed (an uncaught error, a
 * timeout, the process exiting): the job it was given, and why it failed (docs/configuration.md#failed-jobs).
 */
import { isJob, type Job } from './job';

/** What Lambda's on-failure destination says of a worker invocation that crashed. */
export interface JobCrash {
  /** Why Lambda gave up, e.g. `RetriesExhausted`. */
  condition?: string;
  /** The runtime's error, e.g. `Runtime.ExitError` or `Sandbox.Timedout`. */
  errorType?: string;
  /** The runtime's words, cut to 300 characters. */
  errorMessage?: string;
}

/** One crashed worker invocation: the job it was given and why it failed. */
export interface FailedInvocation {
  job: Job;
  crash: JobCrash;
}

/**
 * Reads a destination record (`requestPayload` is the job, `requestContext.condition` and `responsePayload` say why);
 * undefined when `body` is not JSON or holds no job.
 */
export function readFailedInvocation(body: string): FailedInvocation | undefined {
  let record: unknown;
  try {
    record = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (!isObject(record) || !isJob(record.requestPayload)) return undefined;
  const context = isObject(record.requestContext) ? record.requestContext : {};
  const response = isObject(record.responsePayload) ? record.responsePayload : {};
  const crash: JobCrash = {};
  if (typeof context.condition === 'string') crash.condition = context.condition;
  if (typeof response.errorType === 'string') crash.errorType = response.errorType;
  if (typeof response.errorMessage === 'string') crash.errorMessage = response.errorMessage.slice(0, 300);
  return { job: record.requestPayload, crash };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
