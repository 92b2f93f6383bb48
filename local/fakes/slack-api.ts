/**
 * A small Slack Web API on node:http for the methods the bot calls, plus `response_url`s it serves itself. It records
 * every call and post so tests can assert what the bot sent; it checks no token beyond recording it.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One Web API call the fake received. */
export interface FakeSlackCall {
  method: string;
  /** The arguments, from a JSON or form body; JSON-valued form fields (`blocks`, `view`) are parsed. */
  body: Record<string, unknown>;
  authorization?: string;
  /** What the fake answered, once it has (a posted message's `ts`, an opened DM's channel). */
  answer?: Record<string, unknown>;
}

/** One post to a `response_url` served by the fake. */
export interface FakeSlackResponse {
  url: string;
  body: Record<string, unknown>;
}

/** A running fake Slack. */
export interface FakeSlack {
  /** Web API base ending in `/api/`, for SLACK_API_URL. */
  url: string;
  /** The bot's ids as `auth.test` answers them, for SLACK_BOT_ID and SLACK_BOT_USER_ID. */
  botId: string;
  botUserId: string;
  /** Returns a fresh `response_url` served by the fake. */
  responseUrl(): string;
  calls: FakeSlackCall[];
  /** Posts to `response_url`s, including refused ones (expired or over the five-post limit). */
  responses: FakeSlackResponse[];
  /** Makes every `response_url` handed out so far answer 404 `expired_url`, as Slack does after 30 minutes. */
  expireResponseUrls(): void;
  /**
   * Makes `method` fail until `clearFailures()`: a string answers `{ ok: false, error }` (Slack's error code, HTTP
   * 200), `{ status: 429, retryAfter }` rate-limits with a `Retry-After` header, and `{ status }` answers that HTTP
   * status. With `when`, only calls whose arguments hold those values fail (e.g. one channel of `chat.postMessage`).
   */
  failMethod(method: string, failure: FakeSlackFailure, when?: Record<string, string>): void;
  /** Makes every method answer normally again. */
  clearFailures(): void;
  /** Polls `find` until it returns a value, or rejects after `timeoutMs` (2000 by default). */
  waitFor<T>(find: () => T | undefined, timeoutMs?: number): Promise<T>;
  close(): Promise<void>;
}

/** How a method of the fake fails: a Slack error code, a rate limit, or an HTTP status. */
export type FakeSlackFailure = string | { status: 429; retryAfter: number } | { status: number };

/** Options of `startFakeSlack`. */
export interface FakeSlackOptions {
  port?: number;
  /** Members of each user group id, for `usergroups.users.list`. */
  usergroups?: Record<string, string[]>;
}

// Slack accepts at most five posts to one response_url (docs/slack-limits.md#time-limits).
const maxPostsPerResponseUrl = 5;
const botUserId = 'U0FAKEBOT';
const botId = 'B0FAKEBOT';
const teamId = 'T0FAKETEAM';

/** Starts a fake Slack on 127.0.0.1 (port 0 picks a free one). */
export async function startFakeSlack(options: FakeSlackOptions = {}): Promise<FakeSlack> {
  const calls: FakeSlackCall[] = [];
  const responses: FakeSlackResponse[] = [];
  const failures = new Map<string, { failure: FakeSlackFailure; when?: Record<string, string> }[]>();
  const responseUrls = new Map<string, { posts: number; expired: boolean }>();
  let sequence = 0;
  let base = '';

  const failureOf = (method: string, args: Record<string, unknown>): FakeSlackFailure | undefined =>
    failures
      .get(method)
      ?.find(({ when }) => Object.entries(when ?? {}).every(([key, value]) => String(args[key] ?? '') === value))
      ?.failure;

  const answer = (method: string, args: Record<string, unknown>): Record<string, unknown> => {
    sequence += 1;
    const ts = `${Math.floor(Date.now() / 1000)}.${String(sequence).padStart(6, '0')}`;
    switch (method) {
      case 'auth.test':
        return {
          ok: true,
          url: 'https://fake.slack.local/',
          team: 'Fake',
          user: 'vcr',
          team_id: teamId,
          user_id: botUserId,
          bot_id: botId,
        };
      case 'chat.postMessage':
      case 'chat.update':
        return { ok: true, channel: args.channel, ts, message: { text: args.text, ts } };
      case 'chat.postEphemeral':
        return { ok: true, message_ts: ts };
      case 'conversations.open': {
        const users = String(args.users ?? '');
        return { ok: true, channel: { id: `D${users.replace(/[^A-Z0-9]/g, '').slice(0, 12) || 'UNKNOWN'}` } };
      }
      case 'views.open':
      case 'views.update':
      case 'views.push':
      case 'views.publish': {
        const view = typeof args.view === 'object' && args.view ? args.view : {};
        return { ok: true, view: { ...view, id: `V${String(sequence).padStart(8, '0')}` } };
      }
      case 'usergroups.users.list': {
        const members = options.usergroups?.[String(args.usergroup ?? '')];
        return members ? { ok: true, users: members } : { ok: false, error: 'no_such_subteam' };
      }
      default:
        return { ok: false, error: 'unknown_method' };
    }
  };

  const server = createServer((request, response) => {
    void handle(request, response).catch((error: unknown) => {
      send(response, 500, { ok: false, error: String(error) });
    });
  });

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
    const text = await readBody(request);
    if (request.method !== 'POST') return send(response, 405, { ok: false, error: 'method_not_allowed' });
    if (path.startsWith('/api/')) {
      const method = path.slice('/api/'.length);
      const body = parseBody(text, request.headers['content-type']);
      const authorization = request.headers.authorization;
      const call: FakeSlackCall = { method, body, ...(authorization ? { authorization } : {}) };
      calls.push(call);
      const failure = failureOf(method, body);
      if (typeof failure === 'string') return send(response, 200, { ok: false, error: failure });
      if (failure && 'retryAfter' in failure) {
        return send(response, 429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(failure.retryAfter) });
      }
      if (failure) return send(response, failure.status, { ok: false, error: 'fatal_error' });
      call.answer = answer(method, body);
      return send(response, 200, call.answer);
    }
    if (path.startsWith('/response/')) {
      const url = `${base}${path}`;
      const state = responseUrls.get(url);
      responses.push({ url, body: parseBody(text, request.headers['content-type']) });
      if (!state || state.expired) return send(response, 404, { ok: false, error: 'expired_url' });
      state.posts += 1;
      if (state.posts > maxPostsPerResponseUrl) return send(response, 404, { ok: false, error: 'used_url' });
      return send(response, 200, { ok: true });
    }
    return send(response, 404, { ok: false, error: 'not_found' });
  };

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: `${base}/api/`,
    botId,
    botUserId,
    responseUrl() {
      const url = `${base}/response/${randomBytes(8).toString('hex')}`;
      responseUrls.set(url, { posts: 0, expired: false });
      return url;
    },
    calls,
    responses,
    expireResponseUrls() {
      for (const state of responseUrls.values()) state.expired = true;
    },
    failMethod(method, failure, when) {
      failures.set(method, [...(failures.get(method) ?? []), { failure, when }]);
    },
    clearFailures() {
      failures.clear();
    },
    async waitFor<T>(find: () => T | undefined, timeoutMs = 2000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = find();
        if (found !== undefined) return found;
        if (Date.now() > deadline) throw new Error(`Fake Slack: nothing matched within ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

// The WebClient sends form bodies with nested values JSON-encoded; tests read them back as objects.
function parseBody(text: string, contentType: string | undefined): Record<string, unknown> {
  if (text === '') return {};
  if (contentType?.startsWith('application/json')) {
    const parsed: unknown = JSON.parse(text);
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
  }
  const body: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(text)) body[key] = /^[[{]/.test(value) ? parseJsonOr(value) : value;
  return body;
}

function parseJsonOr(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

function send(response: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(value);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  response.end(text);
}
