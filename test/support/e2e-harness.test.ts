import { e2eUsers, useE2eHarness } from './e2e-harness';

describe('useE2eHarness with dynamoFaults', () => {
  const harness = useE2eHarness({ dynamoFaults: true });

  it('sends the table calls of the bot through the fault proxy when a destructive command is previewed', async () => {
    // Prepare
    const before = harness.dynamoProxy!.operations.length;

    // Act
    await harness.reply('repo delete sandbox-tmp', e2eUsers.operator);

    // Assess
    const calls = harness.dynamoProxy!.operations.slice(before);
    expect(calls.length).toBeGreaterThan(0);
    expect(calls.every((call) => call.forwarded && call.status === 200)).toBe(true);
  });
});
