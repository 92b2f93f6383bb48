import { PartialFailureError } from '../../src/commands/partial-failure';
import { UserError } from '../../src/errors';
import { createLogger } from '../../src/logger';
import { failureReply } from '../../src/slack/failure-reply';
import { DeadlineError } from '../../src/slack/with-deadline';
import { VcrApiError, VcrNetworkError, VcrTimeoutError, VcrUnreadableAnswerError } from '../../src/vcr/errors';
import { mrkdwn } from '../support/mrkdwn';

function capture() {
  const lines: string[] = [];
  return { logger: createLogger({ sink: (line) => lines.push(line) }), lines };
}

function refIn(text: string): string {
  const ref = /ref `([0-9a-f]{8})`/.exec(text)?.[1];
  if (!ref) throw new Error(`No ref in ${text}`);
  return ref;
}

describe('failureReply', () => {
  it.each([
    ['PUT', '/v1/repository/r1/quotas', '`/vcr repo REPO`'],
    ['DELETE', '/v1/repository/r1/images/delete', '`/vcr images REPO`'],
    ['DELETE', '/v1/repository/r1/images/artifacts/delete', '`/vcr tags REF`'],
    ['PUT', '/v1/repository/r1/attach', '`/vcr repo users REPO`'],
    ['PUT', '/v1/user/ra-1/disable', '`/vcr user USER`'],
    ['POST', '/v1/user', '`/vcr users`'],
    ['POST', '/v1/repository', '`/vcr repos`'],
  ])('says a %s to %s may or may not have happened and names %s when vCR times out', (method, path, read) => {
    // Prepare
    const { logger } = capture();

    // Act
    const reply = failureReply(new VcrTimeoutError({ method, path, timeoutMs: 10_000 }), logger);

    // Assess
    expect(reply.text).toContain('vCR did not answer in time');
    expect(reply.text).toContain('may or may not have been made');
    expect(reply.text).toContain(read);
    expect(reply.text).not.toContain('nothing more was done');
  });

  it('names the configured slash command in the advice when it is not /vcr', () => {
    // Prepare
    const { logger } = capture();

    // Act
    const reply = failureReply(
      new VcrNetworkError({ method: 'DELETE', path: '/v1/user/ra-1' }),
      logger,
      {},
      '/registry',
    );

    // Assess
    expect(reply.text).toContain('may or may not have been made');
    expect(reply.text).toContain('`/registry user USER`');
  });

  it('says vCR is not answering, with no doubt about a change, when a read times out', () => {
    // Prepare
    const { logger } = capture();

    // Act
    const reply = failureReply(new VcrTimeoutError({ method: 'GET', path: '/v1/repository', timeoutMs: 10 }), logger);

    // Assess
    expect(reply.text).toContain('vCR is not answering right now');
    expect(reply.text).not.toContain('may or may not');
  });

  it('says a state-changing GET (the secret refresh) may or may not have happened when its answer is lost', () => {
    // Prepare
    const { logger } = capture();
    const error = new VcrTimeoutError({
      method: 'GET',
      path: '/v1/user/ra-1/refresh',
      timeoutMs: 10,
      changesState: true,
    });

    // Act
    const reply = failureReply(error, logger);

    // Assess
    expect(reply.text).toContain('may or may not have been made');
    expect(reply.text).not.toContain('not answering');
  });

  it.each([
    [502, true, 'may or may not have been made'],
    [502, false, 'vCR is not answering right now (it said 502)'],
  ])(
    'words a %d by whether vCR may have carried the call out (outcome unknown: %s)',
    (status, outcomeUnknown, said) => {
      // Prepare
      const { logger } = capture();
      const error = new VcrApiError({
        status,
        method: 'POST',
        path: '/v1/repository',
        serverMessage: 'Bad gateway',
        outcomeUnknown,
      });

      // Act
      const reply = failureReply(error, logger);

      // Assess
      expect(reply.text).toContain(said);
      expect(reply.text).toContain(outcomeUnknown ? '`/vcr repos`' : 'Try again in a minute');
    },
  );

  it('says vCR sent an unreadable answer, logs its body under the ref and never shows the body', () => {
    // Prepare
    const { logger, lines } = capture();
    const error = new VcrUnreadableAnswerError({
      status: 200,
      method: 'GET',
      path: '/v1/repository',
      reason: 'a page of repository records, but without listData',
      excerpt: '<html><body>Gateway says hi</body></html>',
    });

    // Act
    const reply = failureReply(error, logger, { text: 'repos' });

    // Assess
    expect(reply.text).toMatch(/^vCR sent an answer I could not read \(ref `[0-9a-f]{8}`\)/);
    expect(JSON.stringify(reply)).not.toContain('Gateway says hi');
    expect(JSON.stringify(reply)).not.toContain('There are no');
    const logged = JSON.parse(lines[0]!);
    expect(logged).toMatchObject({ level: 'error', ref: refIn(mrkdwn(reply.text)!) });
    expect(logged.error.message).toContain('<html><body>Gateway says hi</body></html>');
  });

  it('says what went and what is still there, with a fresh preview button, when a change stopped part-way', () => {
    // Prepare
    const { logger, lines } = capture();
    const error = new PartialFailureError({
      action: 'delete image `r/app`',
      failed: 'artifact `b`',
      done: ['artifact `a`'],
      remaining: ['artifact `b`', 'image `r/app`'],
      cause: new VcrApiError({ status: 500, method: 'DELETE', path: '/v1/x', serverMessage: 'oops' }),
      retry: { command: 'image.delete', args: { ref: 'repo-1/app' } },
    });

    // Act
    const reply = failureReply(error, logger);

    // Assess
    const ref = refIn(mrkdwn(reply.text)!);
    expect(reply.parts).toEqual([
      {
        type: 'text',
        text: `Delete image \`r/app\` stopped part-way (ref \`${ref}\`). vCR failed to delete artifact \`b\` (it said 500).`,
      },
      { type: 'text', text: 'Deleted: artifact `a`.\nStill there: artifact `b`, image `r/app`.' },
      {
        type: 'context',
        text: 'Nothing more was tried, and nothing runs again by itself: *Fresh preview* shows what is left.',
      },
      {
        type: 'actions',
        actions: [{ label: 'Fresh preview', invocation: { command: 'image.delete', args: { ref: 'repo-1/app' } } }],
      },
    ]);
    expect(JSON.parse(lines[0]!)).toMatchObject({
      level: 'error',
      ref,
      done: ['artifact `a`'],
      remaining: ['artifact `b`', 'image `r/app`'],
    });
  });

  it.each([401, 403])('says vCR rejected the bot and logs an error with the ref when vCR answers %i', (status) => {
    // Prepare
    const { logger, lines } = capture();
    const error = new VcrApiError({ status, method: 'GET', path: '/v1/repository', serverMessage: 'Forbidden' });

    // Act
    const reply = failureReply(error, logger, { text: 'repos' });

    // Assess
    expect(reply.text).toContain("vCR rejected the bot's credentials or permissions");
    expect(reply.text).not.toContain('vCR refused');
    const ref = refIn(mrkdwn(reply.text)!);
    expect(lines.map((line) => JSON.parse(line))).toEqual([
      expect.objectContaining({ level: 'error', ref, error: expect.objectContaining({ name: 'VcrApiError' }) }),
    ]);
  });

  it('says which service was slow and logs a warning with the ref when the request deadline passes', () => {
    // Prepare
    const { logger, lines } = capture();

    // Act
    const reply = failureReply(new DeadlineError('Slack', 'reading user groups'), logger);

    // Assess
    expect(reply.text).toContain('Slack is slow right now');
    expect(reply.text).toContain('Try again');
    const ref = refIn(mrkdwn(reply.text)!);
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 'warn', ref, error: { name: 'DeadlineError' } });
  });

  it('shows a UserError as is, with no ref, when the user can fix it', () => {
    // Prepare
    const { logger } = capture();

    // Act
    const reply = failureReply(new UserError('Give a name.', { hint: 'Usage: x' }), logger);

    // Assess
    expect(reply.parts).toEqual([
      { type: 'text', text: 'Give a name.' },
      { type: 'context', text: 'Usage: x' },
    ]);
  });
});
