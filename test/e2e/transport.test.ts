import { randomBytes } from 'node:crypto';
import { signSlackRequest } from '../../local/fakes/slack-signature';
import { type SlackHttpServer, startSlackHttpServer } from '../../local/slack-http-server';
import { type E2eHarness, e2eUsers, leakedSecrets, readableText, startE2eHarness } from '../support/e2e-harness';
import { apiGatewayEvent, signedEvent, slashCommandBody } from '../support/slack-requests';

let harness: E2eHarness;
let server: SlackHttpServer;

beforeAll(async () => {
  harness = await startE2eHarness();
  server = await startSlackHttpServer({ handlers: harness.handlers });
});

afterAll(async () => {
  await server.close();
  await harness.close();
});

const body = (text = 'help') =>
  slashCommandBody({ text, userId: e2eUsers.viewer, responseUrl: harness.slack.responseUrl() });

describe('the HTTP entry', () => {
  it('answers a signed command when the body is plain', async () => {
    // Prepare
    const event = signedEvent(body(), harness.secrets.signingSecret, { base64: false });

    // Act
    const answer = await harness.send(event);

    // Assess
    expect(answer.statusCode).toBe(200);
    expect(readableText(answer.json)).toContain('vCR commands');
  });

  it('answers a signed command when API Gateway base64-encodes the body', async () => {
    // Prepare
    const event = signedEvent(body(), harness.secrets.signingSecret, { base64: true });

    // Act
    const answer = await harness.send(event);

    // Assess
    expect(event.isBase64Encoded).toBe(true);
    expect(answer.statusCode).toBe(200);
    expect(readableText(answer.json)).toContain('vCR commands');
  });

  it('answers a signed command when the content type carries a charset', async () => {
    // Prepare
    const event = signedEvent(body(), harness.secrets.signingSecret, {
      contentType: 'application/x-www-form-urlencoded; charset=utf-8',
    });

    // Act
    const answer = await harness.send(event);

    // Assess
    expect(answer.statusCode).toBe(200);
  });

  it('answers 401 and runs nothing when the signature is forged', async () => {
    // Prepare
    const event = signedEvent(body('repos'), randomBytes(32).toString('hex'), { base64: true });
    const requestsBefore = harness.emulator.requests.length;

    // Act
    const answer = await harness.send(event);
    await harness.settle();

    // Assess
    expect(answer.statusCode).toBe(401);
    expect(harness.emulator.requests.length).toBe(requestsBefore);
  });

  it('answers 401 when the body was changed after signing', async () => {
    // Prepare
    const signed = body('repos');
    const headers = signSlackRequest(signed, harness.secrets.signingSecret);
    const event = apiGatewayEvent(body('repo delete payments-api'), {
      'content-type': 'application/x-www-form-urlencoded',
      ...headers,
    });

    // Act
    const answer = await harness.send(event);

    // Assess
    expect(answer.statusCode).toBe(401);
  });

  it('answers 401 when the timestamp is older than five minutes', async () => {
    // Prepare
    const stale = Math.floor(Date.now() / 1000) - 6 * 60;
    const event = signedEvent(body(), harness.secrets.signingSecret, { timestampSeconds: stale });

    // Act
    const answer = await harness.send(event);

    // Assess
    expect(answer.statusCode).toBe(401);
  });

  it('answers 401 when the timestamp is more than five minutes ahead', async () => {
    // Prepare
    const ahead = Math.floor(Date.now() / 1000) + 6 * 60;
    const event = signedEvent(body(), harness.secrets.signingSecret, { timestampSeconds: ahead });

    // Act
    const answer = await harness.send(event);

    // Assess
    expect(answer.statusCode).toBe(401);
  });

  it('answers 401 when the signature headers are missing', async () => {
    // Prepare
    const event = apiGatewayEvent(body(), { 'content-type': 'application/x-www-form-urlencoded' });

    // Act
    const answer = await harness.send(event);

    // Assess
    expect(answer.statusCode).toBe(401);
  });

  it('writes none of the generated secrets to the log', async () => {
    // Prepare
    await harness.command('repos', e2eUsers.viewer);
    await harness.settle();

    // Act
    const leaked = leakedSecrets(harness);

    // Assess
    expect(harness.logs.length).toBeGreaterThan(0);
    expect(leaked).toEqual([]);
  });
});

describe('the local server (npm run serve)', () => {
  const postTo = (url: string, text: string, signingSecret = harness.secrets.signingSecret) => {
    const signed = body(text);
    return fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...signSlackRequest(signed, signingSecret) },
      body: signed,
    });
  };

  it('serves the same handler at POST /slack/events when a signed command arrives over HTTP', async () => {
    // Prepare
    const url = server.url;

    // Act
    const response = await postTo(url, 'help');

    // Assess
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/json');
    expect(readableText(await response.json())).toContain('vCR commands');
  });

  it('answers 401 over HTTP when the signature is forged', async () => {
    // Prepare
    const forger = randomBytes(32).toString('hex');

    // Act
    const response = await postTo(server.url, 'help', forger);

    // Assess
    expect(response.status).toBe(401);
  });

  it('answers 404 when the path is not /slack/events', async () => {
    // Prepare
    const url = server.url.replace('/slack/events', '/other');

    // Act
    const response = await postTo(url, 'help');

    // Assess
    expect(response.status).toBe(404);
  });
});
