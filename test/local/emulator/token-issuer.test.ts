import { startVcrEmulator, type VcrEmulator } from '../../../local/emulator/vcr-emulator';
import { randomCredentials } from '../../support/emulator-session';

function basic(clientId: string, clientSecret: string): string {
  return `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`;
}

describe('emulator IAM token endpoint', () => {
  let emulator: VcrEmulator;
  let clock = Date.parse('2025-03-03T08:00:00.000Z');

  beforeAll(async () => {
    emulator = await startVcrEmulator({ port: 0, ...randomCredentials(), tokenTtlSeconds: 600, now: () => clock });
  });

  afterAll(() => emulator.close());

  const requestToken = (init: { authorization?: string; contentType?: string; body?: string } = {}) => {
    const headers: Record<string, string> = {
      authorization: init.authorization ?? basic(emulator.clientId, emulator.clientSecret),
      'content-type': init.contentType ?? 'application/x-www-form-urlencoded',
    };
    return fetch(emulator.iamUrl, { method: 'POST', headers, body: init.body ?? 'grant_type=client_credentials' });
  };

  const listRepositories = (token: string) =>
    fetch(`${emulator.url}/v1/repository`, { headers: { authorization: `Bearer ${token}` } });

  it('issues a bearer token with the configured lifetime when the client credentials are right', async () => {
    // Act
    const response = await requestToken();

    // Assess
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toEqual({
      token_type: 'Bearer',
      access_token: expect.any(String),
      expires_in: 600,
      refresh_expires_in: 0,
    });
    expect((await listRepositories(body.access_token as string)).status).toBe(200);
  });

  it('answers 401 AUTHENTICATION_FAILED when the secret is wrong', async () => {
    // Act
    const response = await requestToken({ authorization: basic(emulator.clientId, `${emulator.clientSecret}x`) });

    // Assess
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ errors: [{ code: 'AUTHENTICATION_FAILED', message: expect.any(String) }] });
  });

  it('answers 401 when the Basic header is missing', async () => {
    // Act
    const response = await fetch(emulator.iamUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials',
    });

    // Assess
    expect(response.status).toBe(401);
  });

  it('answers 400 in the IAM error shape when the body is JSON instead of a form', async () => {
    // Act
    const response = await requestToken({
      contentType: 'application/json',
      body: JSON.stringify({ grant_type: 'client_credentials' }),
    });

    // Assess
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ errors: [{ code: expect.any(String), message: expect.any(String) }] });
  });

  it('answers 400 when the grant type is not client_credentials', async () => {
    // Act
    const response = await requestToken({ body: 'grant_type=password' });

    // Assess
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ errors: [{ code: expect.any(String), message: expect.any(String) }] });
  });

  it('refuses a token once its expires_in has passed on the injected clock', async () => {
    // Prepare
    const { access_token } = (await (await requestToken()).json()) as { access_token: string };
    clock += 599_000;
    const stillValid = await listRepositories(access_token);

    // Act
    clock += 1_000;
    const expired = await listRepositories(access_token);

    // Assess
    expect(stillValid.status).toBe(200);
    expect(expired.status).toBe(401);
    expect(await expired.json()).toEqual({ message: expect.any(String) });
  });

  it('refuses every earlier token after expireTokens', async () => {
    // Prepare
    const token = emulator.issueToken();

    // Act
    emulator.expireTokens();

    // Assess
    expect((await listRepositories(token)).status).toBe(401);
    expect((await listRepositories(emulator.issueToken())).status).toBe(200);
  });

  it.each([
    ['no Authorization header', undefined],
    ['an unknown token', 'Bearer not-a-token'],
    ['a Basic header', 'Basic abc'],
  ])('answers 401 on a vCR route when it gets %s', async (_label, authorization) => {
    // Act
    const response = await fetch(`${emulator.url}/v1/user/permissions`, {
      headers: authorization === undefined ? {} : { authorization },
    });

    // Assess
    expect(response.status).toBe(401);
  });
});
