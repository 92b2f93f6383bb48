/**
 * The one renderer: platform-free replies and forms become Block Kit here and nowhere else, so every Slack limit of
 * docs/slack-limits.md is enforced in one place (botkube's executor/renderer split). It is also the one place that
 * escapes: every string bound for a mrkdwn context has `&`, `<` and `>` escaped, markup comes only from `Markup`
 * objects, and texts are cut after escaping, between characters and never inside an entity or a piece of markup
 * (docs/decisions/0009-escaping-and-cutting.md).
 */
import type { types } from '@slack/bolt';
import { truncate, wholeCharactersWithin } from '../commands/format';
import type { Action, Form, FormField, ListMore, Part, Reply } from '../commands/reply';
import { Markup, type MarkupToken, type RichText, toPlainText } from '../rich-text';
import { encodeDecisionValue, encodeInvocationValue } from './button-value';
import { actionIds, callbackIds, fieldBlockId, imagePickerActionId } from './ids';

/** A message as Slack's `chat.postMessage`, `response_url` and command acks take it. */
export interface SlackMessage {
  /** Fallback text for notifications and clients without blocks. */
  text: string;
  blocks: types.KnownBlock[];
}

/** Limits from docs/slack-limits.md#block-kit-sizes, named once. */
export const slackLimits = {
  messageBlocks: 50,
  modalBlocks: 100,
  homeBlocks: 100,
  sectionText: 3000,
  sectionFields: 10,
  fieldText: 2000,
  headerText: 150,
  actionsElements: 25,
  buttonText: 75,
  confirmTitle: 100,
  confirmText: 300,
  confirmButton: 30,
  optionText: 75,
  optionValue: 75,
  options: 100,
  modalTitle: 24,
  inputLabel: 2000,
  inputHint: 2000,
  placeholder: 150,
  inputText: 3000,
  // chat.postMessage recommends at most about 4000 characters of top-level text.
  messageText: 3000,
} as const;

type Block = types.KnownBlock;
type Button = types.Button;
type Option = types.PlainTextOption;

/** Hands out `action_id`s unique within one message, as Slack requires. */
interface ActionIdSource {
  next(prefix: string): string;
}

/**
 * A part rendered to blocks; list rows (each a section and the buttons under it) stay separate so they can be cut to
 * fit the block budget.
 */
type Piece = { kind: 'fixed'; blocks: Block[] } | { kind: 'list'; rows: Block[][]; more?: ListMore };

/**
 * Renders a reply as a message of at most 50 blocks: long lists keep their first rows and end with "…and N more",
 * long texts are split or cut, buttons whose value would not fit are left out.
 */
export function renderReply(reply: Reply): SlackMessage {
  return { text: fallbackText(reply.text), blocks: layoutBlocks(reply, slackLimits.messageBlocks) };
}

/**
 * Renders a reply as the Home tab's view for `views.publish`: the same blocks as a message, within the Home tab's 100
 * (docs/slack-limits.md#the-home-tab). The view has no fallback text, so `reply.text` is not shown.
 */
export function renderHomeView(reply: Reply): types.HomeView {
  return { type: 'home', blocks: layoutBlocks(reply, slackLimits.homeBlocks) };
}

/** The blocks of `reply` within `maxBlocks`: lists are cut first, each to the rows that fit and a line for the rest. */
function layoutBlocks(reply: Reply, maxBlocks: number): Block[] {
  const ids = createActionIdSource();
  const pieces = reply.parts.map((part) => renderPart(part, ids));
  const fixedCount = pieces.reduce((sum, piece) => sum + (piece.kind === 'fixed' ? piece.blocks.length : 0), 0);
  let remaining = maxBlocks - fixedCount;
  const blocks: Block[] = [];
  for (const piece of pieces) {
    if (piece.kind === 'fixed') {
      blocks.push(...piece.blocks);
      continue;
    }
    const leftOut = piece.more?.count ?? 0;
    const needed = piece.rows.reduce((sum, row) => sum + row.length, 0) + (leftOut > 0 ? 1 : 0);
    if (needed <= remaining) {
      blocks.push(...piece.rows.flat());
      if (leftOut > 0) blocks.push(moreBlock(leftOut, piece.more?.hint));
      remaining -= needed;
      continue;
    }
    // One block of the budget goes to the line saying how many rows were left out.
    let budget = Math.max(0, remaining - 1);
    let kept = 0;
    for (const row of piece.rows) {
      if (row.length > budget) break;
      blocks.push(...row);
      budget -= row.length;
      kept += 1;
    }
    blocks.push(moreBlock(piece.rows.length - kept + leftOut, piece.more?.hint));
    remaining = budget;
  }
  return capBlocks(blocks, maxBlocks);
}

/** The line under a cut list: how many rows are not shown, and where to see them. */
function moreBlock(count: number, hint: RichText | undefined): Block {
  return contextBlock(`…and ${count} more${hint === undefined ? '' : ` — ${renderMrkdwn(hint)}`}`);
}

/** Renders a change notification for the notify channel: the same words as fallback text and as one section. */
export function renderNotification(text: RichText): SlackMessage {
  return renderReply({ text, parts: [{ type: 'text', text }] });
}

/** Renders a one-time secret for the requester's DM; the fallback text never holds the secret itself. */
export function renderSecret(secret: NonNullable<Reply['secret']>): SlackMessage {
  return {
    text: fallbackText(secret.title),
    blocks: [
      headerBlock(secret.title),
      sectionBlock(`\`\`\`${escapeMrkdwn(secret.value)}\`\`\``),
      ...secret.lines.flatMap((line) => splitText(renderMrkdwn(line)).map(sectionBlock)),
    ].slice(0, slackLimits.messageBlocks),
  };
}

/** Renders a form as a modal whose submit comes back with `callback_id` `vcr.form` and `privateMetadata`. */
export function renderForm(form: Form, privateMetadata: string): types.ModalView {
  return {
    type: 'modal',
    callback_id: callbackIds.form,
    title: plainText(form.title, slackLimits.modalTitle),
    submit: plainText(form.submit, slackLimits.modalTitle),
    close: plainText('Cancel', slackLimits.modalTitle),
    private_metadata: privateMetadata,
    blocks: form.fields.slice(0, slackLimits.modalBlocks).map(renderField),
  };
}

/** Renders the reject modal of an approval card: one optional reason, submitted with `callback_id` `vcr.reject`. */
export function renderRejectForm(privateMetadata: string): types.ModalView {
  const form: Form = {
    title: 'Reject request',
    submit: 'Reject',
    command: '',
    fields: [
      {
        kind: 'text',
        name: 'reason',
        label: 'Why? (optional; the requester and the card show it)',
        optional: true,
        multiline: true,
        maxLength: 500,
      },
    ],
  };
  return { ...renderForm(form, privateMetadata), callback_id: callbackIds.reject };
}

/** Renders a modal that only shows a message, for a submit that cannot go on (refused, or failed). */
export function renderNoticeView(title: string, text: RichText): types.ModalView {
  return {
    type: 'modal',
    callback_id: callbackIds.form,
    title: plainText(title, slackLimits.modalTitle),
    close: plainText('Close', slackLimits.modalTitle),
    blocks: splitText(renderMrkdwn(text)).slice(0, slackLimits.modalBlocks).map(sectionBlock),
  };
}

/** Renders options for an external select: at most 100, texts and values of at most 75 characters. */
export function renderOptions(options: { text: string; value: string }[]): Option[] {
  return options
    .filter((option) => option.value.length > 0 && option.value.length <= slackLimits.optionValue)
    .slice(0, slackLimits.options)
    .map((option) => ({ text: plainText(option.text, slackLimits.optionText), value: option.value }));
}

function renderPart(part: Part, ids: ActionIdSource): Piece {
  switch (part.type) {
    case 'header':
      return fixed([headerBlock(part.text)]);
    case 'text':
      return fixed(splitText(renderMrkdwn(part.text)).map(sectionBlock));
    case 'context':
      return fixed([contextBlock(renderMrkdwn(part.text))]);
    case 'divider':
      return fixed([{ type: 'divider' }]);
    case 'fields':
      return fixed(
        chunk(part.fields, slackLimits.sectionFields).map((group) => ({
          type: 'section',
          fields: group.map((field) =>
            mrkdwn(`*${escapeMrkdwn(field.label)}*\n${renderMrkdwn(field.value) || ' '}`, slackLimits.fieldText),
          ),
        })),
      );
    case 'actions':
      return fixed(actionsBlocks(part.actions.map((action) => button(action, ids))));
    case 'list':
      if (part.items.length === 0) return fixed([sectionBlock(renderMrkdwn(part.empty))]);
      return {
        kind: 'list',
        ...(part.more ? { more: part.more } : {}),
        rows: part.items.map((item) => {
          // Titles come formatted by the command (bold names, code spans), so they are not wrapped again.
          const text = [item.title, ...(item.lines ?? [])].map(renderMrkdwn).join('\n');
          const accessory = item.action ? button(item.action, ids) : undefined;
          const section: types.SectionBlock = { type: 'section', text: mrkdwn(text, slackLimits.sectionText) };
          if (accessory) section.accessory = accessory;
          return [section, ...actionsBlocks((item.actions ?? []).map((action) => button(action, ids)))];
        }),
      };
    case 'pager': {
      const items = `${part.totalItem} item${part.totalItem === 1 ? '' : 's'}`;
      const pageButtons: (Button | undefined)[] = [];
      if (part.page > 1) pageButtons.push(pageButton('← Previous', part, part.page - 1, ids));
      if (part.page < part.totalPage) pageButtons.push(pageButton('Next →', part, part.page + 1, ids));
      return fixed([
        contextBlock(`Page ${part.page} of ${Math.max(part.totalPage, 1)} (${items})`),
        ...actionsBlocks(pageButtons),
      ]);
    }
  }
}

function renderField(field: FormField): types.InputBlock {
  const block = {
    type: 'input' as const,
    block_id: fieldBlockId(field.name),
    label: plainText(field.label, slackLimits.inputLabel),
    ...(field.hint ? { hint: plainText(field.hint, slackLimits.inputHint) } : {}),
  };
  switch (field.kind) {
    case 'text': {
      const maxLength = Math.min(field.maxLength ?? slackLimits.inputText, slackLimits.inputText);
      const element: types.PlainTextInput = {
        type: 'plain_text_input',
        action_id: actionIds.input,
        max_length: maxLength,
      };
      if (field.multiline) element.multiline = true;
      if (field.initial) element.initial_value = truncate(wellFormed(field.initial), maxLength);
      return { ...block, optional: field.optional ?? false, element };
    }
    case 'number': {
      const element: types.NumberInput = {
        type: 'number_input',
        action_id: actionIds.input,
        is_decimal_allowed: false,
      };
      if (field.initial !== undefined) element.initial_value = String(field.initial);
      if (field.min !== undefined) element.min_value = String(field.min);
      return { ...block, optional: field.optional ?? false, element };
    }
    case 'checkbox': {
      const option: Option = { text: plainText(field.label, slackLimits.optionText), value: 'true' };
      const element: types.Checkboxes = { type: 'checkboxes', action_id: actionIds.input, options: [option] };
      if (field.initial) element.initial_options = [option];
      // An unticked box sends nothing, which must not count as a missing answer.
      return { ...block, optional: true, element };
    }
    case 'select': {
      const options = renderOptions(field.options);
      const element: types.StaticSelect = { type: 'static_select', action_id: actionIds.input, options };
      const initial = options.find((option) => option.value === field.initial);
      if (initial) element.initial_option = initial;
      return { ...block, optional: field.optional ?? false, element };
    }
    case 'repositories': {
      const initial = renderOptions(field.initial ?? []);
      const placeholder = plainText('Type to search repositories', slackLimits.placeholder);
      if (field.multiple) {
        const element: types.MultiExternalSelect = {
          type: 'multi_external_select',
          action_id: actionIds.pickRepositories,
          min_query_length: 0,
          placeholder,
        };
        if (initial.length > 0) element.initial_options = initial;
        return { ...block, optional: field.optional ?? false, element };
      }
      const element: types.ExternalSelect = {
        type: 'external_select',
        action_id: actionIds.pickRepositories,
        min_query_length: 0,
        placeholder,
      };
      if (initial[0]) element.initial_option = initial[0];
      return { ...block, optional: field.optional ?? false, element };
    }
    case 'user':
      return {
        ...block,
        optional: field.optional ?? false,
        element: externalSelect(actionIds.pickUser, 'Type to search repository users', field.initial),
      };
    case 'image':
      return {
        ...block,
        optional: field.optional ?? false,
        element: externalSelect(imagePickerActionId(field.repoId), 'Type to search images', field.initial),
      };
  }
}

/** A single external select whose options come from the listener of `actionId`, from the first keystroke on. */
function externalSelect(
  actionId: string,
  placeholder: string,
  initial: { value: string; text: string } | undefined,
): types.ExternalSelect {
  const element: types.ExternalSelect = {
    type: 'external_select',
    action_id: actionId,
    min_query_length: 0,
    placeholder: plainText(placeholder, slackLimits.placeholder),
  };
  const [option] = renderOptions(initial ? [initial] : []);
  if (option) element.initial_option = option;
  return element;
}

function button(action: Action, ids: ActionIdSource): Button | undefined {
  let value: string | undefined;
  let prefix: string;
  if (action.decision) {
    const { operationId, command, choice, requestedBy } = action.decision;
    value = encodeDecisionValue(operationId, command, choice, requestedBy);
    prefix = actionIds.decide;
  } else if (action.invocation) {
    value = encodeInvocationValue(action.invocation);
    prefix = actionIds.run;
  } else {
    return undefined;
  }
  // A value over 2000 characters would make Slack refuse the whole message; one missing button is the lesser harm.
  if (value === undefined) return undefined;
  const rendered: Button = {
    type: 'button',
    action_id: ids.next(prefix),
    text: plainText(action.label, slackLimits.buttonText),
    value,
  };
  if (action.style) rendered.style = action.style;
  if (action.confirm) {
    rendered.confirm = {
      title: plainText(action.confirm.title, slackLimits.confirmTitle),
      text: plainText(action.confirm.text, slackLimits.confirmText),
      confirm: plainText(action.confirm.confirm, slackLimits.confirmButton),
      deny: plainText(action.confirm.deny, slackLimits.confirmButton),
      ...(action.style === 'danger' ? { style: 'danger' as const } : {}),
    };
  }
  return rendered;
}

function pageButton(
  label: string,
  pager: Extract<Part, { type: 'pager' }>,
  page: number,
  ids: ActionIdSource,
): Button | undefined {
  const value = encodeInvocationValue({ command: pager.invocation.command, args: { ...pager.invocation.args, page } });
  if (value === undefined) return undefined;
  return { type: 'button', action_id: ids.next(actionIds.page), text: plainText(label, slackLimits.buttonText), value };
}

function actionsBlocks(buttons: (Button | undefined)[]): Block[] {
  const present = buttons.filter((item): item is Button => item !== undefined);
  return chunk(present, slackLimits.actionsElements).map((elements) => ({ type: 'actions', elements }));
}

function headerBlock(text: string): types.HeaderBlock {
  return { type: 'header', text: plainText(text, slackLimits.headerText) };
}

/** A section of already rendered (escaped) mrkdwn. */
function sectionBlock(text: string): types.SectionBlock {
  return { type: 'section', text: mrkdwn(text, slackLimits.sectionText) };
}

/** A context line of already rendered (escaped) mrkdwn. */
function contextBlock(text: string): types.ContextBlock {
  return { type: 'context', elements: [mrkdwn(text, slackLimits.sectionText)] };
}

/**
 * A plain_text object. Slack parses neither markup nor mentions in plain_text, and shows it as written, so the text is
 * not escaped (an escaped `<` would read `&lt;`); it is cut between grapheme clusters.
 */
function plainText(text: string, max: number): types.PlainTextElement {
  // Slack refuses empty text objects, so a blank label becomes a single space.
  return { type: 'plain_text', text: truncate(wellFormed(text), max) || ' ', emoji: true };
}

/**
 * A mrkdwn object of already rendered (escaped) text, cut to `max` after escaping. `verbatim` turns off Slack's
 * automatic parsing, which could make a typed `@channel` or a bare channel name into a live mention or link; the
 * markup the renderer wrote as `<…>` still works (docs/decisions/0009).
 */
function mrkdwn(text: string, max: number): types.MrkdwnElement {
  return { type: 'mrkdwn', text: cutMrkdwn(text, max) || ' ', verbatim: true };
}

function fixed(blocks: Block[]): Piece {
  return { kind: 'fixed', blocks };
}

/** The message's top-level `text`, which Slack also reads as mrkdwn (notifications show it): escaped, then cut. */
function fallbackText(text: RichText): string {
  return cutMrkdwn(renderMrkdwn(text), slackLimits.messageText);
}

const entities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

/** Escapes the three characters Slack reads as control characters in mrkdwn (docs/decisions/0009). */
function escapeMrkdwn(text: string): string {
  return wellFormed(text).replace(/[&<>]/g, (character) => entities[character]!);
}

const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Replaces half of a surrogate pair that arrived alone (JSON can carry one) with U+FFFD, as Slack would show it. */
function wellFormed(text: string): string {
  return text.replace(loneSurrogate, '\uFFFD');
}

/**
 * Renders rich text as mrkdwn, uncut: every string is escaped, every `Markup` becomes Slack's `<…>` syntax. Anything
 * else (a vCR value that is not the string its type says) is shown as text.
 */
export function renderMrkdwn(text: RichText): string {
  if (typeof text === 'string') return escapeMrkdwn(text);
  if (!Array.isArray(text)) return escapeMrkdwn(String(text));
  return text
    .map((segment) => (Markup.is(segment) ? markupMrkdwn(segment.token) : escapeMrkdwn(String(segment))))
    .join('');
}

// Ids as Slack issues them; anything else is shown as text rather than trusted inside `<…>`.
const slackIdPatterns = {
  user: /^[UW][A-Z0-9]{2,}$/,
  channel: /^[CGD][A-Z0-9]{2,}$/,
  userGroup: /^S[A-Z0-9]{2,}$/,
};

function markupMrkdwn(token: MarkupToken): string {
  const asText = () => escapeMrkdwn(toPlainText([new Markup(token)]));
  switch (token.kind) {
    case 'user':
      return slackIdPatterns.user.test(token.id) ? `<@${token.id}>` : asText();
    case 'channel':
      return slackIdPatterns.channel.test(token.id) ? `<#${token.id}>` : asText();
    case 'userGroup':
      return slackIdPatterns.userGroup.test(token.id) ? `<!subteam^${token.id}>` : asText();
    case 'date': {
      if (!Number.isFinite(token.epochSeconds)) return asText();
      // The format and the fallback sit inside `<…>`: neither may end it or start another field.
      const format = token.format.replace(/[\s<>|^&]/g, ' ').trim() || '{date_short_pretty}';
      return `<!date^${Math.trunc(token.epochSeconds)}^${format}|${markupLabel(token.fallback)}>`;
    }
    case 'link': {
      const url = linkUrl(token.url);
      return url ? `<${url}|${markupLabel(token.label)}>` : asText();
    }
  }
}

/**
 * Text inside `<…|text>`: escaped, on one line, without a `|` that could start another field, and short enough that
 * a piece of markup always fits in one field.
 */
function markupLabel(text: string): string {
  return escapeMrkdwn(truncate(text.replace(/[\r\n|]+/g, ' '), 200));
}

/** The URL as Slack takes it inside `<…>`, or undefined when it is not a plain http(s) URL. */
function linkUrl(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return undefined;
  if (parsed.href.length > 1000) return undefined;
  // URL serialization percent-encodes spaces, `<` and `>`; `|` would end the URL part, and `&` is escaped like text.
  return parsed.href.replace(/\|/g, '%7C').replace(/&/g, '&amp;');
}

// In rendered mrkdwn every `&` starts one of our entities and every `<` one piece of our markup: cutting inside
// either would leave a broken entity or a dangling `<` that swallows the text after it.
const unbreakable = /&(?:amp|lt|gt);|<[^<>]*>/g;

/** Cuts rendered mrkdwn to `max` UTF-16 code units with an ellipsis, between characters, entities and markup. */
function cutMrkdwn(text: string, max: number): string {
  if (text.length <= max) return text;
  return max < 1 ? '' : `${mrkdwnPrefixWithin(text, max - 1)}…`;
}

/** The longest prefix of rendered mrkdwn that fits in `max` code units and ends between whole units of text. */
function mrkdwnPrefixWithin(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = 0;
  for (const match of text.matchAll(unbreakable)) {
    const start = match.index;
    const run = wholeCharactersWithin(text.slice(end, start), max - end);
    if (end + run.length < start) return text.slice(0, end + run.length);
    if (start + match[0].length > max) return text.slice(0, start);
    end = start + match[0].length;
  }
  return text.slice(0, end + wholeCharactersWithin(text.slice(end), max - end).length);
}

/**
 * Splits rendered mrkdwn into chunks of at most 3000 code units, at line ends where it can, else between characters
 * (never inside an entity or a piece of markup, which hold no line ends).
 */
function splitText(text: string): string[] {
  const max = slackLimits.sectionText;
  if (text.length <= max) return [text];
  const chunks: string[] = [];
  let current = '';
  for (const line of text.split('\n')) {
    const candidate = current ? `${current}\n${line}` : line;
    if (candidate.length <= max) {
      current = candidate;
      continue;
    }
    if (current) chunks.push(current);
    let rest = line;
    while (rest.length > max) {
      let head = mrkdwnPrefixWithin(rest, max);
      // A single grapheme cluster longer than a section (thousands of combining marks) is split between code points.
      if (head === '') head = Array.from(rest.slice(0, max)).slice(0, -1).join('') || rest.slice(0, max);
      chunks.push(head);
      rest = rest.slice(head.length);
    }
    current = rest;
  }
  if (current) chunks.push(current);
  return chunks;
}

function capBlocks(blocks: Block[], max: number): Block[] {
  if (blocks.length <= max) return blocks;
  return [...blocks.slice(0, max - 1), contextBlock(`…cut to fit Slack's limit of ${max} blocks`)];
}

function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function createActionIdSource(): ActionIdSource {
  let count = 0;
  return { next: (prefix) => `${prefix}:${count++}` };
}
