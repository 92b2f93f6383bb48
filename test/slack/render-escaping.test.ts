import type { Form, Reply } from '../../src/commands/reply';
import { UserError } from '../../src/errors';
import { createLogger } from '../../src/logger';
import { channelLink, dateText, link, mention, rich, userGroupMention } from '../../src/rich-text';
import { failureReply } from '../../src/slack/failure-reply';
import {
  renderForm,
  renderMrkdwn,
  renderNoticeView,
  renderNotification,
  renderOptions,
  renderReply,
  renderSecret,
} from '../../src/slack/render';
import { messageLimitProblems } from '../support/block-limits';

const hostile = 'Hi <@U123|bob> & <!channel>';
const escaped = 'Hi &lt;@U123|bob&gt; &amp; &lt;!channel&gt;';
const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

type Json = Record<string, unknown>;

/** Every text object in `value` as `type: text`, in order. */
function textObjects(value: unknown): string[] {
  const found: string[] = [];
  const visit = (node: unknown) => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== 'object') return;
    const object = node as Json;
    if ((object.type === 'mrkdwn' || object.type === 'plain_text') && typeof object.text === 'string') {
      found.push(`${object.type}: ${object.text}`);
      return;
    }
    Object.values(object).forEach(visit);
  };
  visit(value);
  return found;
}

describe('renderReply escaping', () => {
  it('escapes a value in every mrkdwn context and in the fallback text, and keeps plain_text as written', () => {
    // Prepare
    const reply: Reply = {
      text: `Repositories matching \`${hostile}\``,
      parts: [
        { type: 'header', text: hostile },
        { type: 'text', text: hostile },
        { type: 'fields', fields: [{ label: hostile, value: hostile }] },
        {
          type: 'list',
          empty: 'unused',
          items: [
            {
              title: hostile,
              lines: [hostile],
              action: {
                label: hostile,
                invocation: { command: 'repo.show', args: { repo: 'r1' } },
                confirm: { title: hostile, text: hostile, confirm: 'Go', deny: 'Back' },
              },
            },
          ],
        },
        { type: 'context', text: hostile },
      ],
    };

    // Act
    const message = renderReply(reply);

    // Assess
    expect(message.text).toBe(`Repositories matching \`${escaped}\``);
    expect(textObjects(message.blocks)).toEqual([
      `plain_text: ${hostile}`,
      `mrkdwn: ${escaped}`,
      `mrkdwn: *${escaped}*\n${escaped}`,
      `mrkdwn: ${escaped}\n${escaped}`,
      `plain_text: ${hostile}`,
      `plain_text: ${hostile}`,
      `plain_text: ${hostile}`,
      'plain_text: Go',
      'plain_text: Back',
      `mrkdwn: ${escaped}`,
    ]);
  });

  it('turns off automatic parsing on every mrkdwn object, so a typed @channel stays text', () => {
    // Act
    const message = renderReply({
      text: '@channel',
      parts: [
        { type: 'text', text: '@channel' },
        { type: 'fields', fields: [{ label: 'Description', value: '@here #general' }] },
        { type: 'context', text: '@everyone' },
      ],
    });

    // Assess
    const mrkdwnObjects = JSON.stringify(message.blocks).match(/\{"type":"mrkdwn"[^}]*\}/g) ?? [];
    expect(mrkdwnObjects).toHaveLength(3);
    for (const object of mrkdwnObjects) expect(JSON.parse(object)).toMatchObject({ verbatim: true });
  });

  it('escapes the text of an empty list when the list has no rows', () => {
    // Act
    const message = renderReply({
      text: 'none',
      parts: [{ type: 'list', items: [], empty: `No repository name contains \`${hostile}\`.` }],
    });

    // Assess
    expect(textObjects(message.blocks)).toEqual([`mrkdwn: No repository name contains \`${escaped}\`.`]);
  });

  it('renders markup objects as Slack syntax and shows ids and URLs it cannot trust as text', () => {
    // Prepare
    const text = rich`${mention('U0OPERATOR')} ${mention('W0GRID')} ${channelLink('C0OPS')} ${userGroupMention('S0DEVS')} ${dateText(1_700_000_000, 'Nov 14 <2023>')} ${link('https://vngcloud.vn/a?b=1&c=2', 'docs | more')} / ${mention('U1>|<!channel')} ${channelLink('general')} ${link('javascript:alert(1)', 'x')}`;

    // Act
    const rendered = renderMrkdwn(text);

    // Assess
    expect(rendered).toBe(
      '<@U0OPERATOR> <@W0GRID> <#C0OPS> <!subteam^S0DEVS> <!date^1700000000^{date_short_pretty} {time}|Nov 14 &lt;2023&gt;> ' +
        '<https://vngcloud.vn/a?b=1&amp;c=2|docs   more> / @U1&gt;|&lt;!channel #general x (javascript:alert(1))',
    );
  });

  it('shows a UserError with a mention and a hint with channel links, the words of both escaped', () => {
    // Prepare
    const logger = createLogger({ sink: () => {} });
    const error = new UserError(rich`Only ${mention('U0OPERATOR')} may confirm \`${hostile}\`.`, {
      hint: rich`Use it in ${channelLink('C0OPS')} & ask ${mention('U0ADMIN')}.`,
    });

    // Act
    const message = renderReply(failureReply(error, logger));

    // Assess
    expect(message.text).toBe(`Only <@U0OPERATOR> may confirm \`${escaped}\`.`);
    expect(textObjects(message.blocks)).toEqual([
      `mrkdwn: Only <@U0OPERATOR> may confirm \`${escaped}\`.`,
      'mrkdwn: Use it in <#C0OPS> &amp; ask <@U0ADMIN>.',
    ]);
  });

  it('escapes a notification, a modal notice and a DM, keeping the mention the bot wrote', () => {
    // Prepare
    const notify = rich`${mention('U0OPERATOR')} updated repository user \`qa-reader\`: description “${hostile}”`;

    // Act
    const notification = renderNotification(notify);
    const notice = renderNoticeView('Not done', rich`Refused: ${hostile}`);
    const dm = renderSecret({ value: 'a&b<c>', title: `Secret of ${hostile}`, lines: [`Log in as ${hostile}`] });

    // Assess
    const line = `<@U0OPERATOR> updated repository user \`qa-reader\`: description “${escaped}”`;
    expect(notification.text).toBe(line);
    expect(textObjects(notification.blocks)).toEqual([`mrkdwn: ${line}`]);
    expect(textObjects(notice.blocks)).toEqual([`mrkdwn: Refused: ${escaped}`]);
    expect(dm.text).toBe(`Secret of ${escaped}`);
    expect(textObjects(dm.blocks)).toEqual([
      `plain_text: Secret of ${hostile}`,
      'mrkdwn: ```a&amp;b&lt;c&gt;```',
      `mrkdwn: Log in as ${escaped}`,
    ]);
  });

  it('keeps form labels, hints, initial values and option texts as written, since Slack shows them as plain text', () => {
    // Prepare
    const form: Form = {
      title: 'Edit <user>',
      submit: 'Save',
      command: 'user.update',
      fields: [
        { kind: 'text', name: 'description', label: `Description of ${hostile}`, hint: hostile, initial: hostile },
        { kind: 'select', name: 'access', label: 'Access', options: [{ value: 'pull', text: hostile }] },
      ],
    };

    // Act
    const view = renderForm(form, '{}');
    const options = renderOptions([{ value: 'u1', text: hostile }]);

    // Assess
    expect(textObjects(view)).toEqual([
      'plain_text: Edit <user>',
      'plain_text: Save',
      'plain_text: Cancel',
      `plain_text: Description of ${hostile}`,
      `plain_text: ${hostile}`,
      'plain_text: Access',
      `plain_text: ${hostile}`,
    ]);
    expect(JSON.stringify(view)).toContain(`"initial_value":${JSON.stringify(hostile)}`);
    expect(options).toEqual([{ text: { type: 'plain_text', text: hostile, emoji: true }, value: 'u1' }]);
  });

  it('replaces half of a surrogate pair that arrived alone with U+FFFD in mrkdwn and plain_text', () => {
    // Act
    const message = renderReply({ text: 'x\uD83D', parts: [{ type: 'header', text: 'y\uDE00' }] });

    // Assess
    expect(message.text).toBe('x\uFFFD');
    expect(textObjects(message.blocks)).toEqual(['plain_text: y\uFFFD']);
  });
});

describe('renderReply cutting', () => {
  it('cuts the fallback text after escaping and before an entity that would not fit whole', () => {
    // Prepare
    const text = `${'a'.repeat(2997)}&b`;

    // Act
    const message = renderReply({ text, parts: [] });

    // Assess
    expect(message.text).toBe(`${'a'.repeat(2997)}…`);
  });

  it('cuts a field between emoji and counts the escaped length against its 2000 characters', () => {
    // Prepare
    const value = `${'<'.repeat(400)}${'😀'.repeat(200)}`;

    // Act
    const message = renderReply({
      text: 'card',
      parts: [{ type: 'fields', fields: [{ label: 'Description', value }] }],
    });

    // Assess
    const [field] = textObjects(message.blocks);
    const text = field!.replace('mrkdwn: ', '');
    expect(text.length).toBeLessThanOrEqual(2000);
    expect(text).not.toMatch(loneSurrogate);
    expect(text).toBe(`*Description*\n${'&lt;'.repeat(400)}${'😀'.repeat(192)}…`);
    expect(messageLimitProblems(message)).toEqual([]);
  });

  it('never cuts through a mention the bot wrote when it stands at the limit', () => {
    // Prepare
    const text = rich`${'x'.repeat(2990)}${mention('U0OPERATOR')} did it`;

    // Act
    const message = renderReply({ text, parts: [{ type: 'context', text }] });

    // Assess
    expect(message.text).toBe(`${'x'.repeat(2990)}…`);
    expect(textObjects(message.blocks)).toEqual([`mrkdwn: ${'x'.repeat(2990)}…`]);
  });

  it('splits a long line into sections between characters and entities, losing nothing', () => {
    // Prepare
    const text = `${'x'.repeat(2998)}&${'😀'.repeat(2000)}`;

    // Act
    const message = renderReply({ text: 'long', parts: [{ type: 'text', text }] });

    // Assess
    const sections = textObjects(message.blocks).map((line) => line.replace('mrkdwn: ', ''));
    expect(sections[0]).toBe('x'.repeat(2998));
    expect(sections[1]!.startsWith('&amp;😀')).toBe(true);
    expect(sections.join('')).toBe(renderMrkdwn(text));
    for (const section of sections) {
      expect(section.length).toBeLessThanOrEqual(3000);
      expect(section).not.toMatch(loneSurrogate);
    }
  });

  it('cuts a header, a button label and an option text between grapheme clusters', () => {
    // Prepare
    const flags = '🇻🇳'.repeat(60);

    // Act
    const message = renderReply({
      text: 'flags',
      parts: [
        { type: 'header', text: flags },
        { type: 'actions', actions: [{ label: flags, invocation: { command: 'repos.list', args: {} } }] },
      ],
    });
    const [option] = renderOptions([{ value: 'v', text: flags }]);

    // Assess
    const [header, label] = textObjects(message.blocks).map((line) => line.replace('plain_text: ', ''));
    expect(header).toBe(`${'🇻🇳'.repeat(37)}…`);
    expect(label).toBe(`${'🇻🇳'.repeat(18)}…`);
    expect(option?.text.text).toBe(`${'🇻🇳'.repeat(18)}…`);
  });
});
