import { createProgress, PartialFailureError, partialFailureNotice } from '../../src/commands/partial-failure';
import { UserError } from '../../src/errors';
import { VcrApiError, VcrTimeoutError } from '../../src/vcr/errors';
import { mrkdwn } from '../support/mrkdwn';

const refusal = new VcrApiError({ status: 400, method: 'DELETE', path: '/v1/x', serverMessage: 'locked' });

/** Runs `fail` and returns what it threw. */
function thrownBy(fail: () => never): unknown {
  try {
    fail();
  } catch (error) {
    return error;
  }
  throw new Error('fail() returned');
}

describe('createProgress', () => {
  it('throws the refusal as the user reads it when the first step fails, since nothing was changed', () => {
    // Prepare
    const progress = createProgress('delete things', ['a', 'b']);

    // Act
    const error = thrownBy(() => progress.fail('a', refusal));

    // Assess
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toBe('Could not delete a: vCR said: locked.');
  });

  it('names what was done and what is left, the failed item first, once a step changed something', () => {
    // Prepare
    const progress = createProgress('delete things', ['a', 'b', 'c', 'd']);
    progress.done('a');
    progress.done('b');

    // Act
    const error = thrownBy(() => progress.fail('c', refusal)) as PartialFailureError;

    // Assess
    expect(error).toBeInstanceOf(PartialFailureError);
    expect({ done: error.done, remaining: error.remaining, cause: error.cause }).toEqual({
      done: ['a', 'b'],
      remaining: ['c', 'd'],
      cause: refusal,
    });
    expect(error.summary()).toBe(
      'stopped part-way. vCR refused to delete c: locked. Deleted: a, b. Still there: c, d.',
    );
  });

  it('lists items planned before another ahead of it, and folds the items a done step covers', () => {
    // Prepare
    const progress = createProgress('delete repo', ['image x', 'image y', 'repo']);
    progress.plan(['x1', 'x2'], 'image x');
    progress.done('x1');
    progress.done('x2');
    progress.done('image x', ['x1', 'x2']);
    progress.plan(['y1', 'y2'], 'image y');
    progress.plan(['image y']);
    progress.done('y1');

    // Act
    const error = thrownBy(() => progress.fail('y2', refusal)) as PartialFailureError;

    // Assess
    expect(error.done).toEqual(['image x', 'y1']);
    expect(error.remaining).toEqual(['y2', 'image y', 'repo']);
  });

  it('keeps two items of the same name apart', () => {
    // Prepare: two artifacts whose short digests agree read the same.
    const progress = createProgress('delete image', ['same', 'same', 'image']);
    progress.done('same');

    // Act
    const error = thrownBy(() => progress.fail('same', refusal)) as PartialFailureError;

    // Assess
    expect(error.done).toEqual(['same']);
    expect(error.remaining).toEqual(['same', 'image']);
  });

  it('lets a partial failure of a nested step through unchanged', () => {
    // Prepare
    const progress = createProgress('outer', ['a']);
    progress.done('a');
    const inner = new PartialFailureError({
      action: 'inner',
      failed: 'x',
      done: ['w'],
      remaining: ['x'],
      cause: refusal,
    });

    // Act
    const error = thrownBy(() => progress.fail('b', inner));

    // Assess
    expect(error).toBe(inner);
  });
});

describe('PartialFailureError', () => {
  it.each([
    [
      new VcrTimeoutError({ method: 'DELETE', path: '/v1/x', timeoutMs: 10 }),
      'vCR did not answer in time when asked to delete b, so that may or may not have happened.',
    ],
    [
      new VcrApiError({ status: 502, method: 'DELETE', path: '/v1/x', serverMessage: '<html>' }),
      'vCR failed to delete b (it said 502).',
    ],
    [
      new VcrApiError({ status: 403, method: 'DELETE', path: '/v1/x', serverMessage: 'no' }),
      "vCR rejected the bot's credentials or permissions when asked to delete b.",
    ],
    [new UserError('It has too many artifacts'), 'Could not delete b: It has too many artifacts.'],
    [new Error('boom'), 'Something went wrong as the bot tried to delete b.'],
  ])('says why it stopped in plain words when the cause is %p', (cause, reason) => {
    // Act
    const error = new PartialFailureError({ action: 'delete all', failed: 'b', done: ['a'], remaining: ['b'], cause });

    // Assess
    expect(error.reason()).toBe(reason);
  });

  it('names ten items of a kind and counts the rest in the notification', () => {
    // Prepare
    const done = Array.from({ length: 12 }, (_, index) => `image \`i${index}\``);
    const error = new PartialFailureError({
      action: 'delete repository `r`',
      failed: 'x',
      done,
      remaining: ['x'],
      cause: refusal,
    });

    // Act
    const notice = partialFailureNotice(error, 'U0OPERATOR');

    // Assess
    expect(mrkdwn(notice)).toBe(
      '<@U0OPERATOR>: delete repository `r` stopped part-way. Deleted: image `i0`, image `i1`, image `i2`, image `i3`, ' +
        'image `i4`, image `i5`, image `i6`, image `i7`, image `i8`, image `i9`, and 2 more. Still there: x.',
    );
  });
});
