/**
 * Property-based checks of the renderer for values nobody wrote by hand (issue 8 §1 and §5): whatever a value holds
 * and wherever a reply puts it, nothing it brings becomes markup, and every cut or split falls between characters,
 * outside entities and markup, within Slack's limits, as a prefix of the whole plus an ellipsis.
 */
import fc from 'fast-check';
import { truncate } from '../../src/commands/format';
import type { Form, Reply } from '../../src/commands/reply';
import { UserError } from '../../src/errors';
import { createLogger } from '../../src/logger';
import { channelLink, mention, type RichText, rich, type Segment } from '../../src/rich-text';
import { failureReply } from '../../src/slack/failure-reply';
import {
  renderForm,
  renderMrkdwn,
  renderNoticeView,
  renderNotification,
  renderOptions,
  renderReply,
  renderSecret,
  type SlackMessage,
  slackLimits,
} from '../../src/slack/render';
import { messageLimitProblems, viewLimitProblems } from '../support/block-limits';

type Json = Record<string, unknown>;

// Each property runs its cases in well under a second on this machine; the seed is printed when one fails.
const runs = { numRuns: 1000 };

const actor = 'U0ACTOR';
const channel = 'C0OPS';
/** The only markup the bot writes in these replies; anything else between `<` and `>` came from a value. */
const botMarkup = new Set([`<@${actor}>`, `<#${channel}>`]);

const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const loneSurrogates = new RegExp(loneSurrogate.source, 'g');
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** Pieces that Slack or a cut could trip on, mixed with ordinary graphemes and code points. */
const piece = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      '<',
      '>',
      '&',
      '&amp;',
      '&lt;',
      '<!channel>',
      '<@U123|bob>',
      '<https://evil.example|docs>',
      '@here',
      '`',
      '*',
      '|',
      '\n',
      ' ',
      '😀',
      '👨‍👩‍👧‍👦',
      '🇻🇳',
      'e\u0301',
      '\uD83D',
      '\uDE00',
    ),
  },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 3 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 3 }) },
);

/** A value: usually short, sometimes repeated past every limit of Slack's. */
const value = fc
  .tuple(fc.string({ unit: piece, maxLength: 30 }), fc.oneof(fc.constant(1), fc.integer({ min: 1, max: 400 })))
  .map(([text, times]) => text.repeat(times));

/** Rich text as commands build it: values mixed with the bot's own mentions and channel links. */
const richText = fc.array(
  fc.oneof({ weight: 4, arbitrary: value }, fc.constant(mention(actor)), fc.constant(channelLink(channel))),
  { maxLength: 6 },
);

/** Where a value can be put: every part kind and every other way text reaches Slack. */
const placements = [
  'text',
  'fieldLabel',
  'fieldValue',
  'listTitle',
  'listLine',
  'listEmpty',
  'context',
  'header',
  'actionLabel',
  'confirm',
  'fallback',
  'notify',
  'errorText',
  'errorHint',
  'secret',
  'notice',
  'form',
  'options',
] as const;
type Placement = (typeof placements)[number];

/** What the renderer made of a value: messages, modal views and options lists. */
interface Rendered {
  messages: SlackMessage[];
  views: Json[];
  options: Json[][];
}

const quiet = createLogger({ sink: () => {} });

/** Puts `text` where `placement` says, next to markup the bot writes, and renders it. */
function place(placement: Placement, text: string): Rendered {
  const said = rich`${mention(actor)} said “${text}” in ${channelLink(channel)}`;
  const reply = (parts: Reply['parts'], fallback: RichText = 'reply'): Rendered => ({
    messages: [renderReply({ text: fallback, parts })],
    views: [],
    options: [],
  });
  const action = (
    label: string,
    confirm?: NonNullable<Reply['parts'][number] & { type: 'actions' }>['actions'][0]['confirm'],
  ) => ({ label, invocation: { command: 'repos.list', args: {} }, ...(confirm ? { confirm } : {}) });
  switch (placement) {
    case 'text':
      return reply([{ type: 'text', text: said }]);
    case 'fieldLabel':
      return reply([{ type: 'fields', fields: [{ label: text, value: said }] }]);
    case 'fieldValue':
      return reply([{ type: 'fields', fields: [{ label: 'Description', value: said }] }]);
    case 'listTitle':
      return reply([{ type: 'list', empty: 'none', items: [{ title: said, lines: ['one line'] }] }]);
    case 'listLine':
      return reply([
        { type: 'list', empty: 'none', items: [{ title: '*row*', lines: [said, said], action: action('Open') }] },
      ]);
    case 'listEmpty':
      return reply([{ type: 'list', empty: said, items: [] }]);
    case 'context':
      return reply([{ type: 'context', text: said }]);
    case 'header':
      return reply([{ type: 'header', text }]);
    case 'actionLabel':
      return reply([{ type: 'actions', actions: [action(text)] }]);
    case 'confirm':
      return reply([
        { type: 'actions', actions: [action('Delete', { title: text, text, confirm: text, deny: text })] },
      ]);
    case 'fallback':
      return reply([], said);
    case 'notify':
      return { messages: [renderNotification(said)], views: [], options: [] };
    case 'errorText':
      return { messages: [renderReply(failureReply(new UserError(said), quiet))], views: [], options: [] };
    case 'errorHint':
      return {
        messages: [renderReply(failureReply(new UserError('Refused.', { hint: said }), quiet))],
        views: [],
        options: [],
      };
    case 'secret':
      return { messages: [renderSecret({ value: text, title: text, lines: [said] })], views: [], options: [] };
    case 'notice':
      return { messages: [], views: [renderNoticeView(text, said) as unknown as Json], options: [] };
    case 'form': {
      const form: Form = {
        title: text,
        submit: text,
        command: 'user.update',
        fields: [
          { kind: 'text', name: 'description', label: text, hint: text, initial: text },
          { kind: 'select', name: 'access', label: text, options: [{ value: 'pull', text }] },
        ],
      };
      return { messages: [], views: [renderForm(form, '{}') as unknown as Json], options: [] };
    }
    case 'options':
      return { messages: [], views: [], options: [renderOptions([{ value: 'v1', text }]) as unknown as Json[]] };
  }
}

/** Every text object of `node`, with whether Slack reads it as mrkdwn. */
function textObjects(node: unknown, found: { mrkdwn: boolean; text: string }[] = []) {
  if (!node || typeof node !== 'object') return found;
  const object = node as Json;
  if ((object.type === 'mrkdwn' || object.type === 'plain_text') && typeof object.text === 'string') {
    found.push({ mrkdwn: object.type === 'mrkdwn', text: object.text });
  } else {
    for (const child of Object.values(object)) textObjects(child, found);
  }
  return found;
}

/** The texts Slack reads as mrkdwn: every mrkdwn object and each message's top-level `text`. */
function mrkdwnTexts(rendered: Rendered): string[] {
  return [
    ...rendered.messages.map((message) => message.text),
    ...textObjects([rendered.messages, rendered.views])
      .filter((object) => object.mrkdwn)
      .map((object) => object.text),
  ];
}

/** What in a mrkdwn text is not the bot's own markup or one of the three entities: a live `<`, `>` or `&`. */
function liveControlCharacters(text: string): string[] {
  const rest = text.replace(/<[^<>]*>/g, (token) => (botMarkup.has(token) ? '' : token));
  return rest.replace(/&(?:amp|lt|gt);/g, '').match(/[<>&]/g) ?? [];
}

function decode(text: string): string {
  return text.replace(/&(amp|lt|gt);/g, (_, name: string) => ({ amp: '&', lt: '<', gt: '>' })[name]!);
}

/** Every string anywhere in `node`. */
function strings(node: unknown, found: string[] = []): string[] {
  if (typeof node === 'string') found.push(node);
  else if (node && typeof node === 'object') for (const child of Object.values(node)) strings(child, found);
  return found;
}

/** True when the prefix ends between code points, outside an entity and outside a piece of markup. */
function endsCleanly(prefix: string): boolean {
  if (loneSurrogate.test(prefix)) return false;
  if (/&[a-z]*$/.test(prefix)) return false;
  const lastOpen = prefix.lastIndexOf('<');
  return lastOpen === -1 || prefix.indexOf('>', lastOpen) !== -1;
}

/** True when `index` is a grapheme cluster boundary of `text` (read from a little past it, which decides it). */
function isGraphemeBoundary(text: string, index: number): boolean {
  const head = text.slice(0, index + 32);
  if (index >= head.length) return true;
  for (const segment of graphemes.segment(head)) if (segment.index === index) return true;
  return false;
}

/** Checks that `out` is `full`, or a clean prefix of it plus `…` within `max`; `atGraphemes` for plain_text. */
function expectCutOf(out: string, full: string, max: number, atGraphemes: boolean): void {
  expect(out.length).toBeLessThanOrEqual(max);
  expect(out).not.toMatch(loneSurrogate);
  if (full.length <= max) {
    expect(out).toBe(full);
    return;
  }
  expect(out.endsWith('…')).toBe(true);
  const prefix = out.slice(0, -1);
  expect(full.startsWith(prefix)).toBe(true);
  if (atGraphemes) expect(isGraphemeBoundary(full, prefix.length)).toBe(true);
  else expect(endsCleanly(prefix)).toBe(true);
}

describe('renderer properties', () => {
  it('makes nothing a value holds into markup, wherever a reply puts it (1000 cases)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...placements), value, (placement, text) => {
        // Act
        const rendered = place(placement, text);

        // Assess
        for (const mrkdwn of mrkdwnTexts(rendered)) expect(liveControlCharacters(mrkdwn)).toEqual([]);
        // The value did reach the output: its start, as Slack will show it, is in some text the user reads.
        const shown = [...mrkdwnTexts(rendered).map(decode), ...textObjects(rendered).map((object) => object.text)];
        const start = truncate(text.replace(loneSurrogates, '\uFFFD'), 10).replace(/…$/, '');
        expect(shown.some((line) => line.includes(start))).toBe(true);
      }),
      runs,
    );
  });

  it('keeps every rendered message, modal and option list within Slack limits and free of lone surrogates (1000 cases)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...placements), value, (placement, text) => {
        // Act
        const rendered = place(placement, text);

        // Assess
        for (const message of rendered.messages) {
          expect(messageLimitProblems(message)).toEqual([]);
          expect(message.text.length).toBeLessThanOrEqual(slackLimits.messageText);
        }
        for (const view of rendered.views) expect(viewLimitProblems(view)).toEqual([]);
        for (const options of rendered.options) {
          for (const option of options as { text: { text: string }; value: string }[]) {
            expect(option.text.text.length).toBeLessThanOrEqual(slackLimits.optionText);
          }
        }
        for (const string of strings(rendered)) expect(string).not.toMatch(loneSurrogate);
      }),
      runs,
    );
  });

  it('cuts mrkdwn after escaping, at a clean point, as a prefix of the whole plus an ellipsis (1000 cases)', () => {
    fc.assert(
      fc.property(richText, (segments: Segment[]) => {
        // Prepare
        const full = renderMrkdwn(segments);

        // Act
        const message = renderReply({
          text: segments,
          parts: [
            { type: 'context', text: segments },
            { type: 'fields', fields: [{ label: 'Label', value: segments }] },
          ],
        });

        // Assess
        const [context, field] = textObjects(message.blocks).map((object) => object.text);
        expectCutOf(message.text, full, slackLimits.messageText, false);
        expectCutOf(context!, full || ' ', slackLimits.sectionText, false);
        expectCutOf(field!, `*Label*\n${full || ' '}`, slackLimits.fieldText, false);
      }),
      runs,
    );
  });

  it('splits long mrkdwn into sections that lose nothing and break no entity or markup (1000 cases)', () => {
    fc.assert(
      fc.property(richText, (segments: Segment[]) => {
        // Prepare
        const full = renderMrkdwn(segments);

        // Act
        const message = renderReply({ text: 'long', parts: [{ type: 'text', text: segments }] });

        // Assess
        const sections = textObjects(message.blocks).map((object) => object.text);
        if (full === '') return expect(sections).toEqual([' ']);
        expect(sections.join('').replace(/\n/g, '')).toBe(full.replace(/\n/g, ''));
        for (const section of sections) {
          expect(section.length).toBeLessThanOrEqual(slackLimits.sectionText);
          expect(section).not.toMatch(loneSurrogate);
          expect(endsCleanly(section)).toBe(true);
        }
      }),
      runs,
    );
  });

  it('cuts plain_text between grapheme clusters, as a prefix of the whole plus an ellipsis (1000 cases)', () => {
    fc.assert(
      fc.property(value, fc.constantFrom(24, 30, 75, 150, 300), (text, max) => {
        // Prepare
        const wellFormed = text.replace(loneSurrogates, '\uFFFD');

        // Act
        const message = renderReply({ text: 'plain', parts: [{ type: 'header', text }] });
        const cut = truncate(wellFormed, max);

        // Assess
        expectCutOf(cut, wellFormed, max, true);
        const [header] = textObjects(message.blocks).map((object) => object.text);
        expectCutOf(header!, wellFormed || ' ', slackLimits.headerText, true);
      }),
      runs,
    );
  });
});
