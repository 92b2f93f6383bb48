import { seedIds } from '../../../local/emulator/seed';
import { UserError } from '../../../src/errors';
import { type CommandHarness, startCommandHarness } from '../../support/command-context';
import { actionsOf, runArgs, vcrChanges } from '../../support/command-harness';
import { mrkdwn } from '../../support/mrkdwn';
import { formFor } from '../../support/user-harness';

const { ciDeployer, qaReader } = seedIds.users;
const dayMs = 86_400_000;

describe('user update', () => {
  let harness: CommandHarness;

  beforeEach(async () => {
    harness = await startCommandHarness();
    harness.emulator.clearRequests();
  });

  afterEach(() => harness.close());

  const stored = (uuid: string) => {
    const user = harness.emulator.state.users.find((candidate) => candidate.uuid === uuid);
    if (!user) throw new Error(`no user ${uuid}`);
    return user;
  };
  const updates = () =>
    harness.emulator.requests.filter((request) => request.method === 'PUT').map((request) => request.body);

  it('opens the form prefilled with the description when typed for a user that never expires', async () => {
    // Act
    const form = await formFor(harness, 'user update ci-deployer');

    // Assess
    expect(form).toMatchInlineSnapshot(`
{
  "command": "user.update",
  "fields": [
    {
      "hint": "Blank removes the description.",
      "initial": "CI pipeline pushing release images",
      "kind": "text",
      "label": "Description of ci-deployer",
      "name": "description",
      "optional": true,
    },
    {
      "hint": "It never expires. A number sets the expiry that many days from today; blank keeps it.",
      "kind": "number",
      "label": "Expires after (days from today)",
      "min": 1,
      "name": "days",
      "optional": true,
    },
  ],
  "fixedArgs": {
    "fromForm": true,
    "user": "ra-ec78dfe1-fb6f-499b-a9d6-5c4341309917",
    "userName": "ci-deployer",
  },
  "submit": "Save",
  "title": "Edit repository user",
}
`);
    expect(vcrChanges(harness)).toEqual([]);
  });

  it('prefills the days left when the user expires', async () => {
    // Prepare
    stored(qaReader).expiredAt = new Date(Date.now() + 10 * dayMs - 3_600_000).toISOString();

    // Act
    const form = await formFor(harness, 'user update qa-reader');

    // Assess
    expect(form?.fields[1]).toMatchObject({ name: 'days', initial: 10 });
    expect(form?.fixedArgs).toEqual({ user: qaReader, userName: 'qa-reader', fromForm: true, shownDays: 10 });
  });

  it('sends the new description and expiry, and shows the card with its buttons, when the form is submitted with both changed', async () => {
    // Act
    const reply = await runArgs(harness, 'user.update', {
      user: ciDeployer,
      fromForm: true,
      description: 'Release pipeline',
      days: '30',
    });

    // Assess
    expect(updates()).toEqual([{ repoUserId: ciDeployer, description: 'Release pipeline', duration: 30 }]);
    const user = stored(ciDeployer);
    expect(user.description).toBe('Release pipeline');
    expect(Date.parse(user.expiredAt ?? '')).toBeGreaterThan(Date.now() + 29 * dayMs);
    expect(reply.text).toMatch(
      /^Updated repository user `ci-deployer`: description “CI pipeline pushing release images” → “Release pipeline”; never expires → expires \d{4}-\d\d-\d\d \d\d:\d\d UTC\.$/,
    );
    expect(mrkdwn(reply.notify)).toMatch(/^<@U0OPERATOR> updated repository user `ci-deployer`: description /);
    expect(actionsOf(reply).map((action) => [action.label, action.invocation?.command])).toEqual([
      ['Edit', 'user.update'],
      ['Permissions', 'user.permissions'],
      ['Disable', 'user.disable'],
      ['New secret', 'user.secret'],
      ['Delete', 'user.delete'],
    ]);
  });

  it('keeps the expiry when the prefilled days come back unchanged', async () => {
    // Prepare
    const expiry = new Date(Date.now() + 10 * dayMs - 3_600_000).toISOString();
    stored(qaReader).expiredAt = expiry;

    // Act
    await runArgs(harness, 'user.update', {
      user: qaReader,
      fromForm: true,
      shownDays: 10,
      days: '10',
      description: 'QA',
    });

    // Assess
    expect(updates()).toEqual([{ repoUserId: qaReader, description: 'QA' }]);
    expect(stored(qaReader).expiredAt).toBe(expiry);
  });

  it('clears the description when the form field is left blank', async () => {
    // Act
    const reply = await runArgs(harness, 'user.update', { user: ciDeployer, fromForm: true, description: undefined });

    // Assess
    expect(updates()).toEqual([{ repoUserId: ciDeployer, description: '' }]);
    expect(stored(ciDeployer).description).toBe('');
    expect(reply.text).toBe(
      'Updated repository user `ci-deployer`: description “CI pipeline pushing release images” → (none).',
    );
  });

  it('changes nothing when the submitted values are the current ones', async () => {
    // Act
    const reply = await runArgs(harness, 'user.update', {
      user: ciDeployer,
      fromForm: true,
      description: 'CI pipeline pushing release images',
    });

    // Assess
    expect(reply.text).toBe('Nothing to change on `ci-deployer`: the description and the expiry are as they were.');
    expect(reply.notify).toBeUndefined();
    expect(vcrChanges(harness)).toEqual([]);
  });

  it('refuses days that are no whole number on the days field without calling vCR', async () => {
    // Act
    const run = runArgs(harness, 'user.update', { user: ciDeployer, fromForm: true, days: '1.5' });

    // Assess
    await expect(run).rejects.toThrow(UserError);
    await expect(run).rejects.toMatchObject({ field: 'days' });
    expect(harness.emulator.requests).toEqual([]);
  });

  it('says no such user exists when the user is unknown', async () => {
    // Act
    const run = runArgs(harness, 'user.update', { user: 'ghost-robot', description: 'x' });

    // Assess
    await expect(run).rejects.toThrow('No repository user named `ghost-robot`.');
    expect(vcrChanges(harness)).toEqual([]);
  });
});
