/**
 * The time budget of one request's HTTP phase: Slack wants the answer within 3 s (docs/slack-limits.md#time-limits),
 * cold start included, so every step of a listener shares one deadline instead of each taking its own timeout. It
 * counts from the request's arrival, so whatever a cold start took is already spent
 * (docs/decisions/0013-lean-cold-start.md).
 */
import type { AdmissionLookup } from '../commands/authorize';

/** A step of the HTTP phase did not finish before the request's deadline; nothing after it was started. */
export class DeadlineError extends Error {
  override name = 'DeadlineError';
  /** Who was slow: `Slack`, `vCR`, or the bot's own store. */
  readonly service: string;
  /** What was under way, e.g. `reading user groups`. */
  readonly step: string;

  constructor(service: string, step: string) {
    super(`${service} did not answer in time while ${step}`);
    this.service = service;
    this.step = step;
  }
}

/** Bolt's context of a request, where src/slack/slack-receiver.ts puts when the request arrived. */
export interface RequestArrival {
  /** When API Gateway (or the local server) received the request, on the `performance.now()` clock. */
  arrivedAt?: number;
  [key: string]: unknown;
}

/** One request's deadline, counted from the request's arrival. */
export interface Deadline {
  /** The milliseconds left, never below zero. */
  remainingMs(): number;
  /**
   * Resolves like `promise`, or rejects with a `DeadlineError` naming `service` and `step` when the deadline comes
   * first (at once when it has passed). The call itself is not cancelled; its late result is ignored.
   */
  race<T>(promise: Promise<T>, service: string, step: string): Promise<T>;
}

/**
 * How long after its arrival a request's steps may run before the listener must answer: Slack's 3 s less room for
 * Bolt's own work, a late click's one failure post and the answer's trip back, so that the answer leaves within 2.8 s.
 */
export const httpBudgetMs = 2500;

/**
 * Starts a deadline `budgetMs` after `arrival.arrivedAt`, or from now when the arrival is unknown or lies ahead;
 * `now` is the monotonic clock `arrivedAt` was read on, in ms.
 */
export function createDeadline(
  budgetMs: number,
  arrival: RequestArrival = {},
  now: () => number = () => performance.now(),
): Deadline {
  const started = now();
  const { arrivedAt } = arrival;
  const endsAt = (typeof arrivedAt === 'number' && arrivedAt < started ? arrivedAt : started) + budgetMs;
  return {
    remainingMs: () => Math.max(0, endsAt - now()),
    race(promise, service, step) {
      const left = endsAt - now();
      if (left <= 0) {
        // The late call may still fail; its rejection must not go unhandled.
        promise.catch(() => {});
        return Promise.reject(new DeadlineError(service, step));
      }
      return withDeadline(promise, left, () => new DeadlineError(service, step));
    },
  };
}

/**
 * Resolves like `promise`, or rejects with `late()` once `ms` have passed. The call itself is not cancelled; its
 * late result is ignored.
 */
export function withDeadline<T>(promise: Promise<T>, ms: number, late: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(late()), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

/**
 * The bounds of a request's admission: user group reads, and the freeze read and a refusal's audit, each by what is
 * left of `deadline` and named for what was slow.
 */
export function groupReadsWithin(deadline: Deadline): AdmissionLookup {
  return {
    bound: (reads) => deadline.race(reads, 'Slack', 'reading user groups'),
    boundRecords: (work) => deadline.race(work, 'DynamoDB', 'reading the freeze'),
  };
}
