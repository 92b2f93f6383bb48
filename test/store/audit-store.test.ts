import { randomUUID } from 'node:crypto';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type LocalDynamo, startLocalDynamo } from '../../local/fakes/dynamodb';
import { type AuditRecord, createDynamoAuditStore } from '../../src/store/audit-store';
import { createDynamoOperationStore } from '../../src/store/dynamo-operation-store';
import { createStateTable } from '../../src/store/state-table';

const dayMs = 86_400_000;

const record = (overrides: Partial<AuditRecord> = {}): AuditRecord => ({
  id: `${randomUUID()}.done`,
  at: Date.UTC(2026, 10, 30, 12),
  outcome: 'done',
  command: 'repo.quota',
  summary: '`/vcr repo quota`',
  requestedBy: 'U0OPERATOR',
  requestId: randomUUID(),
  ...overrides,
});

describe('createDynamoAuditStore', () => {
  let dynamo: LocalDynamo;
  let documents: DynamoDBDocumentClient;
  let table: string;

  beforeAll(async () => {
    dynamo = await startLocalDynamo();
    documents = DynamoDBDocumentClient.from(dynamo.client, { marshallOptions: { removeUndefinedValues: true } });
  });

  beforeEach(async () => {
    // A table per test, so that listing all records sees only this test's.
    table = `audit-${randomUUID()}`;
    await createStateTable(dynamo.client, table);
  });

  afterAll(() => dynamo.close());

  it('keeps one record per id and sets its TTL from the retention', async () => {
    // Prepare
    const store = createDynamoAuditStore({ client: documents, table, retentionDays: 400 });
    const first = record();

    // Act
    const written = await store.put(first);
    const again = await store.put({ ...first, summary: 'another' });

    // Assess
    expect([written, again]).toEqual([true, false]);
    const { Item } = await dynamo.client.send(
      new GetItemCommand({ TableName: table, Key: { pk: { S: `audit#${first.id}` }, sk: { S: 'audit' } } }),
    );
    expect(Item?.summary?.S).toBe(first.summary);
    expect(Number(Item?.expiresAtEpoch?.N)).toBe(Math.ceil((first.at + 400 * dayMs) / 1000));
  });

  it('lists every record newest first across months, a page at a time', async () => {
    // Prepare
    const now = Date.UTC(2026, 10, 30, 12);
    const store = createDynamoAuditStore({ client: documents, table, retentionDays: 400, now: () => now });
    // Twelve records, one every five days back from now: they span three months.
    const written = Array.from({ length: 12 }, (_, i) => record({ at: now - i * 5 * dayMs, summary: `change ${i}` }));
    for (const item of [...written].reverse()) await store.put(item);

    // Act
    const first = await store.list({ page: 1, size: 5 });
    const third = await store.list({ page: 3, size: 5 });

    // Assess
    expect(first.records.map((item) => item.summary)).toEqual([
      'change 0',
      'change 1',
      'change 2',
      'change 3',
      'change 4',
    ]);
    expect(first.more).toBe(true);
    expect(third.records.map((item) => item.summary)).toEqual(['change 10', 'change 11']);
    expect(third.more).toBe(false);
  });

  it('stops walking back at the retention', async () => {
    // Prepare
    const now = Date.UTC(2026, 10, 30, 12);
    const store = createDynamoAuditStore({ client: documents, table, retentionDays: 30, now: () => now });
    await store.put(record({ at: now - 90 * dayMs, summary: 'too old' }));
    await store.put(record({ at: now - dayMs, summary: 'recent' }));

    // Act
    const page = await store.list({ page: 1, size: 10 });

    // Assess
    expect(page.records.map((item) => item.summary)).toEqual(['recent']);
  });

  it('lists the records of one target only, without the operations that share its index partition', async () => {
    // Prepare
    const store = createDynamoAuditStore({ client: documents, table, retentionDays: 400 });
    const operations = createDynamoOperationStore({ client: documents, table });
    await operations.create(
      {
        key: `slash:T0:${randomUUID()}`,
        command: 'repo.delete',
        args: {},
        pin: {},
        summary: 'an operation',
        target: { repoId: 'repo-a' },
        requestedBy: 'U0OPERATOR',
        status: 'requested',
        waitMs: 60_000,
      },
      { jobId: 'j', token: 't' },
    );
    await store.put(record({ summary: 'on a', target: { repoId: 'repo-a' } }));
    await store.put(record({ summary: 'on b', target: { repoId: 'repo-b' } }));
    await store.put(record({ summary: 'attach', target: { repoId: 'repo-b', repoUserId: 'user-x' } }));

    // Act
    const onA = await store.list({ targetKey: 'repo#repo-a', page: 1, size: 10 });
    const onB = await store.list({ targetKey: 'repo#repo-b', page: 1, size: 10 });
    const onUser = await store.list({ targetKey: 'user#user-x', page: 1, size: 10 });

    // Assess
    expect(onA.records.map((item) => item.summary)).toEqual(['on a']);
    expect(onB.records.map((item) => item.summary).sort()).toEqual(['attach', 'on b']);
    expect(onUser.records.map((item) => item.summary)).toEqual(['attach']);
  });
});
