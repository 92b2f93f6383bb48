/**
 * A local vCR: the 23 management operations of docs/vcr-api.md and the IAM token endpoint on one node:http
 * server, with in-memory state, request recording and fault injection. What it enforces is listed in README.md.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { defaultTokenTtlSeconds, iamTokenPath, localDemoAccountId, localDemoCredentials } from './defaults';
import { EmulatorHttpError } from './emulator-http-error';
import { createEmptyState, type EmulatorState } from './emulator-state';
import { createFaultInjector, type Fault } from './fault-injector';
import { createImageRoutes } from './image-routes';
import { bodyKindOf, parseQuery, parseRecordedBody, type RecordedRequest } from './recorded-request';
import { createRepositoryRoutes } from './repository-routes';
import { type EmulatorContext, matchRoute, type Route, type RouteResult } from './router';
import { seedEmulatorState } from './seed';
import { createTokenIssuer } from './token-issuer';
import { createUserRoutes } from './user-routes';

export type { EmulatorState } from './emulator-state';
export type { Fault } from './fault-injector';
export type { RecordedRequest } from './recorded-request';

/** Options of `startVcrEmulator`; every one has a local default. */
export interface VcrEmulatorOptions {
  /** Port to listen on; 0 (the default) picks a free one. */
  port?: number;
  /** Host to listen on; default 127.0.0.1. */
  host?: string;
  accountId?: string;
  clientId?: string;
  clientSecret?: string;
  /** Lifetime of issued tokens; default 1800. */
  tokenTtlSeconds?: number;
  /** Load the demo data of seed.ts; default true. */
  seed?: boolean;
  /** Delay added before every answer. */
  latencyMs?: number;
  /** Refuse to delete an image that still has artifacts; default true. */
  imageDeleteRequiresEmpty?: boolean;
  /** The clock in milliseconds, for token expiry and timestamps; default Date.now. */
  now?: () => number;
}

/** A running emulator and the handles tests use to observe and steer it. */
export interface VcrEmulator {
  /** The management base URL, `http://127.0.0.1:PORT`. */
  url: string;
  /** The full IAM token URL on the same server. */
  iamUrl: string;
  accountId: string;
  clientId: string;
  /** The client secret IAM accepts now. */
  readonly clientSecret: string;
  /** Makes IAM accept `clientSecret` instead of the current one (a rotation); tokens already issued stay valid. */
  rotateClientSecret(clientSecret: string): void;
  requests: RecordedRequest[];
  clearRequests(): void;
  inject(fault: Fault): void;
  clearFaults(): void;
  /** Returns a valid bearer token without an HTTP round trip. */
  issueToken(): string;
  /** Invalidates every token issued so far. */
  expireTokens(): void;
  /** Returns the secret a repository user can log in with now, or undefined for an unknown user. */
  currentSecret(repoUserId: string): string | undefined;
  state: EmulatorState;
  close(): Promise<void>;
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function sendJson(response: ServerResponse, status: number, value: unknown): void {
  const text = JSON.stringify(value);
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

function sendResult(response: ServerResponse, result: RouteResult): void {
  if ('json' in result) {
    sendJson(response, result.status, result.json);
  } else if ('text' in result) {
    response.writeHead(result.status, {
      'content-type': 'text/plain; charset=utf-8',
      'content-length': Buffer.byteLength(result.text),
    });
    response.end(result.text);
  } else {
    response.writeHead(result.status, { 'content-length': 0 });
    response.end();
  }
}

function sendFault(response: ServerResponse, fault: Fault, handled?: RouteResult): void {
  const status = fault.status ?? handled?.status ?? 500;
  if (handled && fault.rewrite) {
    sendJson(response, status, fault.rewrite('json' in handled ? handled.json : undefined));
  } else if (typeof fault.body === 'string') {
    const type = fault.contentType ?? 'text/plain; charset=utf-8';
    response.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(fault.body) });
    response.end(fault.body);
  } else if (fault.body === undefined && handled) {
    sendResult(response, { ...handled, status });
  } else {
    sendJson(response, status, fault.body === undefined ? { message: `Injected fault ${status}` } : fault.body);
  }
}

/** Starts an emulator listening on `host:port` (127.0.0.1 and a free port by default), seeded unless told not to. */
export async function startVcrEmulator(options: VcrEmulatorOptions = {}): Promise<VcrEmulator> {
  const now = options.now ?? Date.now;
  const accountId = options.accountId ?? localDemoAccountId;
  const clientId = options.clientId ?? localDemoCredentials.clientId;
  let clientSecret = options.clientSecret ?? localDemoCredentials.clientSecret;
  const host = options.host ?? '127.0.0.1';
  const state = createEmptyState();
  if (options.seed ?? true) seedEmulatorState(state, accountId);

  const context: EmulatorContext = {
    state,
    accountId,
    actorName: clientId,
    now,
    imageDeleteRequiresEmpty: options.imageDeleteRequiresEmpty ?? true,
  };
  const routes: Route[] = [
    ...createRepositoryRoutes(context),
    ...createImageRoutes(context),
    ...createUserRoutes(context),
  ];
  const tokens = createTokenIssuer({
    clientId,
    clientSecret,
    ttlSeconds: options.tokenTtlSeconds ?? defaultTokenTtlSeconds,
    now,
  });
  const faults = createFaultInjector();
  const requests: RecordedRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const method = (request.method ?? 'GET').toUpperCase();
    const rawUrl = request.url ?? '/';
    const queryStart = rawUrl.indexOf('?');
    const rawPath = queryStart < 0 ? rawUrl : rawUrl.slice(0, queryStart);
    let path = rawPath;
    try {
      path = decodeURIComponent(rawPath);
    } catch {
      // A malformed escape is recorded as received; routing then finds no match and answers 404.
    }
    const query = parseQuery(queryStart < 0 ? '' : rawUrl.slice(queryStart + 1));
    const rawBody = await readBody(request);
    const contentType = request.headers['content-type'];
    const authorization = request.headers.authorization;
    const kind = bodyKindOf(contentType);
    const body = parseRecordedBody(kind, rawBody);
    requests.push({ method, path, rawPath, query, body, ...(authorization === undefined ? {} : { authorization }) });

    if (options.latencyMs) await sleep(options.latencyMs);
    const fault = faults.take(method, path, query);
    if (fault) {
      if (fault.delayMs) await sleep(fault.delayMs);
      if (fault.dropConnection) {
        request.socket.destroy();
        return;
      }
      const replacesAnswer = fault.status !== undefined || fault.body !== undefined || fault.rewrite !== undefined;
      if (replacesAnswer && !(fault.handled || fault.rewrite)) {
        sendFault(response, fault);
        return;
      }
    }
    // A fault that lets the request be carried out answers in place of its success; a refusal is answered as it is.
    const carriedOut = (result: RouteResult) =>
      fault && (fault.handled || fault.rewrite) && result.status < 300
        ? sendFault(response, fault, result)
        : sendResult(response, result);

    if (method === 'POST' && path === iamTokenPath) {
      const answer = tokens.handleTokenRequest({ authorization, contentType }, rawBody);
      sendJson(response, answer.status, answer.json);
      return;
    }

    const match = matchRoute(routes, method, rawPath);
    if (!match) {
      sendJson(response, 404, { message: `No route for ${method} ${path}` });
      return;
    }
    try {
      tokens.assertBearer(authorization);
      if (match.route.jsonBody && rawBody !== '') {
        if (kind !== 'json') throw new EmulatorHttpError(415, `Content type '${contentType ?? ''}' not supported`);
        if (typeof body === 'string') throw new EmulatorHttpError(400, 'Malformed JSON request body');
      }
      carriedOut(match.route.handle({ params: match.params, query, body }));
    } catch (error) {
      if (error instanceof EmulatorHttpError) {
        sendJson(response, error.status, { message: error.message });
      } else {
        sendJson(response, 500, { message: `Emulator failure: ${(error as Error).message}` });
      }
    }
  };

  const server = createServer((request, response) => {
    handle(request, response).catch((error: Error) => {
      if (!response.headersSent) sendJson(response, 500, { message: `Emulator failure: ${error.message}` });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${host}:${port}`;

  return {
    url,
    iamUrl: `${url}${iamTokenPath}`,
    accountId,
    clientId,
    get clientSecret() {
      return clientSecret;
    },
    rotateClientSecret: (next) => {
      clientSecret = next;
      tokens.setClientSecret(next);
    },
    requests,
    clearRequests: () => {
      requests.length = 0;
    },
    inject: (fault) => faults.inject(fault),
    clearFaults: () => faults.clear(),
    issueToken: () => tokens.issue(),
    expireTokens: () => tokens.expireAll(),
    currentSecret: (repoUserId) => state.users.find((user) => user.uuid === repoUserId)?.secret,
    state,
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}
