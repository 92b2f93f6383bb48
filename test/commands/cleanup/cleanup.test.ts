import { cleanup, plan } from '../../../src/commands/cleanup/cleanup';
import type { Plan } from '../../../src/commands/command';
import type { Operation } from '../../../src/store/operation-store';
import { plannedLabels, seedCleanupRepository } from '../../support/cleanup-seed';
import { type CommandHarness, startCommandHarness } from '../../support/command-context';

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
