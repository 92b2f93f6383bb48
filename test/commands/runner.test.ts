import { randomUUID } from 'node:crypto';
import { seedIds } from '../../local/emulator/seed';
import { repeatWindowMs, runInvocation } from '../../src/commands/runner';
import { type CommandHarness, startCommandHarness } from '../support/command-context';
import { allText, vcrChanges } from '../support/command-harness';
import { mrkdwn } from '../support/mrkdwn';

const { legacyPuller } = seedIds.users;

describe('runInvocation', () => {
  let harness: CommandHarness;

  beforeEach(async () => {
    harness = await startCommandHarness();
  });

  afterEach(() => harness.close());

  const enable = { command: 'user.enable', args: { user: legacyPuller } };
  const disable = { command: 'user.disable', args: { user: legacyPuller } };

  it('runs two commands that arrive under one request key as two operations', async () => {
    // Prepare
    const key = `view:V0SAME:${randomUUID()}`;

    // Act
    await runInvocation(harness.context(), enable, { key });
    await runInvocation(harness.context(), disable, { key });

    // Assess
    expect(vcrChanges(harness)).toEqual([
      `PUT /v1/user/${legacyPuller}/enable`,
      `PUT /v1/user/${legacyPuller}/disable`,
    ]);
  });

  it('answers the first outcome, without a second write, when the same button is clicked again within the window', async () => {
    // Prepare
    const click = { key: `click:C0:1.1:vcr.run:${randomUUID()}`, repeatable: true };
    await runInvocation(harness.context(), enable, click);

    // Act
    const again = await runInvocation(harness.context(), enable, click);

    // Assess
    expect(vcrChanges(harness)).toEqual([`PUT /v1/user/${legacyPuller}/enable`]);
    expect(allText(again)).toContain('This was already done');
  });

  it('runs again when an old button is clicked after its first run ended and the window passed', async () => {
    // Prepare
    const click = { key: `click:C0:1.2:vcr.run:${randomUUID()}`, repeatable: true };
    await runInvocation(harness.context(), enable, click);
    await runInvocation(harness.context(), disable, { key: randomUUID() });
    const shift = repeatWindowMs + 1_000;
    const later = { ...harness.context(), now: () => Date.now() + shift, deadlineAt: Date.now() + shift + 50_000 };

    // Act
    const [first, second] = await Promise.all([
      runInvocation(later, enable, click),
      runInvocation({ ...later, writer: { jobId: randomUUID(), token: randomUUID() } }, enable, click),
    ]);

    // Assess
    expect(vcrChanges(harness)).toEqual([
      `PUT /v1/user/${legacyPuller}/enable`,
      `PUT /v1/user/${legacyPuller}/disable`,
      `PUT /v1/user/${legacyPuller}/enable`,
    ]);
    expect([first, second].map((reply) => mrkdwn(reply.text))).toContainEqual(
      expect.stringContaining('Enabled repository user `legacy-puller`'),
    );
  });

  it('never starts afresh a click whose first run has an unknown outcome', async () => {
    // Prepare
    const click = { key: `click:C0:1.3:vcr.run:${randomUUID()}`, repeatable: true };
    harness.emulator.inject({ method: 'PUT', path: /\/enable$/, dropConnection: true, times: 1 });
    await expect(runInvocation(harness.context(), enable, click)).rejects.toThrow();
    const later = { ...harness.context(), now: () => Date.now() + repeatWindowMs + 1_000 };

    // Act
    const again = await runInvocation(later, enable, click);

    // Assess
    expect(vcrChanges(harness)).toEqual([`PUT /v1/user/${legacyPuller}/enable`]);
    expect(allText(again)).toContain('I lost track of');
    expect(allText(again)).not.toContain('Enabled repository user');
  });
});
