import {
  buttonIn,
  type E2eHarness,
  e2eUsers,
  formState,
  readableText,
  startE2eHarness,
  useE2eHarness,
} from '../support/e2e-harness';

const harness = useE2eHarness();

const vcrCalls = () => harness.emulator.requests.filter((request) => !request.path.startsWith('/accounts-api/')).length;

describe('roles on typed commands', () => {
  it('refuses someone in no role list and calls nothing when they type a command', async () => {
    // Prepare
    const before = vcrCalls();

    // Act
    const { ack, responseUrl } = await harness.command('repos', e2eUsers.outsider);
    await harness.settle();

    // Assess
    expect(readableText(ack.json)).toContain('You need a *viewer* role');
    expect(harness.posted(responseUrl)).toEqual([]);
    expect(vcrCalls()).toBe(before);
  });

  it('refuses a viewer and names the operator role when a viewer types a change', async () => {
    // Prepare
    const before = vcrCalls();

    // Act
    const { ack } = await harness.command('repo create viewer-made', e2eUsers.viewer);
    await harness.settle();

    // Assess
    expect(readableText(ack.json)).toContain('*operator*');
    expect(vcrCalls()).toBe(before);
    expect(harness.emulator.state.repositories.some((repo) => repo.name === 'viewer-made')).toBe(false);
  });

  it('admits a member of a viewer user group when they list repositories', async () => {
    // Prepare
    const text = 'repos';

    // Act
    const reply = await harness.reply(text, e2eUsers.grouped);

    // Assess
    expect(readableText(reply)).toContain('payments-api');
    expect(harness.callsOf('usergroups.users.list')).toContainEqual(
      expect.objectContaining({ usergroup: 'S0VIEWERS' }),
    );
  });

  it('refuses a request from another workspace when SLACK_TEAM_ID is set', async () => {
    // Prepare
    const before = vcrCalls();

    // Act
    const { ack, responseUrl } = await harness.command('repos', e2eUsers.admin, { teamId: 'T0OTHER' });
    await harness.settle();

    // Assess
    expect(ack.statusCode).toBe(200);
    expect(readableText(ack.json)).not.toContain('Working on');
    expect(harness.posted(responseUrl)).toEqual([]);
    expect(vcrCalls()).toBe(before);
  });
});

describe('roles on clicks and submits', () => {
  it('refuses a viewer who clicks the confirm button of an operator’s preview', async () => {
    // Prepare
    const preview = await harness.reply('repo delete sandbox-tmp', e2eUsers.operator);

    // Act
    const { ack, responseUrl } = await harness.click(buttonIn(preview, 'Delete'), e2eUsers.viewer);
    await harness.settle();

    // Assess
    expect(ack.statusCode).toBe(200);
    const refusal = [readableText(ack.json), ...harness.posted(responseUrl).map(readableText)].join('\n');
    expect(refusal).toContain('*operator*');
    expect(harness.emulator.state.repositories.some((repo) => repo.name === 'sandbox-tmp')).toBe(true);
  });

  it('refuses a viewer who clicks a change button on a card they may read', async () => {
    // Prepare
    const card = await harness.reply('user ci-deployer', e2eUsers.viewer);
    const before = vcrCalls();

    // Act
    const { ack, responseUrl } = await harness.click(buttonIn(card, 'Disable'), e2eUsers.viewer);
    await harness.settle();

    // Assess
    const refusal = [readableText(ack.json), ...harness.posted(responseUrl).map(readableText)].join('\n');
    expect(refusal).toContain('*operator*');
    expect(vcrCalls()).toBe(before);
    expect(harness.emulator.state.users.find((user) => user.name === 'ci-deployer')?.disable).toBe(false);
  });

  it('refuses a viewer who submits a modal an operator opened', async () => {
    // Prepare
    await harness.command('repo create', e2eUsers.operator);
    const view = harness.callsOf('views.open').at(-1)!.view as Record<string, unknown>;

    // Act
    const ack = await harness.submit(view, e2eUsers.viewer, formState(view, { name: 'viewer-modal', quota: '2' }));
    await harness.settle();

    // Assess
    expect(ack.statusCode).toBe(200);
    expect(readableText(ack.json)).toContain('operator');
    expect(harness.emulator.state.repositories.some((repo) => repo.name === 'viewer-modal')).toBe(false);
  });
});

describe('allowed channels', () => {
  let restricted: E2eHarness;

  beforeAll(async () => {
    restricted = await startE2eHarness({ env: { VCR_ALLOWED_CHANNELS: 'C0ALLOWED' } });
  });

  afterAll(async () => {
    await restricted.close();
  });

  it('answers in an allowed channel and refuses elsewhere when VCR_ALLOWED_CHANNELS is set', async () => {
    // Prepare
    const text = 'repos';

    // Act
    const allowed = await restricted.command(text, e2eUsers.admin, { channelId: 'C0ALLOWED' });
    const elsewhere = await restricted.command(text, e2eUsers.admin, { channelId: 'C0ELSEWHERE' });
    await restricted.settle();

    // Assess
    expect(readableText(allowed.ack.json)).toContain('Working on');
    expect(readableText(elsewhere.ack.json)).not.toContain('Working on');
    expect(restricted.posted(elsewhere.responseUrl)).toEqual([]);
  });
});
