import { randomBytes, randomUUID } from 'node:crypto';
import { seedIds } from '../../../local/emulator/seed';
import { findCommandById, parseCommandText } from '../../../src/commands/registry';
import { UserError } from '../../../src/errors';
import { type CommandHarness, startCommandHarness } from '../../support/command-context';
import { actionsOf, partsOf, rowActionsOf, runArgs, runButton, runText, vcrCalls } from '../../support/command-harness';

const { ciDeployer, legacyPuller } = seedIds.users;
const { paymentsApi, webFrontend } = seedIds.repositories;

describe('user', () => {
  let harness: CommandHarness;

  beforeEach(async () => {
    harness = await startCommandHarness();
  });

  afterEach(() => harness.close());

  it('shows the card with access per repository and the buttons when a user is named', async () => {
    // Act
    const reply = await runText(harness, 'user ci-deployer');

    // Assess
    expect(partsOf(reply, 'header')[0]?.text).toBe('Repository user ci-deployer');
    expect(partsOf(reply, 'fields')[0]?.fields).toMatchInlineSnapshot(`
[
  {
    "label": "Name",
    "value": "ci-deployer",
  },
  {
    "label": "Login user",
    "value": "\`10001234-ci-deployer\`",
  },
  {
    "label": "ID",
    "value": "\`ra-ec78dfe1-fb6f-499b-a9d6-5c4341309917\`",
  },
  {
    "label": "Status",
    "value": "enabled",
  },
  {
    "label": "Expiry",
    "value": "never expires",
  },
  {
    "label": "Created",
    "value": "2024-12-10 03:00 UTC",
  },
  {
    "label": "Repositories",
    "value": "2",
  },
  {
    "label": "Description",
    "value": "CI pipeline pushing release images",
  },
]
`);
    expect(partsOf(reply, 'list')[0]?.items).toEqual([
      {
        title: '*payments-api*',
        lines: ['Access: pull and push'],
        action: { label: 'Open', invocation: { command: 'repo.show', args: { repo: paymentsApi } } },
      },
      {
        title: '*web-frontend*',
        lines: ['Access: pull and push'],
        action: { label: 'Open', invocation: { command: 'repo.show', args: { repo: webFrontend } } },
      },
    ]);
    const args = { user: ciDeployer, userName: 'ci-deployer' };
    expect(actionsOf(reply)).toEqual([
      { label: 'Edit', invocation: { command: 'user.update', args } },
      { label: 'Permissions', invocation: { command: 'user.permissions', args } },
      { label: 'Disable', invocation: { command: 'user.disable', args } },
      { label: 'New secret', style: 'danger', invocation: { command: 'user.secret', args } },
      { label: 'Delete', style: 'danger', invocation: { command: 'user.delete', args } },
    ]);
  });

  it('offers Enable instead of Disable when the user is disabled and named by its backend name', async () => {
    // Act
    const reply = await runText(harness, 'user 10001234-legacy-puller');

    // Assess
    expect(partsOf(reply, 'fields')[0]?.fields).toContainEqual({ label: 'Status', value: 'disabled' });
    expect(actionsOf(reply).map((action) => action.label)).toEqual([
      'Edit',
      'Permissions',
      'Enable',
      'New secret',
      'Delete',
    ]);
    expect(actionsOf(reply)[2]?.invocation).toEqual({
      command: 'user.enable',
      args: { user: legacyPuller, userName: 'legacy-puller' },
    });
  });

  it('shows the card when a button sends the user id', async () => {
    // Act
    const reply = await runArgs(harness, 'user.show', { user: legacyPuller });

    // Assess
    expect(reply.text).toBe('Repository user legacy-puller (10001234-legacy-puller)');
    expect(partsOf(reply, 'list')[0]?.items.map((item) => item.lines)).toEqual([['Access: pull only']]);
  });

  it('opens the Edit and Permissions forms with one list filtered by name when the card buttons are clicked', async () => {
    // Prepare
    const card = await runText(harness, 'user ci-deployer');
    const buttons = actionsOf(card).filter((action) => ['Edit', 'Permissions'].includes(action.label));
    const context = harness.context();
    harness.emulator.clearRequests();

    // Act
    const forms = await Promise.all(
      buttons.map((button) => {
        const invocation = button.invocation ?? { command: '', args: {} };
        return findCommandById(invocation.command)?.form?.({ vcr: context.vcr, actor: context.actor }, invocation.args);
      }),
    );

    // Assess
    expect(forms.map((form) => form?.title)).toEqual(['Edit repository user', 'Permissions']);
    expect(vcrCalls(harness, { query: true })).toEqual([
      'GET /v1/user?name=ci-deployer&page=1&size=100',
      'GET /v1/user?name=ci-deployer&page=1&size=100',
    ]);
  });

  it('shows the card of a user listed after the first 2000 when its Open button is clicked', async () => {
    // Prepare
    const addUser = (index: number, name: string, createdAt: string) =>
      harness.emulator.state.users.push({
        uuid: `ra-${randomUUID()}`,
        userId: 100 + index,
        name,
        description: null,
        disable: false,
        expiredAt: null,
        createdAt,
        secret: randomBytes(16).toString('hex'),
        permissions: [],
        detachedRepoIds: [],
      });
    for (let index = 0; index < 2000; index += 1) {
      addUser(index, `robot-${String(index).padStart(4, '0')}`, '2020-01-01T00:00:00.000Z');
    }
    // The emulator lists users newest first: the oldest comes after the 2000 others.
    addUser(2000, 'old-robot', '2019-01-01T00:00:00.000Z');
    const list = await runText(harness, 'users old-robot');

    // Act
    const reply = await runButton(harness, rowActionsOf(list)[0]?.invocation);

    // Assess
    expect(reply.text).toBe('Repository user old-robot (10001234-old-robot)');
  });

  it('says no such user exists when the name matches none', async () => {
    // Act
    const shown = runText(harness, 'user ghost-robot');

    // Assess
    await expect(shown).rejects.toThrow(UserError);
    await expect(shown).rejects.toThrow('No repository user named `ghost-robot`. Try `/vcr users ghost-robot`.');
  });

  it('asks for the user without calling vCR when none is named', async () => {
    // Prepare
    harness.emulator.clearRequests();

    // Act
    const typed = () => parseCommandText('user');

    // Assess
    expect(typed).toThrow('Missing USER.');
    expect(harness.emulator.requests).toEqual([]);
  });
});
