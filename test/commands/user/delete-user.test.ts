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

const { ciDeployer, qaReader } = seedIds.users;
const { paymentsApi, webFrontend, mlModels } = seedIds.repositories;
const { pull: pullPolicy } = seedIds.policies;

describe('user delete', () => {
  let harness: CommandHarness;

  beforeEach(async () => {
    harness = await startCommandHarness();
    harness.emulator.clearRequests();
  });

  afterEach(() => harness.close());

  const exists = (uuid: string) => harness.emulator.state.users.some((user) => user.uuid === uuid);
  const confirm = (id: string) => decideAs(harness, id, 'confirm');

  it('previews the user, its repositories and access and changes nothing when typed', async () => {
    // Act
    const reply = await runText(harness, 'user delete ci-deployer');

    // Assess
    expect(partsOf(reply, 'header')[0]?.text).toBe('Delete repository user ci-deployer?');
    expect(partsOf(reply, 'fields')[0]?.fields).toEqual([
      { label: 'User', value: 'ci-deployer (`10001234-ci-deployer`)' },
      { label: 'Status', value: 'enabled, never expires' },
      { label: 'Access that goes', value: '`payments-api` (push), `web-frontend` (push)' },
      { label: 'Description', value: 'CI pipeline pushing release images' },
    ]);
    expect(actionsOf(reply)).toEqual([
      {
        label: 'Delete ci-deployer',
        style: 'danger',
        decision: { operationId: operationIdOf(reply), command: 'user.delete', choice: 'confirm' },
        confirm: {
          title: 'Delete repository user ci-deployer?',
          text: 'This deletes 10001234-ci-deployer and its access to 2 repositories. It cannot be undone.',
          confirm: 'Delete',
          deny: 'Keep it',
        },
      },
      { label: 'Cancel', decision: { operationId: operationIdOf(reply), command: 'user.delete', choice: 'cancel' } },
    ]);
    expect((await harness.operations.get(operationIdOf(reply)))?.pin).toEqual({
      repoUserId: ciDeployer,
      userName: 'ci-deployer',
      backendName: '10001234-ci-deployer',
      grants: [`${paymentsApi}=push`, `${webFrontend}=push`].sort(),
      grantsShown: '`payments-api` (push), `web-frontend` (push)',
    });
    expect(vcrChanges(harness)).toEqual([]);
    expect(exists(ciDeployer)).toBe(true);
  });

  it('deletes the user exactly once when the preview is confirmed twice', async () => {
    // Prepare
    const preview = await runArgs(harness, 'user.delete', { user: qaReader });

    // Act
    const reply = await confirm(operationIdOf(preview));
    const again = await confirm(operationIdOf(preview));

    // Assess
    expect(reply.text).toBe(
      'Deleted repository user `qa-reader` (`10001234-qa-reader`); its access is gone: `ml-models` (pull), `payments-api` (pull).',
    );
    expect(mrkdwn(reply.notify)).toBe(
      '<@U0OPERATOR> deleted repository user `qa-reader` (`10001234-qa-reader`), which had `ml-models` (pull), `payments-api` (pull)',
    );
    expect(again.text).toBe(reply.text);
    expect(allText(again)).toContain('This was already done by <@U0OPERATOR>; it runs only once.');
    expect(again.notify).toBeUndefined();
    expect(vcrChanges(harness)).toEqual([`DELETE /v1/user/${qaReader}`]);
    expect(exists(qaReader)).toBe(false);
  });

  it('refuses the click and deletes nothing when the permissions changed after the preview', async () => {
    // Prepare
    const preview = await runText(harness, 'user delete ci-deployer');
    const change = await runArgs(harness, 'user.permissions', {
      user: ciDeployer,
      pull: [mlModels],
      push: [paymentsApi, webFrontend],
    });
    await confirm(operationIdOf(change));
    harness.emulator.clearRequests();

    // Act
    const run = confirm(operationIdOf(preview));

    // Assess
    await expect(run).rejects.toThrow(UserError);
    await expect(run).rejects.toThrow(
      '`ci-deployer` changed since the preview: its access is now `ml-models` (pull), `payments-api` (push), `web-frontend` (push) (was `payments-api` (push), `web-frontend` (push)). Nothing was deleted; run the command again for a fresh preview.',
    );
    expect(vcrChanges(harness)).toEqual([]);
    expect(exists(ciDeployer)).toBe(true);
    expect((await harness.operations.get(operationIdOf(preview)))?.status).toBe('failed');
  });

  it('refuses the click when an access level changed after the preview', async () => {
    // Prepare
    const preview = await runText(harness, 'user delete ci-deployer');
    const user = harness.emulator.state.users.find((candidate) => candidate.uuid === ciDeployer);
    if (user) user.permissions[0] = { repoId: paymentsApi, policyIds: [pullPolicy] };

    // Act
    const run = confirm(operationIdOf(preview));

    // Assess
    await expect(run).rejects.toThrow('its access is now `payments-api` (pull), `web-frontend` (push)');
    expect(exists(ciDeployer)).toBe(true);
  });

  it('refuses the click when the user is already gone', async () => {
    // Prepare
    const preview = await runText(harness, 'user delete ci-deployer');
    const { users } = harness.emulator.state;
    users.splice(
      users.findIndex((user) => user.uuid === ciDeployer),
      1,
    );
    harness.emulator.clearRequests();

    // Act
    const run = confirm(operationIdOf(preview));

    // Assess
    await expect(run).rejects.toThrow('Repository user `ci-deployer` no longer exists; nothing was deleted.');
    expect(vcrChanges(harness)).toEqual([]);
  });

  it('deletes nothing when the preview is cancelled', async () => {
    // Prepare
    const preview = await runText(harness, 'user delete ci-deployer');

    // Act
    const cancelled = await decideAs(harness, operationIdOf(preview), 'cancel');
    const late = await confirm(operationIdOf(preview));

    // Assess
    expect(cancelled.parts.map((part) => (part.type === 'text' ? mrkdwn(part.text) : part))).toEqual([
      'Cancelled by <@U0OPERATOR>: delete repository user `ci-deployer`. Nothing was changed.',
    ]);
    expect(mrkdwn(late.text)).toBe('This request was cancelled by <@U0OPERATOR>; nothing was changed.');
    expect(vcrChanges(harness)).toEqual([]);
    expect(exists(ciDeployer)).toBe(true);
  });

  it('says no such user exists and creates no request when the user is unknown', async () => {
    // Act
    const run = runText(harness, 'user delete ghost-robot');

    // Assess
    await expect(run).rejects.toThrow('No repository user named `ghost-robot`.');
    expect(harness.operations.items.size).toBe(0);
  });
});
