import { weeklyCleanupPlan } from '../../../src/commands/cleanup/weekly-cleanup-plan';
import type { Action, Part } from '../../../src/commands/reply';
import { plannedLabels, seedCleanupRepository } from '../../support/cleanup-seed';
import { type CommandHarness, startCommandHarness } from '../../support/command-context';

describe('weeklyCleanupPlan', () => {
  let harness: CommandHarness;

  beforeAll(async () => {
    harness = await startCommandHarness();
  });

  afterAll(() => harness.close());

  const savedFor = (repoId: string, repoName: string, rules: Record<string, unknown>) => ({
    repoId,
    repoName,
    rules,
    savedBy: 'U0OPERATOR',
    savedAt: Date.now(),
  });

  it('answers the plan of the saved rules with a button that plans it again, and deletes nothing', async () => {
    // Prepare
    const repo = seedCleanupRepository(harness.emulator);
    const repoId = harness.emulator.state.repositories.find((entry) => entry.name === repo.name)!.uuid;
    const rules = { keep: 3, untaggedOlderDays: 14, unpulledDays: 30, protect: ['latest', 'prod-*'] };
    const before = harness.emulator.requests.filter((request) => request.method === 'DELETE').length;

    // Act
    const reply = await weeklyCleanupPlan(harness.context({ role: 'viewer' }), savedFor(repoId, repo.name, rules));

    // Assess
    const text = JSON.stringify(reply?.parts);
    for (const label of plannedLabels) expect(text).toContain(repo.digest(label).slice(0, 19));
    const actions = reply?.parts.filter((part): part is Extract<Part, { type: 'actions' }> => part.type === 'actions');
    expect(actions?.flatMap((part) => part.actions)).toEqual<Action[]>([
      {
        label: 'Review and request cleanup',
        style: 'primary',
        invocation: { command: 'cleanup', args: { repo: repoId, ...rules } },
      },
    ]);
    expect(harness.emulator.requests.filter((request) => request.method === 'DELETE')).toHaveLength(before);
  });

  it('answers nothing when the saved rules select no artifact', async () => {
    // Prepare
    const repo = seedCleanupRepository(harness.emulator);
    const repoId = harness.emulator.state.repositories.find((entry) => entry.name === repo.name)!.uuid;

    // Act
    const reply = await weeklyCleanupPlan(harness.context(), savedFor(repoId, repo.name, { unpulledDays: 3000 }));

    // Assess
    expect(reply).toBeUndefined();
  });
});
