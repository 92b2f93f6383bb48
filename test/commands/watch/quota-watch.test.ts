import { bytesPerGb } from '../../../src/commands/format';
import type { Reply } from '../../../src/commands/reply';
import { watchRepositoryQuota } from '../../../src/commands/watch/quota-watch';
import type { Repository } from '../../../src/vcr/types';
import { createMemoryWatchStore } from '../../support/memory-records';

const hourMs = 3_600_000;

describe('watchRepositoryQuota', () => {
  it.each([
    ['null', null],
    ['empty', ''],
    ['a boolean', true],
    ['negative', -5],
  ])(
    'keeps its marks and samples and alerts once when vCR answers a usage that is %s between two passes',
    async (_case, odd) => {
      // Prepare
      let now = Date.parse('2026-06-01T09:00:00.000Z');
      const store = createMemoryWatchStore();
      const posted: Reply[] = [];
      const deps = {
        store,
        thresholds: [80, 95, 100],
        post: async (reply: Reply) => posted.push(reply) > 0,
        now: () => now,
      };
      const repo = { uuid: 'repo-odd', name: 'odd-usage', quotaLimit: 10, quotaUsed: 8.5 * bytesPerGb } as Repository;

      // Act
      await watchRepositoryQuota(deps, repo);
      now += hourMs;
      const oddPass = await watchRepositoryQuota(deps, { ...repo, quotaUsed: odd as unknown as number });
      now += hourMs;
      await watchRepositoryQuota(deps, repo);

      // Assess
      expect(oddPass).toEqual({ alerted: false, skipped: 'no usable quota or usage' });
      expect(posted.map((reply) => reply.text)).toEqual(['Repository odd-usage reached 80% of its quota']);
      expect((await store.samples(repo.uuid, 0)).map((sample) => sample.usedBytes)).not.toContain(0);
    },
  );

  it('reads a usage and a quota vCR sends as decimal strings', async () => {
    // Prepare
    const posted: Reply[] = [];
    const deps = {
      store: createMemoryWatchStore(),
      thresholds: [80],
      post: async (reply: Reply) => posted.push(reply) > 0,
      now: () => Date.parse('2026-06-01T09:00:00.000Z'),
    };
    const repo = { uuid: 'repo-text', name: 'text-usage', quotaLimit: '10', quotaUsed: String(9 * bytesPerGb) };

    // Act
    const result = await watchRepositoryQuota(deps, repo as unknown as Repository);

    // Assess
    expect(result.row).toMatchObject({ usedBytes: 9 * bytesPerGb, quotaGb: 10, percent: 90 });
    expect(posted).toHaveLength(1);
    expect(JSON.stringify(posted[0]?.parts)).toContain('9.0 GB of 10 GB ▓▓▓▓▓▓▓▓▓░ 90%');
  });
});
