import { randomUUID } from 'node:crypto';
import { parseCommandText } from '../../../src/commands/registry';
import { prepareInvocation, runInvocation } from '../../../src/commands/runner';
import { createVcrClient } from '../../../src/vcr/client';
import { createTokenProvider } from '../../../src/vcr/token';
import { type CommandHarness, startCommandHarness } from '../../support/command-context';
import { actionsOf, allText, partsOf, runArgs, runText, vcrCalls } from '../../support/command-harness';
import { mrkdwn } from '../../support/mrkdwn';

describe('repo create', () => {
  let harness: CommandHarness;

  beforeEach(async () => {
    harness = await startCommandHarness();
  });

  afterEach(() => harness.close());

  it('creates a public repository with the quota given, and shows its card with every button, when NAME, --public and --quota are given', async () => {
    // Act
    const reply = await runText(harness, 'repo create team-new --public --quota 50');

    // Assess
    expect(createBody(harness)).toEqual({ repoName: 'team-new', isPublic: true, quotaLimit: 50 });
    expect(harness.emulator.state.repositories.find((repo) => repo.name === 'team-new')).toMatchObject({
      isPublic: true,
      quotaLimit: 50,
    });
    expect(partsOf(reply, 'text')[0]?.text).toBe('Created repository `team-new`: public, 50 GB quota.');
    expect(allText(reply)).toContain('docker push vcr.vngcloud.vn/10001234-team-new/<image>:<tag>');
    expect(mrkdwn(reply.notify)).toBe('<@U0OPERATOR> created repository `team-new` (public, 50 GB)');
    const created = harness.emulator.state.repositories.find((repo) => repo.name === 'team-new')!;
    expect(
      actionsOf(reply).map((action) => [action.label, action.invocation?.command, action.invocation?.args]),
    ).toEqual([
      ['Images', 'images.list', { repo: created.uuid }],
      ['Users', 'repo.users', { repo: created.uuid }],
      ['Attach user', 'repo.attach', { repo: created.uuid }],
      ['History', 'repo.history', { repo: created.uuid }],
      ['Change quota', 'repo.quota', { repo: created.uuid }],
      ['Delete', 'repo.delete', { repo: created.uuid }],
    ]);
  });

  it('creates a private repository of 20 GB when only NAME is given', async () => {
    // Act
    const reply = await runText(harness, 'repo create team-private');

    // Assess
    expect(createBody(harness)).toEqual({
      repoName: 'team-private',
      isPublic: false,
      quotaLimit: 20,
    });
    expect(mrkdwn(reply.notify)).toBe('<@U0OPERATOR> created repository `team-private` (private, 20 GB)');
  });

  it.each([
    ['repo create team-units --quota 30GB', false],
    ['repo create team-units --quota 30 GB', false],
    ['repo create --quota 30 GB team-units', false],
    ['repo create team-units --private --quota=30gb', false],
    ['repo create team-units --public --quota 30', true],
  ])('takes `%s` as a 30 GB repository', async (text, isPublic) => {
    // Act
    await runText(harness, text);

    // Assess
    expect(createBody(harness)).toEqual({ repoName: 'team-units', isPublic, quotaLimit: 30 });
  });

  it('refuses --public with --private without calling vCR', () => {
    // Act
    const act = () => parseCommandText('repo create team-both --public --private');

    // Assess
    expect(act).toThrow('Choose one of `--public` and `--private` (private is the default).');
    expect(vcrCalls(harness)).toEqual([]);
  });

  it('opens a form with the naming rule, access and a 20 GB quota when NAME is missing', async () => {
    // Prepare
    const { spec, args } = prepareInvocation(parseCommandText('repo create'));

    // Act
    const form = await spec.form?.({ vcr: harness.context().vcr, actor: harness.context().actor }, args);

    // Assess
    expect(form).toMatchObject({ title: 'New repository', submit: 'Create', command: 'repo.create' });
    expect(form?.fields.map((field) => [field.kind, field.name])).toEqual([
      ['text', 'name'],
      ['select', 'access'],
      ['number', 'quota'],
    ]);
    expect(form?.fields[0]?.hint).toContain('6 to 20 characters');
    expect(form?.fields[2]).toMatchObject({ initial: 20, min: 1 });
    expect(vcrCalls(harness)).toEqual([]);
  });

  it('opens no form when NAME is given', async () => {
    // Prepare
    const { spec, args } = prepareInvocation(parseCommandText('repo create team-new'));

    // Act
    const form = await spec.form?.({ vcr: harness.context().vcr, actor: harness.context().actor }, args);

    // Assess
    expect(form).toBeUndefined();
  });

  it('creates the repository when a form submit sends the quota as text', async () => {
    // Act
    const reply = await runArgs(harness, 'repo.create', { name: 'from-modal', access: 'public', quota: '30' });

    // Assess
    expect(createBody(harness)).toEqual({
      repoName: 'from-modal',
      isPublic: true,
      quotaLimit: 30,
    });
    expect(mrkdwn(reply.notify)).toContain('`from-modal` (public, 30 GB)');
  });

  it('names the rule without calling vCR when the name is invalid', async () => {
    // Act
    const act = () => parseCommandText('repo create Bad_Name');

    // Assess
    expect(act).toThrow(
      '`Bad_Name` is not a valid repository name. Repository names are 6 to 20 characters: lowercase letters, digits, `_` and `-`, starting with a letter or digit.',
    );
    expect(vcrCalls(harness)).toEqual([]);
  });

  it.each([
    ['too short', 'short'],
    ['starting with a dash', '-leading-dash'],
    ['too long', 'a'.repeat(21)],
  ])('refuses on the name field when a form submit sends a name %s', async (_why, name) => {
    // Act
    const act = runArgs(harness, 'repo.create', { name, quota: 20 });

    // Assess
    await expect(act).rejects.toMatchObject({ name: 'UserError', field: 'name' });
    expect(vcrCalls(harness)).toEqual([]);
  });

  it('says the quota must be a whole number when --quota is not a number', async () => {
    // Act
    const act = () => parseCommandText('repo create team-new --quota lots');

    // Assess
    expect(act).toThrow('The quota in GB must be a whole number of 1 or more, not `lots`.');
    expect(vcrCalls(harness)).toEqual([]);
  });

  it('refuses a form quota on the quota field when it is not a number', async () => {
    // Act
    const act = runArgs(harness, 'repo.create', { name: 'team-new', quota: 'abc' });

    // Assess
    await expect(act).rejects.toMatchObject({ name: 'UserError', field: 'quota' });
    expect(vcrCalls(harness)).toEqual([]);
  });

  it('refuses on the access field when access is neither public nor private', async () => {
    // Act
    const act = runArgs(harness, 'repo.create', { name: 'team-new', access: 'open' });

    // Assess
    await expect(act).rejects.toMatchObject({
      field: 'access',
      message: 'Access is `public` or `private`, not `open`.',
    });
  });

  it('shows vCR words when vCR refuses a name that is taken', async () => {
    // Act
    const act = runText(harness, 'repo create payments-api');

    // Assess
    await expect(act).rejects.toThrow(
      'Could not create repository `payments-api`: vCR said: Repository payments-api already exists.',
    );
    expect(harness.emulator.state.repositories.filter((repo) => repo.name === 'payments-api')).toHaveLength(1);
  });

  it('sends the create once, says the repository may exist and how to check, and logs why when vCR answers 500', async () => {
    // Prepare
    harness.emulator.inject({ method: 'POST', path: '/v1/repository', status: 500 });

    // Act
    const act = runText(harness, 'repo create team-new --public --quota 50');

    // Assess
    await expect(act).rejects.toMatchObject({
      name: 'UserError',
      message:
        'vCR did not confirm the creation of repository `team-new`, so it may exist anyway; it was not tried again.',
      hint: 'Check with `/vcr repo team-new`; if it is not there, run `/vcr repo create team-new --public --quota 50` again.',
      cause: expect.objectContaining({ name: 'VcrApiError', status: 500 }),
    });
    expect(createCalls(harness)).toHaveLength(1);
    const logged = harness.logs.filter((line) => line.includes('repository create not confirmed'));
    expect(logged).toHaveLength(1);
    expect(logged[0]).toContain('team-new');
    expect(logged[0]).toContain('U0OPERATOR');
    expect(logged[0]).toContain('VcrApiError');
  });

  it('sends the create once and says the repository may exist when the connection drops before vCR answers', async () => {
    // Prepare
    harness.emulator.inject({ method: 'POST', path: '/v1/repository', dropConnection: true });

    // Act
    const act = runText(harness, 'repo create team-new');

    // Assess
    await expect(act).rejects.toMatchObject({
      name: 'UserError',
      message:
        'vCR did not confirm the creation of repository `team-new`, so it may exist anyway; it was not tried again.',
      hint: 'Check with `/vcr repo team-new`; if it is not there, run `/vcr repo create team-new --quota 20` again.',
      cause: expect.objectContaining({ name: 'VcrNetworkError' }),
    });
    expect(createCalls(harness)).toHaveLength(1);
    expect(harness.logs.filter((line) => line.includes('repository create not confirmed'))).toHaveLength(1);
  });

  it('sends the create once and says the repository may exist when vCR answers after the timeout', async () => {
    // Prepare
    const tokens = createTokenProvider({
      iamUrl: harness.emulator.iamUrl,
      credentials: async () => ({ clientId: harness.emulator.clientId, clientSecret: harness.emulator.clientSecret }),
    });
    // The emulator holds the answer far past the client's timeout, so the timeout always fires first.
    const vcr = createVcrClient({ baseUrl: harness.emulator.url, tokens, timeoutMs: 50, backoffMs: 1 });
    harness.emulator.inject({ method: 'POST', path: '/v1/repository', delayMs: 60_000, times: 1 });

    // Act
    const act = runInvocation({ ...harness.context(), vcr }, parseCommandText('repo create team-new'), {
      key: randomUUID(),
    });

    // Assess
    await expect(act).rejects.toMatchObject({
      name: 'UserError',
      message: expect.stringContaining('so it may exist anyway; it was not tried again.'),
      cause: expect.objectContaining({ name: 'VcrTimeoutError' }),
    });
    expect(createCalls(harness)).toHaveLength(1);
    const logged = harness.logs.filter((line) => line.includes('repository create not confirmed'));
    expect(logged).toHaveLength(1);
    expect(logged[0]).toContain('VcrTimeoutError');
  });

  it('quotes vCR and says nothing of a maybe-created repository when vCR refuses the create with 400', async () => {
    // Prepare
    harness.emulator.inject({
      method: 'POST',
      path: '/v1/repository',
      status: 400,
      body: { message: 'Quota too big' },
    });

    // Act
    const act = runText(harness, 'repo create team-new');

    // Assess
    await expect(act).rejects.toMatchObject({
      name: 'UserError',
      message: 'Could not create repository `team-new`: vCR said: Quota too big.',
      hint: undefined,
    });
    expect(createCalls(harness)).toHaveLength(1);
    expect(harness.logs.some((line) => line.includes('repository create not confirmed'))).toBe(false);
  });

  it('refuses a viewer naming the operator role when a viewer creates', async () => {
    // Act
    const act = runText(harness, 'repo create team-new', { role: 'viewer' });

    // Assess
    await expect(act).rejects.toThrow('*operator* role to run `/vcr repo create`');
    expect(vcrCalls(harness)).toEqual([]);
  });
});

function createBody(harness: CommandHarness): unknown {
  return harness.emulator.requests.find((request) => request.method === 'POST' && request.path === '/v1/repository')
    ?.body;
}

function createCalls(harness: CommandHarness): string[] {
  return vcrCalls(harness).filter((call) => call === 'POST /v1/repository');
}
