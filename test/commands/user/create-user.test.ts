import { seedIds } from '../../../local/emulator/seed';
import { findCommandById, parseCommandText } from '../../../src/commands/registry';
import { UserError } from '../../../src/errors';
import { type CommandHarness, startCommandHarness } from '../../support/command-context';
import { actionsOf, allText, runArgs, runText, vcrCalls, vcrChanges } from '../../support/command-harness';
import { mrkdwn } from '../../support/mrkdwn';
import { formFor, publicPartOf, userIdOf } from '../../support/user-harness';

const { paymentsApi, mlModels, webFrontend } = seedIds.repositories;
const { pull: pullPolicy, push: pushPolicy } = seedIds.policies;
const nameRule = 'User names are 6 to 14 characters: letters, digits, `_` and `-`, starting with a letter or digit.';

describe('user create', () => {
  let harness: CommandHarness;

  beforeEach(async () => {
    harness = await startCommandHarness();
    harness.emulator.clearRequests();
  });

  afterEach(() => harness.close());

  const validate = (args: Record<string, string | string[] | number | undefined>) => () =>
    findCommandById('user.create')?.validate?.(args);

  describe('the form', () => {
    it('opens the form with the naming rule and no vCR call when typed without a name', async () => {
      // Act
      const form = await formFor(harness, 'user create');

      // Assess
      expect(form).toMatchInlineSnapshot(`
{
  "command": "user.create",
  "fields": [
    {
      "hint": "User names are 6 to 14 characters: letters, digits, \`_\` and \`-\`, starting with a letter or digit.",
      "kind": "text",
      "label": "Name",
      "maxLength": 14,
      "name": "name",
    },
    {
      "kind": "text",
      "label": "Description",
      "name": "description",
      "optional": true,
    },
    {
      "hint": "Leave blank for a user that never expires.",
      "kind": "number",
      "label": "Expires after (days)",
      "min": 1,
      "name": "days",
      "optional": true,
    },
    {
      "hint": "Repositories it may pull images from.",
      "kind": "repositories",
      "label": "Pull only from",
      "multiple": true,
      "name": "pull",
      "optional": true,
    },
    {
      "hint": "Push includes pull; choose at least one repository in either list.",
      "kind": "repositories",
      "label": "Push to (and pull from)",
      "multiple": true,
      "name": "push",
      "optional": true,
    },
  ],
  "submit": "Create",
  "title": "New repository user",
}
`);
      expect(harness.emulator.requests).toEqual([]);
    });

    it('opens the form prefilled with the name when typed with a valid name and no repositories', async () => {
      // Act
      const form = await formFor(harness, 'user create build-bot');

      // Assess
      expect(form?.fields[0]).toMatchObject({ name: 'name', initial: 'build-bot' });
      expect(harness.emulator.requests).toEqual([]);
    });

    it('refuses an invalid typed name with the rule and no vCR call', () => {
      // Act
      const typed = () => parseCommandText('user create x!');

      // Assess
      expect(typed).toThrow(UserError);
      expect(typed).toThrow(`\`x!\` is not a valid user name. ${nameRule}`);
      expect(harness.emulator.requests).toEqual([]);
    });

    it('asks for the repositories instead of creating when run without them', async () => {
      // Act
      const run = runText(harness, 'user create build-bot');

      // Assess
      await expect(run).rejects.toMatchObject({
        message: 'Choose at least one repository to pull from or push to.',
        field: 'pull',
      });
      expect(vcrChanges(harness)).toEqual([]);
    });
  });

  describe('a submitted form', () => {
    const submitted = {
      name: 'build-bot',
      description: 'Nightly builds',
      days: '30',
      pull: [mlModels],
      push: [paymentsApi],
    };

    it('creates the user, finds it by name and sends the secret only to the requester', async () => {
      // Act
      const reply = await runArgs(harness, 'user.create', submitted);

      // Assess
      const created = harness.emulator.requests.find(
        (request) => request.method === 'POST' && request.path === '/v1/user',
      );
      expect(created?.body).toEqual({
        name: 'build-bot',
        description: 'Nightly builds',
        duration: 30,
        permissionRequestList: [
          { repoId: mlModels, policyIdList: [pullPolicy] },
          { repoId: paymentsApi, policyIdList: [pullPolicy, pushPolicy] },
        ],
      });
      const lookups = harness.emulator.requests.filter(
        (request) => request.method === 'GET' && request.path === '/v1/user',
      );
      expect(lookups.map((request) => request.query.name)).toEqual(['build-bot']);
      const userId = userIdOf(harness, 'build-bot');
      const secret = harness.emulator.currentSecret(userId);
      expect(reply.secret).toEqual({
        value: secret,
        title: 'Secret of repository user build-bot',
        lines: [
          'docker login vcr-han.vngcloud.vn -u 10001234-build-bot',
          'docker login vcr.vngcloud.vn -u 10001234-build-bot',
          "This secret of `build-bot` is shown once: vCR cannot show it again. Store it now, e.g. in your CI's secret store.",
        ],
      });
      expect(reply.text).toBe(
        'Created repository user `build-bot` (`10001234-build-bot`) with pull on `ml-models` and push on `payments-api`; it expires in 30 days.',
      );
      expect(allText(reply)).toContain('Repository user build-bot');
      expect(actionsOf(reply)).toEqual([
        { label: 'Manage user', invocation: { command: 'user.show', args: { user: userId, userName: 'build-bot' } } },
      ]);
      expect(mrkdwn(reply.notify)).toBe(
        '<@U0OPERATOR> created repository user `build-bot` (`10001234-build-bot`) with pull on `ml-models` and push on `payments-api`; it expires in 30 days',
      );
      expect(secret).toEqual(expect.any(String));
      expect(publicPartOf(reply)).not.toContain(secret);
      expect(harness.logs.length).toBeGreaterThan(0);
      expect(harness.logs.join('\n')).not.toContain(secret);
    });

    it('creates a user that never expires when the days are blank', async () => {
      // Act
      const reply = await runArgs(harness, 'user.create', { name: 'puller-01', pull: [webFrontend], push: [] });

      // Assess
      const created = harness.emulator.requests.find(
        (request) => request.method === 'POST' && request.path === '/v1/user',
      );
      expect(created?.body).toEqual({
        name: 'puller-01',
        permissionRequestList: [{ repoId: webFrontend, policyIdList: [pullPolicy] }],
      });
      expect(harness.emulator.state.users.find((user) => user.name === 'puller-01')?.expiredAt).toBeNull();
      expect(mrkdwn(reply.notify)).toContain('it never expires');
    });

    it('shows vCR’s refusal when the name is taken', async () => {
      // Act
      const run = runArgs(harness, 'user.create', { ...submitted, name: 'ci-deployer' });

      // Assess
      await expect(run).rejects.toThrow(
        'Could not create repository user `ci-deployer`: vCR said: Repository user ci-deployer already exists.',
      );
    });

    it('names the field of a repository that does not exist and creates nothing', async () => {
      // Act
      const run = runArgs(harness, 'user.create', {
        ...submitted,
        push: ['repo-00000000-0000-4000-a000-000000000000'],
      });

      // Assess
      await expect(run).rejects.toMatchObject({ field: 'push', name: 'UserError' });
      expect(vcrChanges(harness)).toEqual([]);
    });

    it('sends the create once, says the user may exist and how to check, and logs why when vCR answers 500', async () => {
      // Prepare
      harness.emulator.inject({ method: 'POST', path: '/v1/user', status: 500 });

      // Act
      const run = runArgs(harness, 'user.create', submitted);

      // Assess
      await expect(run).rejects.toMatchObject({
        name: 'UserError',
        message:
          'vCR did not confirm the creation of repository user `build-bot`, so it may exist anyway; it was not tried again.',
        hint:
          'Check with `/vcr users build-bot`. If it is listed, run `/vcr user secret build-bot` to get a usable secret ' +
          '(the first one was lost); if not, run `/vcr user create build-bot` again.',
        cause: expect.objectContaining({ name: 'VcrApiError', status: 500 }),
      });
      expect(vcrCalls(harness).filter((call) => call === 'POST /v1/user')).toHaveLength(1);
      const logged = harness.logs.find((line) => line.includes('repository user create not confirmed'));
      expect(logged).toContain('build-bot');
      expect(logged).toContain('VcrApiError');
    });

    it('sends the create once and says the user may exist when the connection drops before vCR answers', async () => {
      // Prepare
      harness.emulator.inject({ method: 'POST', path: '/v1/user', dropConnection: true });

      // Act
      const run = runArgs(harness, 'user.create', submitted);

      // Assess
      await expect(run).rejects.toMatchObject({
        name: 'UserError',
        message: expect.stringContaining('may exist anyway'),
        cause: expect.objectContaining({ name: 'VcrNetworkError' }),
      });
      expect(vcrCalls(harness).filter((call) => call === 'POST /v1/user')).toHaveLength(1);
    });

    it('says the user may exist without a secret and how to get one, and logs it, when vCR answers no secret', async () => {
      // Prepare
      harness.emulator.inject({ method: 'POST', path: '/v1/user', status: 200, body: {} });

      // Act
      const run = runArgs(harness, 'user.create', submitted);

      // Assess
      await expect(run).rejects.toMatchObject({
        name: 'UserError',
        message:
          'vCR said it created repository user `build-bot` but sent no secret back, so the user may exist without a ' +
          'secret anyone has. Run `/vcr user secret build-bot` to make a usable one.',
        hint: 'Check with `/vcr users build-bot` first; if it is not listed, create it again.',
        cause: expect.objectContaining({ name: 'VcrMissingSecretError' }),
      });
      expect(vcrCalls(harness).filter((call) => call === 'POST /v1/user')).toHaveLength(1);
      expect(harness.logs.some((line) => line.includes('repository user created without a secret'))).toBe(true);
    });

    it('quotes vCR and says nothing of a maybe-created user when vCR refuses the create', async () => {
      // Prepare
      harness.emulator.inject({ method: 'POST', path: '/v1/user', status: 400, body: { message: 'Bad duration' } });

      // Act
      const run = runArgs(harness, 'user.create', submitted);

      // Assess
      await expect(run).rejects.toThrow('Could not create repository user `build-bot`: vCR said: Bad duration.');
      expect(harness.logs.some((line) => line.includes('repository user create not confirmed'))).toBe(false);
    });
  });

  describe('validate', () => {
    it.each([
      {
        label: 'a name breaking the rule',
        args: { name: 'ab', pull: [mlModels], push: [] },
        field: 'name',
        message: nameRule,
      },
      {
        label: 'no repository',
        args: { name: 'build-bot', pull: [], push: [] },
        field: 'pull',
        message: 'Choose at least one repository to pull from or push to.',
      },
      {
        label: 'a repository in both lists',
        args: { name: 'build-bot', pull: [mlModels], push: [mlModels] },
        field: 'push',
        message: 'chosen under both Pull and Push',
      },
      {
        label: 'zero days',
        args: { name: 'build-bot', days: '0', pull: [mlModels] },
        field: 'days',
        message: 'The expiry in days must be a whole number of 1 or more, not `0`.',
      },
      {
        label: 'days that are no number',
        args: { name: 'build-bot', days: 'soon', pull: [mlModels] },
        field: 'days',
        message: 'not `soon`',
      },
      {
        label: 'too many days',
        args: { name: 'build-bot', days: '40000', pull: [mlModels] },
        field: 'days',
        message: 'at most 36500 days',
      },
      { label: 'no name', args: { pull: [mlModels] }, field: 'name', message: 'Give the user a name.' },
    ])('refuses $label on the field at fault without calling vCR', async ({ args, field, message }) => {
      // Act
      const check = validate(args);

      // Assess
      expect(check).toThrow(UserError);
      expect(check).toThrow(message);
      let thrown: unknown;
      try {
        check();
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toMatchObject({ field });
      await expect(runArgs(harness, 'user.create', args)).rejects.toMatchObject({ field });
      expect(harness.emulator.requests).toEqual([]);
    });
  });
});
