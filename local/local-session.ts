/**
 * What the demo bot of `npm run serve` shares with `npm run send`: the bot's URL, the generated signing secret and the
 * demo users, in a file only the current OS user can read, under the OS temp directory (one per port).
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The demo users of the local stack, one per role (their ids are in the role lists local/local-stack.ts configures). */
export const localUsers = {
  viewer: 'U0LOCALVIEW',
  operator: 'U0LOCALOPS',
  admin: 'U0LOCALADMIN',
  /** A second admin, so a request can be approved by someone other than its requester (four eyes). */
  admin2: 'U0LOCALADMIN2',
} as const;

/** A running local bot, as `npm run send` needs it. */
export interface LocalSession {
  /** `POST` Slack requests here. */
  url: string;
  /** Base of the local-only routes of the demo bot: `/activity` (what the bot sent) and `/response-url`. */
  localUrl: string;
  /** Generated at start; never printed. */
  signingSecret: string;
  teamId: string;
  channelId: string;
  command: string;
}

/** The port `npm run serve` and `npm run send` use when PORT is not set. */
export const defaultLocalPort = 3000;

/** The folder holding the session of the bot on `port`. */
export function localSessionDir(port: number): string {
  return join(tmpdir(), `vcr-chatops-${port}`);
}

/** Writes the session of the bot on `port`, readable by the current user only. */
export function writeLocalSession(port: number, session: LocalSession): string {
  const dir = localSessionDir(port);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = join(dir, 'session.json');
  writeFileSync(file, JSON.stringify(session, null, 2), { mode: 0o600 });
  return file;
}

/** Reads the session of the bot on `port`, or undefined when none is running there. */
export function readLocalSession(port: number): LocalSession | undefined {
  try {
    return JSON.parse(readFileSync(join(localSessionDir(port), 'session.json'), 'utf8')) as LocalSession;
  } catch {
    return undefined;
  }
}

/** Removes the session folder of `port` (the signing secret with it). */
export function removeLocalSession(port: number): void {
  rmSync(localSessionDir(port), { recursive: true, force: true });
}
