import { randomUUID } from 'node:crypto';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type LocalDynamo, startLocalDynamo } from '../../local/fakes/dynamodb';
import { createDynamoOperationStore } from '../../src/store/dynamo-operation-store';
import { type NewOperation, operationIdOf, type Writer } from '../../src/store/operation-store';

const table = 'operations-test';

const newOperation = (overrides: Partial<NewOperation> = {}): NewOperation => ({
  key: `slash:T0TEAM:${randomUUID()}`,
  command: 'image.delete',
  args: { ref: 'repo-uuid/team/api' },
  pin: { digests: { count: 2 } },
  summary: 'delete image `payments-api/team/api`',
  target: { repoId: 'repo-uuid', imageName: 'team/api' },
  requestedBy: 'U0OPERATOR',
  status: 'requested',
  waitMs: 60_000,
  ...overrides,
});

const writer = (): Writer => ({ jobId: randomUUID(), token: randomUUID() });

describe('createDynamoOperationStore', () => {
  let dynamo: LocalDynamo;
  let documents: DynamoDBDocumentClient;

  beforeAll(async () => {
    dynamo = await startLocalDynamo({ tables: [table] });
    documents = DynamoDBDocumentClient.from(dynamo.client, { marshallOptions: { removeUndefinedValues: true } });
  });

  afterAll(() => dynamo.close());

  it('creates a requested operation under the id its key derives, with the index keys and a TTL', async () => {
    // Prepare
    const clock = 1_790_000_000_000;
    const store = createDynamoOperationStore({ client: documents, table, now: () => clock });
    const fields = newOperation();

    // Act
    const { operation, created } = await store.create(fields, writer());

    // Assess
    expect(created).toBe(true);
    expect(operation).toMatchObject({ id: operationIdOf(fields.key), status: 'requested', expiresAt: clock + 60_000 });
    const { Item } = await dynamo.client.send(
      new GetItemCommand({ TableName: table, Key: { pk: { S: `op#${operation.id}` }, sk: { S: 'op' } } }),
    );
    expect(Item?.byTimePk).toEqual({ S: 'op#2026-09' });
    expect(Item?.byTargetPk).toEqual({ S: 'repo#repo-uuid' });
    expect(Number(Item?.expiresAtEpoch?.N)).toBe(Math.ceil((clock + 30 * 24 * 60 * 60_000) / 1000));
  });

  it('lists the operations awaiting approval across a month boundary, newest first, and no other status', async () => {
    // Prepare
    const tables = 'approvals-test';
    const local = await startLocalDynamo({ tables: [tables] });
    try {
      const client = DynamoDBDocumentClient.from(local.client, { marshallOptions: { removeUndefinedValues: true } });
      let clock = Date.UTC(2026, 9, 31, 23, 50);
      const store = createDynamoOperationStore({ client, table: tables, now: () => clock });
      const wait = async (fields: NewOperation) => {
        const { operation } = await store.create(fields, writer());
        await store.transition(
          operation.id,
          { from: ['requested'], to: 'awaiting_approval', expiresAt: clock + 3_600_000 },
          writer(),
        );
        return operation.id;
      };
      const october = await wait(newOperation());
      const cancelled = (await store.create(newOperation(), writer())).operation.id;
      await store.transition(cancelled, { from: ['requested'], to: 'cancelled' }, writer());
      clock = Date.UTC(2026, 10, 1, 0, 10);
      const november = await wait(newOperation());
      const noted = await store.noteApproval(november, { card: { channel: 'C0APPROVE', ts: '1.2' } });

      // Act
      const waiting = await store.listAwaitingApproval(clock - 3_600_000);

      // Assess
      expect(waiting.map((operation) => operation.id)).toEqual([november, october]);
      expect(noted).toBe(true);
      expect(waiting[0]?.approval).toEqual({ card: { channel: 'C0APPROVE', ts: '1.2' } });
      expect(await store.noteApproval(cancelled, {})).toBe(false);
    } finally {
      await local.close();
    }
  });

  it('answers the first record, not a new one, when the same key is created again by another run', async () => {
    // Prepare
    const store = createDynamoOperationStore({ client: documents, table });
    const fields = newOperation();
    const first = await store.create(fields, writer());

    // Act
    const again = await store.create({ ...fields, summary: 'something else' }, writer());

    // Assess
    expect(again.created).toBe(false);
    expect(again.operation.summary).toBe(first.operation.summary);
    expect(again.operation.createdBy).toEqual(first.operation.createdBy);
  });

  it('lets exactly one of 20 concurrent claims move a requested operation to executing', async () => {
    // Prepare
    const store = createDynamoOperationStore({ client: documents, table });
    const { operation } = await store.create(newOperation(), writer());

    // Act
    const claims = await Promise.all(
      Array.from({ length: 20 }, () =>
        store.transition(operation.id, { from: ['requested'], to: 'executing', by: 'U0OPERATOR' }, writer()),
      ),
    );

    // Assess
    expect(claims.filter((claim) => claim.moved)).toHaveLength(1);
    const after = await store.get(operation.id);
    expect(after?.status).toBe('executing');
    expect(after?.history.map((entry) => entry.status)).toEqual(['requested', 'executing']);
  });

  it('refuses to proceed from a waiting status once it expired, but lets it end as expired', async () => {
    // Prepare
    let clock = 1_790_000_000_000;
    const store = createDynamoOperationStore({ client: documents, table, now: () => clock });
    const { operation } = await store.create(newOperation({ waitMs: 1_000 }), writer());
    clock += 1_001;

    // Act
    const claim = await store.transition(operation.id, { from: ['requested'], to: 'executing' }, writer());
    const expiry = await store.transition(operation.id, { from: ['requested'], to: 'expired' }, writer());

    // Assess
    expect(claim.moved).toBe(false);
    expect(expiry.moved).toBe(true);
    expect(expiry.operation?.status).toBe('expired');
  });

  it('never moves backwards or sideways: a done operation cannot be claimed or cancelled', async () => {
    // Prepare
    const store = createDynamoOperationStore({ client: documents, table });
    const run = writer();
    const { operation } = await store.create(newOperation({ status: 'executing' }), run);
    await store.transition(operation.id, { from: ['executing'], to: 'done', claimToken: run.token }, run);

    // Act
    const cancel = await store.transition(operation.id, { from: ['requested'], to: 'cancelled' }, writer());

    // Assess
    expect(cancel).toMatchObject({ moved: false, operation: { status: 'done' } });
    await expect(store.transition(operation.id, { from: ['done'], to: 'executing' }, writer())).rejects.toThrow(
      'An operation never moves from done to executing',
    );
  });

  it('ends an executing operation only for the run that holds the claim', async () => {
    // Prepare
    const store = createDynamoOperationStore({ client: documents, table });
    const owner = writer();
    const { operation } = await store.create(newOperation({ status: 'executing', deadlineAt: 1 }), owner);

    // Act
    const stranger = await store.transition(
      operation.id,
      { from: ['executing'], to: 'done', claimToken: 'not-the-claim' },
      writer(),
    );
    const own = await store.transition(
      operation.id,
      { from: ['executing'], to: 'failed', claimToken: owner.token },
      owner,
    );

    // Assess
    expect(stranger.moved).toBe(false);
    expect(own.moved).toBe(true);
    expect(own.operation?.status).toBe('failed');
  });

  it('stores args, pin and the reply as they were given, without a secret field', async () => {
    // Prepare
    const store = createDynamoOperationStore({ client: documents, table });
    const fields = newOperation({
      args: { ref: 'r/i', force: true, users: ['a', 'b'], page: 2, empty: undefined },
      reply: { text: 'Preview', parts: [{ type: 'text', text: 'x' }] },
    });

    // Act
    const { operation } = await store.create(fields, writer());
    const read = await store.get(operation.id);

    // Assess
    expect(read?.args).toEqual({ ref: 'r/i', force: true, users: ['a', 'b'], page: 2 });
    expect(read?.reply).toEqual({ text: 'Preview', parts: [{ type: 'text', text: 'x' }] });
  });
});
