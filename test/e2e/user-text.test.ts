/**
 * What users type, what vCR stores and what Slack escapes, end to end: none of it becomes live markup in what the bot
 * posts (issue 8 §1), and nothing the bot cuts leaves half an emoji (issue 8 §5).
 */
import { e2eUsers, readableText, useE2eHarness } from '../support/e2e-harness';

const notifyChannel = 'C0AUDIT';
const harness = useE2eHarness({ env: { VCR_NOTIFY_CHANNEL: notifyChannel } });

const description = 'Hi <@U123|bob> & <!channel>';
const escapedDescription = 'Hi &lt;@U123|bob&gt; &amp; &lt;!channel&gt;';
const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

type Json = Record<string, unknown>;

/** The texts Slack reads as mrkdwn in a message: its top-level `text` and every mrkdwn text object. */
function mrkdwnTexts(message: Json | undefined): string[] {
  const texts = typeof message?.text === 'string' ? [message.text] : [];
  const visit = (node: unknown) => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== 'object') return;
    const object = node as Json;
    if (object.type === 'mrkdwn' && typeof object.text === 'string') texts.push(object.text);
    else Object.values(object).forEach(visit);
  };
  visit(message?.blocks);
  return texts;
}

/** Every `<…>` Slack would parse as markup, and every `&` that does not start an entity, in the mrkdwn of `message`. */
function liveMarkup(message: Json | undefined): string[] {
  return mrkdwnTexts(message).flatMap((text) => [
    ...(text.match(/<[^>]*>?/g) ?? []),
    ...(text.match(/&(?!amp;|lt;|gt;)/g) ?? []),
  ]);
}

/** Types a command that opens a modal; returns the view sent to views.open and the command's response_url. */
async function openModal(text: string, userId: string) {
  const { ack, responseUrl } = await harness.command(text, userId);
  expect(ack.statusCode).toBe(200);
  const view = harness.callsOf('views.open').at(-1)!.view as Json;
  return { view, responseUrl };
}

/** The `state.values` of the Edit form of a repository user, with `description` typed in. */
function editState(view: Json, typed: string) {
  const values: Record<string, Record<string, Json>> = {};
  for (const block of view.blocks as Json[]) {
    const element = block.element as Json;
    const value = String(block.block_id).endsWith('description') ? typed : (element.initial_value ?? null);
    values[String(block.block_id)] = { [String(element.action_id)]: { type: element.type, value } };
  }
  return values;
}

describe('user text in replies', () => {
  it('shares no live <!channel> when a filter that Slack escaped is typed with --share', async () => {
    // Prepare
    const typed = 'repos &lt;!channel&gt; --share';

    // Act
    const { ack, responseUrl } = await harness.command(typed, e2eUsers.viewer);
    await harness.settle();

    // Assess
    const shared = harness.posted(responseUrl).find((post) => post.response_type === 'in_channel');
    expect(shared?.response_type).toBe('in_channel');
    expect(liveMarkup(shared)).toEqual([]);
    expect(liveMarkup(ack.json)).toEqual([]);
    expect(shared?.text).toContain('&lt;!channel&gt;');
    expect(mrkdwnTexts(shared).join('\n')).toContain('No repository name contains `&lt;!channel&gt;`');
    expect(readableText(ack.json)).toContain('Working on `/vcr repos &lt;!channel&gt; --share`');
    // The filter vCR was asked for is what the user typed, not Slack's escaped form.
    const listed = harness.emulator.requests.filter((request) => request.path === '/v1/repository').at(-1);
    expect(listed?.query.name).toBe('<!channel>');
  });

  it('carries a description set through the Edit form as text in the summary, the notification, the shared card and the delete preview', async () => {
    // Prepare
    const { view, responseUrl } = await openModal('user update qa-reader', e2eUsers.operator);
    const postsBefore = harness.callsOf('chat.postMessage').length;

    // Act
    const submitted = await harness.submit(view, e2eUsers.operator, editState(view, description));
    await harness.settle();
    const summary = harness.posted(responseUrl).at(-1);
    const notification = harness
      .callsOf('chat.postMessage')
      .slice(postsBefore)
      .find((call) => call.channel === notifyChannel);
    const card = await harness.reply('user qa-reader --share', e2eUsers.viewer);
    const preview = await harness.reply('user delete qa-reader', e2eUsers.operator);

    // Assess
    expect(submitted.statusCode).toBe(200);
    expect(harness.emulator.state.users.find((user) => user.name === 'qa-reader')?.description).toBe(description);
    expect(card.response_type).toBe('in_channel');
    for (const message of [summary, notification, card, preview]) {
      expect(mrkdwnTexts(message).join('\n')).toContain(escapedDescription);
    }
    expect(liveMarkup(summary)).toEqual([]);
    expect(liveMarkup(card)).toEqual([]);
    expect(liveMarkup(preview)).toEqual([]);
    // The one piece of markup is the bot's own mention of who made the change.
    expect(liveMarkup(notification)).toEqual([`<@${e2eUsers.operator}>`, `<@${e2eUsers.operator}>`]);
  });
});

describe('cutting what users typed', () => {
  it('acks without half an emoji when the typed command ends in emoji past the cut', async () => {
    // Prepare
    const typed = `repos ${'a'.repeat(187)}😀😀😀`;

    // Act
    const { ack, responseUrl } = await harness.command(typed, e2eUsers.viewer);
    await harness.settle();

    // Assess
    const texts = [...mrkdwnTexts(ack.json), ...mrkdwnTexts(harness.posted(responseUrl).at(-1))];
    expect(texts.length).toBeGreaterThan(2);
    for (const text of texts) expect(text).not.toMatch(loneSurrogate);
    expect(ack.json?.text).toBe(`Working on \`/vcr repos ${'a'.repeat(187)}…\`…`);
  });
});
