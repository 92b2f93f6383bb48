import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type LocalDynamo, startLocalDynamo } from '../../local/fakes/dynamodb';
import { createDynamoFreezeStore, createFreezeReader, type FreezeStore } from '../../src/store/freeze-store';

const table = 'freeze-test';

describe('createDynamoFreezeStore', () => {
  let dynamo: LocalDynamo;
  let documents: DynamoDBDocumentClient;
  let clock: number;
  let store: FreezeStore;

  beforeAll(async () => {
    dynamo = await startLocalDynamo({ tables: [table] });
    documents = DynamoDBDocumentClient.from(dynamo.client, { marshallOptions: { removeUndefinedValues: true } });
  });

  beforeEach(async () => {
    clock = Date.UTC(2026, 11, 24, 12);
    store = createDynamoFreezeStore({ client: documents, table, now: () => clock });
    await store.clear('U0SETUP');
  });

  afterAll(() => dynamo.close());

  it('reads the freeze it set, and none once it is lifted', async () => {
    // Prepare
    await store.set({ by: 'U0ADMIN', since: clock, reason: 'release' });

    // Act
    const frozen = await store.read({ consistent: true });
    const lifted = await store.clear('U0OTHER');
    const after = await store.read({ consistent: true });

    // Assess
    expect(frozen).toEqual({ by: 'U0ADMIN', since: clock, reason: 'release' });
    expect(lifted).toEqual(frozen);
    expect(after).toBeUndefined();
  });

  it('reads a freeze as none once its until has passed', async () => {
    // Prepare
    await store.set({ by: 'U0ADMIN', since: clock, until: clock + 60_000 });

    // Act
    const until = clock + 60_000;
    const before = await store.read();
    clock = until;
    const at = await store.read();

    // Assess
    expect(before?.until).toBe(until);
    expect(at).toBeUndefined();
  });
});

describe('createFreezeReader', () => {
  const counting = () => {
    const reads: boolean[] = [];
    let freeze: { by: string; since: number; until?: number } | undefined;
    return {
      reads,
      set: (value: typeof freeze) => {
        freeze = value;
      },
      store: {
        read: async ({ consistent = false } = {}) => {
          reads.push(consistent);
          return freeze;
        },
      },
    };
  };

  it('reuses a read within its time to live and reads again after it', async () => {
    // Prepare
    let clock = 0;
    const source = counting();
    const reader = createFreezeReader(source.store, { ttlMs: 5_000, now: () => clock });
    await reader.current();
    source.set({ by: 'U0ADMIN', since: 1 });

    // Act
    const cached = await reader.current();
    clock += 5_000;
    const fresh = await reader.current();

    // Assess
    expect(cached).toBeUndefined();
    expect(fresh).toEqual({ by: 'U0ADMIN', since: 1 });
    expect(source.reads).toEqual([false, false]);
  });

  it('reads consistently, past its cache, when asked for a fresh read', async () => {
    // Prepare
    const source = counting();
    const reader = createFreezeReader(source.store, { ttlMs: 5_000, now: () => 0 });
    await reader.current();
    source.set({ by: 'U0ADMIN', since: 1 });

    // Act
    const fresh = await reader.current({ fresh: true });

    // Assess
    expect(fresh).toEqual({ by: 'U0ADMIN', since: 1 });
    expect(source.reads).toEqual([false, true]);
  });

  it('shares one read among concurrent callers', async () => {
    // Prepare
    const source = counting();
    const reader = createFreezeReader(source.store, { ttlMs: 5_000, now: () => 0 });

    // Act
    await Promise.all([reader.current(), reader.current(), reader.current()]);

    // Assess
    expect(source.reads).toEqual([false]);
  });

  it('reads a freeze past its until as none and tells of it once per freeze', async () => {
    // Prepare
    let clock = 10_000;
    const source = counting();
    const lapsed: number[] = [];
    const reader = createFreezeReader(source.store, {
      ttlMs: 5_000,
      now: () => clock,
      onLapsed: async (freeze) => {
        lapsed.push(freeze.since);
      },
    });
    source.set({ by: 'U0ADMIN', since: 1, until: 9_000 });

    // Act
    const first = await reader.current({ fresh: true });
    clock += 5_000;
    const second = await reader.current();
    const third = await reader.current({ fresh: true });

    // Assess
    expect([first, second, third]).toEqual([undefined, undefined, undefined]);
    expect(lapsed).toEqual([1]);
  });
});
