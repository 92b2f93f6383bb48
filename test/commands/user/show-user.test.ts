import { seedIds } from '../../../local/emulator/seed';
import { parseCommandText } from '../../../src/commands/registry';
import { UserError } from '../../../src/errors';
import { type CommandHarness, startCommandHarness } from '../../support/command-context';
import { actionsOf, partsOf, runArgs, runText } from '../command-harness';

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
    const args = { user: ciDeployer };
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
    expect(actionsOf(reply)[2]?.invocation).toEqual({ command: 'user.enable', args: { user: legacyPuller } });
  });

  it('shows the card when a button sends the user id', async () => {
    // Act
    const reply = await runArgs(harness, 'user.show', { user: legacyPuller });

    // Assess
    expect(reply.text).toBe('Repository user legacy-puller (10001234-legacy-puller)');
    expect(partsOf(reply, 'list')[0]?.items.map((item) => item.lines)).toEqual([['Access: pull only']]);
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
