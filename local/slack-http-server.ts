/**
 * Serves the Lambda HTTP entry on a plain node:http server at `POST /slack/events`, turning each request into the
 * API Gateway HTTP API (payload v2) event Lambda would receive. Used by `npm run serve` and tests.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { Handlers } from '../src/handler';

/** A running local Slack endpoint. */
export interface SlackHttpServer {
  /** The request URL to give Slack, `http://HOST:PORT/slack/events`. */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/** The one path Slack posts to: commands, interactivity and options (issue 3, section 7). */
export const slackEventsPath = '/slack/events';
// API Gateway refuses payloads over 10 MB; Slack's are a few KB, so 1 MB is plenty and bounds memory.
const maxBodyBytes = 1024 * 1024;

/** Starts serving `handlers.http` on `host:port` (127.0.0.1 and a free port by default). */
export async function startSlackHttpServer(options: {
  handlers: Pick<Handlers, 'http'>;
  port?: number;
  host?: string;
  /** Extra local-only `GET` routes answering JSON, e.g. the activity feed of the demo bot of `npm run serve`. */
  routes?: Record<string, (url: URL) => Promise<unknown>>;
}): Promise<SlackHttpServer> {
  const host = options.host ?? '127.0.0.1';
  const server = createServer((request, response) => {
    serve(options, request, response).catch(() => send(response, 500, {}, ''));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}${slackEventsPath}`,
    port,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function serve(
  options: { handlers: Pick<Handlers, 'http'>; routes?: Record<string, (url: URL) => Promise<unknown>> },
  request: IncomingMessage,
  response: ServerResponse,
) {
  const url = new URL(request.url ?? '/', 'http://localhost');
  const route = options.routes?.[url.pathname];
  if (route && request.method === 'GET') {
    return send(response, 200, { 'content-type': 'application/json' }, JSON.stringify(await route(url)));
  }
  if (url.pathname !== slackEventsPath) return send(response, 404, {}, '');
  if (request.method !== 'POST') return send(response, 405, { allow: 'POST' }, '');

  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > maxBodyBytes) return send(response, 413, {}, '');
    chunks.push(chunk as Buffer);
  }
  const result = await options.handlers.http(toEvent(request, url, Buffer.concat(chunks).toString('utf8')));
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(result.headers ?? {})) headers[name] = String(value);
  const body = result.isBase64Encoded ? Buffer.from(result.body ?? '', 'base64') : (result.body ?? '');
  send(response, result.statusCode, headers, body);
}

function toEvent(request: IncomingMessage, url: URL, body: string): APIGatewayProxyEventV2 {
  const headers: Record<string, string> = {};
  // API Gateway v2 joins repeated headers with commas and lower-cases names, as node:http already does.
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  return slackEvent({
    body,
    headers,
    rawQueryString: url.search.replace(/^\?/, ''),
    protocol: `HTTP/${request.httpVersion}`,
    sourceIp: request.socket.remoteAddress ?? '',
  });
}

/**
 * Builds the API Gateway HTTP API (payload v2) event of a `POST /slack/events` with `body` and `headers` (lower-case
 * names), arriving now, for callers of the HTTP entry with no server in between (the console of `npm start`).
 */
export function slackEvent(options: {
  body: string;
  headers: Record<string, string>;
  rawQueryString?: string;
  protocol?: string;
  sourceIp?: string;
}): APIGatewayProxyEventV2 {
  const { headers } = options;
  // The request has been read: this is its arrival, from which the bot's ack deadline counts, as it counts from API
  // Gateway's `timeEpoch` on Lambda (docs/decisions/0013-lean-cold-start.md).
  const now = Date.now();
  return {
    version: '2.0',
    routeKey: `POST ${slackEventsPath}`,
    rawPath: slackEventsPath,
    rawQueryString: options.rawQueryString ?? '',
    headers,
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: 'local',
      http: {
        method: 'POST',
        path: slackEventsPath,
        protocol: options.protocol ?? 'HTTP/1.1',
        sourceIp: options.sourceIp ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey: `POST ${slackEventsPath}`,
      stage: '$default',
      time: new Date(now).toUTCString(),
      timeEpoch: now,
    },
    body: options.body,
    // The body is passed as text; API Gateway's base64 form is exercised by the end-to-end tests instead.
    isBase64Encoded: false,
  };
}

function send(response: ServerResponse, status: number, headers: Record<string, string>, body: string | Buffer): void {
  if (response.headersSent) return;
  response.writeHead(status, { ...headers, 'content-length': Buffer.byteLength(body) });
  response.end(body);
}
