import { seedIds } from '../../../local/emulator/seed';
import { findCommandById } from '../../../src/commands/registry';
import { type CommandHarness, startCommandHarness } from '../../support/command-context';
import { runArgs, vcrChanges } from '../../support/command-harness';
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

  it('sends the complete desired set and shows before and after when the form is submitted', async () => {
    // Act
    const reply = await runArgs(harness, 'user.permissions', {
      user: ciDeployer,
      pull: [paymentsApi],
      push: [mlModels],
    });

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
    expect(mrkdwn(reply.notify)).toBe(
      '<@U0OPERATOR> changed the permissions of repository user `ci-deployer`: `ml-models`: no access → push; `payments-api`: push → pull; `web-frontend`: push → no access',
    );
  });

  it('lists the unchanged repositories apart when only some change', async () => {
    // Act
    const reply = await runArgs(harness, 'user.permissions', {
      user: qaReader,
      pull: [paymentsApi, mlModels],
      push: [sandboxTmp],
    });

    // Assess
    expect(reply.text).toBe('Changed the permissions of repository user `qa-reader`: `sandbox-tmp`: no access → push.');
    expect(reply.parts[1]).toEqual({ type: 'context', text: 'Unchanged: `ml-models` (pull), `payments-api` (pull)' });
  });

  it('changes nothing when the submitted set is the current one', async () => {
    // Act
    const reply = await runArgs(harness, 'user.permissions', {
      user: ciDeployer,
      pull: [],
      push: [webFrontend, paymentsApi],
    });

    // Assess
    expect(reply.text).toBe('`ci-deployer` already has exactly this access; nothing changed.');
    expect(reply.notify).toBeUndefined();
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
