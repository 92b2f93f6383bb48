/**
 * The bot's local stack in one process: an in-process DynamoDB with the state table, the fake Slack Web API, the real
 * Lambda entries (`createHandlers`) with jobs run inline, the demo users' roles and an audit channel, and the vCR
 * emulator with its demo data unless a real vCR is given. `npm start` (the console) and the demo mode of
 * `npm run serve` both run it.
 */
import { randomBytes } from 'node:crypto';
import { createHandlers, type Handlers } from '../src/handler';
import type { ActivityNames } from './activity-describer';
import { startVcrEmulator, type VcrEmulator } from './emulator/vcr-emulator';
import { seedWatchDemo } from './emulator/watch-demo';
import { type LocalDynamo, startLocalDynamo } from './fakes/dynamodb';
import { type FakeSlack, startFakeSlack } from './fakes/slack-api';
import { localBotEnv, localSlackEnv } from './local-bot-env';
import { localUsers } from './local-session';

/** Where the local stack's Slack requests come from and where its audit lines go. */
export const localWorkspace = {
  teamId: 'T0LOCAL',
  /** The channel every command is typed in. */
  channelId: 'C0LOCALOPS',
  /** VCR_AUDIT_CHANNEL: one line per outcome of a change is posted there (docs/decisions/0016). */
  auditChannelId: 'C0LOCALAUDIT',
  command: '/vcr',
} as const;

/** The role of each demo user (local/local-session.ts `localUsers`); admin2 lets a second admin approve (four eyes). */
export const localUserRoles: Record<keyof typeof localUsers, 'viewer' | 'operator' | 'admin'> = {
  viewer: 'viewer',
  operator: 'operator',
  admin: 'admin',
  admin2: 'admin',
};

/** Names of the local workspace's channels and demo users, for the labels of what the bot sent. */
export const localNames: ActivityNames = {
  channelName: (channelId) =>
    ({ [localWorkspace.channelId]: 'ops', [localWorkspace.auditChannelId]: 'audit' })[channelId],
  userName: (userId) => Object.entries(localUsers).find(([, id]) => id === userId)?.[0],
};

/** The vCR credentials and URLs of a real vCR, as the bot's configuration variables. */
export type RealVcrEnv = Partial<
  Record<'VCR_CLIENT_ID' | 'VCR_CLIENT_SECRET' | 'VCR_ACCESS_TOKEN' | 'VCR_API_URL' | 'VCR_IAM_URL', string>
>;

/** A running local stack; `close()` stops every part of it. */
export interface LocalStack {
  handlers: Handlers;
  slack: FakeSlack;
  dynamo: LocalDynamo;
  /** Absent when the stack talks to a real vCR. */
  emulator?: VcrEmulator;
  /** Generated for this run; never printed. */
  signingSecret: string;
  stateTable: string;
  close(): Promise<void>;
}

const stateTable = 'vcr-chatops-local-records';

/**
 * Starts the stack. With `realVcr` the bot talks to that vCR and no emulator starts; `logSink` receives the bot's log
 * lines at `logLevel` (warn by default), and its metric lines too when that level is info or debug.
 */
export async function startLocalStack(
  options: { realVcr?: RealVcrEnv; logSink?: (line: string) => void; logLevel?: string } = {},
): Promise<LocalStack> {
  const [emulator, dynamo, slack] = await Promise.all([
    options.realVcr ? undefined : startVcrEmulator({ port: 0 }),
    startLocalDynamo({ tables: [stateTable] }),
    startFakeSlack(),
  ]);
  // The watcher's demo (a repository near its quota, a user expiring within a week), so `:watch` has something to say.
  if (emulator) seedWatchDemo(emulator.state, Date.now());
  const signingSecret = randomBytes(32).toString('hex');
  const botToken = `local-${randomBytes(24).toString('hex')}`;
  const handlers = createHandlers(
    {
      ...(emulator
        ? localBotEnv({ emulator, slack, signingSecret, botToken })
        : { ...localSlackEnv({ slack, signingSecret, botToken }), ...options.realVcr }),
      SLACK_TEAM_ID: localWorkspace.teamId,
      SLACK_COMMAND: localWorkspace.command,
      // Everyone in the workspace may read, as the product's default; changes need the roles given here.
      VCR_VIEWERS: '*',
      VCR_OPERATORS: usersWithRole('operator'),
      VCR_ADMINS: usersWithRole('admin'),
      VCR_AUDIT_CHANNEL: localWorkspace.auditChannelId,
      STATE_TABLE: stateTable,
      JOB_MODE: 'inline',
      LOG_LEVEL: options.logLevel ?? 'warn',
    },
    {
      awsClients: { dynamodb: dynamo.client },
      logSink: options.logSink,
      // A metric line per request would bury the console's replies; they show with the log lines at info and debug.
      ...(verbose(options.logLevel) ? {} : { metricsSink: () => {} }),
    },
  );
  return {
    handlers,
    slack,
    dynamo,
    emulator,
    signingSecret,
    stateTable,
    close: async () => {
      await handlers.idle();
      await Promise.allSettled([emulator?.close(), dynamo.close(), slack.close()]);
    },
  };
}

function verbose(logLevel: string | undefined): boolean {
  return /^(debug|info)$/i.test(logLevel ?? '');
}

function usersWithRole(role: 'operator' | 'admin'): string {
  return Object.entries(localUserRoles)
    .filter(([, given]) => given === role)
    .map(([name]) => localUsers[name as keyof typeof localUsers])
    .join(',');
}
