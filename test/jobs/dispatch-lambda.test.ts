import { LambdaClient } from '@aws-sdk/client-lambda';
import { localAwsCredentials } from '../../local/fakes/dynamodb';
import { type FakeLambda, startFakeLambda } from '../../local/fakes/lambda';
import { createLambdaDispatcher } from '../../src/jobs/dispatch-lambda';
import type { Job } from '../../src/jobs/job';

let lambda: FakeLambda;
let client: LambdaClient;

beforeAll(async () => {
  lambda = await startFakeLambda({ functions: ['vcr-chatops-dev-worker'] });
  client = new LambdaClient({
    endpoint: lambda.url,
    region: 'us-east-1',
    credentials: localAwsCredentials,
    maxAttempts: 1,
  });
});

afterAll(async () => {
  client.destroy();
  await lambda.close();
});

const job: Job = {
  id: 'job-1',
  kind: 'invoke',
  invocation: { command: 'repo.list', args: { filter: 'pay', page: 2 } },
  actor: { userId: 'U0123OPS', role: 'operator', channelId: 'C0123OPS' },
  requestKey: 'slash:T0123:trigger-1',
  responseUrl: 'http://127.0.0.1:9/response',
};

describe('createLambdaDispatcher', () => {
  it('invokes the worker asynchronously with the job as JSON when a job is dispatched', async () => {
    // Prepare
    const dispatcher = createLambdaDispatcher({ client, functionName: 'vcr-chatops-dev-worker' });

    // Act
    await dispatcher.dispatch(job);

    // Assess
    expect(lambda.invocations).toEqual([
      { functionName: 'vcr-chatops-dev-worker', invocationType: 'Event', payload: job },
    ]);
  });

  it('rejects when Lambda does not know the function', async () => {
    // Prepare
    const dispatcher = createLambdaDispatcher({ client, functionName: 'missing-worker' });

    // Act
    const dispatched = dispatcher.dispatch(job);

    // Assess
    await expect(dispatched).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });
});
