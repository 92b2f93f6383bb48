/** Raw-fetch access to an in-process emulator for its own tests, with run-time random IAM credentials. */
import { randomBytes } from 'node:crypto';
import { startVcrEmulator, type VcrEmulator, type VcrEmulatorOptions } from '../../local/emulator/vcr-emulator';

/** One HTTP answer, read once. */
export interface EmulatorAnswer {
  status: number;
  contentType: string | null;
  text: string;
  json(): unknown;
}

/** Options of one call: a JSON body, or a raw body with its content type; `token: null` sends no Authorization. */
export interface CallOptions {
  json?: unknown;
  rawBody?: string;
  contentType?: string;
  token?: string | null;
  headers?: Record<string, string>;
}

/** A running emulator and a `call` that sends requests to it with a valid bearer token by default. */
export interface EmulatorSession {
  emulator: VcrEmulator;
  call(method: string, pathAndQuery: string, options?: CallOptions): Promise<EmulatorAnswer>;
  close(): Promise<void>;
}

/** Returns random client credentials, generated at run time so no secret is committed. */
export function randomCredentials(): { clientId: string; clientSecret: string } {
  return { clientId: `test-${randomBytes(6).toString('hex')}`, clientSecret: randomBytes(24).toString('base64url') };
}

/** Starts a seeded emulator on a free port with random credentials. */
export async function startEmulatorSession(options: VcrEmulatorOptions = {}): Promise<EmulatorSession> {
  const emulator = await startVcrEmulator({ port: 0, ...randomCredentials(), ...options });
  return {
    emulator,
    async call(method, pathAndQuery, options = {}) {
      const headers: Record<string, string> = { ...options.headers };
      const token = options.token === undefined ? emulator.issueToken() : options.token;
      if (token !== null) headers.authorization = `Bearer ${token}`;
      let body: string | undefined;
      if (options.json !== undefined) {
        body = JSON.stringify(options.json);
        headers['content-type'] = options.contentType ?? 'application/json';
      } else if (options.rawBody !== undefined) {
        body = options.rawBody;
        if (options.contentType) headers['content-type'] = options.contentType;
      }
      const response = await fetch(`${emulator.url}${pathAndQuery}`, { method, headers, body });
      const text = await response.text();
      return {
        status: response.status,
        contentType: response.headers.get('content-type'),
        text,
        json: () => JSON.parse(text),
      };
    },
    close: () => emulator.close(),
  };
}
