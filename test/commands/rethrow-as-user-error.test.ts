import { rethrowAsUserError } from '../../src/commands/rethrow-as-user-error';
import { UserError } from '../../src/errors';
import { VcrApiError, VcrTimeoutError } from '../../src/vcr/errors';

const apiError = (status: number, notFound = false) =>
  new VcrApiError({ status, method: 'PUT', path: '/v1/user/ra-1/disable', serverMessage: 'refused', notFound });

describe('rethrowAsUserError', () => {
  it.each([400, 409, 422, 429])('turns a %i refusal into a UserError quoting vCR', (status) => {
    // Prepare
    const error = apiError(status);

    // Act
    const act = () => rethrowAsUserError(error, 'disable `ci-robot`');

    // Assess
    expect(act).toThrow(
      expect.objectContaining({
        name: 'UserError',
        message: 'Could not disable `ci-robot`: vCR said: refused.',
        cause: error,
      }),
    );
  });

  it('says it was not found when vCR said the id is not there', () => {
    // Prepare
    const error = apiError(500, true);

    // Act
    const act = () => rethrowAsUserError(error, 'disable `ci-robot`');

    // Assess
    expect(act).toThrow(
      expect.objectContaining({ name: 'UserError', message: 'Could not disable `ci-robot`: it was not found.' }),
    );
  });

  it.each([401, 403, 500, 502])('lets a %i through untouched, as the bot’s own failure', (status) => {
    // Prepare
    const error = apiError(status);

    // Act
    const act = () => rethrowAsUserError(error, 'disable `ci-robot`');

    // Assess
    expect(act).toThrow(error);
    expect(act).not.toThrow(UserError);
  });

  it('lets a timeout through untouched', () => {
    // Prepare
    const error = new VcrTimeoutError({ method: 'PUT', path: '/v1/user/ra-1/disable', timeoutMs: 10 });

    // Act
    const act = () => rethrowAsUserError(error, 'disable `ci-robot`');

    // Assess
    expect(act).toThrow(error);
  });
});
