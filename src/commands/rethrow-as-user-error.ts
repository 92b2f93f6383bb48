/** Turns vCR refusals the user can act on into `UserError`s carrying the service's own words. */
import { UserError } from '../errors';
import { VcrApiError } from '../vcr/errors';

/**
 * Rethrows `error` as a `UserError` when vCR refused the request (4xx, or a not-found), quoting the server;
 * anything else (5xx, timeouts, network) is rethrown untouched for the generic "vCR is down" answer.
 */
export function rethrowAsUserError(error: unknown, what: string): never {
  if (error instanceof VcrApiError && (error.notFound || (error.status >= 400 && error.status < 500))) {
    const reason = error.notFound ? 'it was not found' : `vCR said: ${error.serverMessage}`;
    throw new UserError(`Could not ${what}: ${reason}.`, { cause: error });
  }
  throw error;
}
