import { cleanup, plan } from '../../../src/commands/cleanup/cleanup';
import type { Plan } from '../../../src/commands/command';
import type { Operation } from '../../../src/store/operation-store';
import { plannedLabels, seedCleanupRepository } from '../../support/cleanup-seed';
import { type CommandHarness, startCommandHarness } from '../../support/command-context';

describe('cleanup plan', () => {
  let harness: CommandHarness;

  beforeAll(async () => {
    harness = await startCommandHarness();
  });

  afterAll(() => harness.close());

  it('holds the oldest 300 candidates, says to run again for the rest, and keeps its record small when more match', async () => {
    // Prepare: one more image, of 400 untagged artifacts pushed a year ago.
    const repo = seedCleanupRepository(harness.emulator);
    const { state } = harness.emulator;
    const repoId = state.repositories.find((entry) => entry.name === repo.name)!.uuid;
    const pushTime = new Date(Date.now() - 365 * 86_400_000).toISOString();
    state.images.push({ id: 80_000, repoId, name: 'bulk', pullCount: 0, updateTime: pushTime });
    for (let i = 0; i < 400; i += 1) {
      state.artifacts.push({
        id: 80_001 + i,
        repoId,
        imageName: 'bulk',
        digest: `sha256:${i.toString(16).padStart(64, 'b')}`,
        type: 'IMAGE',
        size: 1000,
        pushTime,
        pullTime: null,
        tags: [],
      });
    }

    // Act
    const planned = (await plan(harness.context(), { repo: repo.name, image: 'bulk', untaggedOlderDays: 30 })) as Plan;

    // Assess
    const pinned = (planned.pin.images as { candidates: unknown[] }[]).flatMap((entry) => entry.candidates);
    expect(pinned).toHaveLength(300);
    expect(JSON.stringify(planned.preview.parts)).toContain(
      'This plan holds the first 300 candidates; 100 more match. Run again after this cleanup for the rest.',
    );
    expect(JSON.stringify(planned).length).toBeLessThan(100_000);
  });
});

describe('cleanup settle', () => {
  let harness: CommandHarness;

  beforeAll(async () => {
    harness = await startCommandHarness();
  });

  afterAll(() => harness.close());

  /** Plans the seeded repository and returns an operation holding that plan's pin. */
  async function plannedOperation() {
    const repo = seedCleanupRepository(harness.emulator);
    const rules = { keep: 3, untaggedOlderDays: 14, unpulledDays: 30, protect: 'latest,prod-*' };
    const planned = (await plan(harness.context(), cleanup.validate!({ repo: repo.name, ...rules }))) as Plan;
    return { repo, operation: { pin: planned.pin } as unknown as Operation };
  }

  const remove = (digests: string[]) => {
    const { artifacts } = harness.emulator.state;
    for (const digest of digests)
      artifacts.splice(
        artifacts.findIndex((artifact) => artifact.digest === digest),
        1,
      );
  };

  it.each([
    ['not done', 0, 'not_done'],
    ['unknown', 1, 'unknown'],
    ['done', 3, 'done'],
  ])('reads a lost run as %s when %i of the planned digests are gone', async (_word, gone, expected) => {
    // Prepare
    const { repo, operation } = await plannedOperation();
    remove(plannedLabels.slice(0, gone).map(repo.digest));

    // Act
    const settled = await cleanup.settle!(harness.context(), operation);

    // Assess
    expect(settled).toBe(expected);
  });
});
