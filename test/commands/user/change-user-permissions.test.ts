import { seedIds } from '../../../local/emulator/seed';
import { findCommandById } from '../../../src/commands/registry';
import { type CommandHarness, startCommandHarness } from '../../support/command-context';
import { actionsOf, allText, decideAs, operationIdOf, runArgs, vcrChanges } from '../../support/command-harness';
import { mrkdwn } from '../../support/mrkdwn';
import { formFor } from '../../support/user-harness';

const { ciDeployer, qaReader } = seedIds.users;
const { paymentsApi, webFrontend, mlModels, sandboxTmp } = seedIds.repositories;
const { pull: pullPolicy, push: pushPolicy } = seedIds.policies;

describe('user permissions', () => {
  let harness: CommandHarness;

  beforeEach(async () => {
    harness = await startCommandHarness();
    harness.emulator.clearRequests();
  });

  afterEach(() => harness.close());

  const permissionsOf = (uuid: string) => harness.emulator.state.users.find((user) => user.uuid === uuid)?.permissions;

  it('opens the form prefilled with the current pull and push repositories when typed', async () => {
    // Act
    const form = await formFor(harness, 'user permissions qa-reader');

    // Assess
    expect(form).toMatchObject({ command: 'user.permissions', fixedArgs: { user: qaReader } });
    expect(form?.fields).toEqual([
      expect.objectContaining({
        kind: 'repositories',
        name: 'pull',
        multiple: true,
        initial: [
          { value: mlModels, text: 'ml-models' },
          { value: paymentsApi, text: 'payments-api' },
        ],
      }),
      expect.objectContaining({ kind: 'repositories', name: 'push', multiple: true, initial: [] }),
    ]);
    expect(vcrChanges(harness)).toEqual([]);
  });

  it('previews what is removed, lowered and added, and changes nothing, when the form is submitted', async () => {
    // Act
    const preview = await runArgs(harness, 'user.permissions', {
      user: ciDeployer,
      pull: [paymentsApi],
      push: [mlModels],
    });

    // Assess
    expect(allText(preview)).toContain(
      [
        '`ml-models`: no access → push',
        '`payments-api`: push → pull (push goes)',
        '`web-frontend`: push → no access (goes)',
      ].join('\n'),
    );
    expect(actionsOf(preview)).toEqual([
      {
        label: 'Apply to ci-deployer',
        style: 'danger',
        decision: { operationId: operationIdOf(preview), command: 'user.permissions', choice: 'confirm' },
        confirm: {
          title: 'Change the access of ci-deployer?',
          text: 'ci-deployer loses: payments-api: push → pull; web-frontend: push → no access. It gains: ml-models: no access → push.',
          confirm: 'Apply',
          deny: 'Keep as is',
        },
      },
      {
        label: 'Cancel',
        decision: { operationId: operationIdOf(preview), command: 'user.permissions', choice: 'cancel' },
      },
    ]);
    expect(vcrChanges(harness)).toEqual([]);
    expect(permissionsOf(ciDeployer)).toHaveLength(2);
  });

  it('sends the complete desired set and shows the card with its buttons when the preview is confirmed', async () => {
    // Prepare
    const preview = await runArgs(harness, 'user.permissions', {
      user: ciDeployer,
      pull: [paymentsApi],
      push: [mlModels],
    });

    // Act
    const reply = await decideAs(harness, operationIdOf(preview), 'confirm');

    // Assess
    const sent = harness.emulator.requests.filter((request) => request.method === 'PUT').map((request) => request.body);
    expect(sent).toEqual([
      {
        repoUserId: ciDeployer,
        permissionRequestList: [
          { repoId: paymentsApi, policyIdList: [pullPolicy] },
          { repoId: mlModels, policyIdList: [pullPolicy, pushPolicy] },
        ],
      },
    ]);
    expect(permissionsOf(ciDeployer)).toEqual([
      { repoId: paymentsApi, policyIds: [pullPolicy] },
      { repoId: mlModels, policyIds: [pullPolicy, pushPolicy] },
    ]);
    expect(reply.parts[0]).toEqual({
      type: 'text',
      text: [
        'Changed the permissions of repository user `ci-deployer`:',
        '`ml-models`: no access → push',
        '`payments-api`: push → pull',
        '`web-frontend`: push → no access',
      ].join('\n'),
    });
    expect(actionsOf(reply).map((action) => action.label)).toEqual([
      'Edit',
      'Permissions',
      'Disable',
      'New secret',
      'Delete',
    ]);
    expect(mrkdwn(reply.notify)).toBe(
      '<@U0OPERATOR> changed the permissions of repository user `ci-deployer`: `ml-models`: no access → push; `payments-api`: push → pull; `web-frontend`: push → no access',
    );
  });

  it('asks for a plain Apply, not a red button, when the submit only adds access', async () => {
    // Act
    const preview = await runArgs(harness, 'user.permissions', {
      user: qaReader,
      pull: [paymentsApi, mlModels],
      push: [sandboxTmp],
    });

    // Assess
    const [apply] = actionsOf(preview);
    expect(apply).toMatchObject({
      label: 'Apply to qa-reader',
      style: 'primary',
      confirm: { text: 'qa-reader gains: sandbox-tmp: no access → push. It loses nothing.' },
    });
    expect(allText(preview)).toContain('Unchanged: `ml-models` (pull), `payments-api` (pull).');
  });

  it('warns in the preview that an expired user cannot log in with the access it gains', async () => {
    // Act
    const preview = await runArgs(harness, 'user.permissions', {
      user: qaReader,
      pull: [paymentsApi, mlModels, webFrontend],
      push: [],
    });

    // Assess
    expect(allText(preview)).toContain(
      ':warning: `qa-reader` expired 2025-05-02 00:00 UTC, so it cannot log in with this access until its expiry is moved with `/vcr user update qa-reader`.',
    );
  });

  it('refuses the click and changes nothing when the access changed after the preview', async () => {
    // Prepare
    const preview = await runArgs(harness, 'user.permissions', { user: qaReader, pull: [paymentsApi], push: [] });
    permissionsOf(qaReader)?.push({ repoId: webFrontend, policyIds: [pullPolicy] });

    // Act
    const click = decideAs(harness, operationIdOf(preview), 'confirm');

    // Assess
    await expect(click).rejects.toThrow(
      'The access of `qa-reader` changed since the preview: it is now `ml-models` (pull), `payments-api` (pull), `web-frontend` (pull)',
    );
    expect(vcrChanges(harness)).toEqual([]);
  });

  it('refuses a repository under both pull and push on the push field without calling vCR', async () => {
    // Act
    const check = () =>
      findCommandById('user.permissions')?.validate?.({ user: ciDeployer, pull: [mlModels], push: [mlModels] });

    // Assess
    expect(check).toThrow(
      'A repository is chosen under both Pull and Push. Push includes pull: keep it under Push only.',
    );
    await expect(
      runArgs(harness, 'user.permissions', { user: ciDeployer, pull: [mlModels], push: [mlModels] }),
    ).rejects.toMatchObject({ field: 'push' });
    expect(harness.emulator.requests).toEqual([]);
  });

  it('names the field of a repository that does not exist and changes nothing', async () => {
    // Act
    const run = runArgs(harness, 'user.permissions', {
      user: ciDeployer,
      pull: ['repo-00000000-0000-4000-a000-000000000000'],
      push: [],
    });

    // Assess
    await expect(run).rejects.toMatchObject({ name: 'UserError', field: 'pull' });
    expect(vcrChanges(harness)).toEqual([]);
    expect(permissionsOf(ciDeployer)).toHaveLength(2);
  });

  it('says no such user exists when the user is unknown', async () => {
    // Act
    const run = runArgs(harness, 'user.permissions', { user: 'ghost-robot', pull: [mlModels], push: [] });

    // Assess
    await expect(run).rejects.toThrow('No repository user named `ghost-robot`.');
    expect(vcrChanges(harness)).toEqual([]);
  });
});
