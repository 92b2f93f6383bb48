/**
 * The one place a failure becomes what the user reads (../shared/STYLE.md "Errors"): a `UserError` as is, a vCR or
 * IAM outage in plain words, anything else as "Something went wrong" with a reference that is also in the log.
 */
import { randomBytes } from 'node:crypto';
import type { Reply } from '../commands/reply';
import { UserError } from '../errors';
import type { LogFields, Logger } from '../logger';
import { IamAuthError, VcrApiError, VcrNetworkError, VcrTimeoutError } from '../vcr/errors';

/** Returns a short reference id that ties a message the user sees to a log line. */
export function newErrorRef(): string {
  return randomBytes(4).toString('hex');
}

/** Turns `error` into a reply, logging it; unexpected errors get a reference id shown to the user and logged. */
export function failureReply(error: unknown, logger: Logger, fields: LogFields = {}): Reply {
  if (error instanceof UserError) {
    logger.info('Command refused', { ...fields, reason: error.message });
    const parts: Reply['parts'] = [{ type: 'text', text: error.message }];
    if (error.hint) parts.push({ type: 'context', text: error.hint });
    return { text: error.message, parts };
  }
  const ref = newErrorRef();
  logger.error('Command failed', { ...fields, ref, error: error instanceof Error ? error : String(error) });
  const text = messageFor(error, ref);
  return { text, parts: [{ type: 'text', text }] };
}

function messageFor(error: unknown, ref: string): string {
  const reference = `(ref \`${ref}\`)`;
  if (error instanceof VcrTimeoutError || error instanceof VcrNetworkError) {
    return `vCR is not answering right now; nothing more was done. Try again in a minute ${reference}.`;
  }
  if (error instanceof VcrApiError) {
    if (error.status >= 500 || error.status === 429) {
      return `vCR is not answering right now (it said ${error.status}). Try again in a minute ${reference}.`;
    }
    return `vCR refused: ${error.serverMessage} ${reference}`;
  }
  if (error instanceof IamAuthError) {
    return `vCR credentials were rejected or could not be checked; ask the bot's admin to check them ${reference}.`;
  }
  return `Something went wrong ${reference}.`;
}
