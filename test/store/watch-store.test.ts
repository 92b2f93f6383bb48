import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type LocalDynamo, startLocalDynamo } from '../../local/fakes/dynamodb';
import { createDynamoWatchStore, type WatchStore } from '../../src/store/watch-store';

const table = 'watch-test';
const dayMs = 86_400_000;

describe('createDynamoWatchStore', () => {
  let dynamo: LocalDynamo;
  let documents: DynamoDBDocumentClient;
  let clock: number;
  let store: WatchStore;

  beforeAll(async () => {
    dynamo = await startLocalDynamo({ tables: [table] });
    documents = DynamoDBDocumentClient.from(dynamo.client, { marshallOptions: { removeUndefinedValues: true } });
  });

  beforeEach(() => {
    clock = Date.UTC(2026, 10, 30, 9);
    store = createDynamoWatchStore({ client: documents, table, now: () => clock });
  });

  afterAll(() => dynamo.close());

  it('marks a notice once, and again only after it is cleared', async () => {
    // Act
    const first = await store.markSent('quota#r1#80');
    const second = await store.markSent('quota#r1#80');
    const sentBefore = await store.wasSent('quota#r1#80');
    await store.clearSent('quota#r1#80');
    const sentAfter = await store.wasSent('quota#r1#80');
    const third = await store.markSent('quota#r1#80');

    // Assess
    expect([first, second, third]).toEqual([true, false, true]);
    expect([sentBefore, sentAfter]).toEqual([true, false]);
  });

  it('answers true to exactly one of concurrent marks of one notice', async () => {
    // Act
    const answers = await Promise.all(Array.from({ length: 10 }, () => store.markSent('expiry#u1#7')));

    // Assess
    expect(answers.filter(Boolean)).toHaveLength(1);
  });

  it('clears a notice that was never sent without marking it', async () => {
    // Act
    await store.clearSent('quota#never#95');

    // Assess
    expect(await store.wasSent('quota#never#95')).toBe(false);
    expect(await store.markSent('quota#never#95')).toBe(true);
  });

  it('keeps the last sample of each day and reads those since a time, oldest first', async () => {
    // Prepare
    const day0 = Date.UTC(2026, 10, 20, 8);
    await store.addSample('r2', { at: day0, usedBytes: 100, quotaGb: 1 });
    await store.addSample('r2', { at: day0 + 3_600_000, usedBytes: 150, quotaGb: 1 });
    await store.addSample('r2', { at: day0 + dayMs, usedBytes: 200, quotaGb: 1 });
    await store.addSample('r2', { at: day0 + 5 * dayMs, usedBytes: 400, quotaGb: 2 });
    await store.addSample('other', { at: day0 + dayMs, usedBytes: 9, quotaGb: 1 });

    // Act
    const all = await store.samples('r2', day0 - dayMs);
    const recent = await store.samples('r2', day0 + dayMs);

    // Assess
    expect(all.map((sample) => sample.usedBytes)).toEqual([150, 200, 400]);
    expect(recent).toEqual([
      { at: day0 + dayMs, usedBytes: 200, quotaGb: 1 },
      { at: day0 + 5 * dayMs, usedBytes: 400, quotaGb: 2 },
    ]);
  });

  it('reads back the snapshot and the pass it wrote last', async () => {
    // Prepare
    const row = { repoId: 'r3', repoName: 'payments-api', usedBytes: 9e8, quotaGb: 1, percent: 90, threshold: 80 };
    await store.putSnapshot('quota', { at: clock - 1, complete: false, rows: [] });
    await store.putSnapshot('quota', { at: clock, complete: true, rows: [row] });
    const pass = {
      startedAt: clock,
      endedAt: clock + 1000,
      repositoriesSeen: 3,
      repositoriesTotal: 4,
      usersSeen: 0,
      usersTotal: 2,
      stoppedEarly: 'budget',
    };
    await store.putPass(pass);

    // Act
    const quota = await store.getSnapshot('quota');
    const users = await store.getSnapshot('expiringUsers');
    const last = await store.getPass();

    // Assess
    expect(quota).toEqual({ at: clock, complete: true, rows: [row] });
    expect(users).toBeUndefined();
    expect(last).toEqual(pass);
  });
});
