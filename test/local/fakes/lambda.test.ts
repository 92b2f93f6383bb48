import { InvokeCommand, LambdaClient, type LambdaClientConfig } from '@aws-sdk/client-lambda';
import { localAwsCredentials } from '../../../local/fakes/dynamodb';
import { type FakeLambda, type FakeLambdaInvocation, startFakeLambda } from '../../../local/fakes/lambda';

const worker = 'vcr-chatops-test-worker';
let lambda: FakeLambda;
let ran: FakeLambdaInvocation[];
const clients: LambdaClient[] = [];

beforeEach(async () => {
  ran = [];
  lambda = await startFakeLambda({ functions: [worker], onInvoke: (invocation) => void ran.push(invocation) });
});

afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy();
  await lambda.close();
});

/** A client of the fake; the SDK's own keep-alive agent, so consecutive invokes share a socket. */
const lambdaClient = (config: LambdaClientConfig) => {
  const client = new LambdaClient({
    endpoint: lambda.url,
    region: 'us-east-1',
    credentials: localAwsCredentials,
    ...config,
  });
  clients.push(client);
  return client;
};

const dispatch = (client: LambdaClient, job: string) =>
  client.send(
    new InvokeCommand({ FunctionName: worker, InvocationType: 'Event', Payload: Buffer.from(JSON.stringify({ job })) }),
  );

const rejection = async (promise: Promise<unknown>) => {
  try {
    await promise;
  } catch (error) {
    return error as Error & { $metadata?: { attempts?: number; httpStatusCode?: number } };
  }
  throw new Error('The invoke succeeded');
};

// Outside jest the SDK rejects with node's own error (name TimeoutError, code ECONNRESET). Inside jest that error comes
// from another realm than the test's `Error`, so the SDK wraps it in `Error('AWS SDK error wrapper for TimeoutError:
// read ECONNRESET')` and `code` is lost; "name: message" reads the same in both.
const described = (error: Error) => String(error);

describe('startFakeLambda', () => {
  it('fails the next invoke on the kept-alive socket with ECONNRESET when the client makes one attempt', async () => {
    // Prepare
    const client = lambdaClient({ maxAttempts: 1 });
    await dispatch(client, 'first');
    lambda.resetNextRequestOnReusedSocket();

    // Act
    const error = await rejection(dispatch(client, 'after-idle'));
    const next = await dispatch(client, 'next');

    // Assess
    expect(described(error)).toContain('TimeoutError: read ECONNRESET');
    expect(error.$metadata?.attempts).toBe(1);
    expect(next.StatusCode).toBe(202);
    expect(lambda.attempts).toEqual([
      { functionName: worker, outcome: 'invoked', reusedSocket: false },
      { outcome: 'reset', reusedSocket: true },
      { functionName: worker, outcome: 'invoked', reusedSocket: false },
    ]);
    expect(lambda.invocations.map(({ payload }) => payload)).toEqual([{ job: 'first' }, { job: 'next' }]);
  });

  it('queues the invoke once through the SDK retry on a new socket when the client retries', async () => {
    // Prepare
    const client = lambdaClient({ maxAttempts: 2 });
    await dispatch(client, 'first');
    lambda.resetNextRequestOnReusedSocket();

    // Act
    const output = await dispatch(client, 'after-idle');

    // Assess
    expect(output).toMatchObject({ StatusCode: 202, $metadata: { attempts: 2 } });
    expect(lambda.attempts.map(({ outcome, reusedSocket }) => [outcome, reusedSocket])).toEqual([
      ['invoked', false],
      ['reset', true],
      ['invoked', false],
    ]);
    expect(lambda.invocations.map(({ payload }) => payload)).toEqual([{ job: 'first' }, { job: 'after-idle' }]);
  });

  it('leaves a request on a new socket alone and resets the first one on a reused socket', async () => {
    // Prepare
    const client = lambdaClient({ maxAttempts: 1 });
    lambda.resetNextRequestOnReusedSocket();

    // Act
    const first = await dispatch(client, 'first');
    const error = await rejection(dispatch(client, 'second'));

    // Assess
    expect(first.StatusCode).toBe(202);
    expect(described(error)).toContain('ECONNRESET');
    expect(lambda.invocations).toHaveLength(1);
  });

  it('rejects with the throttle and queues nothing when the client makes one attempt', async () => {
    // Prepare
    const client = lambdaClient({ maxAttempts: 1 });
    lambda.failNextInvoke({ status: 429, errorType: 'TooManyRequestsException' });

    // Act
    const error = await rejection(dispatch(client, 'throttled'));

    // Assess
    expect(error).toMatchObject({ name: 'TooManyRequestsException', $metadata: { httpStatusCode: 429, attempts: 1 } });
    expect(lambda.attempts).toEqual([{ functionName: worker, outcome: 'failed', reusedSocket: false }]);
    expect(lambda.invocations).toEqual([]);
  });

  it('queues the invoke once through the SDK retry when a throttle was not queued', async () => {
    // Prepare
    const client = lambdaClient({ maxAttempts: 2 });
    lambda.failNextInvoke({ status: 429, errorType: 'TooManyRequestsException' });

    // Act
    const output = await dispatch(client, 'throttled');

    // Assess
    expect(output).toMatchObject({ StatusCode: 202, $metadata: { attempts: 2 } });
    expect(lambda.invocations).toHaveLength(1);
  });

  it('runs the job twice when a 5xx answer came after Lambda queued the event and the client retries', async () => {
    // Prepare
    const client = lambdaClient({ maxAttempts: 2 });
    lambda.failNextInvoke({ status: 500, errorType: 'ServiceException', queued: true });

    // Act
    const output = await dispatch(client, 'queued-then-failed');
    // The fake hands an accepted event to onInvoke on the turn after it answered, as Lambda's queue runs it later.
    await new Promise((resolve) => setImmediate(resolve));

    // Assess
    expect(output.$metadata.attempts).toBe(2);
    expect(lambda.attempts.map(({ outcome }) => outcome)).toEqual(['failed', 'invoked']);
    expect(ran.map(({ payload }) => payload)).toEqual([{ job: 'queued-then-failed' }, { job: 'queued-then-failed' }]);
  });

  it('answers normally once its faults are cleared', async () => {
    // Prepare
    const client = lambdaClient({ maxAttempts: 1 });
    await dispatch(client, 'first');
    lambda.resetNextRequestOnReusedSocket();
    lambda.failNextInvoke({ status: 500, errorType: 'ServiceException' });

    // Act
    lambda.clearFaults();
    const output = await dispatch(client, 'second');

    // Assess
    expect(output.StatusCode).toBe(202);
    expect(lambda.attempts.map(({ outcome, reusedSocket }) => [outcome, reusedSocket])).toEqual([
      ['invoked', false],
      ['invoked', true],
    ]);
  });
});
