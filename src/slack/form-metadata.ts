/**
 * What a modal carries from the moment it opens to its submit, in `private_metadata` (≤ 3000 characters): the
 * command the values run as, the args fixed by the opener, and where the answer goes.
 */
import type { Invocation } from '../commands/reply';
import { UserError } from '../errors';
import { isActionArgs } from './action-args';

/** The state a form modal keeps between opening and submit. */
export interface FormMetadata {
  command: string;
  fixedArgs: Invocation['args'];
  channelId?: string;
  /** The `response_url` of the command or click that opened the modal, so the answer lands where it was asked. */
  responseUrl?: string;
}

/** Slack's limit for `private_metadata` (docs/slack-limits.md#block-kit-sizes). */
export const maxPrivateMetadataLength = 3000;

/**
 * Encodes form metadata; drops the response URL when the whole would not fit (the answer then goes by DM), and
 * throws when even the command and its fixed args do not fit, since the submit could not run without them.
 */
export function encodeFormMetadata(metadata: FormMetadata): string {
  const full = JSON.stringify(metadata);
  if (full.length <= maxPrivateMetadataLength) return full;
  const { responseUrl: _dropped, ...rest } = metadata;
  const short = JSON.stringify(rest);
  if (short.length <= maxPrivateMetadataLength) return short;
  throw new Error(`Form metadata of ${metadata.command} needs ${short.length} characters, over Slack's 3000.`);
}

/** What the user reads for a modal the bot did not open, or opened in another version; a new command opens a new one. */
export const formNotUnderstood = 'This form is not one I understand; run the command again.';

/** Decodes form metadata; throws `UserError` when the modal is not one the bot opened. */
export function decodeFormMetadata(text: string | undefined): FormMetadata {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text ?? '');
  } catch {
    parsed = undefined;
  }
  const value = parsed as Partial<FormMetadata> | undefined;
  if (
    !value ||
    typeof value !== 'object' ||
    typeof value.command !== 'string' ||
    // The same check as a button's args: anything else would reach the job and fail there.
    !isActionArgs(value.fixedArgs)
  ) {
    throw new UserError(formNotUnderstood);
  }
  return {
    command: value.command,
    fixedArgs: value.fixedArgs,
    channelId: typeof value.channelId === 'string' ? value.channelId : undefined,
    responseUrl: typeof value.responseUrl === 'string' ? value.responseUrl : undefined,
  };
}
