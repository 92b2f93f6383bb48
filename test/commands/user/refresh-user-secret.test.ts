import { seedIds } from '../../../local/emulator/seed';
import { UserError } from '../../../src/errors';
import { type CommandHarness, startCommandHarness } from '../../support/command-context';
import {
  actionsOf,
  allText,
  decideAs,
  operationIdOf,
  partsOf,
  runArgs,
  runText,
  vcrChanges,
} from '../../support/command-harness';
import { mrkdwn } from '../../support/mrkdwn';
import { publicPartOf } from '../../support/user-harness';

const { ciDeployer, qaReader } = seedIds.users;

describe('user secret', () => {
  let harness: CommandHarness;

  beforeEach(async () => {
    harness = await startCommandHarness();
    harness.emulator.clearRequests();
  });

  afterEach(() => harness.close());

  const refreshes = () => vcrChanges(harness).filter((call) => call.endsWith('/refresh'));
  const confirm = (id: string, userId = 'U0OPERATOR') => decideAs(harness, id, 'confirm', { userId });

  it('previews who loses access and changes nothing when typed', async () => {
    // Prepare
    const before = harness.emulator.currentSecret(ciDeployer);

    // Act
    const reply = await runText(harness, 'user secret ci-deployer');

    // Assess
    expect(partsOf(reply, 'fields')[0]?.fields).toEqual([
      { label: 'User', value: 'ci-deployer (`10001234-ci-deployer`)' },
      { label: 'Status', value: 'enabled' },
      { label: 'Loses access until updated', value: '`payments-api` (push), `web-frontend` (push)' },
    ]);
    expect(allText(reply)).toContain(
      'The current secret stops working at once. Everything that logs in as `10001234-ci-deployer` (CI pipelines, clusters, people) can no longer pull or push on `payments-api` (push), `web-frontend` (push) until it is given the new secret.',
    );
    expect(actionsOf(reply)).toEqual([
      {
        label: 'New secret for ci-deployer',
        style: 'danger',
        decision: { operationId: operationIdOf(reply), command: 'user.secret', choice: 'confirm' },
        confirm: {
          title: 'New secret for ci-deployer?',
          text: 'The old secret of 10001234-ci-deployer stops working at once; whatever uses it loses access to 2 repositories until updated.',
          confirm: 'Make a new secret',
          deny: 'Keep the old one',
        },
      },
      { label: 'Cancel', decision: { operationId: operationIdOf(reply), command: 'user.secret', choice: 'cancel' } },
    ]);
    expect(await harness.operations.get(operationIdOf(reply))).toMatchObject({
      command: 'user.secret',
      args: { user: ciDeployer },
      pin: { repoUserId: ciDeployer, userName: 'ci-deployer' },
      summary: 'make a new secret for repository user `ci-deployer`',
      requestedBy: 'U0OPERATOR',
    });
    expect(refreshes()).toEqual([]);
    expect(harness.emulator.currentSecret(ciDeployer)).toBe(before);
  });

  it('delivers the secret vCR now holds, only in the secret part, when the preview is confirmed', async () => {
    // Prepare
    const before = harness.emulator.currentSecret(qaReader);
    const preview = await runArgs(harness, 'user.secret', { user: qaReader });

    // Act
    const reply = await confirm(operationIdOf(preview));

    // Assess
    const secret = harness.emulator.currentSecret(qaReader);
    expect(secret).not.toBe(before);
    expect(reply.secret).toEqual({
      value: secret,
      title: 'New secret of repository user qa-reader',
      lines: [
        'docker login vcr-han.vngcloud.vn -u 10001234-qa-reader',
        'docker login vcr.vngcloud.vn -u 10001234-qa-reader',
        "This secret of `qa-reader` is shown once: vCR cannot show it again. Store it now, e.g. in your CI's secret store.",
      ],
    });
    expect(reply.text).toBe(
      'Made a new secret for repository user `qa-reader` (`10001234-qa-reader`). The old secret no longer works.',
    );
    expect(mrkdwn(reply.notify)).toBe(
      '<@U0OPERATOR> made a new secret for repository user `qa-reader` (`10001234-qa-reader`); the old one stopped working',
    );
    expect(publicPartOf(reply)).not.toContain(secret);
    expect(harness.logs.length).toBeGreaterThan(0);
    expect(harness.logs.join('\n')).not.toContain(secret);
    expect(refreshes()).toEqual([`GET /v1/user/${qaReader}/refresh`]);
  });

  it('asks vCR for a new secret exactly once when confirm is clicked twice', async () => {
    // Prepare
    const preview = await runText(harness, 'user secret ci-deployer');

    // Act
    const [first, second] = await Promise.all([confirm(operationIdOf(preview)), confirm(operationIdOf(preview))]);
    const third = await confirm(operationIdOf(preview));

    // Assess
    const delivered = [first, second].filter((reply) => reply.secret);
    expect(delivered).toHaveLength(1);
    expect(delivered[0]?.secret?.value).toBe(harness.emulator.currentSecret(ciDeployer));
    expect(allText(third)).toContain('This was already done by <@U0OPERATOR>; it runs only once.');
    expect(third.secret).toBeUndefined();
    expect(refreshes()).toHaveLength(1);
  });

  it('sends the refresh once and records its outcome unknown when vCR answers 500, which it may send after it', async () => {
    // Prepare
    const preview = await runText(harness, 'user secret ci-deployer');
    harness.emulator.inject({ path: `/v1/user/${ciDeployer}/refresh`, status: 500 });

    // Act
    const failed = confirm(operationIdOf(preview));

    // Assess
    await expect(failed).rejects.toMatchObject({
      name: 'UserError',
      message: expect.stringContaining('vCR answered 500 when asked for a new secret for `ci-deployer`'),
      cause: expect.objectContaining({ name: 'VcrApiError', status: 500 }),
    });
    const again = await confirm(operationIdOf(preview));
    expect(mrkdwn(again.text)).toContain('but its outcome is unknown');
    expect((await harness.operations.get(operationIdOf(preview)))?.status).toBe('outcome_unknown');
    expect(refreshes()).toHaveLength(1);
  });

  it('says the old secret is gone and to run it again, and logs it, when vCR answers no secret', async () => {
    // Prepare
    const preview = await runText(harness, 'user secret ci-deployer');
    harness.emulator.inject({ path: `/v1/user/${ciDeployer}/refresh`, status: 200, body: {} });

    // Act
    const failed = confirm(operationIdOf(preview));

    // Assess
    await expect(failed).rejects.toMatchObject({
      name: 'UserError',
      message:
        'vCR made a new secret for `ci-deployer` but sent none back, so the old secret no longer works and no one ' +
        'has the new one. Run `/vcr user secret ci-deployer` again to make one you can use.',
      cause: expect.objectContaining({ name: 'VcrMissingSecretError' }),
    });
    expect(refreshes()).toHaveLength(1);
    expect(harness.logs.some((line) => line.includes('secret replaced without a secret in the answer'))).toBe(true);
  });

  it('says the old secret may have stopped and to run it again, never a failed read, when the answer is lost', async () => {
    // Prepare
    const preview = await runText(harness, 'user secret ci-deployer');
    harness.emulator.inject({ path: `/v1/user/${ciDeployer}/refresh`, dropConnection: true });

    // Act
    const failed = await confirm(operationIdOf(preview)).catch((caught: unknown) => caught);

    // Assess
    expect(failed).toBeInstanceOf(UserError);
    const message = (failed as UserError).message;
    expect(message).toMatch(
      /^vCR did not answer in time when asked for a new secret for `ci-deployer` \(ref `[0-9a-f]{8}`\), so the old secret may already have stopped working/,
    );
    expect(message).toContain('Run `/vcr user secret ci-deployer` again to make a new secret you can use.');
    expect(message).not.toMatch(/not answering|\bread\b/);
    const ref = /ref `([0-9a-f]{8})`/.exec(message)?.[1];
    expect(harness.logs.some((line) => line.includes(`"ref":"${ref}"`) && line.includes('not confirmed'))).toBe(true);
    expect((await harness.operations.get(operationIdOf(preview)))?.status).toBe('outcome_unknown');
    expect(refreshes()).toHaveLength(1);
  });

  it('makes no secret when the preview is cancelled', async () => {
    // Prepare
    const before = harness.emulator.currentSecret(ciDeployer);
    const preview = await runText(harness, 'user secret ci-deployer');

    // Act
    const cancelled = await decideAs(harness, operationIdOf(preview), 'cancel');
    const late = await confirm(operationIdOf(preview));

    // Assess
    expect(cancelled.text).toBe('Cancelled: make a new secret for repository user `ci-deployer`');
    expect(mrkdwn(late.text)).toBe('This request was cancelled by <@U0OPERATOR>; nothing was changed.');
    expect(refreshes()).toEqual([]);
    expect(harness.emulator.currentSecret(ciDeployer)).toBe(before);
  });

  it('refuses the click when the user was deleted after the preview', async () => {
    // Prepare
    const preview = await runText(harness, 'user secret ci-deployer');
    const { users } = harness.emulator.state;
    users.splice(
      users.findIndex((user) => user.uuid === ciDeployer),
      1,
    );

    // Act
    const run = confirm(operationIdOf(preview));

    // Assess
    await expect(run).rejects.toThrow(UserError);
    await expect(run).rejects.toThrow('Repository user `ci-deployer` no longer exists; no secret was made.');
    expect(refreshes()).toEqual([]);
  });

  it('refuses the click of another operator than the requester', async () => {
    // Prepare
    const preview = await runText(harness, 'user secret ci-deployer');

    // Act
    const run = confirm(operationIdOf(preview), 'U0SOMEONE');

    // Assess
    await expect(run).rejects.toThrow('Only @U0OPERATOR or an admin can confirm this request.');
    expect(refreshes()).toEqual([]);
  });

  it('says no such user exists when the user is unknown', async () => {
    // Act
    const run = runText(harness, 'user secret ghost-robot');

    // Assess
    await expect(run).rejects.toThrow('No repository user named `ghost-robot`.');
    expect(harness.operations.items.size).toBe(0);
  });
});
