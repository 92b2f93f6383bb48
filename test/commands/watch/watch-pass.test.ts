import { runWatchPass, type WatchPassDeps } from '../../../src/commands/watch/watch-pass';
import { createLogger } from '../../../src/logger';
import type { WatchPassProgress, WatchStore } from '../../../src/store/watch-store';
import type { VcrReads } from '../../../src/vcr/client';
import type { Paging, Repository } from '../../../src/vcr/types';
import { createMemoryWatchStore } from '../../support/memory-records';

const gb = 1024 ** 3;

/** A page of `items` as vCR answers it. */
function pageOf<T>(items: T[], page: number, size: number): Paging<T> {
  return {
    listData: items.slice((page - 1) * size, page * size),
    page,
    pageSize: size,
    totalPage: Math.ceil(items.length / size),
    totalItem: items.length,
  };
}

/** The watcher's store in memory; each sample written moves `clock` on by a second, as if the write took that long. */
function memoryStore(clock: { now: number }): WatchStore {
  const store = createMemoryWatchStore();
  return {
    ...store,
    addSample: async (repoId, sample) => {
      clock.now += 1000;
      await store.addSample(repoId, sample);
    },
  };
}

describe('runWatchPass', () => {
  const clock = { now: Date.parse('2026-06-01T09:00:00.000Z') };
  const repositories = Array.from({ length: 120 }, (_, index) => ({
    uuid: `repo-${index}`,
    name: `repo-${index}`,
    quotaLimit: 10,
    quotaUsed: gb,
  })) as Repository[];
  const seen: string[] = [];
  const vcr = {
    users: { list: async ({ page = 1, size = 100 } = {}) => pageOf([], page, size) },
    repositories: {
      list: async ({ page = 1, size = 100 } = {}) => pageOf(repositories, page, size),
    },
  } as unknown as VcrReads;
  const store = memoryStore(clock);
  const deps: WatchPassDeps = {
    vcr,
    store: {
      ...store,
      addSample: async (repoId, sample) => {
        seen.push(repoId);
        await store.addSample(repoId, sample);
      },
    },
    poster: { post: async () => true },
    thresholds: [80],
    logger: createLogger({ sink: () => {} }),
    now: () => clock.now,
    // One at a time, so a budget of 50.5 s covers exactly 51 repositories (each sample takes a second).
    concurrency: 1,
  };

  it('starts the next pass where one cut short stopped, until every repository was watched', async () => {
    // Act
    const passes: WatchPassProgress[] = [];
    for (let index = 0; index < 3; index += 1) {
      passes.push(await runWatchPass(deps, { deadlineAt: clock.now + 50_500 }));
    }

    // Assess
    expect(
      passes.map(({ repositoriesFrom, repositoriesSeen, stoppedEarly }) => ({
        repositoriesFrom,
        repositoriesSeen,
        stoppedEarly,
      })),
    ).toEqual([
      { repositoriesFrom: undefined, repositoriesSeen: 51, stoppedEarly: 'its time ran out' },
      { repositoriesFrom: 51, repositoriesSeen: 51, stoppedEarly: 'its time ran out' },
      { repositoriesFrom: 102, repositoriesSeen: 51, stoppedEarly: 'its time ran out' },
    ]);
    expect(new Set(seen).size).toBe(120);
    expect(seen.slice(102, 120)).toEqual(repositories.slice(102).map((repo) => repo.uuid));
    expect(seen.slice(120, 153)).toEqual(repositories.slice(0, 33).map((repo) => repo.uuid));
  });
});

describe('runWatchPass cut short', () => {
  it('keeps the rows of the repositories it did not reach from the last pass in the quota snapshot', async () => {
    // Prepare: 30 repositories at 90% of their quota; each sample takes a second.
    const clock = { now: Date.parse('2026-06-01T09:00:00.000Z') };
    const full = Array.from({ length: 30 }, (_, index) => ({
      uuid: `full-${index}`,
      name: `full-${index}`,
      quotaLimit: 10,
      quotaUsed: 9 * gb,
    })) as Repository[];
    const deps: WatchPassDeps = {
      vcr: {
        users: { list: async ({ page = 1, size = 100 } = {}) => pageOf([], page, size) },
        repositories: { list: async ({ page = 1, size = 100 } = {}) => pageOf(full, page, size) },
      } as unknown as VcrReads,
      store: memoryStore(clock),
      poster: { post: async () => true },
      thresholds: [80],
      logger: createLogger({ sink: () => {} }),
      now: () => clock.now,
      concurrency: 1,
    };
    await runWatchPass(deps, { deadlineAt: clock.now + 3_600_000 });

    // Act: a pass with time for ten repositories.
    const cut = await runWatchPass(deps, { deadlineAt: clock.now + 9_500 });

    // Assess
    const snapshot = await deps.store.getSnapshot('quota');
    expect(cut.repositoriesSeen).toBe(10);
    expect(snapshot?.complete).toBe(false);
    expect(new Set(snapshot?.rows.map((row) => row.repoId))).toEqual(new Set(full.map((repo) => repo.uuid)));
  });
});
