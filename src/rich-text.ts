/**
 * Text that may carry Slack markup the bot writes itself (a mention, a channel link, a date, a link) next to text it
 * does not control. Strings are always text: the renderer (src/slack/render.ts) escapes them, so a value from a user,
 * vCR or Slack can never become markup. Markup exists only as `Markup` objects that code creates with the builders
 * below; nothing parsed from JSON can be one (docs/decisions/0009-escaping-and-cutting.md).
 */

/** What a piece of bot-made markup stands for; only the renderer turns it into Slack's `<…>` syntax. */
export type MarkupToken =
  | { kind: 'user'; id: string }
  | { kind: 'channel'; id: string }
  | { kind: 'userGroup'; id: string }
  | { kind: 'date'; epochSeconds: number; format: string; fallback: string }
  | { kind: 'link'; url: string; label: string };

/** One piece of markup made by the bot's own code; the private field keeps look-alike plain objects out. */
export class Markup {
  readonly #made = true;
  readonly token: MarkupToken;

  constructor(token: MarkupToken) {
    this.token = token;
  }

  /** Tells a `Markup` made by code from anything else, such as a look-alike object from a JSON answer. */
  static is(value: unknown): value is Markup {
    return typeof value === 'object' && value !== null && #made in value;
  }
}

/** A piece of rich text: a plain string (always shown as written) or a piece of bot-made markup. */
export type Segment = string | Markup;

/** Text for a mrkdwn context: a plain string, or segments where only `Markup` objects become markup. */
export type RichText = string | readonly Segment[];

/** What a `rich` template takes between its literal parts: text, markup, other rich text, or a number. */
export type RichValue = RichText | Markup | number;

/**
 * Builds rich text from a template: the literal parts and every interpolated string or number are plain text, an
 * interpolated `Markup` stays markup, e.g. rich`${mention(id)} deleted \`${name}\``.
 */
export function rich(literals: TemplateStringsArray, ...values: RichValue[]): Segment[] {
  const segments: Segment[] = [];
  literals.forEach((literal, index) => {
    push(segments, literal);
    if (index < values.length) push(segments, values[index]!);
  });
  return segments;
}

/** Drops one full stop that ends `text`, so a clause such as a ref can go inside its sentence. */
export function withoutFinalStop(text: RichText): RichText {
  if (typeof text === 'string') return text.replace(/\.$/, '');
  const last = text.at(-1);
  return typeof last === 'string' ? [...text.slice(0, -1), last.replace(/\.$/, '')] : text;
}

/** Joins rich texts with a plain separator, e.g. channel links with `, `. */
export function joinRich(texts: readonly RichValue[], separator: string): Segment[] {
  const segments: Segment[] = [];
  texts.forEach((text, index) => {
    if (index > 0) push(segments, separator);
    push(segments, text);
  });
  return segments;
}

/** Mentions a Slack user (`U…` or `W…` id). */
export function mention(userId: string): Markup {
  return new Markup({ kind: 'user', id: userId });
}

/** Links a Slack channel (`C…`, `G…` or `D…` id). */
export function channelLink(channelId: string): Markup {
  return new Markup({ kind: 'channel', id: channelId });
}

/** Mentions a Slack user group (`S…` id). */
export function userGroupMention(groupId: string): Markup {
  return new Markup({ kind: 'userGroup', id: groupId });
}

/** A date Slack shows in the reader's time zone; `fallback` is shown by clients that cannot. */
export function dateText(epochSeconds: number, fallback: string, format = '{date_short_pretty} {time}'): Markup {
  return new Markup({ kind: 'date', epochSeconds, format, fallback });
}

/** A link to an `http(s)` URL under `label`. */
export function link(url: string, label: string): Markup {
  return new Markup({ kind: 'link', url, label });
}

/**
 * Returns rich text as plain text, with markup in readable words (`@U123`, `#C123`, a date's fallback, `label (url)`),
 * for log lines and for places Slack shows as plain text.
 */
export function toPlainText(text: RichText): string {
  if (typeof text === 'string') return text;
  return text.map((segment) => (Markup.is(segment) ? plainMarkup(segment.token) : String(segment))).join('');
}

function plainMarkup(token: MarkupToken): string {
  switch (token.kind) {
    case 'user':
    case 'userGroup':
      return `@${token.id}`;
    case 'channel':
      return `#${token.id}`;
    case 'date':
      return token.fallback;
    case 'link':
      return `${token.label} (${token.url})`;
  }
}

function push(segments: Segment[], value: RichValue): void {
  if (typeof value === 'number') value = String(value);
  if (typeof value === 'string') {
    if (value === '') return;
    const last = segments[segments.length - 1];
    // Neighbouring strings are merged so a template's output stays short and easy to compare in tests.
    if (typeof last === 'string') segments[segments.length - 1] = last + value;
    else segments.push(value);
    return;
  }
  if (Markup.is(value)) {
    segments.push(value);
    return;
  }
  // Anything else that reaches here at run time (a vCR field typed as text but sent as an object) stays text.
  if (!Array.isArray(value)) {
    push(segments, String(value));
    return;
  }
  for (const segment of value) push(segments, segment);
}
