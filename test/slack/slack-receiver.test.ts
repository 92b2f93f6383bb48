import { signSlackRequest } from '../../local/fakes/slack-signature';
import { type SlackHarness, startSlackHarness, textOf, users } from '../support/slack-harness';
import { apiGatewayEvent, signedEvent, slashCommandBody } from '../support/slack-requests';

let h: SlackHarness;

beforeAll(async () => {
  h = await startSlackHarness();
});

afterAll(async () => {
  await h.close();
});

function helpBody(): string {
  return slashCommandBody({ text: 'help', userId: users.viewer, responseUrl: h.slack.responseUrl() });
}

describe('SlackReceiver', () => {
  it.each([
    ['plain', false],
    ['base64', true],
  ])('answers a signed request when its body is %s', async (_label, base64) => {
    // Act
    const answer = await h.send(signedEvent(helpBody(), h.signingSecret, { base64 }));

    // Assess
    expect(answer.statusCode).toBe(200);
    expect(textOf(answer.json)).toContain('vCR commands');
  });

  it('answers 401 and runs nothing when the signature was made with another secret', async () => {
    // Prepare
    const callsBefore = h.slack.calls.length;
    const jobsBefore = h.jobs.length;

    // Act
    const answer = await h.send(signedEvent(helpBody(), 'not-the-signing-secret'));

    // Assess
    expect(answer).toMatchObject({ statusCode: 401, text: '' });
    expect(h.slack.calls.length).toBe(callsBefore);
    expect(h.jobs.length).toBe(jobsBefore);
  });

  it('answers 401 when the body was changed after signing', async () => {
    // Prepare
    const body = helpBody();
    const headers = signSlackRequest(body, h.signingSecret);

    // Act
    const answer = await h.send(
      apiGatewayEvent(body.replace('help', 'repos'), {
        'content-type': 'application/x-www-form-urlencoded',
        ...headers,
      }),
    );

    // Assess
    expect(answer.statusCode).toBe(401);
  });

  it('answers 401 when the timestamp is older than five minutes', async () => {
    // Act
    const answer = await h.send(
      signedEvent(helpBody(), h.signingSecret, { timestampSeconds: Math.floor(Date.now() / 1000) - 6 * 60 }),
    );

    // Assess
    expect(answer.statusCode).toBe(401);
  });

  it('answers 401 when the timestamp is more than five minutes ahead', async () => {
    // Act
    const answer = await h.send(
      signedEvent(helpBody(), h.signingSecret, { timestampSeconds: Math.floor(Date.now() / 1000) + 10 * 60 }),
    );

    // Assess
    expect(answer.statusCode).toBe(401);
  });

  it('answers 401 when the signature headers are missing', async () => {
    // Act
    const answer = await h.send(apiGatewayEvent(helpBody(), { 'content-type': 'application/x-www-form-urlencoded' }));

    // Assess
    expect(answer.statusCode).toBe(401);
  });

  it('answers when the content type has a charset, which Bolt alone would fail to parse', async () => {
    // Act
    const answer = await h.send(
      signedEvent(helpBody(), h.signingSecret, { contentType: 'application/x-www-form-urlencoded; charset=utf-8' }),
    );

    // Assess
    expect(answer.statusCode).toBe(200);
    expect(textOf(answer.json)).toContain('vCR commands');
  });

  it('answers 400 instead of throwing when a JSON body cannot be parsed', async () => {
    // Act
    const answer = await h.send(signedEvent('{not json', h.signingSecret, { contentType: 'application/json' }));

    // Assess
    expect(answer.statusCode).toBe(400);
  });
});
