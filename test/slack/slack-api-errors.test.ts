import { webApi } from '@slack/bolt';
import { startFakeSlack } from '../../local/fakes/slack-api';
import { explainSlackFailure, readSlackFailure } from '../../src/slack/slack-api-errors';
import { useLocalServices } from '../support/slack-harness';

const services = useLocalServices();

/** What the real Web API client throws when the fake Slack answers `auth.test` as set up. */
async function thrownBy(setUp: (slack: typeof services.slack) => void, url = services.slack.url): Promise<unknown> {
  setUp(services.slack);
  const client = new webApi.WebClient('xoxb-test', {
    slackApiUrl: url,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    // The client warns on the console for an unreachable Slack; the failure it throws is what is tested.
    logLevel: webApi.LogLevel.ERROR,
  });
  try {
    return await client.auth.test().then(
      () => undefined,
      (error: unknown) => error,
    );
  } finally {
    services.slack.clearFailures();
  }
}

describe('readSlackFailure', () => {
  it('reads the error code when Slack answers ok: false', async () => {
    // Prepare
    const error = await thrownBy((slack) => slack.failMethod('auth.test', 'invalid_auth'));

    // Act
    const failure = readSlackFailure(error);

    // Assess
    expect(failure).toEqual({ code: 'invalid_auth' });
  });

  it('reads the wait when Slack answers 429 with Retry-After', async () => {
    // Prepare
    const error = await thrownBy((slack) => slack.failMethod('auth.test', { status: 429, retryAfter: 12 }));

    // Act
    const failure = readSlackFailure(error);

    // Assess
    expect(failure).toEqual({ code: 'ratelimited', retryAfterSeconds: 12 });
    expect(explainSlackFailure(failure!)).toMatchObject({ fix: 'Try again in 12 seconds.', misconfigured: false });
  });

  it('reads the status when Slack answers 500', async () => {
    // Prepare
    const error = await thrownBy((slack) => slack.failMethod('auth.test', { status: 503 }));

    // Act
    const failure = readSlackFailure(error);

    // Assess
    expect(failure).toEqual({ code: 'http_503' });
    expect(explainSlackFailure(failure!)).toMatchObject({
      problem: 'Slack is not answering right now (`http_503`).',
      misconfigured: false,
    });
  });

  it('reads an unreachable Slack as one when nothing listens', async () => {
    // Prepare
    const closed = await startFakeSlack();
    await closed.close();

    // Act
    const failure = readSlackFailure(await thrownBy(() => {}, closed.url));

    // Assess
    expect(failure).toEqual({ code: 'unreachable' });
  });

  it('reads nothing from an error that is not the Web API client’s', () => {
    // Act
    const failure = readSlackFailure(new Error('invalid_auth'));

    // Assess
    expect(failure).toBeUndefined();
  });
});

describe('explainSlackFailure', () => {
  it('names the code and points at the log for a code the table does not know, as a setting problem', () => {
    // Act
    const meaning = explainSlackFailure({ code: 'something_new' });

    // Assess
    expect(meaning).toEqual({
      problem: 'Slack refused the call (`something_new`).',
      fix: 'If it happens again, an admin can find the details in the log.',
      misconfigured: true,
    });
  });

  it('names the scope to add when the token lacks one', () => {
    // Act
    const meaning = explainSlackFailure({ code: 'missing_scope', neededScope: 'usergroups:read' });

    // Assess
    expect(meaning.problem).toBe('The bot token lacks the Slack permission `usergroups:read` (`missing_scope`).');
    expect(meaning.misconfigured).toBe(true);
  });
});
