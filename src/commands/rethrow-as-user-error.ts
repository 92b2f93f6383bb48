/** Turns vCR refusals the user can act on into `UserError`s carrying the service's own words. */
import { UserError } from '../errors';
import { VcrApiError } from '../vcr/errors';

/**
 * Rethrows `error` as a `UserError` when vCR refused the request (4xx, or a not-found), quoting the server;
 * anything else (5xx, timeouts, network) is rethrown untouched for the generic "vCR is down" answer. A 401 or 403
 * (left after the client's one re-mint on 401) is the bot's own credentials or permission, which the user cannot
 * fix: it is rethrown untouched too, so it is logged as a failure with a reference.
 */
export function rethrowAsUserError(error: unknown, what: string): never {
  if (error instanceof VcrApiError && (error.notFound || isUserRefusal(error.status))) {
    const reason = error.notFound ? 'it was not found' : `vCR said: ${error.serverMessage}`;
    throw new UserError(`Could not ${what}: ${reason}.`, { cause: error });
  }
  throw error;
}

function isUserRefusal(status: number): boolean {
  return status >= 400 && status < 500 && status !== 401 && status !== 403;
}
