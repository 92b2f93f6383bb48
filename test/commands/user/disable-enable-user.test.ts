import { seedIds } from '../../../local/emulator/seed';
import { UserError } from '../../../src/errors';
import { type CommandHarness, startCommandHarness } from '../../support/command-context';
import { actionsOf, runArgs, runText, vcrChanges } from '../../support/command-harness';
import { mrkdwn } from '../../support/mrkdwn';

const { ciDeployer, legacyPuller } = seedIds.users;

describe('user disable and user enable', () => {
  let harness: CommandHarness;

  beforeEach(async () => {
    harness = await startCommandHarness();
    harness.emulator.clearRequests();
  });

  afterEach(() => harness.close());

  const disabled = (uuid: string) => harness.emulator.state.users.find((user) => user.uuid === uuid)?.disable;

  it('disables an enabled user and offers to enable it again when typed', async () => {
    // Act
    const reply = await runText(harness, 'user disable ci-deployer');

    // Assess
    expect(vcrChanges(harness)).toEqual([`PUT /v1/user/${ciDeployer}/disable`]);
    expect(disabled(ciDeployer)).toBe(true);
    expect(reply.text).toBe(
      'Disabled repository user `ci-deployer` (`10001234-ci-deployer`): its secret no longer logs in until it is enabled again.',
    );
    expect(actionsOf(reply)[1]).toEqual({
      label: 'Enable',
      invocation: { command: 'user.enable', args: { user: ciDeployer, userName: 'ci-deployer' } },
    });
    expect(mrkdwn(reply.notify)).toBe('<@U0OPERATOR> disabled repository user `ci-deployer` (`10001234-ci-deployer`)');
  });

  it('enables a disabled user when the card button sends its id', async () => {
    // Act
    const reply = await runArgs(harness, 'user.enable', { user: legacyPuller });

    // Assess
    expect(vcrChanges(harness)).toEqual([`PUT /v1/user/${legacyPuller}/enable`]);
    expect(disabled(legacyPuller)).toBe(false);
    expect(mrkdwn(reply.notify)).toBe(
      '<@U0OPERATOR> enabled repository user `legacy-puller` (`10001234-legacy-puller`)',
    );
  });

  it('says the user already was disabled and changes nothing', async () => {
    // Act
    const reply = await runText(harness, 'user disable legacy-puller');

    // Assess
    expect(reply.text).toBe('Repository user `legacy-puller` is already disabled; nothing changed.');
    expect(reply.notify).toBeUndefined();
    expect(vcrChanges(harness)).toEqual([]);
  });

  it('says the user already was enabled and changes nothing', async () => {
    // Act
    const reply = await runText(harness, 'user enable ci-deployer');

    // Assess
    expect(reply.text).toBe('Repository user `ci-deployer` is already enabled; nothing changed.');
    expect(vcrChanges(harness)).toEqual([]);
  });

  it.each([
    [401, 'Unauthorized'],
    [403, 'Forbidden'],
  ])(
    'lets a %i through as the bot’s own failure, not a user error, when vCR rejects the bot',
    async (status, message) => {
      // Prepare
      harness.emulator.inject({ method: 'PUT', path: `/v1/user/${ciDeployer}/disable`, status, body: { message } });

      // Act
      const run = runText(harness, 'user disable ci-deployer');

      // Assess
      await expect(run).rejects.toMatchObject({ name: 'VcrApiError', status, serverMessage: message });
      expect(disabled(ciDeployer)).toBe(false);
    },
  );

  it('says no such user exists when the user is unknown', async () => {
    // Act
    const run = runText(harness, 'user disable ghost-robot');

    // Assess
    await expect(run).rejects.toThrow(UserError);
    await expect(run).rejects.toThrow('No repository user named `ghost-robot`.');
    expect(vcrChanges(harness)).toEqual([]);
  });

  it('refuses a viewer with the role needed and calls nothing', async () => {
    // Act
    const run = runText(harness, 'user disable ci-deployer', { role: 'viewer' });

    // Assess
    await expect(run).rejects.toThrow('*operator* role to run `/vcr user disable`.');
    expect(harness.emulator.requests).toEqual([]);
  });
});
