/**
 * The Home tab's view (docs/decisions/0022-home-tab.md): rows with their buttons, the line that counts what was left
 * out, and, for replies nobody wrote by hand, Slack's Home limits and escaping whatever the reply holds.
 */
import fc from 'fast-check';
import type { Action, ListItem, Part, Reply } from '../../src/commands/reply';
import { renderHomeView, renderReply } from '../../src/slack/render';
import { messageLimitProblems, viewLimitProblems } from '../support/block-limits';

const open = (name: string): Action => ({ label: 'Open', invocation: { command: 'user.show', args: { user: name } } });

describe('renderHomeView', () => {
  it('renders a row with its buttons under it and counts the rows left out with where to see them', () => {
    // Prepare
    const reply: Reply = {
      text: 'Home',
      parts: [
        {
          type: 'list',
          empty: 'none',
          items: [
            { title: '*web* 85%', lines: ['above 80%'], actions: [open('a'), { ...open('b'), label: 'Disable' }] },
          ],
          more: { count: 4, hint: 'run `/vcr repos`' },
        },
      ],
    };

    // Act
    const view = renderHomeView(reply);

    // Assess
    expect(view.type).toBe('home');
    expect(view.blocks.map((block) => block.type)).toEqual(['section', 'actions', 'context']);
    expect(JSON.stringify(view.blocks[2])).toContain('…and 4 more — run `/vcr repos`');
  });

  it('keeps its first rows and counts the rest when lists hold more than 100 blocks', () => {
    // Prepare
    const items: ListItem[] = Array.from({ length: 80 }, (_, index) => ({
      title: `row ${index}`,
      actions: [open(String(index))],
    }));
    const reply: Reply = {
      text: 'Home',
      parts: [
        { type: 'header', text: 'Rows' },
        { type: 'list', empty: 'none', items },
      ],
    };

    // Act
    const view = renderHomeView(reply);

    // Assess
    expect(view.blocks).toHaveLength(100);
    expect(JSON.stringify(view.blocks.at(-1))).toContain('…and 31 more');
    expect(viewLimitProblems(view as unknown as Record<string, unknown>)).toEqual([]);
  });
});

/** Values that could turn into markup or break a limit. */
const value = fc
  .tuple(
    fc.string({
      unit: fc.oneof(fc.constantFrom('<!channel>', '<@U1|x>', '&', '<', '>', '*', '\n', '😀'), fc.string()),
      maxLength: 12,
    }),
    fc.integer({ min: 1, max: 300 }),
  )
  .map(([text, times]) => text.repeat(times));

const action = fc.record({
  label: value,
  invocation: fc.record({ command: fc.constant('repo.quota'), args: fc.record({ repo: value }) }),
}) as fc.Arbitrary<Action>;

const item = fc.record(
  { title: value, lines: fc.array(value, { maxLength: 3 }), actions: fc.array(action, { maxLength: 4 }) },
  { requiredKeys: ['title'] },
) as fc.Arbitrary<ListItem>;

const part: fc.Arbitrary<Part> = fc.oneof(
  fc.record({ type: fc.constant('header' as const), text: value }),
  fc.record({ type: fc.constant('text' as const), text: value }),
  fc.record({ type: fc.constant('context' as const), text: value }),
  fc.record({ type: fc.constant('divider' as const) }),
  fc.record(
    {
      type: fc.constant('list' as const),
      items: fc.array(item, { maxLength: 120 }),
      empty: value,
      more: fc.record({ count: fc.integer({ min: 0, max: 500 }), hint: value }, { requiredKeys: ['count'] }),
    },
    { requiredKeys: ['type', 'items', 'empty'] },
  ),
);

const reply = fc.record({ text: value, parts: fc.array(part, { maxLength: 14 }) }) as fc.Arbitrary<Reply>;

/** The text of every mrkdwn object in `node`. */
function mrkdwnTexts(node: unknown, found: string[] = []): string[] {
  if (!node || typeof node !== 'object') return found;
  const object = node as Record<string, unknown>;
  if (object.type === 'mrkdwn' && typeof object.text === 'string') found.push(object.text);
  else for (const child of Object.values(object)) mrkdwnTexts(child, found);
  return found;
}

describe('Home view properties', () => {
  it('stays within the Home tab’s limits and a message’s, with no value made into markup (300 cases)', () => {
    fc.assert(
      fc.property(reply, (given) => {
        // Act
        const view = renderHomeView(given);
        const message = renderReply(given);

        // Assess
        expect(viewLimitProblems(view as unknown as Record<string, unknown>)).toEqual([]);
        expect(messageLimitProblems(message)).toEqual([]);
        // Slack reads only mrkdwn for markup; plain_text (headers, button labels) is shown as written.
        const markup = mrkdwnTexts(view.blocks).flatMap((text) => text.match(/[<>]/g) ?? []);
        expect(markup).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });
});
