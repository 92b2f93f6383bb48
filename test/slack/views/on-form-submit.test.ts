import { seedIds } from '../../../local/emulator/seed';
import { actionIds, callbackIds, fieldBlockId } from '../../../src/slack/ids';
import { buttonIn, textOf, users, useSlackHarness } from '../../support/slack-harness';

const h = useSlackHarness();

/** Types `text` as an operator and returns the modal the bot opened, with the command's response_url. */
async function openForm(text: string): Promise<{ view: Record<string, unknown>; responseUrl: string }> {
  const before = h.callsOf('views.open').length;
  const { responseUrl } = await h.command(text, users.operator);
  const view = h.callsOf('views.open')[before]?.view as Record<string, unknown> | undefined;
  if (!view) throw new Error(`No modal opened for ${text}`);
  return { view, responseUrl };
}

type FormValues = Record<string, Record<string, Record<string, unknown>>>;

function createValues(name: string, quota: string): FormValues {
  return {
    [fieldBlockId('name')]: { [actionIds.input]: { type: 'plain_text_input', value: name } },
    [fieldBlockId('access')]: { [actionIds.input]: { type: 'static_select', selected_option: { value: 'public' } } },
    [fieldBlockId('quota')]: { [actionIds.input]: { type: 'number_input', value: quota } },
  };
}

/** Forms whose name is taken: the typed command, the taken name, the submitted values, the error on the name. */
const takenNames: [string, string, (name: string) => FormValues, string][] = [
  [
    'repo create',
    'payments-api',
    (name) => createValues(name, '5'),
    'A repository named `payments-api` already exists. Choose another name.',
  ],
  [
    'user create',
    'CI-Deployer',
    (name): FormValues => ({
      [fieldBlockId('name')]: { [actionIds.input]: { type: 'plain_text_input', value: name } },
      [fieldBlockId('pull')]: {
        [actionIds.pickRepositories]: {
          type: 'multi_external_select',
          selected_options: [{ value: seedIds.repositories.webFrontend }],
        },
      },
    }),
    'A repository user named `CI-Deployer` already exists. Choose another name.',
  ],
];

describe('onFormSubmit', () => {
  it('closes the modal, runs the command and answers at the command response_url when the values are valid', async () => {
    // Prepare
    const { view, responseUrl } = await openForm('repo create');

    // Act
    const ack = await h.submit(view, users.operator, createValues('team-api', '30'));
    await h.settle();

    // Assess
    expect(ack).toMatchObject({ statusCode: 200, text: '' });
    expect(h.jobs.at(-1)).toMatchObject({
      kind: 'invoke',
      invocation: { command: 'repo.create', args: { name: 'team-api', access: 'public', quota: '30' } },
      actor: { userId: users.operator, role: 'operator' },
      responseUrl,
    });
    const created = h.emulator.state.repositories.find((repo) => repo.name === 'team-api');
    expect(created).toMatchObject({ isPublic: true, quotaLimit: 30 });
    expect(textOf(h.posted(responseUrl)[0])).toContain('Created repository `team-api`');
  });

  it('answers errors on the field at fault and queues nothing when the name breaks the naming rule', async () => {
    // Prepare
    const { view } = await openForm('repo create');
    const jobsBefore = h.jobs.length;

    // Act
    const ack = await h.submit(view, users.operator, createValues('Bad Name!', '30'));

    // Assess
    expect(ack.statusCode).toBe(200);
    expect(ack.json).toEqual({
      response_action: 'errors',
      errors: { [fieldBlockId('name')]: expect.stringContaining('not a valid repository name') },
    });
    expect(h.jobs.length).toBe(jobsBefore);
  });

  it.each(takenNames)(
    'keeps the %s form open with the error on the name field when the name is taken',
    async (text, name, values, error) => {
      // Prepare
      const { view } = await openForm(text);
      const jobsBefore = h.jobs.length;

      // Act
      const ack = await h.submit(view, users.operator, values(name));

      // Assess
      expect(ack.json).toEqual({ response_action: 'errors', errors: { [fieldBlockId('name')]: error } });
      expect(h.jobs.length).toBe(jobsBefore);
    },
  );

  it('closes the form and leaves the taken name to the job when vCR cannot answer the check in time', async () => {
    // Prepare
    const { view, responseUrl } = await openForm('repo create');
    h.emulator.inject({ method: 'GET', path: '/v1/repository', delayMs: 3_000, times: 1 });

    // Act
    const ack = await h.submit(view, users.operator, createValues('payments-api', '5'));
    await h.settle();

    // Assess
    expect(ack).toMatchObject({ statusCode: 200, text: '' });
    expect(textOf(h.posted(responseUrl).at(-1))).toContain('Repository payments-api already exists');
  });

  it('refuses and queues nothing when a viewer submits a form an operator opened', async () => {
    // Prepare
    const { view } = await openForm('repo create');
    const jobsBefore = h.jobs.length;

    // Act
    const ack = await h.submit(view, users.viewer, createValues('viewer-repo', '10'));

    // Assess
    expect(ack.json).toMatchObject({ response_action: 'update', view: { type: 'modal' } });
    expect(textOf(ack.json)).toContain('You need an *operator* role');
    expect(h.jobs.length).toBe(jobsBefore);
  });

  it('prefills the quota form from vCR when its card button is clicked and applies the submitted quota', async () => {
    // Prepare
    const card = await h.command('repo payments-api', users.operator);
    await h.settle();
    const before = h.callsOf('views.open').length;
    const click = await h.click(buttonIn(h.posted(card.responseUrl)[0]?.blocks, 'Change quota'), users.operator);
    const view = h.callsOf('views.open')[before]?.view as Record<string, unknown>;
    const input = (view.blocks as { type: string; block_id: string }[]).find((block) => block.type === 'input');

    // Act
    const ack = await h.submit(view, users.operator, {
      [String(input?.block_id)]: { [actionIds.input]: { type: 'number_input', value: '25' } },
    });
    await h.settle();

    // Assess
    expect(textOf(view)).toContain('payments-api');
    expect(ack).toMatchObject({ statusCode: 200, text: '' });
    const repo = h.emulator.state.repositories.find((entry) => entry.uuid === seedIds.repositories.paymentsApi);
    expect(repo?.quotaLimit).toBe(25);
    expect(textOf(h.posted(click.responseUrl)[0])).toContain('25 GB');
  });

  it('shows that the form is not understood when its metadata is broken', async () => {
    // Act
    const ack = await h.submit(
      { callback_id: callbackIds.form, private_metadata: 'nope', blocks: [] },
      users.operator,
      {},
    );

    // Assess
    expect(ack.json).toMatchObject({ response_action: 'update' });
    expect(textOf(ack.json)).toContain('not one I understand');
  });
});
