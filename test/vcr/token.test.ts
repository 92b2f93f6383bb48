import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { createLogger } from '../../src/logger';
import { IamAuthError } from '../../src/vcr/errors';
import { createTokenProvider, type IamCredentials } from '../../src/vcr/token';

interface MintRequest {
  method: string;
  path: string;
  authorization?: string;
  contentType?: string;
  body: string;
}

/** A tiny VNG Cloud IAM on 127.0.0.1: records every request and answers with `respond` (a token by default). */
async function startIam() {
  const requests: MintRequest[] = [];
  const sockets = new Set<Socket>();
  let minted = 0;
  let respond = (res: ServerResponse) => {
    minted += 1;
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ token_type: 'Bearer', access_token: `token-${minted}`, expires_in: 1800 }));
  };
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      requests.push({
        method: req.method ?? '',
        path: req.url ?? '',
        authorization: req.headers.authorization,
        contentType: req.headers['content-type'],
        body,
      });
      respond(res);
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/accounts-api/v2/auth/token`,
    requests,
    answer(handler: (res: ServerResponse) => void) {
      respond = handler;
    },
    answerToken(expiresIn: number) {
      respond = (res) => {
        minted += 1;
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ token_type: 'Bearer', access_token: `token-${minted}`, expires_in: expiresIn }));
      };
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function answerJson(status: number, body: unknown) {
  return (res: ServerResponse) => {
    res.writeHead(status, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(body));
  };
}

describe('createTokenProvider', () => {
  let iam: Awaited<ReturnType<typeof startIam>>;
  const clientId = `client-${randomBytes(4).toString('hex')}`;
  const clientSecret = randomBytes(18).toString('base64url');
  const credentials = async (): Promise<IamCredentials> => ({ clientId, clientSecret });

  beforeEach(async () => {
    iam = await startIam();
  });

  afterEach(async () => {
    await iam.close();
  });

  it('mints with the client-credentials grant when it has a client id and secret', async () => {
    // Prepare
    const tokens = createTokenProvider({ iamUrl: iam.url, credentials });

    // Act
    const token = await tokens.getToken();

    // Assess
    expect(token).toBe('token-1');
    expect(iam.requests).toEqual([
      {
        method: 'POST',
        path: '/accounts-api/v2/auth/token',
        authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
        contentType: 'application/x-www-form-urlencoded',
        body: 'grant_type=client_credentials',
      },
    ]);
  });

  it('reuses the token when it is asked again before renewal is due', async () => {
    // Prepare
    const tokens = createTokenProvider({ iamUrl: iam.url, credentials });

    // Act
    const first = await tokens.getToken();
    const second = await tokens.getToken();

    // Assess
    expect([first, second]).toEqual(['token-1', 'token-1']);
    expect(iam.requests).toHaveLength(1);
  });

  it('renews five minutes before expiry when the token lives 30 minutes', async () => {
    // Prepare
    let clock = 1_000_000;
    const tokens = createTokenProvider({ iamUrl: iam.url, credentials, now: () => clock });
    await tokens.getToken();

    // Act
    clock += 25 * 60 * 1000 - 1;
    const justBefore = await tokens.getToken();
    clock += 1;
    const atRenewal = await tokens.getToken();

    // Assess
    expect([justBefore, atRenewal]).toEqual(['token-1', 'token-2']);
    expect(iam.requests).toHaveLength(2);
  });

  it('renews after four fifths of the lifetime when the token lives less than 25 minutes', async () => {
    // Prepare
    iam.answerToken(100);
    let clock = 0;
    const tokens = createTokenProvider({ iamUrl: iam.url, credentials, now: () => clock });
    await tokens.getToken();

    // Act
    clock = 79_999;
    const justBefore = await tokens.getToken();
    clock = 80_000;
    const atRenewal = await tokens.getToken();

    // Assess
    expect([justBefore, atRenewal]).toEqual(['token-1', 'token-2']);
  });

  it('mints exactly once when 20 callers ask at the same time', async () => {
    // Prepare
    const tokens = createTokenProvider({ iamUrl: iam.url, credentials });

    // Act
    const all = await Promise.all(Array.from({ length: 20 }, () => tokens.getToken()));

    // Assess
    expect(new Set(all)).toEqual(new Set(['token-1']));
    expect(iam.requests).toHaveLength(1);
  });

  it('mints a new token when the current one is invalidated', async () => {
    // Prepare
    const tokens = createTokenProvider({ iamUrl: iam.url, credentials });
    const rejected = await tokens.getToken();

    // Act
    tokens.invalidate(rejected);
    const renewed = await tokens.getToken();

    // Assess
    expect([rejected, renewed]).toEqual(['token-1', 'token-2']);
  });

  it('keeps the current token when an already replaced token is invalidated', async () => {
    // Prepare
    const tokens = createTokenProvider({ iamUrl: iam.url, credentials });
    const stale = await tokens.getToken();
    tokens.invalidate(stale);
    const current = await tokens.getToken();

    // Act
    tokens.invalidate(stale);
    const after = await tokens.getToken();

    // Assess
    expect(after).toBe(current);
    expect(iam.requests).toHaveLength(2);
  });

  it('uses a static access token without minting when the credentials hold one', async () => {
    // Prepare
    const accessToken = randomBytes(24).toString('hex');
    const tokens = createTokenProvider({ iamUrl: iam.url, credentials: async () => ({ accessToken }) });

    // Act
    const token = await tokens.getToken();

    // Assess
    expect(token).toBe(accessToken);
    expect(iam.requests).toHaveLength(0);
  });

  it('re-reads the credentials instead of serving the same token again when a static token is invalidated', async () => {
    // Prepare
    const [first, rotated] = [randomBytes(24).toString('hex'), randomBytes(24).toString('hex')];
    const refreshCredentials = jest.fn(async (): Promise<IamCredentials> => ({ accessToken: rotated }));
    const tokens = createTokenProvider({
      iamUrl: iam.url,
      credentials: async () => ({ accessToken: first }),
      refreshCredentials,
    });
    const before = await tokens.getToken();

    // Act
    tokens.invalidate(before);
    const after = await tokens.getToken();

    // Assess
    expect([before, after]).toEqual([first, rotated]);
    expect(refreshCredentials).toHaveBeenCalledTimes(1);
    expect(iam.requests).toHaveLength(0);
  });

  it('mints once more with the re-read pair when IAM rejects the pair it had', async () => {
    // Prepare
    const rotatedSecret = randomBytes(18).toString('base64url');
    const accepted = `Basic ${Buffer.from(`${clientId}:${rotatedSecret}`).toString('base64')}`;
    iam.answer((res) => {
      const authorization = iam.requests.at(-1)?.authorization;
      if (authorization === accepted) answerJson(200, { access_token: 'rotated-token', expires_in: 1800 })(res);
      else answerJson(401, { errors: [{ code: 'AUTHENTICATION_FAILED', message: 'bad client' }] })(res);
    });
    const refreshCredentials = jest.fn(
      async (): Promise<IamCredentials> => ({ clientId, clientSecret: rotatedSecret }),
    );
    const tokens = createTokenProvider({ iamUrl: iam.url, credentials, refreshCredentials });

    // Act
    const token = await tokens.getToken();

    // Assess
    expect(token).toBe('rotated-token');
    expect(refreshCredentials).toHaveBeenCalledTimes(1);
    expect(iam.requests.map((request) => request.authorization === accepted)).toEqual([false, true]);
  });

  it('throws the rejection after one more mint when IAM also rejects the re-read pair', async () => {
    // Prepare
    iam.answer(answerJson(401, { errors: [{ code: 'AUTHENTICATION_FAILED', message: 'bad client' }] }));
    const refreshCredentials = jest.fn(
      async (): Promise<IamCredentials> => ({ clientId, clientSecret: randomBytes(18).toString('base64url') }),
    );
    const tokens = createTokenProvider({ iamUrl: iam.url, credentials, refreshCredentials });

    // Act
    const error = await tokens.getToken().catch((caught: unknown) => caught);

    // Assess
    expect(error).toMatchObject({ name: 'IamAuthError', code: 'AUTHENTICATION_FAILED', status: 401 });
    expect(refreshCredentials).toHaveBeenCalledTimes(1);
    expect(iam.requests).toHaveLength(2);
  });

  it('throws IamAuthError with the IAM code and mints no more when IAM answers 401 and the re-read pair is the same', async () => {
    // Prepare
    iam.answer(
      answerJson(401, {
        errors: [{ code: 'AUTHENTICATION_FAILED', message: `bad client ${clientId}:${clientSecret}` }],
      }),
    );
    const refreshCredentials = jest.fn(credentials);
    const tokens = createTokenProvider({ iamUrl: iam.url, credentials, refreshCredentials });

    // Act
    const error = await tokens.getToken().catch((caught: unknown) => caught);

    // Assess
    expect(error).toBeInstanceOf(IamAuthError);
    expect(error).toMatchObject({
      name: 'IamAuthError',
      message: 'vCR credentials rejected by VNG Cloud IAM: AUTHENTICATION_FAILED',
      code: 'AUTHENTICATION_FAILED',
      status: 401,
    });
    expect(refreshCredentials).toHaveBeenCalledTimes(1);
    expect(iam.requests).toHaveLength(1);
  });

  it('blanks the secret in the IAM message when IAM answers 400 without a code', async () => {
    // Prepare
    iam.answer(answerJson(400, { errors: [{ message: `secret ${clientSecret} is not valid` }] }));
    const refreshCredentials = jest.fn(credentials);
    const tokens = createTokenProvider({ iamUrl: iam.url, credentials, refreshCredentials });

    // Act
    const error = (await tokens.getToken().catch((caught: unknown) => caught)) as IamAuthError;

    // Assess
    expect(error.message).toBe('vCR credentials rejected by VNG Cloud IAM: secret [redacted] is not valid');
    expect(JSON.stringify({ ...error, message: error.message })).not.toContain(clientSecret);
    expect(refreshCredentials).toHaveBeenCalledTimes(1);
  });

  it('throws without re-reading the credentials and mints again next time when IAM answers 500', async () => {
    // Prepare
    iam.answer(answerJson(500, { errors: [{ code: 'INTERNAL' }] }));
    const refreshCredentials = jest.fn(credentials);
    const tokens = createTokenProvider({ iamUrl: iam.url, credentials, refreshCredentials });
    const error = await tokens.getToken().catch((caught: unknown) => caught);
    iam.answerToken(1800);

    // Act
    const token = await tokens.getToken();

    // Assess
    expect(error).toMatchObject({
      name: 'IamAuthError',
      message: 'VNG Cloud IAM answered 500 while minting a vCR token: INTERNAL',
    });
    expect(refreshCredentials).not.toHaveBeenCalled();
    expect(token).toBe('token-1');
  });

  it('throws IamAuthError when IAM answers 200 without an access token', async () => {
    // Prepare
    iam.answer(answerJson(200, { token_type: 'Bearer' }));
    const tokens = createTokenProvider({ iamUrl: iam.url, credentials });

    // Act
    const error = await tokens.getToken().catch((caught: unknown) => caught);

    // Assess
    expect(error).toMatchObject({ name: 'IamAuthError', message: 'VNG Cloud IAM answered without an access token.' });
  });

  it('throws IamAuthError naming the timeout when IAM does not answer in time', async () => {
    // Prepare
    iam.answer(() => {});
    const tokens = createTokenProvider({ iamUrl: iam.url, credentials, timeoutMs: 100 });

    // Act
    const error = await tokens.getToken().catch((caught: unknown) => caught);

    // Assess
    expect(error).toBeInstanceOf(IamAuthError);
    expect((error as Error).message).toBe('VNG Cloud IAM did not answer within 100 ms while minting a vCR token.');
  });

  it('throws IamAuthError when IAM cannot be reached', async () => {
    // Prepare
    const url = iam.url;
    await iam.close();
    const tokens = createTokenProvider({ iamUrl: url, credentials });

    // Act
    const error = await tokens.getToken().catch((caught: unknown) => caught);

    // Assess
    expect(error).toBeInstanceOf(IamAuthError);
    expect((error as Error).message).toBe('VNG Cloud IAM could not be reached to mint a vCR token.');
    iam = await startIam();
  });

  it('throws IamAuthError when the credentials hold neither a secret nor a token', async () => {
    // Prepare
    const tokens = createTokenProvider({ iamUrl: iam.url, credentials: async () => ({ clientId }) });

    // Act
    const error = await tokens.getToken().catch((caught: unknown) => caught);

    // Assess
    expect(error).toBeInstanceOf(IamAuthError);
    expect(iam.requests).toHaveLength(0);
  });

  it('registers the secret and the token with the logger when it mints', async () => {
    // Prepare
    const lines: string[] = [];
    const logger = createLogger({ level: 'debug', sink: (line) => lines.push(line) });
    const tokens = createTokenProvider({ iamUrl: iam.url, credentials, logger });
    iam.answer((res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ access_token: 'long-minted-token-value', expires_in: 1800 }));
    });

    // Act
    const token = await tokens.getToken();
    logger.info('leak', { token, clientSecret });

    // Assess
    expect(lines.join('\n')).not.toContain(token);
    expect(lines.join('\n')).not.toContain(clientSecret);
  });
});
