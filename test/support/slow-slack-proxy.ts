/**
 * A proxy in front of the fake Slack's Web API that can hold chosen methods back, to make Slack artificially slow;
 * it records when each call arrived and when it was answered, so tests assert order rather than time.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A call arriving at or answered by the proxy, e.g. `{ phase: 'received', method: 'usergroups.users.list', … }`. */
export interface ProxyEvent {
  phase: 'received' | 'answered';
  method: string;
  /** The `usergroup` argument of a user group read, for telling parallel reads apart. */
  usergroup?: string;
}

/** A running proxy; `url` replaces the fake's Web API base in SLACK_API_URL. */
export interface SlowSlackProxy {
  url: string;
  events: ProxyEvent[];
  /** Holds every call of `method` back by `delayMs` before it is forwarded, until `clear()`. */
  delay(method: string, delayMs: number): void;
  clear(): void;
  close(): Promise<void>;
}

/** Starts the proxy on 127.0.0.1 (a free port) in front of the Web API base `targetUrl` (ending in `/api/`). */
export async function startSlowSlackProxy(targetUrl: string): Promise<SlowSlackProxy> {
  const delays = new Map<string, number>();
  const events: ProxyEvent[] = [];
  const timers = new Set<NodeJS.Timeout>();

  const wait = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });

  const server = createServer((request, response) => {
    void (async () => {
      const method = new URL(request.url ?? '/', 'http://127.0.0.1').pathname.replace(/^\/api\//, '');
      const body = await readBody(request);
      const usergroup = new URLSearchParams(body).get('usergroup') ?? undefined;
      events.push({ phase: 'received', method, ...(usergroup ? { usergroup } : {}) });
      const delayMs = delays.get(method);
      if (delayMs !== undefined) await wait(delayMs);
      const answer = await fetch(`${targetUrl}${method}`, {
        method: 'POST',
        headers: {
          'content-type': request.headers['content-type'] ?? 'application/x-www-form-urlencoded',
          ...(request.headers.authorization ? { authorization: request.headers.authorization } : {}),
        },
        body,
      });
      const text = await answer.text();
      events.push({ phase: 'answered', method, ...(usergroup ? { usergroup } : {}) });
      response.writeHead(answer.status, { 'content-type': 'application/json' });
      response.end(text);
    })().catch(() => response.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/`,
    events,
    delay(method, delayMs) {
      delays.set(method, delayMs);
    },
    clear() {
      delays.clear();
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const timer of timers) clearTimeout(timer);
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
