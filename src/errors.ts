/** Error kinds shared by every layer; src/slack/failure-reply.ts turns them into replies. */
import { randomBytes } from 'node:crypto';
import { type RichText, toPlainText } from './rich-text';

/**
 * A problem the user can fix; `text` is shown to them as is (escaped like any text, with its markup kept), and
 * `message` holds the same words as plain text for logs.
 */
export class UserError extends Error {
  override name = 'UserError';
  /** What the user reads. */
  readonly text: RichText;
  /** Optional usage line or hint shown under the message. */
  readonly hint?: RichText;
  /** The form field at fault, when the input came from a modal. */
  readonly field?: string;

  constructor(text: RichText, options?: { hint?: RichText; field?: string; cause?: unknown }) {
    super(toPlainText(text), options?.cause === undefined ? undefined : { cause: options.cause });
    this.text = text;
    this.hint = options?.hint;
    this.field = options?.field;
  }
}

/** A problem with the bot's own configuration or credentials; names what is wrong, never a value. */
export class ConfigError extends Error {
  override name = 'ConfigError';
  /** The variables or keys that are missing or invalid. */
  readonly problems: string[];

  constructor(message: string, problems: string[] = []) {
    super(message);
    this.problems = problems;
  }
}

/** Returns a short reference id that ties a message the user sees to a log line. */
export function newErrorRef(): string {
  return randomBytes(4).toString('hex');
}
