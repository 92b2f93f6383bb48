import { parseCommandText } from '../../../src/commands/registry';
import { prepareInvocation, runInvocation } from '../../../src/commands/run-invocation';
import { type CommandHarness, startCommandHarness } from '../../support/command-context';
import { allText, partsOf, runText, vcrCalls } from '../command-harness';

describe('repo create', () => {
  let harness: CommandHarness;

  beforeEach(async () => {
    harness = await startCommandHarness();
  });

  afterEach(() => harness.close());

  it('creates a public repository with the quota given when NAME, --public and --quota are given', async () => {
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
    expect(reply.notify).toBe('<@U0OPERATOR> created repository `team-new` (public, 50 GB)');
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
    expect(reply.notify).toBe('<@U0OPERATOR> created repository `team-private` (private, 20 GB)');
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
    const reply = await runInvocation(harness.context(), {
      command: 'repo.create',
      args: { name: 'from-modal', access: 'public', quota: '30' },
    });

    // Assess
    expect(createBody(harness)).toEqual({
      repoName: 'from-modal',
      isPublic: true,
      quotaLimit: 30,
    });
    expect(reply.notify).toContain('`from-modal` (public, 30 GB)');
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
    const act = runInvocation(harness.context(), { command: 'repo.create', args: { name, quota: 20 } });

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
    const act = runInvocation(harness.context(), { command: 'repo.create', args: { name: 'team-new', quota: 'abc' } });

    // Assess
    await expect(act).rejects.toMatchObject({ name: 'UserError', field: 'quota' });
    expect(vcrCalls(harness)).toEqual([]);
  });

  it('refuses on the access field when access is neither public nor private', async () => {
    // Act
    const act = runInvocation(harness.context(), {
      command: 'repo.create',
      args: { name: 'team-new', access: 'open' },
    });

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
