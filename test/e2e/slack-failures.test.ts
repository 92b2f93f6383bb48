/**
 * Slack Web API failures through the real handler: each answer names what happened and what to do, with a ref that
 * is in the log, and never claims what did not happen (issue 8 §3).
 */
import { seedIds } from '../../local/emulator/seed';
import { buttonIn, e2eSecretId, e2eUsers, e2eViewerGroup, readableText, useE2eHarness } from '../support/e2e-harness';

const operatorGroup = 'S0OPS';
const notifyChannel = 'C0AUDIT';
let clockOffsetMs = 0;

const harness = useE2eHarness({
  env: {
    VCR_VIEWERS: `${e2eUsers.viewer},${e2eViewerGroup}`,
    VCR_OPERATORS: `${e2eUsers.operator},${operatorGroup}`,
    VCR_NOTIFY_CHANNEL: notifyChannel,
  },
  usergroups: { [operatorGroup]: [e2eUsers.grouped] },
  now: () => Date.now() + clockOffsetMs,
});

type LogLine = { level: string; message: string; ref?: string };
const logLines = (from = 0): LogLine[] => harness.logs.slice(from).map((line) => JSON.parse(line) as LogLine);
const refIn = (text: string) => /\(ref `([0-9a-f]{8})`\)/.exec(text)?.[1];

afterEach(() => {
  // Past every group cache and remembered failure, so no test sees another's.
  clockOffsetMs += 120_000;
});

describe('views.open refusing the trigger', () => {
  it.each(['expired_trigger_id', 'exchanged_trigger_id'])(
    'says the form could not open in time and to run the command again when Slack answers %s',
    async (code) => {
      // Prepare
      harness.slack.failMethod('views.open', code);
      const logsBefore = harness.logs.length;

      // Act
      const { ack } = await harness.command('repo create', e2eUsers.operator);

      // Assess
      expect(ack.statusCode).toBe(200);
      const text = readableText(ack.json);
      expect(text).toContain('The form could not open in time.');
      expect(text).toContain('Run the command again');
      expect(text).not.toContain('Something went wrong');
      const ref = refIn(text);
      expect(logLines(logsBefore)).toContainEqual(expect.objectContaining({ level: 'warn', ref }));
      expect(logLines(logsBefore).filter((line) => line.level === 'error')).toEqual([]);
    },
  );
});

describe('user group reads that fail', () => {
  it('says the role could not be checked, with the wait Slack asked for, when usergroups.users.list is rate limited', async () => {
    // Prepare
    harness.slack.failMethod('usergroups.users.list', { status: 429, retryAfter: 30 }, { usergroup: operatorGroup });
    const logsBefore = harness.logs.length;

    // Act
    const first = await harness.command('repo create from-group', e2eUsers.grouped);
    const readsAfterFirst = harness.callsOf('usergroups.users.list').length;
    const second = await harness.command('repo create from-group', e2eUsers.grouped);

    // Assess
    for (const { ack } of [first, second]) {
      const text = readableText(ack.json);
      expect(text).toContain('Your role could not be checked right now, so nothing was done');
      expect(text).toContain('Try again in 30 seconds');
      expect(text).not.toMatch(/You need|role to/);
      expect(logLines(logsBefore)).toContainEqual(expect.objectContaining({ level: 'warn', ref: refIn(text) }));
    }
    // The second command comes within the 30 s Slack asked for: the group is not asked again.
    expect(harness.callsOf('usergroups.users.list').length).toBe(readsAfterFirst);
    expect(harness.emulator.state.repositories.some((repo) => repo.name === 'from-group')).toBe(false);
  });

  it('says the role could not be checked and asks again next time when usergroups.users.list answers 500', async () => {
    // Prepare
    harness.slack.failMethod('usergroups.users.list', { status: 500 }, { usergroup: operatorGroup });
    const logsBefore = harness.logs.length;

    // Act
    const failed = await harness.command('repo create from-group', e2eUsers.grouped);
    harness.slack.clearFailures();
    const reply = await harness.reply('repo create from-group', e2eUsers.grouped);

    // Assess
    const text = readableText(failed.ack.json);
    expect(text).toContain('Your role could not be checked right now, so nothing was done');
    expect(text).toContain('Slack is not answering right now');
    expect(text).not.toMatch(/You need|role to/);
    expect(logLines(logsBefore)).toContainEqual(expect.objectContaining({ level: 'warn', ref: refIn(text) }));
    expect(readableText(reply)).toContain('from-group');
  });

  it('names no made-up scope when usergroups.users.list answers missing_scope without saying which', async () => {
    // Prepare
    harness.slack.failMethod('usergroups.users.list', 'missing_scope', { usergroup: operatorGroup });

    // Act
    const { ack } = await harness.command('repo create scope-less', e2eUsers.grouped);

    // Assess
    const text = readableText(ack.json);
    expect(text).toContain('Your role could not be checked right now, so nothing was done');
    expect(text).toContain('The bot token lacks a Slack permission that this needs; Slack did not say which');
    expect(text).not.toMatch(/`that this needs`|`undefined`/);
  });

  it('still refuses a user whose groups were read and hold them nowhere, by the role they need', async () => {
    // Act
    const { ack } = await harness.command('repo create nobodys', e2eUsers.viewer);

    // Assess
    expect(readableText(ack.json)).toContain('You need an *operator* role');
  });
});

describe('ping with a refused bot token', () => {
  it.each(['invalid_auth', 'token_revoked', 'account_inactive'])(
    'says Slack refused the bot token and which setting to fix when auth.test answers %s',
    async (code) => {
      // Prepare
      harness.slack.failMethod('auth.test', code);

      // Act
      const reply = await harness.reply('ping', e2eUsers.viewer);

      // Assess
      const text = readableText(reply);
      expect(text).toContain(`❌ *Slack*`);
      expect(text).toContain(`Slack refused the bot token (\`${code}\`)`);
      expect(text).toContain(`\`slackBotToken\` in secret \`${e2eSecretId}\``);
      expect(text).toContain('✅ *vCR*');
      expect(text).not.toContain(harness.secrets.botToken);
    },
  );
});

describe('a secret whose DM cannot be delivered', () => {
  const confirmSecret = async (userName: string) => {
    const preview = await harness.reply(`user secret ${userName}`, e2eUsers.operator);
    const click = await harness.click(buttonIn(preview, 'New secret'), e2eUsers.operator);
    await harness.settle();
    return harness.posted(click.responseUrl).at(-1);
  };

  it.each([
    ['conversations.open', 'user_not_found'],
    ['conversations.open', 'user_disabled'],
    ['conversations.open', 'cannot_dm_bot'],
    ['chat.postMessage', 'messages_tab_disabled'],
  ])('leads with the failure and never says it was sent when %s answers %s', async (method, code) => {
    // Prepare
    const dm = `D${e2eUsers.operator}`;
    harness.slack.failMethod(method, code, method === 'chat.postMessage' ? { channel: dm } : {});
    const logsBefore = harness.logs.length;
    const callsBefore = harness.slack.calls.length;

    // Act
    const answer = await confirmSecret('qa-reader');

    // Assess
    const secret = harness.emulator.currentSecret(seedIds.users.qaReader)!;
    const text = readableText(answer);
    expect(String(answer?.text)).toMatch(/^\*The secret was not sent:\*/);
    expect(text).toContain(`(\`${code}\`)`);
    expect(text).toContain('It is shown nowhere else');
    expect(text).toContain('`/vcr user secret USER` makes a new one');
    expect(text).not.toMatch(/was sent to you|sent to you alone/);
    expect(logLines(logsBefore)).toContainEqual(expect.objectContaining({ ref: refIn(text) }));
    // Only the refused DM itself carried it, to Slack, which did not deliver it.
    const carrying = harness.slack.calls.slice(callsBefore).filter((call) => JSON.stringify(call).includes(secret));
    expect(carrying.map((call) => [call.method, call.body.channel])).toEqual(
      method === 'chat.postMessage' ? [['chat.postMessage', dm]] : [],
    );
    expect(JSON.stringify(harness.slack.responses)).not.toContain(secret);
    expect(harness.logs.join('\n')).not.toContain(secret);
  });

  it('says the secret was sent only when the DM went through', async () => {
    // Act
    const answer = await confirmSecret('ci-deployer');

    // Assess
    expect(readableText(answer)).toContain('The secret was sent to you alone by direct message');
    expect(readableText(answer)).not.toContain('was not sent');
  });
});

describe('a notify channel the bot cannot post in', () => {
  it.each(['not_in_channel', 'channel_not_found'])(
    'tells the requester how an admin fixes it and logs it once with a ref when chat.postMessage answers %s',
    async (code) => {
      // Prepare
      harness.slack.failMethod('chat.postMessage', code, { channel: notifyChannel });
      const logsBefore = harness.logs.length;

      // Act
      const first = await harness.reply('repo quota payments-api 31', e2eUsers.operator);
      const second = await harness.reply('repo quota payments-api 32', e2eUsers.operator);

      // Assess
      const texts = [first, second].map(readableText);
      expect(texts[1]).toContain('32 GB');
      for (const text of texts) {
        expect(text).toContain(`The change was made, but its notice could not be posted in <#${notifyChannel}>`);
        expect(text).toContain(`(\`${code}\`)`);
        expect(text).toContain(`\`/invite\` <@${harness.slack.botUserId}> in <#${notifyChannel}>`);
      }
      const refs = texts.map(refIn);
      expect(refs[0]).toMatch(/^[0-9a-f]{8}$/);
      expect(refs[1]).toBe(refs[0]);
      const errors = logLines(logsBefore).filter((line) => line.level === 'error');
      expect(errors).toEqual([
        expect.objectContaining({ message: 'Could not post a change notification', ref: refs[0] }),
      ]);
    },
  );

  it('tells whoever cancels a request that its line could not be posted', async () => {
    // Prepare
    const preview = await harness.reply('repo delete sandbox-tmp', e2eUsers.operator);
    harness.slack.failMethod('chat.postMessage', 'not_in_channel', { channel: notifyChannel });

    // Act
    const click = await harness.click(buttonIn(preview, 'Cancel'), e2eUsers.operator);
    await harness.settle();

    // Assess
    const text = readableText(harness.posted(click.responseUrl).at(-1));
    expect(text).toContain('Cancelled by');
    expect(text).toContain(`This was recorded, but its notice could not be posted in <#${notifyChannel}>`);
    expect(text).toContain(`\`/invite\` <@${harness.slack.botUserId}> in <#${notifyChannel}>`);
  });
});
