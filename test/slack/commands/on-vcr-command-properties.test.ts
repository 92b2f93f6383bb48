/**
 * The slash command's ack for typed text nobody wrote by hand, through the real Bolt app and signed requests: the
 * text Slack escaped comes back escaped, never as markup, and every cut of it falls between characters (issue 8 §1
 * and §5). Jobs are dispatched to nowhere: only the ack is under test here.
 */
import fc from 'fast-check';
import { slackLimits } from '../../../src/slack/render';
import { messageLimitProblems } from '../../support/block-limits';
import { users, useSlackHarness } from '../../support/slack-harness';

const h = useSlackHarness({ dispatcher: () => ({ dispatch: async () => {} }) });

type Json = Record<string, unknown>;

const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Words a user might type: Slack's control characters, markup, emoji that a cut could split, and anything else. */
const word = fc.oneof(
  fc.constantFrom(
    '<!channel>',
    '<@U123|bob>',
    '&',
    '&amp;',
    '<',
    '>',
    '😀😀😀',
    '👨‍👩‍👧‍👦',
    '🇻🇳',
    'e\u0301',
    '`',
    '--share',
  ),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 8 }),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 8 }),
);
// The working line cuts what was typed at 200 characters: padding often brings a word's emoji to that cut.
const typedText = fc
  .tuple(
    fc.constantFrom('repos ', 'repo ', 'users ', '', 'repos --page '),
    fc.oneof(fc.nat(260), fc.integer({ min: 180, max: 200 })),
    fc.oneof(fc.tuple(word), fc.array(word, { maxLength: 6 })),
  )
  .map(([command, padding, words]) => `${command}${'a'.repeat(padding)}${words.join(' ')}`);

/** What Slack does to typed text before it sends a slash command. */
function escapeLikeSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The ack's top-level `text` and every mrkdwn text object in its blocks. */
function mrkdwnTexts(message: Json): string[] {
  const texts = typeof message.text === 'string' ? [message.text] : [];
  const visit = (node: unknown) => {
    if (!node || typeof node !== 'object') return;
    const object = node as Json;
    if (object.type === 'mrkdwn' && typeof object.text === 'string') texts.push(object.text);
    else for (const child of Object.values(object)) visit(child);
  };
  visit(message.blocks);
  return texts;
}

describe('onVcrCommand properties', () => {
  it('acks any typed text with no live markup, no half emoji and nothing past a limit (1000 cases)', async () => {
    await fc.assert(
      fc.asyncProperty(typedText, async (typed) => {
        // Act
        const { ack } = await h.command(escapeLikeSlack(typed), users.viewer);

        // Assess
        expect(ack.statusCode).toBe(200);
        const message = ack.json as Json & { text: string; blocks: unknown[] };
        expect(messageLimitProblems(message)).toEqual([]);
        expect(message.text.length).toBeLessThanOrEqual(slackLimits.messageText);
        // A cut through a surrogate pair would show as U+FFFD once made well-formed, so none may appear that the
        // typed text did not bring.
        const replaced = /\uFFFD/.test(typed) || loneSurrogate.test(typed);
        for (const text of mrkdwnTexts(message)) {
          expect(text.replace(/&(?:amp|lt|gt);/g, '')).not.toMatch(/[<>&]/);
          expect(text).not.toMatch(loneSurrogate);
          if (!replaced) expect(text).not.toContain('\uFFFD');
        }
      }),
      { numRuns: 1000 },
    );
  });
});
