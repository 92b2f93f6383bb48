import { randomUUID } from 'node:crypto';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { type LocalDynamo, startLocalDynamo } from '../../local/fakes/dynamodb';
import { createDynamoPendingStore } from '../../src/store/dynamo-pending-store';
import type { NewPendingAction } from '../../src/store/pending-store';

const table = 'vcr-chatops-test-state';
let dynamo: LocalDynamo;

beforeAll(async () => {
  dynamo = await startLocalDynamo({ tables: [table] });
});

afterAll(async () => {
  await dynamo.close();
});

const newAction = (overrides: Partial<NewPendingAction> = {}): NewPendingAction => ({
  command: 'image.delete',
  args: { ref: 'payments-api/team/api:1.4.0', force: true, tags: ['1.4.0', 'latest'], page: 2, unset: undefined },
  pin: { repoUuid: randomUUID(), digest: `sha256:${'a'.repeat(64)}`, counts: { artifacts: 3 }, gone: null },
  summary: 'Delete image team/api from payments-api',
  requestedBy: 'U0123OPS',
  channelId: 'C0123OPS',
  ...overrides,
});

describe('createDynamoPendingStore', () => {
  it('returns what it created when the action is read back', async () => {
    // Prepare
    let clock = 1_750_000_000_000;
    const store = createDynamoPendingStore({ client: dynamo.client, table, ttlMs: 60_000, now: () => clock });

    // Act
    const created = await store.create(newAction());
    clock += 1000;
    const read = await store.get(created.id);

    // Assess
    expect(created).toMatchObject({ status: 'pending', createdAt: 1_750_000_000_000, expiresAt: 1_750_000_060_000 });
    expect(read).toEqual(JSON.parse(JSON.stringify(created)));
    expect(read?.args).toEqual({
      ref: 'payments-api/team/api:1.4.0',
      force: true,
      tags: ['1.4.0', 'latest'],
      page: 2,
    });
  });

  it('stores the item under pending#<id> with a TTL in epoch seconds when an action is created', async () => {
    // Prepare
    const store = createDynamoPendingStore({
      client: dynamo.client,
      table,
      ttlMs: 60_000,
      retainMs: 3_600_000,
      now: () => 1_750_000_000_000,
    });

    // Act
    const created = await store.create(newAction({ channelId: undefined }));
    const { Item } = await dynamo.client.send(
      new GetItemCommand({ TableName: table, Key: { pk: { S: `pending#${created.id}` } } }),
    );

    // Assess
    expect(Item?.expiresAtEpoch).toEqual({ N: String(1_750_000_060 + 3600) });
    expect(Item?.status).toEqual({ S: 'pending' });
    expect(typeof Item?.args?.S).toBe('string');
    expect(Item?.channelId).toBeUndefined();
  });

  it('returns undefined when the id is unknown', async () => {
    // Prepare
    const store = createDynamoPendingStore({ client: dynamo.client, table });

    // Act
    const read = await store.get(randomUUID());
    const moved = await store.transition(randomUUID(), 'pending', 'executing', 'U0123OPS');

    // Assess
    expect(read).toBeUndefined();
    expect(moved).toBeUndefined();
  });

  it('lets exactly one of 10 concurrent transitions win when they race from pending', async () => {
    // Prepare
    const store = createDynamoPendingStore({ client: dynamo.client, table });
    const created = await store.create(newAction());
    const clickers = Array.from({ length: 10 }, (_, index) => `U0CLICK${index}`);

    // Act
    const results = await Promise.all(
      clickers.map((user) => store.transition(created.id, 'pending', 'executing', user)),
    );
    const after = await store.get(created.id);

    // Assess
    const winners = results.filter((result) => result !== undefined);
    expect(winners).toHaveLength(1);
    expect(winners[0]).toMatchObject({ status: 'executing', decidedBy: after?.decidedBy });
    expect(clickers).toContain(after?.decidedBy);
    expect(after?.status).toBe('executing');
  });

  it('moves on from a later status only when the item is still in it', async () => {
    // Prepare
    const store = createDynamoPendingStore({ client: dynamo.client, table });
    const created = await store.create(newAction());
    await store.transition(created.id, 'pending', 'executing', 'U0123OPS');

    // Act
    const wrongFrom = await store.transition(created.id, 'pending', 'cancelled', 'U0OTHER1');
    const done = await store.transition(created.id, 'executing', 'done');

    // Assess
    expect(wrongFrom).toBeUndefined();
    expect(done).toMatchObject({ status: 'done', decidedBy: 'U0123OPS' });
  });

  it('refuses to leave pending when the action has expired', async () => {
    // Prepare
    let clock = 1_750_000_000_000;
    const store = createDynamoPendingStore({ client: dynamo.client, table, ttlMs: 60_000, now: () => clock });
    const created = await store.create(newAction());
    clock += 60_000;

    // Act
    const moved = await store.transition(created.id, 'pending', 'executing', 'U0123OPS');
    const after = await store.get(created.id);

    // Assess
    expect(moved).toBeUndefined();
    expect(after?.status).toBe('pending');
  });
});
