import { seedIds } from '../../../local/emulator/seed';
import { parseCommandText } from '../../../src/commands/registry';
import { searchUserOptions } from '../../../src/commands/user/user-options';
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
  vcrCalls,
} from '../../support/command-harness';
import { mrkdwn } from '../../support/mrkdwn';
import { formFor } from '../../support/user-harness';

const { paymentsApi, webFrontend, mlModels, sandboxTmp } = seedIds.repositories;
const { ciDeployer, qaReader, legacyPuller } = seedIds.users;
const { pull, push } = seedIds.policies;

describe('repo attach and repo detach', () => {
  let harness: CommandHarness;

  beforeEach(async () => {
    harness = await startCommandHarness();
  });

  afterEach(() => harness.close());

  const permissionsOf = (userId: string) =>
    harness.emulator.state.users.find((user) => user.uuid === userId)?.permissions ?? [];
  const changes = () => vcrCalls(harness).filter((call) => !call.startsWith('GET'));

  describe('repo attach', () => {
    it('grants push through the complete permission list and keeps the other repositories when the user has none there', async () => {
      // Act
      const reply = await runText(harness, 'repo attach ml-models ci-deployer push');

      // Assess
      expect(permissionsOf(ciDeployer)).toEqual([
        { repoId: paymentsApi, policyIds: [pull, push] },
        { repoId: webFrontend, policyIds: [pull, push] },
        { repoId: mlModels, policyIds: [pull, push] },
      ]);
      expect(changes()).toEqual([`PUT /v1/user/${ciDeployer}/permission`]);
      expect(harness.emulator.requests.find((request) => request.method === 'PUT')?.body).toEqual({
        repoUserId: ciDeployer,
        permissionRequestList: [
          { repoId: paymentsApi, policyIdList: [pull, push] },
          { repoId: webFrontend, policyIdList: [pull, push] },
          { repoId: mlModels, policyIdList: [pull, push] },
        ],
      });
      expect(reply.text).toBe(
        '`ci-deployer` (`10001234-ci-deployer`) now has push access to `ml-models` (had no access before).',
      );
      expect(partsOf(reply, 'context')[0]?.text).toBe(
        'Elsewhere, unchanged: `payments-api` (push), `web-frontend` (push).',
      );
      expect(mrkdwn(reply.notify)).toBe(
        '<@U0OPERATOR> gave `ci-deployer` push access to `ml-models` (had no access before)',
      );
    });

    it('raises pull to push and says what it was when the user could only pull', async () => {
      // Act
      const reply = await runText(harness, 'repo attach payments-api qa-reader push');

      // Assess
      expect(permissionsOf(qaReader)).toEqual([
        { repoId: mlModels, policyIds: [pull] },
        { repoId: paymentsApi, policyIds: [pull, push] },
      ]);
      expect(mrkdwn(reply.notify)).toBe('<@U0OPERATOR> gave `qa-reader` push access to `payments-api` (was pull)');
    });

    it('sends pull and push instead of the "All" policy the user holds elsewhere when access is granted', async () => {
      // Prepare: vCR answers 500 to a list naming "All" (docs/vcr-api.md#permissions), as the emulator does.
      const user = harness.emulator.state.users.find((candidate) => candidate.uuid === ciDeployer);
      if (!user) throw new Error('seed changed: ci-deployer is missing');
      user.permissions = [{ repoId: webFrontend, policyIds: [seedIds.policies.all] }];

      // Act
      const reply = await runText(harness, 'repo attach ml-models ci-deployer pull');

      // Assess
      expect(harness.emulator.requests.find((request) => request.method === 'PUT')?.body).toEqual({
        repoUserId: ciDeployer,
        permissionRequestList: [
          { repoId: mlModels, policyIdList: [pull] },
          { repoId: webFrontend, policyIdList: [pull, push] },
        ],
      });
      expect(permissionsOf(ciDeployer)).toEqual([
        { repoId: mlModels, policyIds: [pull] },
        { repoId: webFrontend, policyIds: [pull, push] },
      ]);
      expect(mrkdwn(reply.notify)).toBe(
        '<@U0OPERATOR> gave `ci-deployer` pull access to `ml-models` (had no access before)',
      );
    });

    it('grants access again when the user was detached from the repository before', async () => {
      // Prepare: a detach makes vCR answer 500 to a later attach on that repository (docs/vcr-api.md#permissions).
      const user = harness.emulator.state.users.find((candidate) => candidate.uuid === qaReader);
      if (!user) throw new Error('seed changed: qa-reader is missing');
      user.permissions = user.permissions.filter((permission) => permission.repoId !== paymentsApi);
      user.detachedRepoIds.push(paymentsApi);

      // Act
      const reply = await runText(harness, 'repo attach payments-api qa-reader pull');

      // Assess
      expect(mrkdwn(reply.notify)).toBe(
        '<@U0OPERATOR> gave `qa-reader` pull access to `payments-api` (had no access before)',
      );
      expect(permissionsOf(qaReader)).toContainEqual({ repoId: paymentsApi, policyIds: [pull] });
    });

    it('changes nothing when the user already has that access', async () => {
      // Act
      const reply = await runText(harness, 'repo attach payments-api ci-deployer push');

      // Assess
      expect(reply.text).toBe('`ci-deployer` already has push access to `payments-api`; nothing changed.');
      expect(reply.notify).toBeUndefined();
      expect(changes()).toEqual([]);
    });

    it.each([
      [
        'disabled',
        legacyPuller,
        ':warning: `legacy-puller` is disabled, so it cannot log in with this access until `/vcr user enable legacy-puller`.',
      ],
      [
        'expired',
        qaReader,
        ':warning: `qa-reader` expired 2025-05-02 00:00 UTC, so it cannot log in with this access until its expiry is moved with `/vcr user update qa-reader`.',
      ],
    ])('warns that a %s user cannot log in when access is granted to it', async (_, userId, warning) => {
      // Act
      const reply = await runText(harness, `repo attach sandbox-tmp ${userId} pull`);

      // Assess
      expect(partsOf(reply, 'text')[1]?.text).toBe(warning);
      expect(permissionsOf(userId)).toContainEqual({ repoId: sandboxTmp, policyIds: [pull] });
    });

    it('gives no warning when the user can log in', async () => {
      // Act
      const reply = await runText(harness, 'repo attach sandbox-tmp ci-deployer pull');

      // Assess
      expect(allText(reply)).not.toContain(':warning:');
    });

    it('refuses without calling vCR when the access is neither pull nor push', async () => {
      // Act
      const act = () => parseCommandText('repo attach payments-api qa-reader admin');

      // Assess
      expect(act).toThrow('Access is `pull` or `push`, not `admin`.');
      expect(vcrCalls(harness)).toEqual([]);
    });

    it('opens a form with a user picker and a pull or push choice, the repository fixed, when only REPO is typed', async () => {
      // Act
      const form = await formFor(harness, 'repo attach payments-api');

      // Assess
      expect(form).toEqual({
        title: 'Attach a user',
        submit: 'Attach',
        command: 'repo.attach',
        fixedArgs: { repo: paymentsApi },
        fields: [
          {
            kind: 'user',
            name: 'user',
            label: 'Repository user to give access to payments-api',
            hint: 'Its access to other repositories stays as it is.',
          },
          {
            kind: 'select',
            name: 'access',
            label: 'Access',
            options: [
              { value: 'pull', text: 'Pull: read images' },
              { value: 'push', text: 'Push: pull and push images' },
            ],
          },
        ],
      });
      expect(changes()).toEqual([]);
    });

    it('opens the form with the typed user picked when the access is missing', async () => {
      // Act
      const form = await formFor(harness, 'repo attach payments-api qa-reader');

      // Assess
      expect(form?.fields[0]).toMatchObject({
        kind: 'user',
        initial: { value: `qa-reader@${qaReader}`, text: 'qa-reader (10001234-qa-reader)' },
      });
      expect(form?.fields[1]).not.toHaveProperty('initial');
    });

    it('opens the form with the access chosen when only REPO and the access are typed', async () => {
      // Act
      const form = await formFor(harness, 'repo attach payments-api PUSH');

      // Assess
      expect(parseCommandText('repo attach payments-api PUSH').args).toEqual({ repo: 'payments-api', access: 'push' });
      expect(form?.fields[0]).not.toHaveProperty('initial');
      expect(form?.fields[1]).toMatchObject({ kind: 'select', initial: 'push' });
    });

    it('opens no form and calls nothing when the user and the access are typed', async () => {
      // Act
      const form = await formFor(harness, 'repo attach payments-api qa-reader pull');

      // Assess
      expect(form).toBeUndefined();
      expect(vcrCalls(harness)).toEqual([]);
    });

    it('says the user is unknown at once when the form is asked for with an unknown user', async () => {
      // Act
      const act = formFor(harness, 'repo attach payments-api nobody-here');

      // Assess
      await expect(act).rejects.toThrow('No repository user named `nobody-here`.');
    });

    it('grants the access when the form submits the picked user id and the access', async () => {
      // Act
      const reply = await runArgs(harness, 'repo.attach', { repo: paymentsApi, user: legacyPuller, access: 'pull' });

      // Assess
      expect(reply.text).toBe(
        '`legacy-puller` (`10001234-legacy-puller`) now has pull access to `payments-api` (had no access before).',
      );
      expect(permissionsOf(legacyPuller)).toContainEqual({ repoId: paymentsApi, policyIds: [pull] });
    });

    it('finds the picked user with one list filtered by its name when the form submits a pick', async () => {
      // Prepare
      const [picked] = await searchUserOptions(harness.context().vcr, 'legacy', 50);
      harness.emulator.clearRequests();

      // Act
      const reply = await runArgs(harness, 'repo.attach', { repo: paymentsApi, user: picked?.value, access: 'pull' });

      // Assess
      expect(mrkdwn(reply.notify)).toBe(
        '<@U0OPERATOR> gave `legacy-puller` pull access to `payments-api` (had no access before)',
      );
      expect(vcrCalls(harness, { query: true }).filter((call) => call.startsWith('GET /v1/user?'))).toEqual([
        'GET /v1/user?name=legacy-puller&page=1&size=100',
      ]);
    });

    it.each([
      ['user', { repo: paymentsApi, access: 'pull' }, 'Name a repository user: its name, backend name or id.'],
      ['access', { repo: paymentsApi, user: qaReader }, 'Choose the access: `pull` or `push` (push includes pull).'],
      ['access', { repo: paymentsApi, user: qaReader, access: 'admin' }, 'Access is `pull` or `push`, not `admin`.'],
    ])(
      'refuses on the %s field without calling vCR when a submit lacks it or has it wrong',
      async (field, args, message) => {
        // Act
        const act = runArgs(harness, 'repo.attach', args);

        // Assess
        await expect(act).rejects.toMatchObject({ name: 'UserError', field, message });
        expect(vcrCalls(harness)).toEqual([]);
      },
    );

    it('names the missing access without calling vCR when it is typed where no form opens', async () => {
      // Act
      const act = runText(harness, 'repo attach payments-api qa-reader');

      // Assess
      await expect(act).rejects.toThrow('Choose the access: `pull` or `push` (push includes pull).');
      expect(vcrCalls(harness)).toEqual([]);
    });

    it('says the user is unknown when it is', async () => {
      // Act
      const act = runText(harness, 'repo attach payments-api nobody-here pull');

      // Assess
      await expect(act).rejects.toThrow('No repository user named `nobody-here`.');
      expect(changes()).toEqual([]);
    });

    it('says the repository is unknown when it is', async () => {
      // Act
      const act = runText(harness, 'repo attach no-such-repo qa-reader pull');

      // Assess
      await expect(act).rejects.toThrow('No repository named `no-such-repo`.');
      expect(changes()).toEqual([]);
    });
  });

  describe('a user whose permission list vCR sent incomplete', () => {
    type Page = { listData: Record<string, unknown>[] };
    /** Makes every user list answer its real page with each user passed through `change`. */
    const rewriteUsers = (change: (user: Record<string, unknown>) => Record<string, unknown>) =>
      harness.emulator.inject({
        method: 'GET',
        path: '/v1/user',
        rewrite: (page) => ({ ...(page as Page), listData: (page as Page).listData.map(change) }),
      });

    it.each([
      [
        'missing',
        ({ repoPermissionList: _, ...user }: Record<string, unknown>) => user,
        'it sent no list of its repositories',
      ],
      [
        'null',
        (user: Record<string, unknown>) => ({ ...user, repoPermissionList: null }),
        'it sent no list of its repositories',
      ],
      [
        'shorter than numberOfRepo',
        (user: Record<string, unknown>) => ({
          ...user,
          repoPermissionList: (user.repoPermissionList as unknown[]).slice(0, 1),
        }),
        'it says 2 repositories but lists 1',
      ],
      [
        'holding an entry without its policies',
        (user: Record<string, unknown>) => ({
          ...user,
          repoPermissionList: (user.repoPermissionList as Record<string, unknown>[]).map((entry) => ({
            ...entry,
            policyDtoList: null,
          })),
        }),
        'an entry of its list names no repository or access',
      ],
    ])('refuses to replace the list and changes nothing when it is %s', async (_, change, problem) => {
      // Prepare
      rewriteUsers(change);
      const before = structuredClone(permissionsOf(ciDeployer));

      // Act
      const attach = await runText(harness, 'repo attach ml-models ci-deployer pull').catch((error: unknown) => error);
      const permissions = await runArgs(harness, 'user.permissions', {
        user: ciDeployer,
        userName: 'ci-deployer',
        pull: [mlModels],
        push: [paymentsApi, webFrontend],
      }).catch((error: unknown) => error);

      // Assess
      for (const refusal of [attach, permissions]) {
        expect(refusal).toBeInstanceOf(UserError);
        expect((refusal as UserError).message).toContain(
          `vCR's answer about \`ci-deployer\` does not hold all of its access (${problem}), so nothing was changed`,
        );
        expect((refusal as UserError).message).toMatch(/ref `[0-9a-f]{8}`/);
      }
      expect(changes()).toEqual([]);
      expect(permissionsOf(ciDeployer)).toEqual(before);
    });

    it('replaces the list as usual when the list and numberOfRepo agree', async () => {
      // Prepare
      rewriteUsers((user) => ({ ...user }));

      // Act
      await runText(harness, 'repo attach ml-models ci-deployer pull');

      // Assess
      expect(
        permissionsOf(ciDeployer)
          .map((permission) => permission.repoId)
          .sort(),
      ).toEqual([paymentsApi, webFrontend, mlModels].sort());
    });
  });

  describe('repo detach', () => {
    it('opens a form with a user picker, the repository fixed, when only REPO is typed', async () => {
      // Act
      const form = await formFor(harness, 'repo detach payments-api');

      // Assess
      expect(form).toEqual({
        title: 'Detach a user',
        submit: 'Preview',
        command: 'repo.detach',
        fixedArgs: { repo: paymentsApi },
        fields: [
          {
            kind: 'user',
            name: 'user',
            label: 'Repository user to remove from payments-api',
            hint: 'Nothing changes yet: the next step shows what it loses, with a Detach button.',
          },
        ],
      });
      expect(changes()).toEqual([]);
    });

    it('opens no form when the user is typed', async () => {
      // Act
      const form = await formFor(harness, 'repo detach payments-api qa-reader');

      // Assess
      expect(form).toBeUndefined();
    });

    it('previews the picked user and changes nothing when the form is submitted', async () => {
      // Act
      const reply = await runArgs(harness, 'repo.detach', { repo: paymentsApi, user: `qa-reader@${qaReader}` });

      // Assess
      expect(allText(reply)).toContain('pull (goes)');
      expect(operationIdOf(reply)).toEqual(expect.any(String));
      expect(changes()).toEqual([]);
    });

    it('previews the access that goes and what the user keeps, changing nothing, when typed', async () => {
      // Act
      const reply = await runText(harness, 'repo detach payments-api qa-reader');

      // Assess
      expect(partsOf(reply, 'fields')[0]?.fields).toEqual([
        { label: 'User', value: 'qa-reader (`10001234-qa-reader`)' },
        { label: 'Access on payments-api', value: 'pull (goes)' },
        { label: 'Keeps elsewhere', value: '`ml-models` (pull)' },
        { label: 'State', value: 'enabled' },
      ]);
      expect(actionsOf(reply).map((action) => [action.label, action.style, action.decision?.choice])).toEqual([
        ['Detach qa-reader', 'danger', 'confirm'],
        ['Cancel', undefined, 'cancel'],
      ]);
      expect(actionsOf(reply)[0]?.confirm?.text).toBe(
        'qa-reader loses its pull access to payments-api. It keeps: ml-models (pull).',
      );
      expect((await harness.operations.get(operationIdOf(reply)))?.pin).toEqual({
        repoId: paymentsApi,
        repoName: 'payments-api',
        repoUserId: qaReader,
        userName: 'qa-reader',
        access: 'pull',
        policyIds: [pull],
      });
      expect(changes()).toEqual([]);
      expect(permissionsOf(qaReader)).toContainEqual({ repoId: paymentsApi, policyIds: [pull] });
    });

    it('reads the user again among those of its name, not over every user, when the preview is confirmed', async () => {
      // Prepare
      const preview = await runText(harness, 'repo detach payments-api qa-reader');
      harness.emulator.clearRequests();

      // Act
      await decideAs(harness, operationIdOf(preview), 'confirm');

      // Assess
      expect(vcrCalls(harness, { query: true }).filter((call) => call.startsWith('GET /v1/user?'))).toEqual([
        'GET /v1/user?name=qa-reader&page=1&size=100',
      ]);
      expect(permissionsOf(qaReader).map((permission) => permission.repoId)).toEqual([mlModels]);
    });

    it('detaches exactly once when the preview is confirmed twice', async () => {
      // Prepare
      const preview = await runText(harness, 'repo detach payments-api qa-reader');

      // Act
      const first = await decideAs(harness, operationIdOf(preview), 'confirm');
      const second = await decideAs(harness, operationIdOf(preview), 'confirm');

      // Assess
      expect(first.text).toBe('Detached `qa-reader` from `payments-api`: its pull access there is gone.');
      expect(mrkdwn(first.notify)).toBe('<@U0OPERATOR> detached `qa-reader` from `payments-api` (had pull)');
      expect(second.text).toBe(first.text);
      expect(allText(second)).toContain('This was already done by <@U0OPERATOR>; it runs only once.');
      expect(second.notify).toBeUndefined();
      expect(permissionsOf(qaReader)).toEqual([{ repoId: mlModels, policyIds: [pull] }]);
      expect(changes()).toEqual([`PUT /v1/repository/${paymentsApi}/detach`]);
    });

    it('keeps the access when Cancel is clicked', async () => {
      // Prepare
      const preview = await runText(harness, 'repo detach payments-api qa-reader');

      // Act
      const reply = await decideAs(harness, operationIdOf(preview), 'cancel');

      // Assess
      expect(reply.text).toBe('Cancelled: detach `qa-reader` from `payments-api` (pull access)');
      expect(permissionsOf(qaReader)).toContainEqual({ repoId: paymentsApi, policyIds: [pull] });
      expect(changes()).toEqual([]);
    });

    it('refuses and shows the new access when it changed between preview and confirm', async () => {
      // Prepare
      const preview = await runText(harness, 'repo detach payments-api qa-reader');
      await runText(harness, 'repo attach payments-api qa-reader push');
      harness.emulator.clearRequests();

      // Act
      const act = decideAs(harness, operationIdOf(preview), 'confirm');

      // Assess
      await expect(act).rejects.toThrow(
        'The access of `qa-reader` to `payments-api` changed since the preview: it is now push (was pull). ' +
          'Nothing was changed; run the command again for a fresh preview.',
      );
      expect(permissionsOf(qaReader)).toContainEqual({ repoId: paymentsApi, policyIds: [pull, push] });
      expect(changes()).toEqual([]);
    });

    it('refuses when the access is already gone at the click', async () => {
      // Prepare
      const preview = await runText(harness, 'repo detach payments-api qa-reader');
      const user = harness.emulator.state.users.find((candidate) => candidate.uuid === qaReader);
      if (user) user.permissions = user.permissions.filter((permission) => permission.repoId !== paymentsApi);

      // Act
      const act = decideAs(harness, operationIdOf(preview), 'confirm');

      // Assess
      await expect(act).rejects.toThrow('`qa-reader` no longer has access to `payments-api`');
      expect(changes()).toEqual([]);
    });

    it('attaches the user again when it was detached by a confirmed detach', async () => {
      // Prepare
      const preview = await runText(harness, 'repo detach payments-api qa-reader');
      await decideAs(harness, operationIdOf(preview), 'confirm');

      // Act
      const reply = await runText(harness, 'repo attach payments-api qa-reader pull');

      // Assess
      expect(mrkdwn(reply.notify)).toContain('gave `qa-reader` pull access to `payments-api`');
      expect(permissionsOf(qaReader)).toContainEqual({ repoId: paymentsApi, policyIds: [pull] });
    });

    it('says there is nothing to detach when the user has no access there', async () => {
      // Act
      const act = runText(harness, 'repo detach sandbox-tmp qa-reader');

      // Assess
      await expect(act).rejects.toThrow('`qa-reader` has no access to `sandbox-tmp`; there is nothing to detach.');
      expect(harness.operations.items.size).toBe(0);
    });

    it('names the missing user on its field, changing nothing, when a run without the form has none', async () => {
      // Act
      const act = runArgs(harness, 'repo.detach', { repo: paymentsApi });

      // Assess
      await expect(act).rejects.toMatchObject({ name: 'UserError', field: 'user' });
      expect(changes()).toEqual([]);
    });

    it('says the user is unknown when it is', async () => {
      // Act
      const act = runText(harness, 'repo detach payments-api nobody-here');

      // Assess
      await expect(act).rejects.toThrow('No repository user named `nobody-here`.');
    });
  });
});
