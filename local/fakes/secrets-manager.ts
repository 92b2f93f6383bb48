/**
 * A small Secrets Manager on node:http speaking the AWS JSON 1.1 protocol for GetSecretValue, so the real AWS SDK
 * client can be pointed at it by tests and the local runner. It neither checks signatures nor stores versions.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the fake received, for tests that assert what the client sent. */
export interface FakeSecretsManagerCall {
  target: string;
  secretId?: string;
  /** Whether the request carried a SigV4 `Authorization` header. */
  signed: boolean;
}

/** A running fake Secrets Manager. */
export interface FakeSecretsManager {
  /** Base URL to pass as the SDK client's `endpoint` (or AWS_ENDPOINT_URL_SECRETS_MANAGER). */
  readonly url: string;
  /** Number of GetSecretValue calls answered so far, found or not. */
  readonly reads: number;
  /** Every request received, in order. */
  readonly calls: readonly FakeSecretsManagerCall[];
  /** Creates or replaces a secret (a new version id each time). */
  setSecret(id: string, value: string): void;
  /** Removes a secret, so reading it fails with ResourceNotFoundException. */
  deleteSecret(id: string): void;
  /**
   * Makes the service unreachable (`true`) or answer again (`false`): while down, every request is still counted in
   * `calls` and `reads`, then its connection is dropped without an answer, as a network outage looks to the SDK.
   */
  setDown(down: boolean): void;
  /** Stops the server, dropping kept-alive connections. */
  close(): Promise<void>;
}

interface StoredSecret {
  value: string;
  versionId: string;
  createdDate: number;
}

const region = 'us-east-1';
const accountId = '000000000000';
const contentType = 'application/x-amz-json-1.1';

/** Starts a fake Secrets Manager on 127.0.0.1 (port 0 picks a free port) holding `secrets` by name. */
export async function startFakeSecretsManager(
  options: { secrets?: Record<string, string>; port?: number } = {},
): Promise<FakeSecretsManager> {
  const store = new Map<string, StoredSecret>();
  const calls: FakeSecretsManagerCall[] = [];
  let reads = 0;
  let down = false;

  const setSecret = (id: string, value: string) => {
    store.set(id, { value, versionId: randomUUID(), createdDate: Math.floor(Date.now() / 1000) });
  };
  for (const [id, value] of Object.entries(options.secrets ?? {})) setSecret(id, value);

  // The SDK may send an ARN where a name was stored, so both are accepted.
  const find = (secretId: string): [string, StoredSecret] | undefined => {
    const direct = store.get(secretId);
    if (direct) return [secretId, direct];
    for (const [name, secret] of store) if (secretId === arnOf(name)) return [name, secret];
    return undefined;
  };

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const target = String(request.headers['x-amz-target'] ?? '');
    const text = await readBody(request);
    let body: { SecretId?: unknown };
    try {
      body = text === '' ? {} : JSON.parse(text);
    } catch {
      calls.push({ target, signed: isSigned(request) });
      return sendError(response, 400, 'SerializationException', 'Request body is not valid JSON.');
    }
    const secretId = typeof body.SecretId === 'string' ? body.SecretId : undefined;
    calls.push({ target, secretId, signed: isSigned(request) });

    if (request.method !== 'POST' || target !== 'secretsmanager.GetSecretValue') {
      return sendError(response, 400, 'UnknownOperationException', 'This fake answers GetSecretValue only.');
    }
    reads += 1;
    if (down) {
      request.socket.destroy();
      return;
    }
    if (secretId === undefined) {
      return sendError(response, 400, 'InvalidParameterException', 'SecretId is required.');
    }
    const found = find(secretId);
    if (!found) {
      return sendError(response, 400, 'ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
    }
    const [name, secret] = found;
    send(response, 200, {
      ARN: arnOf(name),
      Name: name,
      SecretString: secret.value,
      VersionId: secret.versionId,
      VersionStages: ['AWSCURRENT'],
      CreatedDate: secret.createdDate,
    });
  };

  const server = createServer((request, response) => {
    handle(request, response).catch(() => sendError(response, 500, 'InternalServiceError', 'The fake failed.'));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    get reads() {
      return reads;
    },
    calls,
    setSecret,
    deleteSecret: (id) => {
      store.delete(id);
    },
    setDown: (value) => {
      down = value;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // The SDK keeps connections alive; without this, close waits for them to time out.
        server.closeAllConnections();
      }),
  };
}

function arnOf(name: string): string {
  // Real ARNs end in a dash and six random characters; a fixed suffix keeps the fake deterministic.
  return `arn:aws:secretsmanager:${region}:${accountId}:secret:${name}-AbCdEf`;
}

function isSigned(request: IncomingMessage): boolean {
  return String(request.headers.authorization ?? '').startsWith('AWS4-HMAC-SHA256');
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function send(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': contentType,
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': randomUUID(),
    ...headers,
  });
  response.end(text);
}

// The SDK reads the error code from `x-amzn-ErrorType` first, then from the body's `__type`; real AWS sends both.
function sendError(response: ServerResponse, status: number, type: string, message: string): void {
  send(response, status, { __type: type, message }, { 'x-amzn-ErrorType': type });
}
