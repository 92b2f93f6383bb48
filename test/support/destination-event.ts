import { randomUUID } from 'node:crypto';
import type { SQSEvent } from 'aws-lambda';
import type { Job } from '../../src/jobs/job';

/** What Lambda's on-failure destination puts in the queue for a worker invocation that crashed with `job`. */
export function destinationEvent(job: Job): SQSEvent {
  const record = {
    version: '1.0',
    timestamp: new Date().toISOString(),
    requestContext: {
      requestId: randomUUID(),
      functionArn: 'arn:aws:lambda:ap-southeast-1:123456789012:function:vcr-chatops-dev-worker:$LATEST',
      condition: 'RetriesExhausted',
      approximateInvokeCount: 1,
    },
    requestPayload: job,
    responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
    responsePayload: { errorType: 'Runtime.ExitError', errorMessage: 'Runtime exited with error: signal: killed' },
  };
  return { Records: [{ messageId: randomUUID(), body: JSON.stringify(record) }] } as unknown as SQSEvent;
}
