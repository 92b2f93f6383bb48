/** Error kinds shared by every layer; src/slack/failure-reply.ts turns them into replies. */
import { randomBytes } from 'node:crypto';

/** A problem the user can fix; its message is shown to them as is. */
export class UserError extends Error {
  override name = 'UserError';
  /** Optional usage line or hint shown under the message. */
  readonly hint?: string;
  /** The form field at fault, when the input came from a modal. */
  readonly field?: string;

  constructor(message: string, options?: { hint?: string; field?: string; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
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
