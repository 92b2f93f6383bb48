/**
 * The bot's configuration, read once from environment variables. This is the only module in src/ that knows the
 * variable names; everything else receives the typed, frozen `Config` (docs/configuration.md lists every variable).
 */
import { ConfigError } from './errors';
import type { LogLevel } from './logger';
import type { Credentials } from './secrets';

/** How background jobs run: in the same process, or by an async invoke of the worker Lambda. */
export type JobMode = 'inline' | 'lambda';

/** The bot's whole configuration, deeply frozen. */
export interface Config {
  /** Secrets Manager secret id or ARN holding the credentials; when absent, `envCredentials` is set. */
  readonly secretId?: string;
  /** How long a container keeps the secret it read before reading it again. */
  readonly secretTtlSeconds: number;
  /** Credentials given directly as variables; present exactly when `secretId` is absent. */
  readonly envCredentials?: Credentials;
  readonly vcr: { readonly apiUrl: string; readonly iamUrl: string; readonly timeoutMs: number };
  readonly slack: {
    /** Slack Web API base URL override, for a fake Slack in local runs and tests. */
    readonly apiUrl?: string;
    readonly command: string;
    readonly botId?: string;
    /** Given to Bolt so that it never calls auth.test while the app is constructed. */
    readonly botUserId?: string;
    readonly teamId?: string;
  };
  /** Slack user ids (U…/W…), user group ids (S…) or `*` per role. */
  readonly roles: {
    readonly viewers: readonly string[];
    readonly operators: readonly string[];
    readonly admins: readonly string[];
  };
  /** Channels the bot answers in; absent means every channel. */
  readonly allowedChannels?: readonly string[];
  /** Channel that gets one line per outcome of a change (`VCR_AUDIT_CHANNEL`, alias `VCR_NOTIFY_CHANNEL`). */
  readonly auditChannel?: string;
  /** How long audit records are kept, in days. */
  readonly auditRetentionDays: number;
  /** Four-eyes approvals (docs/decisions/0015-approvals.md). */
  readonly approvals: {
    /** Command ids whose confirmed request waits for a second person; empty when approvals are off. */
    readonly required: readonly string[];
    /** Who may approve: user ids and user group ids; the admins unless set. */
    readonly approvers: readonly string[];
    /** Where approval cards are posted; absent means the channel the request came from. */
    readonly channel?: string;
    /** How long a request waits for its approval. */
    readonly ttlSeconds: number;
  };
  /** Cleanup plans (docs/decisions/0019-cleanup-plans.md). */
  readonly cleanup: {
    /** Tag patterns (`*` globs) whose digests a cleanup never removes, unless a plan names its own. */
    readonly protect: readonly string[];
  };
  readonly aws: {
    readonly region: string;
    readonly endpoints: { readonly secretsManager?: string; readonly dynamodb?: string; readonly lambda?: string };
  };
  readonly stateTable: string;
  /** The scheduled watcher (docs/decisions/0021-scheduled-watcher.md). */
  readonly watch: {
    /** Where quota alerts and expiry reminders go (`VCR_ALERT_CHANNEL`, else the audit channel); none posts nothing. */
    readonly alertChannel?: string;
    /** Usage percentages that raise a quota alert, ascending (`VCR_QUOTA_ALERT_PERCENT`). */
    readonly quotaAlertPercents: readonly number[];
  };
  readonly jobs: { readonly mode: JobMode; readonly workerFunctionName?: string };
  readonly logLevel: LogLevel;
}

const defaults = {
  secretTtlSeconds: 300,
  vcrApiUrl: 'https://vcr.api.vngcloud.vn',
  vcrIamUrl: 'https://iamapis.vngcloud.vn/accounts-api/v2/auth/token',
  vcrTimeoutMs: 10_000,
  awsRegion: 'ap-southeast-1',
  logLevel: 'info',
  slackCommand: '/vcr',
  viewers: '*',
  operators: '',
  admins: '',
  stateTable: 'vcr-chatops-records',
  approvalRequired: 'repo.delete,image.delete,user.delete,user.secret',
  approvalTtlSeconds: 3600,
  auditRetentionDays: 400,
  cleanupProtect: 'latest',
  quotaAlertPercent: '80,95,100',
} as const;

/**
 * Commands that always wait for an approver, whatever `VCR_APPROVAL_REQUIRED` says (`none` included): a cleanup deletes
 * many artifacts at once, computed rather than named by a person (docs/decisions/0019-cleanup-plans.md). The id is
 * the registry's `cleanup`; this module is a leaf and cannot import it.
 */
export const alwaysApproved: readonly string[] = ['cleanup'];

/** What a tag pattern of `VCR_CLEANUP_PROTECT` or `--protect` may hold: tag characters, and `*` for any run of them. */
export const tagPattern = /^[A-Za-z0-9_.*-]{1,128}$/;

/** What `loadConfig` checks beyond the environment itself. */
export interface LoadConfigOptions {
  /**
   * The ids of the registry's commands, so `VCR_APPROVAL_REQUIRED` can name the unknown ones; this module is a leaf
   * and does not import the registry, so its caller passes them (src/handler.ts).
   */
  commandIds?: readonly string[];
}

const logLevels: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];
const jobModes: readonly JobMode[] = ['inline', 'lambda'];
// Slack ids are an upper-case type letter followed by upper-case letters and digits.
const roleEntry = /^(\*|[UWS][A-Z0-9]{2,})$/;
const channelId = /^[CGD][A-Z0-9]{2,}$/;
const userId = /^[UW][A-Z0-9]{2,}$/;
const botId = /^B[A-Z0-9]{2,}$/;
const teamId = /^T[A-Z0-9]{2,}$/;
// Slack allows at most 32 characters in a command name, and no spaces.
const slackCommand = /^\/\S{1,31}$/;

/**
 * Reads and validates the configuration from `env` (pass `process.env`), returning it deeply frozen.
 * Throws one `ConfigError` naming every missing or invalid variable; messages never contain a value.
 */
export function loadConfig(env: Record<string, string | undefined>, options: LoadConfigOptions = {}): Config {
  const problems: string[] = [];
  const names: string[] = [];
  const fail = (name: string, problem: string) => {
    problems.push(`${name} ${problem}`);
    if (!names.includes(name)) names.push(name);
  };

  // An empty value counts as unset: deploy tools often pass `VAR=` for a variable nobody filled in.
  const read = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value ? value : undefined;
  };
  const required = (name: string): string => {
    const value = read(name);
    if (value === undefined) fail(name, 'is missing');
    return value ?? '';
  };
  const url = (name: string, fallback?: string): string | undefined => {
    const value = read(name) ?? fallback;
    if (value !== undefined && !isHttpUrl(value)) fail(name, 'must be an http(s) URL');
    return value;
  };
  const positiveInteger = (name: string, fallback: number): number => {
    const value = read(name);
    if (value === undefined) return fallback;
    const parsed = /^\d+$/.test(value) ? Number(value) : Number.NaN;
    if (!Number.isSafeInteger(parsed) || parsed <= 0) {
      fail(name, 'must be a positive integer');
      return fallback;
    }
    return parsed;
  };
  const oneOf = <T extends string>(name: string, allowed: readonly T[], fallback: T): T => {
    const value = read(name)?.toLowerCase() ?? fallback;
    if ((allowed as readonly string[]).includes(value)) return value as T;
    fail(name, `must be one of ${allowed.join(', ')}`);
    return fallback;
  };
  const id = (name: string, pattern: RegExp, expected: string): string | undefined => {
    const value = read(name);
    if (value !== undefined && !pattern.test(value)) fail(name, `must be ${expected}`);
    return value;
  };
  // Slack ids are not secret, so invalid entries are quoted to make the typo easy to find.
  const idList = (name: string, raw: string, pattern: RegExp, expected: string): string[] => {
    const entries = raw
      .split(',')
      .map((entry) => entry.trim())
      .filter((entry) => entry !== '');
    const invalid = entries.filter((entry) => !pattern.test(entry));
    if (invalid.length > 0) fail(name, `has invalid entries ${invalid.map(quote).join(', ')} (expected ${expected})`);
    return entries;
  };
  // A role list that is set but empty means "nobody": failing closed beats falling back to the open default.
  const roleList = (name: string, fallback: string): string[] =>
    idList(name, env[name] ?? fallback, roleEntry, 'U…/W… user ids, S… user group ids or *');

  // Read in the order of docs/configuration.md, so the error lists problems in that order too.
  const secretId = read('SECRET_ID');
  const envCredentials = secretId === undefined ? readEnvCredentials(read, required, fail) : undefined;
  const secretTtlSeconds = positiveInteger('SECRET_TTL_SECONDS', defaults.secretTtlSeconds);
  const vcr = {
    apiUrl: url('VCR_API_URL', defaults.vcrApiUrl)!,
    iamUrl: url('VCR_IAM_URL', defaults.vcrIamUrl)!,
    timeoutMs: positiveInteger('VCR_TIMEOUT_MS', defaults.vcrTimeoutMs),
  };
  const slackApiUrl = url('SLACK_API_URL');
  const aws = {
    region: read('AWS_REGION') ?? defaults.awsRegion,
    endpoints: {
      secretsManager: url('AWS_ENDPOINT_URL_SECRETS_MANAGER'),
      dynamodb: url('AWS_ENDPOINT_URL_DYNAMODB'),
      lambda: url('AWS_ENDPOINT_URL_LAMBDA'),
    },
  };
  const logLevel = oneOf('LOG_LEVEL', logLevels, defaults.logLevel);

  const command = read('SLACK_COMMAND') ?? defaults.slackCommand;
  if (!slackCommand.test(command)) fail('SLACK_COMMAND', 'must start with / and have at most 32 characters, no spaces');
  const slack = {
    apiUrl: slackApiUrl,
    command,
    botId: id('SLACK_BOT_ID', botId, 'a B… bot id'),
    botUserId: id('SLACK_BOT_USER_ID', userId, 'a U…/W… user id'),
    teamId: id('SLACK_TEAM_ID', teamId, 'a T… team id'),
  };
  const roles = {
    viewers: roleList('VCR_VIEWERS', defaults.viewers),
    operators: roleList('VCR_OPERATORS', defaults.operators),
    admins: roleList('VCR_ADMINS', defaults.admins),
  };
  const channels = read('VCR_ALLOWED_CHANNELS');
  const allowedChannels =
    channels === undefined ? undefined : idList('VCR_ALLOWED_CHANNELS', channels, channelId, 'C…/G…/D… channel ids');
  const auditChannel = id('VCR_AUDIT_CHANNEL', channelId, 'a C…/G…/D… channel id');
  // The older name stays an alias; two different channels would leave one of them silently unused.
  const notifyChannel = id('VCR_NOTIFY_CHANNEL', channelId, 'a C…/G…/D… channel id');
  if (auditChannel !== undefined && notifyChannel !== undefined && auditChannel !== notifyChannel) {
    fail('VCR_NOTIFY_CHANNEL', 'is an alias of VCR_AUDIT_CHANNEL and names another channel (set one of them)');
  }
  const auditRetentionDays = positiveInteger('VCR_AUDIT_RETENTION_DAYS', defaults.auditRetentionDays);
  const stateTable = read('STATE_TABLE') ?? defaults.stateTable;
  const approvals = {
    required: approvalList(read('VCR_APPROVAL_REQUIRED') ?? defaults.approvalRequired, options.commandIds, fail),
    // Unlike a role list, an empty value means the default: approvals on with nobody to approve would stop every
    // destructive command, and deploy tools pass `VCR_APPROVERS=` for a setting nobody filled in.
    approvers: read('VCR_APPROVERS') === undefined ? [...roles.admins] : roleList('VCR_APPROVERS', ''),
    channel: id('VCR_APPROVAL_CHANNEL', channelId, 'a C…/G… channel id'),
    ttlSeconds: positiveInteger('VCR_APPROVAL_TTL_SECONDS', defaults.approvalTtlSeconds),
  };
  const cleanup = {
    protect: idList(
      'VCR_CLEANUP_PROTECT',
      read('VCR_CLEANUP_PROTECT') ?? defaults.cleanupProtect,
      tagPattern,
      'tag names or patterns with *',
    ),
  };

  const watch = {
    alertChannel: id('VCR_ALERT_CHANNEL', channelId, 'a C…/G… channel id') ?? auditChannel ?? notifyChannel,
    quotaAlertPercents: percentList(read('VCR_QUOTA_ALERT_PERCENT') ?? defaults.quotaAlertPercent, fail),
  };

  const workerFunctionName = read('WORKER_FUNCTION_NAME');
  const jobMode = oneOf('JOB_MODE', jobModes, workerFunctionName === undefined ? 'inline' : 'lambda');
  if (jobMode === 'lambda' && workerFunctionName === undefined) {
    fail('WORKER_FUNCTION_NAME', 'is missing (JOB_MODE is lambda)');
  }

  const config: Config = {
    secretId,
    secretTtlSeconds,
    envCredentials,
    vcr,
    slack,
    roles,
    allowedChannels,
    approvals,
    auditChannel: auditChannel ?? notifyChannel,
    auditRetentionDays,
    cleanup,
    aws,
    stateTable,
    watch,
    jobs: { mode: jobMode, workerFunctionName },
    logLevel,
  };

  if (problems.length > 0) throw new ConfigError(`Configuration is invalid: ${problems.join('; ')}.`, names);
  return deepFreeze(withoutUndefined(config));
}

function readEnvCredentials(
  read: (name: string) => string | undefined,
  required: (name: string) => string,
  fail: (name: string, problem: string) => void,
): Credentials {
  const slackSigningSecret = required('SLACK_SIGNING_SECRET');
  const slackBotToken = required('SLACK_BOT_TOKEN');
  const vcrAccessToken = read('VCR_ACCESS_TOKEN');
  const vcrClientId = read('VCR_CLIENT_ID');
  const vcrClientSecret = read('VCR_CLIENT_SECRET');
  // Half a client pair is a mistake even beside a static token: the operator meant to set both.
  if (vcrAccessToken === undefined || vcrClientId !== undefined || vcrClientSecret !== undefined) {
    const why = vcrAccessToken === undefined ? 'is missing (or set VCR_ACCESS_TOKEN)' : 'is missing';
    if (vcrClientId === undefined) fail('VCR_CLIENT_ID', why);
    if (vcrClientSecret === undefined) fail('VCR_CLIENT_SECRET', why);
  }
  return { slackSigningSecret, slackBotToken, vcrClientId, vcrClientSecret, vcrAccessToken };
}

// `none` turns approvals off; anything else is a list of command ids, each of which must exist.
function approvalList(
  raw: string,
  known: readonly string[] | undefined,
  fail: (name: string, problem: string) => void,
): string[] {
  if (raw.toLowerCase() === 'none') return [...alwaysApproved];
  const ids = [
    ...new Set(
      raw
        .split(',')
        .map((entry) => entry.trim())
        .filter((entry) => entry !== ''),
    ),
  ];
  const unknown = known ? ids.filter((entry) => !known.includes(entry)) : [];
  if (unknown.length > 0) {
    fail('VCR_APPROVAL_REQUIRED', `names unknown command ids ${unknown.map(quote).join(', ')} (or set it to none)`);
  }
  return [...ids, ...alwaysApproved.filter((entry) => !ids.includes(entry))];
}

// Percentages are not secret, so the message can say which rule an entry broke without quoting it.
function percentList(raw: string, fail: (name: string, problem: string) => void): number[] {
  const entries = raw.split(',').map((entry) => entry.trim());
  const numbers = entries.map((entry) => (/^\d+$/.test(entry) ? Number(entry) : Number.NaN));
  if (numbers.some((value) => !Number.isInteger(value) || value < 1 || value > 1000)) {
    fail('VCR_QUOTA_ALERT_PERCENT', 'must be whole percentages from 1 to 1000, separated by commas');
    return [];
  }
  if (numbers.some((value, index) => index > 0 && value <= numbers[index - 1]!)) {
    fail('VCR_QUOTA_ALERT_PERCENT', 'must list each percentage once, in ascending order (e.g. 80,95,100)');
    return [];
  }
  return numbers;
}

function isHttpUrl(value: string): boolean {
  try {
    const parsed = new URL(value);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:';
  } catch {
    return false;
  }
}

function quote(entry: string): string {
  return JSON.stringify(entry.length > 40 ? `${entry.slice(0, 40)}…` : entry);
}

// Dropping undefined keys keeps `'secretId' in config` and JSON dumps honest about what was configured.
function withoutUndefined<T>(value: T): T {
  if (Array.isArray(value) || value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    if (child !== undefined) out[key] = withoutUndefined(child);
  }
  return out as T;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
