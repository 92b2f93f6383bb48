/**
 * The answer to a create that vCR may have carried out without saying so. Creates are never retried after a 5xx or a
 * timeout (docs/vcr-api.md#secrets-and-retries), so the user is told to look before creating again.
 */
import { UserError } from '../errors';
import { mayHaveBeenCarriedOut } from '../vcr/errors';
import type { CommandContext } from './command';

/** What was being created: its kind as the user reads it (`repository`), its name, and how to check and go on. */
export interface Creation {
  what: string;
  name: string;
  hint: string;
}

/** True when vCR may have created the thing without saying so: a 5xx, no answer in time, or no connection. */
export function isUnconfirmedCreation(error: unknown): boolean {
  return mayHaveBeenCarriedOut(error);
}

/**
 * Logs the failure and returns a `UserError` saying the create may have worked and was not tried again, with `error`
 * as its cause. The log line is written here because the Slack layer shows a `UserError` without logging its cause.
 */
export function unconfirmedCreationError(
  ctx: Pick<CommandContext, 'logger' | 'actor'>,
  creation: Creation,
  error: unknown,
): UserError {
  ctx.logger.error(`${creation.what} create not confirmed`, {
    name: creation.name,
    by: ctx.actor.userId,
    error: error instanceof Error ? error : String(error),
  });
  return new UserError(
    `vCR did not confirm the creation of ${creation.what} \`${creation.name}\`, so it may exist anyway; it was not tried again.`,
    { hint: creation.hint, cause: error },
  );
}
