import { seedIds } from '../../local/emulator/seed';
import { fieldBlockId } from '../../src/slack/ids';
import { buttonIn, e2eUsers, formState, readableText, useE2eHarness } from '../support/e2e-harness';
import { pickerIn } from '../support/slack-requests';

const harness = useE2eHarness();

const { paymentsApi, webFrontend, mlModels } = seedIds.repositories;

/** Types a command that opens a modal and returns the view sent to views.open. */
async function openModal(text: string, userId: string = e2eUsers.operator): Promise<Record<string, unknown>> {
  const opened = harness.callsOf('views.open').length;
  const { ack } = await harness.command(text, userId);
  expect(ack.statusCode).toBe(200);
  const calls = harness.callsOf('views.open');
  expect(calls).toHaveLength(opened + 1);
  return calls.at(-1)!.view as Record<string, unknown>;
}

const repositoryNamed = (name: string) => harness.emulator.state.repositories.find((repo) => repo.name === name);
const userNamed = (name: string) => harness.emulator.state.users.find((user) => user.name === name);
// Minting an IAM token is a POST too, but it changes nothing on vCR.
const writes = () =>
  harness.emulator.requests.filter((request) => request.method !== 'GET' && !request.path.startsWith('/accounts-api/'));

describe('repositories', () => {
  it('creates a repository when repo create has a name', async () => {
    // Prepare
    const text = 'repo create team-images --public --quota 8';

    // Act
    const reply = await harness.reply(text, e2eUsers.operator);

    // Assess
    expect(readableText(reply)).toContain('team-images');
    expect(repositoryNamed('team-images')).toMatchObject({ isPublic: true, quotaLimit: 8 });
  });

  it('refuses an invalid name before calling vCR when repo create is typed', async () => {
    // Prepare
    const requestsBefore = harness.emulator.requests.length;

    // Act
    const { ack } = await harness.command('repo create Bad_Name!', e2eUsers.operator);
    await harness.settle();

    // Assess
    expect(readableText(ack.json)).toContain('6 to 20 characters');
    expect(harness.emulator.requests.length).toBe(requestsBefore);
  });

  it('creates the repository when the repo create modal is submitted with valid values', async () => {
    // Prepare
    const view = await openModal('repo create');

    // Act
    const ack = await harness.submit(view, e2eUsers.operator, formState(view, { name: 'from-modal', quota: '3' }));
    await harness.settle();

    // Assess
    expect(ack.statusCode).toBe(200);
    expect(ack.json?.response_action).not.toBe('errors');
    expect(repositoryNamed('from-modal')).toMatchObject({ isPublic: false, quotaLimit: 3 });
  });

  it('marks the name field and creates nothing when the repo create modal has an invalid name', async () => {
    // Prepare
    const view = await openModal('repo create');
    const countBefore = harness.emulator.state.repositories.length;

    // Act
    const ack = await harness.submit(view, e2eUsers.operator, formState(view, { name: 'x', quota: '3' }));
    await harness.settle();

    // Assess
    expect(ack.json).toMatchObject({
      response_action: 'errors',
      errors: { [fieldBlockId('name')]: expect.any(String) },
    });
    expect(harness.emulator.state.repositories.length).toBe(countBefore);
  });

  it('raises the quota when repo quota is typed', async () => {
    // Prepare
    const text = 'repo quota payments-api 25';

    // Act
    const reply = await harness.reply(text, e2eUsers.operator);

    // Assess
    expect(readableText(reply)).toContain('25 GB');
    expect(harness.emulator.state.repositories.find((repo) => repo.uuid === paymentsApi)?.quotaLimit).toBe(25);
  });

  it('refuses with the numbers when the new quota is below what is used', async () => {
    // Prepare
    const text = 'repo quota ml-models 5';

    // Act
    const reply = await harness.reply(text, e2eUsers.operator);

    // Assess
    expect(readableText(reply)).toMatch(/11(\.\d)? GB/);
    expect(readableText(reply)).toContain('5 GB');
    expect(harness.emulator.state.repositories.find((repo) => repo.uuid === mlModels)?.quotaLimit).toBe(50);
  });

  it('opens the quota modal prefilled from the card and sets the quota when it is submitted with a valid value', async () => {
    // Prepare
    const card = await harness.reply('repo web-frontend', e2eUsers.operator);
    const opened = harness.callsOf('views.open').length;
    const { ack, responseUrl } = await harness.click(buttonIn(card, 'Change quota'), e2eUsers.operator);
    const view = harness.callsOf('views.open').at(-1)?.view as Record<string, unknown>;

    // Act
    const submitted = await harness.submit(view, e2eUsers.operator, formState(view, { gb: '12' }));
    await harness.settle();

    // Assess
    expect(ack.statusCode).toBe(200);
    expect(harness.callsOf('views.open')).toHaveLength(opened + 1);
    expect(Object.values(formState(view, {})[fieldBlockId('gb')] ?? {})).toEqual([
      expect.objectContaining({ value: '10' }),
    ]);
    expect(submitted.json?.response_action).toBeUndefined();
    expect(repositoryNamed('web-frontend')?.quotaLimit).toBe(12);
    expect(readableText(harness.posted(responseUrl).at(-1))).toContain('Quota of `web-frontend`: 10 GB → 12 GB');
  });

  it.each([
    ['not a number', 'lots'],
    ['zero', '0'],
  ])('marks the quota field and changes nothing when the quota modal is submitted with %s', async (_, gb) => {
    // Prepare
    const card = await harness.reply('repo web-frontend', e2eUsers.operator);
    await harness.click(buttonIn(card, 'Change quota'), e2eUsers.operator);
    const view = harness.callsOf('views.open').at(-1)?.view as Record<string, unknown>;
    const quotaBefore = repositoryNamed('web-frontend')?.quotaLimit;
    const writesBefore = writes().length;

    // Act
    const submitted = await harness.submit(view, e2eUsers.operator, formState(view, { gb }));
    await harness.settle();

    // Assess
    expect(submitted.json).toMatchObject({
      response_action: 'errors',
      errors: { [fieldBlockId('gb')]: expect.any(String) },
    });
    expect(repositoryNamed('web-frontend')?.quotaLimit).toBe(quotaBefore);
    expect(writes().length).toBe(writesBefore);
  });

  it('grants pull access when repo attach is typed', async () => {
    // Prepare
    const text = 'repo attach ml-models ci-deployer pull';

    // Act
    const reply = await harness.reply(text, e2eUsers.operator);

    // Assess
    expect(readableText(reply)).toContain('pull access to `ml-models`');
    const grant = userNamed('ci-deployer')?.permissions.find((permission) => permission.repoId === mlModels);
    expect(grant?.policyIds).toEqual([seedIds.policies.pull]);
  });
});

describe('repo attach form', () => {
  it('attaches the user picked in the modal when repo attach is typed with only a repository', async () => {
    // Prepare
    const { ack, responseUrl } = await harness.command('repo attach payments-api', e2eUsers.operator);
    const view = harness.callsOf('views.open').at(-1)?.view as Record<string, unknown>;
    const answer = await harness.suggest(e2eUsers.operator, 'legacy', pickerIn(view, 'user'));
    const [picked] = (answer.json?.options ?? []) as { text: { text: string }; value: string }[];

    // Act
    const submitted = await harness.submit(
      view,
      e2eUsers.operator,
      formState(view, { user: picked!.value, access: 'pull' }),
    );
    await harness.settle();

    // Assess
    expect(ack.text).toBe('');
    expect(picked).toEqual({
      text: expect.objectContaining({ text: 'legacy-puller (10001234-legacy-puller)' }),
      // The id travels in the value, alone or after the name (`NAME@ID`).
      value: expect.stringContaining(seedIds.users.legacyPuller),
    });
    expect(submitted.json?.response_action).toBeUndefined();
    expect(readableText(harness.posted(responseUrl).at(-1))).toContain('now has pull access to `payments-api`');
    const grant = userNamed('legacy-puller')?.permissions.find((permission) => permission.repoId === paymentsApi);
    expect(grant?.policyIds).toEqual([seedIds.policies.pull]);
  });

  it.each([
    ['no access chosen', { user: seedIds.users.legacyPuller }, fieldBlockId('access')],
    ['no user picked', { access: 'push' }, fieldBlockId('user')],
  ])(
    'marks the field and grants nothing when the repo attach modal is submitted with %s',
    async (_, answers, field) => {
      // Prepare
      const view = await openModal('repo attach web-frontend');
      const writesBefore = writes().length;

      // Act
      const submitted = await harness.submit(view, e2eUsers.operator, formState(view, answers));
      await harness.settle();

      // Assess
      expect(submitted.json).toMatchObject({ response_action: 'errors', errors: { [field]: expect.any(String) } });
      expect(Object.keys(submitted.json?.errors as object)).toEqual([field]);
      expect(writes().length).toBe(writesBefore);
    },
  );

  it('offers a viewer no users from the modal an operator opened', async () => {
    // Prepare
    const view = await openModal('repo attach web-frontend');

    // Act
    const answer = await harness.suggest(e2eUsers.viewer, '', pickerIn(view, 'user'));

    // Assess
    expect(answer.json).toEqual({ options: [] });
  });

  it('opens the same modal when the Attach user button of the repository card is clicked', async () => {
    // Prepare
    const card = await harness.reply('repo ml-models', e2eUsers.operator);
    const opened = harness.callsOf('views.open').length;

    // Act
    const { ack } = await harness.click(buttonIn(card, 'Attach user'), e2eUsers.operator);

    // Assess
    expect(ack.statusCode).toBe(200);
    const views = harness.callsOf('views.open');
    expect(views).toHaveLength(opened + 1);
    expect(readableText(views.at(-1)?.view as Record<string, unknown>)).toContain('give access to ml-models');
  });
});

describe('repository users', () => {
  it('creates the user and sends its secret only by DM when the user create modal is valid', async () => {
    // Prepare
    const view = await openModal('user create');
    const callsBefore = harness.slack.calls.length;
    const responsesBefore = harness.slack.responses.length;

    // Act
    const ack = await harness.submit(
      view,
      e2eUsers.operator,
      formState(view, { name: 'release-bot', description: 'release pipeline', days: '30', push: [paymentsApi] }),
    );
    await harness.settle();

    // Assess
    expect(ack.statusCode).toBe(200);
    const created = userNamed('release-bot');
    expect(created?.permissions).toEqual([
      { repoId: paymentsApi, policyIds: expect.arrayContaining([seedIds.policies.push]) },
    ]);
    const secret = harness.emulator.currentSecret(created!.uuid)!;
    const opened = harness.slack.calls.slice(callsBefore).find((call) => call.method === 'conversations.open');
    expect(opened?.body.users).toBe(e2eUsers.operator);
    const carrying = harness.slack.calls
      .slice(callsBefore)
      .filter((call) => JSON.stringify(call.body).includes(secret));
    expect(carrying).toHaveLength(1);
    expect(carrying[0]).toMatchObject({ method: 'chat.postMessage', body: { channel: expect.stringMatching(/^D/) } });
    expect(readableText(carrying[0]?.body)).toContain('docker login vcr.vngcloud.vn -u 10001234-release-bot');
    const replies = harness.slack.responses.slice(responsesBefore);
    expect(replies.length).toBeGreaterThan(0);
    expect(JSON.stringify(replies)).not.toContain(secret);
    expect(JSON.stringify(ack)).not.toContain(secret);
    expect(harness.logs.join('\n')).not.toContain(secret);
  });

  it('marks the name field and creates nothing when the user create modal has an invalid name', async () => {
    // Prepare
    const view = await openModal('user create');
    const countBefore = harness.emulator.state.users.length;

    // Act
    const ack = await harness.submit(view, e2eUsers.operator, formState(view, { name: 'no', pull: [webFrontend] }));
    await harness.settle();

    // Assess
    expect(ack.json).toMatchObject({
      response_action: 'errors',
      errors: { [fieldBlockId('name')]: expect.any(String) },
    });
    expect(harness.emulator.state.users.length).toBe(countBefore);
  });

  it('opens the edit modal prefilled and saves the new description when user update is submitted', async () => {
    // Prepare
    const view = await openModal('user update qa-reader');

    // Act
    const ack = await harness.submit(view, e2eUsers.operator, formState(view, { description: 'QA pulls, renewed' }));
    await harness.settle();

    // Assess
    expect(JSON.stringify(view)).toContain('QA cluster pulls, 90 days');
    expect(ack.json?.response_action).not.toBe('errors');
    expect(userNamed('qa-reader')?.description).toBe('QA pulls, renewed');
  });

  it('marks the days field when user update is submitted with a number that is not a count of days', async () => {
    // Prepare
    const view = await openModal('user update qa-reader');

    // Act
    const ack = await harness.submit(view, e2eUsers.operator, formState(view, { days: '0' }));

    // Assess
    expect(ack.json).toMatchObject({
      response_action: 'errors',
      errors: { [fieldBlockId('days')]: expect.any(String) },
    });
  });

  it('previews a user permissions submit that removes access, and replaces the list only on the confirming click', async () => {
    // Prepare
    const { responseUrl } = await harness.command('user permissions qa-reader', e2eUsers.operator);
    const view = harness.callsOf('views.open').at(-1)!.view as Record<string, unknown>;
    const before = structuredClone(userNamed('qa-reader')?.permissions);

    // Act
    const ack = await harness.submit(
      view,
      e2eUsers.operator,
      formState(view, { pull: [mlModels], push: [webFrontend] }),
    );
    await harness.settle();
    const preview = harness.posted(responseUrl).at(-1);
    const afterSubmit = structuredClone(userNamed('qa-reader')?.permissions);
    const click = await harness.click(buttonIn(preview, 'Apply'), e2eUsers.operator);
    await harness.settle();

    // Assess
    expect(JSON.stringify(view)).toContain(paymentsApi);
    expect(ack.json?.response_action).not.toBe('errors');
    expect(readableText(preview)).toContain('`payments-api`: pull → no access (goes)');
    expect(buttonIn(preview, 'Apply').style).toBe('danger');
    expect(afterSubmit).toEqual(before);
    expect(readableText(harness.posted(click.responseUrl).at(-1))).toContain(
      'Changed the permissions of repository user `qa-reader`',
    );
    const permissions = userNamed('qa-reader')
      ?.permissions.map((permission) => permission.repoId)
      .sort();
    expect(permissions).toEqual([mlModels, webFrontend].sort());
  });

  it('marks the field when user permissions puts one repository in both lists', async () => {
    // Prepare
    const view = await openModal('user permissions qa-reader');
    const before = structuredClone(userNamed('qa-reader')?.permissions);

    // Act
    const ack = await harness.submit(view, e2eUsers.operator, formState(view, { pull: [mlModels], push: [mlModels] }));
    await harness.settle();

    // Assess
    expect(ack.json).toMatchObject({ response_action: 'errors' });
    expect(userNamed('qa-reader')?.permissions).toEqual(before);
  });

  it('offers the matching repositories when the repository picker asks for options', async () => {
    // Prepare
    const typed = 'web';

    // Act
    const answer = await harness.suggest(e2eUsers.operator, typed);

    // Assess
    expect(answer.json).toEqual({ options: [expect.objectContaining({ value: webFrontend })] });
  });

  it('disables and enables a user when user disable and user enable are typed', async () => {
    // Prepare
    const user = userNamed('legacy-puller');
    await harness.reply('user enable legacy-puller', e2eUsers.operator);
    const enabled = user?.disable;

    // Act
    const reply = await harness.reply('user disable legacy-puller', e2eUsers.operator);

    // Assess
    expect(enabled).toBe(false);
    expect(user?.disable).toBe(true);
    expect(readableText(reply)).toContain('Disabled repository user `legacy-puller`');
  });
});
