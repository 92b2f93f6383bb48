import { randomUUID } from 'node:crypto';
import {
  type AttributeValue,
  ConditionalCheckFailedException,
  CreateTableCommand,
  DynamoDBClient,
  type DynamoDBClientConfig,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
  type UpdateItemCommandInput,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { type LocalDynamo, localAwsCredentials, startLocalDynamo } from '../../../local/fakes/dynamodb';
import { type DynamoFaultProxy, startDynamoFaultProxy } from '../../../local/fakes/dynamodb-fault-proxy';

const table = 'vcr-chatops-proxy-test';
let dynamo: LocalDynamo;
let proxy: DynamoFaultProxy;
const clients: DynamoDBClient[] = [];

beforeAll(async () => {
  dynamo = await startLocalDynamo();
  // A table keyed by `pk` alone keeps these wire-level checks short; the bot's own schema is tested in test/store.
  await dynamo.client.send(
    new CreateTableCommand({
      TableName: table,
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  proxy = await startDynamoFaultProxy({ targetUrl: dynamo.url });
});

afterEach(() => {
  proxy.clearFaults();
  for (const client of clients.splice(0)) client.destroy();
});

afterAll(async () => {
  await proxy.close();
  await dynamo.close();
});

/** A client through the proxy; by default the SDK's own retries (3 attempts). */
const proxiedClient = (config: DynamoDBClientConfig = {}) => {
  const client = new DynamoDBClient({
    endpoint: proxy.url,
    region: 'us-east-1',
    credentials: localAwsCredentials,
    ...config,
  });
  clients.push(client);
  return client;
};

const newPending = async () => {
  const pk = `op#${randomUUID()}`;
  await dynamo.client.send(
    new PutItemCommand({ TableName: table, Item: { pk: { S: pk }, status: { S: 'pending' }, runs: { N: '0' } } }),
  );
  return pk;
};

// The claim a job makes: pending → executing, stamped with its own token, counting how often it was applied.
const claim = (pk: string, token: string, extra: Partial<UpdateItemCommandInput> = {}) =>
  new UpdateItemCommand({
    TableName: table,
    Key: { pk: { S: pk } },
    UpdateExpression: 'SET #status = :executing, claimedBy = :token ADD runs :one',
    ConditionExpression: '#status = :pending',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: {
      ':executing': { S: 'executing' },
      ':pending': { S: 'pending' },
      ':token': { S: token },
      ':one': { N: '1' },
    },
    ...extra,
  });

const stored = async (pk: string) => {
  const { Item } = await dynamo.client.send(
    new GetItemCommand({ TableName: table, Key: { pk: { S: pk } }, ConsistentRead: true }),
  );
  return Item ? unmarshall(Item) : undefined;
};

const seenBy = (pk: string) =>
  proxy.operations
    .filter((seen) => (seen.body.Key as Record<string, AttributeValue> | undefined)?.pk?.S === pk)
    .map(({ operation, fault, forwarded, status, errorType }) => ({ operation, fault, forwarded, status, errorType }));

// Outside jest the SDK rejects with node's own error (name TimeoutError, code ECONNRESET). Inside jest that error comes
// from another realm than the test's `Error`, so the SDK's retry middleware wraps it in
// `Error('AWS SDK error wrapper for TimeoutError: socket hang up')` and `code` is lost; "name: message" reads the same
// in both.
const described = (error: Error) => String(error);

const rejection = async (promise: Promise<unknown>) => {
  try {
    await promise;
  } catch (error) {
    return error as Error & {
      code?: string;
      Item?: Record<string, AttributeValue>;
      $metadata?: { attempts?: number };
    };
  }
  throw new Error('The call succeeded');
};

describe('startDynamoFaultProxy', () => {
  it('passes requests and answers through unchanged and records each operation when no fault is armed', async () => {
    // Prepare
    const client = proxiedClient();
    const pk = `op#${randomUUID()}`;

    // Act
    await client.send(new PutItemCommand({ TableName: table, Item: { pk: { S: pk }, status: { S: 'pending' } } }));
    const { Item } = await client.send(new GetItemCommand({ TableName: table, Key: { pk: { S: pk } } }));

    // Assess
    expect(Item).toEqual({ pk: { S: pk }, status: { S: 'pending' } });
    expect(proxy.operations.filter((seen) => JSON.stringify(seen.body).includes(pk))).toEqual([
      { operation: 'PutItem', body: expect.objectContaining({ TableName: table }), forwarded: true, status: 200 },
      { operation: 'GetItem', body: expect.objectContaining({ Key: { pk: { S: pk } } }), forwarded: true, status: 200 },
    ]);
  });

  it('applies the write once and the SDK retry fails its own condition when the answer of a claim is dropped', async () => {
    // Prepare
    const client = proxiedClient();
    const pk = await newPending();
    proxy.dropResponseOnce({ operation: 'UpdateItem', where: (body) => JSON.stringify(body.Key).includes(pk) });

    // Act
    const error = await rejection(client.send(claim(pk, 'job-1')));

    // Assess
    expect(error).toBeInstanceOf(ConditionalCheckFailedException);
    expect(error).toMatchObject({ name: 'ConditionalCheckFailedException', $metadata: { attempts: 2 } });
    expect(error.Item).toBeUndefined();
    expect(await stored(pk)).toEqual({ pk, status: 'executing', claimedBy: 'job-1', runs: 1 });
    expect(seenBy(pk)).toEqual([
      { operation: 'UpdateItem', fault: 'dropResponse', forwarded: true, status: 200, errorType: undefined },
      {
        operation: 'UpdateItem',
        fault: undefined,
        forwarded: true,
        status: 400,
        errorType: 'ConditionalCheckFailedException',
      },
    ]);
  });

  it('carries the item that failed the retried condition when the claim asks for ALL_OLD', async () => {
    // Prepare
    const client = proxiedClient();
    const pk = await newPending();
    proxy.dropResponseOnce({ operation: 'DynamoDB_20120810.UpdateItem', where: (body) => body.Key !== undefined });

    // Act
    const error = await rejection(client.send(claim(pk, 'job-1', { ReturnValuesOnConditionCheckFailure: 'ALL_OLD' })));

    // Assess
    expect(error).toMatchObject({ name: 'ConditionalCheckFailedException', $metadata: { attempts: 2 } });
    expect(unmarshall(error.Item!)).toEqual({ pk, status: 'executing', claimedBy: 'job-1', runs: 1 });
  });

  it('carries the existing item when a create-if-absent PutItem asks for ALL_OLD', async () => {
    // Prepare
    const client = proxiedClient();
    const pk = await newPending();

    // Act
    const error = await rejection(
      client.send(
        new PutItemCommand({
          TableName: table,
          Item: { pk: { S: pk }, status: { S: 'requested' } },
          ConditionExpression: 'attribute_not_exists(pk)',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      ),
    );

    // Assess
    expect(error).toMatchObject({ name: 'ConditionalCheckFailedException', $metadata: { attempts: 1 } });
    expect(unmarshall(error.Item!)).toEqual({ pk, status: 'pending', runs: 0 });
  });

  it('carries the item still marshalled when the document client asks for ALL_OLD', async () => {
    // Prepare
    const documents = DynamoDBDocumentClient.from(proxiedClient());
    const pk = `op#${randomUUID()}`;
    await documents.send(new PutCommand({ TableName: table, Item: { pk, status: 'pending', runs: 0 } }));
    proxy.dropResponseOnce({ operation: 'UpdateItem' });

    // Act
    const error = await rejection(
      documents.send(
        new UpdateCommand({
          TableName: table,
          Key: { pk },
          UpdateExpression: 'SET #status = :executing, claimedBy = :token ADD runs :one',
          ConditionExpression: '#status = :pending',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':executing': 'executing', ':pending': 'pending', ':token': 'job-1', ':one': 1 },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      ),
    );

    // Assess
    // lib-dynamodb unmarshalls outputs but not the Item of an error: the caller needs util-dynamodb's unmarshall.
    expect(error.Item).toEqual(expect.objectContaining({ claimedBy: { S: 'job-1' } }));
    expect(unmarshall(error.Item!)).toEqual({ pk, status: 'executing', claimedBy: 'job-1', runs: 1 });
  });

  it('leaves the item out of a failed condition, as dynalite 4 does, when talking to dynalite or emulation is off', async () => {
    // Prepare
    const plain = await startDynamoFaultProxy({ targetUrl: dynamo.url, emulateConditionCheckItem: false });
    const client = new DynamoDBClient({ endpoint: plain.url, region: 'us-east-1', credentials: localAwsCredentials });
    const [direct, proxied] = [await newPending(), await newPending()];
    await dynamo.client.send(claim(direct, 'job-1'));
    plain.dropResponseOnce({ operation: 'UpdateItem' });

    try {
      // Act
      const fromDynalite = await rejection(
        dynamo.client.send(claim(direct, 'job-2', { ReturnValuesOnConditionCheckFailure: 'ALL_OLD' })),
      );
      const throughProxy = await rejection(
        client.send(claim(proxied, 'job-1', { ReturnValuesOnConditionCheckFailure: 'ALL_OLD' })),
      );
      const { Item } = await client.send(
        new GetItemCommand({ TableName: table, Key: { pk: { S: proxied } }, ConsistentRead: true }),
      );

      // Assess
      expect(fromDynalite).toMatchObject({ name: 'ConditionalCheckFailedException', $metadata: { attempts: 1 } });
      expect(fromDynalite.Item).toBeUndefined();
      expect(throughProxy).toMatchObject({ name: 'ConditionalCheckFailedException', $metadata: { attempts: 2 } });
      expect(throughProxy.Item).toBeUndefined();
      // The alternative to ALL_OLD: a consistent read shows that the claim is the caller's own.
      expect(Item?.claimedBy).toEqual({ S: 'job-1' });
    } finally {
      client.destroy();
      await plain.close();
    }
  });

  it('leaves the write applied and rejects with ECONNRESET when the answer is dropped and the client makes one attempt', async () => {
    // Prepare
    const client = proxiedClient({ maxAttempts: 1 });
    const pk = await newPending();
    proxy.dropResponseOnce({ operation: 'UpdateItem' });

    // Act
    const error = await rejection(client.send(claim(pk, 'job-1')));

    // Assess
    expect(described(error)).toContain('TimeoutError: socket hang up');
    expect(await stored(pk)).toMatchObject({ status: 'executing', claimedBy: 'job-1', runs: 1 });
  });

  it('applies nothing and rejects with ECONNRESET when the connection is reset before forwarding and the client makes one attempt', async () => {
    // Prepare
    const client = proxiedClient({ maxAttempts: 1 });
    const pk = await newPending();
    proxy.failBeforeForwardOnce({ operation: 'UpdateItem' });

    // Act
    const error = await rejection(client.send(claim(pk, 'job-1')));

    // Assess
    expect(described(error)).toContain('TimeoutError: read ECONNRESET');
    expect(await stored(pk)).toEqual({ pk, status: 'pending', runs: 0 });
    expect(seenBy(pk)).toEqual([
      {
        operation: 'UpdateItem',
        fault: 'failBeforeForward',
        forwarded: false,
        status: undefined,
        errorType: undefined,
      },
    ]);
  });

  it('applies the write exactly once through the SDK retry when the connection is reset before forwarding', async () => {
    // Prepare
    const client = proxiedClient();
    const pk = await newPending();
    proxy.failBeforeForwardOnce({ operation: 'UpdateItem' });

    // Act
    const output = await client.send(claim(pk, 'job-1'));

    // Assess
    expect(output.$metadata.attempts).toBe(2);
    expect(await stored(pk)).toEqual({ pk, status: 'executing', claimedBy: 'job-1', runs: 1 });
    expect(seenBy(pk).map(({ fault, forwarded, status }) => ({ fault, forwarded, status }))).toEqual([
      { fault: 'failBeforeForward', forwarded: false, status: undefined },
      { fault: undefined, forwarded: true, status: 200 },
    ]);
  });

  it('hits only the request its match selects', async () => {
    // Prepare
    const client = proxiedClient({ maxAttempts: 1 });
    const [other, target] = [await newPending(), await newPending()];
    proxy.failBeforeForwardOnce({
      operation: 'UpdateItem',
      where: (body) => JSON.stringify(body.Key).includes(target),
    });

    // Act
    await client.send(new GetItemCommand({ TableName: table, Key: { pk: { S: target } } }));
    await client.send(claim(other, 'job-1'));
    const error = await rejection(client.send(claim(target, 'job-2')));

    // Assess
    expect(described(error)).toContain('ECONNRESET');
    expect(await stored(other)).toMatchObject({ status: 'executing' });
    expect(await stored(target)).toMatchObject({ status: 'pending' });
  });

  it('passes everything through once the faults are cleared', async () => {
    // Prepare
    const client = proxiedClient({ maxAttempts: 1 });
    const pk = await newPending();
    proxy.dropResponseOnce({ operation: 'UpdateItem' });
    proxy.failBeforeForwardOnce({});

    // Act
    proxy.clearFaults();
    const output = await client.send(claim(pk, 'job-1'));

    // Assess
    expect(output.$metadata.attempts).toBe(1);
    expect(seenBy(pk)).toEqual([expect.objectContaining({ fault: undefined, status: 200 })]);
  });

  it('only warns and waits for the late answer when requestTimeout passes without throwOnRequestTimeout', async () => {
    // Prepare
    const warnings: string[] = [];
    const client = proxiedClient({
      requestHandler: { requestTimeout: 100 },
      logger: { debug: () => {}, info: () => {}, warn: (message: string) => warnings.push(message), error: () => {} },
    });
    const pk = await newPending();
    // Longer than the request timeout, whose timer starts before the proxy's.
    proxy.delayResponseOnce({ operation: 'UpdateItem' }, 400);

    // Act
    const output = await client.send(claim(pk, 'job-1'));

    // Assess
    expect(output.$metadata.attempts).toBe(1);
    expect(warnings).toEqual([expect.stringContaining('exceeded the configured 100 ms requestTimeout')]);
    expect(seenBy(pk)).toEqual([expect.objectContaining({ fault: 'delayResponse', status: 200 })]);
  });

  it('retries a write that timed out after it was applied, so the retry fails its own condition, when throwOnRequestTimeout is set', async () => {
    // Prepare
    const client = proxiedClient({ requestHandler: { requestTimeout: 100, throwOnRequestTimeout: true } });
    const pk = await newPending();
    proxy.delayResponseOnce({ operation: 'UpdateItem' }, 400);

    // Act
    const error = await rejection(client.send(claim(pk, 'job-1')));

    // Assess
    expect(error).toMatchObject({ name: 'ConditionalCheckFailedException', $metadata: { attempts: 2 } });
    expect(await stored(pk)).toMatchObject({ status: 'executing', claimedBy: 'job-1', runs: 1 });
  });
});
