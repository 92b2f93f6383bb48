/** Hands jobs to the worker Lambda with an asynchronous invoke, so the HTTP function can answer Slack at once. */
import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import type { Job, JobDispatcher } from './job';

/** Lambda accepted the event but did not queue it, or answered an unexpected status. */
export class JobDispatchError extends Error {
  override name = 'JobDispatchError';
}

/**
 * Creates a dispatcher that invokes `functionName` with `InvocationType: 'Event'`: Lambda queues the job and
 * answers 202 before it runs (docs/decisions/0001-two-phase-lambda.md).
 */
export function createLambdaDispatcher(options: { client: LambdaClient; functionName: string }): JobDispatcher {
  return {
    async dispatch(job: Job) {
      const output = await options.client.send(
        new InvokeCommand({
          FunctionName: options.functionName,
          InvocationType: 'Event',
          Payload: Buffer.from(JSON.stringify(job)),
        }),
      );
      if (output.StatusCode !== 202) {
        throw new JobDispatchError(`Lambda answered ${output.StatusCode} to the async invoke of job ${job.id}`);
      }
    },
  };
}
