import { callbackIds } from '../../../src/slack/ids';
import { type SlackHarness, startSlackHarness, textOf, users, useSlackHarness } from '../../support/slack-harness';

const h = useSlackHarness();

function refIn(text: string): string {
  const ref = /ref `([0-9a-f]{8})`/.exec(text)?.[1];
  if (!ref) throw new Error(`No ref in ${text}`);
  return ref;
}

describe('onVcrCommand', () => {
  it('answers help in the ack and queues no job when the command is help', async () => {
    // Prepare
    const jobsBefore = h.jobs.length;
    h.emulator.clearRequests();

    // Act
    const { ack } = await h.command('help', users.viewer);

    // Assess
    expect(ack.statusCode).toBe(200);
    expect(ack.json?.response_type).toBe('ephemeral');
    expect(textOf(ack.json)).toContain('`/vcr repos [FILTER]`');
    expect(h.jobs.length).toBe(jobsBefore);
    expect(h.emulator.requests).toEqual([]);
  });

  it('answers a parse error with the usage in the ack and calls nothing when a word is unknown', async () => {
    // Prepare
    const jobsBefore = h.jobs.length;
    h.emulator.clearRequests();

    // Act
    const { ack } = await h.command('repoz', users.viewer);

    // Assess
    expect(ack.statusCode).toBe(200);
    expect(textOf(ack.json)).toContain('Unknown command `repoz`');
    expect(textOf(ack.json)).toContain('/vcr help');
    expect(h.jobs.length).toBe(jobsBefore);
    expect(h.emulator.requests).toEqual([]);
  });

  it('acks with a working message and replaces it with the list at the response_url when a list is typed', async () => {
    // Act
    const { ack, responseUrl } = await h.command('repos', users.viewer, { base64: true });
    await h.settle();

    // Assess
    expect(ack.statusCode).toBe(200);
    expect(textOf(ack.json)).toContain('Working on `/vcr repos`');
    const posted = h.posted(responseUrl);
    expect(posted).toHaveLength(1);
    // The answer takes the place of the working line.
    expect(posted[0]).toMatchObject({ response_type: 'ephemeral', replace_original: true });
    expect(textOf(posted[0])).toContain('payments-api');
    expect(h.jobs.at(-1)).toMatchObject({
      kind: 'invoke',
      invocation: { command: 'repos.list' },
      actor: { userId: users.viewer, role: 'viewer', channelId: 'C0CHANNEL' },
      responseUrl,
    });
  });

  it('posts the answer in the channel when --share is given', async () => {
    // Act
    const { responseUrl } = await h.command('repos --share', users.viewer);
    await h.settle();

    // Assess
    expect(h.posted(responseUrl)[0]).toMatchObject({ response_type: 'in_channel' });
  });

  it('posts the UserError of the job with no reference when the repository does not exist', async () => {
    // Act
    const { responseUrl } = await h.command('repo no-such-repo', users.viewer);
    await h.settle();

    // Assess
    const text = textOf(h.posted(responseUrl)[0]);
    expect(text).toContain('no-such-repo');
    expect(text).not.toContain('ref `');
  });

  it('says vCR is not answering, with a reference that is in an error log line, when vCR answers 503', async () => {
    // Prepare
    h.emulator.inject({ method: 'GET', path: '/v1/repository', status: 503 });

    // Act
    const { responseUrl } = await h.command('repos', users.viewer);
    await h.settle();

    // Assess
    const text = textOf(h.posted(responseUrl)[0]);
    expect(text).toContain('vCR is not answering right now');
    const ref = refIn(text);
    const line = h.logs.find((entry) => entry.includes(ref));
    expect(line && JSON.parse(line)).toMatchObject({ level: 'error', ref });
  });

  it('says vCR rejected the bot, with a reference that is in an error log line, when vCR answers 403', async () => {
    // Prepare
    h.emulator.inject({ method: 'GET', path: '/v1/repository', status: 403, body: { message: 'Forbidden' } });

    // Act
    const { responseUrl } = await h.command('repos', users.viewer);
    await h.settle();

    // Assess
    const text = textOf(h.posted(responseUrl)[0]);
    expect(text).toContain("vCR rejected the bot's credentials or permissions");
    const ref = refIn(text);
    const line = h.logs.find((entry) => entry.includes(ref));
    expect(line && JSON.parse(line)).toMatchObject({ level: 'error', ref, error: { name: 'VcrApiError' } });
  });

  it('refuses a user with no role and names the role needed when the user is in no list', async () => {
    // Prepare
    const jobsBefore = h.jobs.length;

    // Act
    const { ack } = await h.command('repos', users.outsider);

    // Assess
    expect(textOf(ack.json)).toContain('You need a *viewer* role');
    expect(h.jobs.length).toBe(jobsBefore);
  });

  it('refuses a viewer and queues nothing when the command needs an operator', async () => {
    // Prepare
    const jobsBefore = h.jobs.length;
    h.emulator.clearRequests();

    // Act
    const { ack } = await h.command('repo delete sandbox-tmp', users.viewer);

    // Assess
    expect(textOf(ack.json)).toContain('You need an *operator* role');
    expect(h.jobs.length).toBe(jobsBefore);
    expect(h.emulator.requests).toEqual([]);
  });

  it('refuses a request from another workspace when SLACK_TEAM_ID is set', async () => {
    // Act
    const { ack } = await h.command('help', users.admin, { teamId: 'T0OTHER' });

    // Assess
    expect(textOf(ack.json)).toContain('This bot does not serve your workspace.');
  });

  it('opens the form with the trigger id and acks with nothing when repo create has no name', async () => {
    // Prepare
    const jobsBefore = h.jobs.length;
    const opened = h.callsOf('views.open').length;

    // Act
    const { ack, responseUrl } = await h.command('repo create', users.operator);

    // Assess
    expect(ack).toMatchObject({ statusCode: 200, text: '' });
    const call = h.callsOf('views.open')[opened];
    expect(call?.trigger_id).toEqual(expect.any(String));
    const view = call?.view as Record<string, unknown>;
    expect(view).toMatchObject({ type: 'modal', callback_id: callbackIds.form, title: { text: 'New repository' } });
    expect(JSON.parse(String(view.private_metadata))).toEqual({
      command: 'repo.create',
      fixedArgs: {},
      channelId: 'C0CHANNEL',
      responseUrl,
    });
    expect(h.jobs.length).toBe(jobsBefore);
  });

  it('says something went wrong with a reference that is logged when queuing the job fails', async () => {
    // Prepare
    const broken = await startSlackHarness({
      dispatcher: () => ({
        dispatch: async () => {
          throw new Error('queue is down');
        },
      }),
    });
    try {
      // Act
      const { ack } = await broken.command('repos', users.viewer);

      // Assess
      const text = textOf(ack.json);
      expect(text).toContain('Something went wrong');
      const ref = refIn(text);
      const line = broken.logs.find((entry) => entry.includes(ref));
      expect(line && JSON.parse(line)).toMatchObject({ level: 'error', ref, error: { message: 'queue is down' } });
      expect(broken.ackProblems()).toEqual([]);
    } finally {
      await broken.close();
    }
  });
});

describe('onVcrCommand with allowed channels', () => {
  let limited: SlackHarness;

  beforeAll(async () => {
    limited = await startSlackHarness({ env: { VCR_ALLOWED_CHANNELS: 'C0ALLOWED' } });
  });

  afterAll(async () => {
    await limited.close();
  });

  it('refuses the command and names the allowed channels when typed elsewhere', async () => {
    // Act
    const { ack } = await limited.command('help', users.viewer, { channelId: 'C0ELSEWHERE' });

    // Assess
    expect(textOf(ack.json)).toContain('does not work in this channel');
    expect(textOf(ack.json)).toContain('<#C0ALLOWED>');
  });

  it('answers when typed in an allowed channel', async () => {
    // Act
    const { ack } = await limited.command('help', users.viewer, { channelId: 'C0ALLOWED' });

    // Assess
    expect(textOf(ack.json)).toContain('vCR commands');
  });
});
