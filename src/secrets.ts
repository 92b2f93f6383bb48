/**
 * The bot's credentials: read from one Secrets Manager secret once per container and kept for a TTL, or taken from
 * the configuration when no secret is configured. Every value read is registered with the logger for redaction.
 */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { Config } from './config';
import { ConfigError } from './errors';
import { createSilentLogger, type Logger } from './logger';

/** The credentials the bot needs: Slack's, and either a vCR client pair or a pre-issued vCR token. */
export interface Credentials {
  readonly slackSigningSecret: string;
  readonly slackBotToken: string;
  readonly vcrClientId?: string;
  readonly vcrClientSecret?: string;
  readonly vcrAccessToken?: string;
}

/** Hands out the current credentials; `refresh` reads them again early, for when they may have been rotated. */
export interface SecretsSource {
  /** Resolves the current credentials, reading the secret only when the cached copy is missing or expired. */
  get(): Promise<Credentials>;
  /**
   * Reads the secret again now, for when vCR, IAM or Slack rejected the credentials (probably rotated), and resolves
   * with the newest credentials held: the ones just read or, when the read fails, the current ones, which are kept
   * (docs/decisions/0010-credentials-under-rotation.md). Rejects only when no credentials were ever read. When the
   * secret was read, or a read was tried, less than `minAgeMs` ago, it resolves with the cached copy without reading.
   */
  refresh(options?: { minAgeMs?: number }): Promise<Credentials>;
}

/** Reading the secret failed in AWS (not found, access denied, throttled, network); names the secret, never a value. */
export class SecretReadError extends Error {
  override name = 'SecretReadError';
  /** The secret id or ARN that could not be read. */
  readonly secretId: string;
  /** The AWS error name, such as `ResourceNotFoundException` or `AccessDeniedException`. */
  readonly awsErrorName: string;

  constructor(secretId: string, awsErrorName: string, cause: unknown) {
    super(`Could not read secret ${JSON.stringify(secretId)} from Secrets Manager: ${awsErrorName}.`, { cause });
    this.secretId = secretId;
    this.awsErrorName = awsErrorName;
  }
}

const stringKeys = ['slackSigningSecret', 'slackBotToken', 'vcrClientId', 'vcrClientSecret', 'vcrAccessToken'] as const;
// A failed re-read after the TTL keeps the old credentials this long before trying AWS again.
const staleRetryMs = 30_000;

/**
 * Creates a Secrets Manager client for `config`: region and endpoint from the configuration, two attempts at most
 * and short timeouts, because a cold start answering Slack cannot wait for the SDK's default retries.
 */
export function createSecretsManagerClient(config: Config): SecretsManagerClient {
  return new SecretsManagerClient({
    region: config.aws.region,
    endpoint: config.aws.endpoints.secretsManager,
    maxAttempts: 2,
    requestHandler: { connectionTimeout: 2_000, requestTimeout: 5_000 },
  });
}

/**
 * Creates the credentials source for `config`. With `config.secretId` it reads that secret (through `client`, or one
 * client built here on first use) and caches it for `config.secretTtlSeconds`; concurrent `get`s and `refresh`es
 * share one read. If a re-read fails, whether the TTL ran out or `refresh` asked for it, the previous credentials are
 * kept (with a warning) and AWS is tried again after 30 s.
 */
export function createSecretsSource(options: {
  config: Config;
  client?: SecretsManagerClient;
  now?: () => number;
  logger?: Logger;
}): SecretsSource {
  const { config } = options;
  const logger = options.logger ?? createSilentLogger();
  const now = options.now ?? Date.now;
  const secretId = config.secretId;

  if (secretId === undefined) {
    const credentials = config.envCredentials;
    if (credentials) for (const key of stringKeys) logger.addSecret(credentials[key]);
    return {
      get: async () => {
        if (credentials) return credentials;
        // Only a hand-built Config gets here; loadConfig always sets one of the two.
        throw new ConfigError('No credentials configured: set SECRET_ID or the credential variables.');
      },
      refresh: async () => {
        if (credentials) return credentials;
        throw new ConfigError('No credentials configured: set SECRET_ID or the credential variables.');
      },
    };
  }

  let client = options.client;
  let cached: { credentials: Credentials; expiresAt: number } | undefined;
  let inflight: Promise<Credentials> | undefined;
  let lastReadStartedAt = Number.NEGATIVE_INFINITY;

  const read = async (): Promise<Credentials> => {
    client ??= createSecretsManagerClient(config);
    let secretString: string | undefined;
    try {
      const output = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
      secretString = output.SecretString;
    } catch (error) {
      throw new SecretReadError(secretId, awsErrorName(error), error);
    }
    const credentials = parseCredentials(secretId, secretString, logger);
    logger.debug('Read credentials from Secrets Manager', { secretId });
    return credentials;
  };

  // One read at a time, so the cache is only ever replaced by the newest read; the floor of `refresh` counts failed
  // attempts too, so that a Secrets Manager outage is not hammered by every request that asks for a refresh.
  const reread = (): Promise<Credentials> => {
    lastReadStartedAt = now();
    const stale = cached;
    const attempt = read().then(
      (credentials) => {
        cached = { credentials, expiresAt: now() + config.secretTtlSeconds * 1000 };
        return credentials;
      },
      (error: unknown) => {
        // Credentials that may be stale serve every request they still work for; none at all would fail them all.
        if (stale === undefined) throw error;
        logger.warn('Could not re-read credentials; keeping the previous ones', { secretId, error });
        stale.expiresAt = now() + Math.min(staleRetryMs, config.secretTtlSeconds * 1000);
        return stale.credentials;
      },
    );
    const shared = attempt.finally(() => {
      if (inflight === shared) inflight = undefined;
    });
    inflight = shared;
    return shared;
  };

  return {
    get: async () => {
      if (cached && now() < cached.expiresAt) return cached.credentials;
      return inflight ?? reread();
    },
    refresh: async ({ minAgeMs = 0 } = {}) => {
      if (inflight) return inflight;
      if (cached && now() - lastReadStartedAt < minAgeMs) return cached.credentials;
      return reread();
    },
  };
}

/** Validates the secret's JSON; the error names missing or invalid keys only, since the text may hold any value. */
function parseCredentials(secretId: string, secretString: string | undefined, logger: Logger): Credentials {
  const where = `Secret ${JSON.stringify(secretId)}`;
  if (secretString === undefined) throw new ConfigError(`${where} has no SecretString; store the credentials as JSON.`);
  // Registered before parsing: a secret that is not JSON may still be a bare token.
  logger.addSecret(secretString);

  let parsed: unknown;
  try {
    parsed = JSON.parse(secretString);
  } catch {
    // JSON.parse's message quotes the text it failed on, so it is neither kept nor chained.
    throw new ConfigError(`${where} is not valid JSON; store the credentials as a JSON object.`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ConfigError(`${where} is not a JSON object; store the credentials as a JSON object.`);
  }

  const record = parsed as Record<string, unknown>;
  const values: Partial<Record<(typeof stringKeys)[number], string>> = {};
  const invalid: string[] = [];
  for (const key of stringKeys) {
    const value = record[key];
    if (typeof value === 'string' && value !== '') {
      logger.addSecret(value);
      values[key] = value;
    } else if (value !== undefined && value !== null && value !== '') {
      invalid.push(key);
    }
  }

  const missing: string[] = [];
  const need = (key: (typeof stringKeys)[number]) => {
    if (values[key] === undefined && !invalid.includes(key)) missing.push(key);
  };
  need('slackSigningSecret');
  need('slackBotToken');
  const hasPair = values.vcrClientId !== undefined && values.vcrClientSecret !== undefined;
  if (!hasPair && values.vcrAccessToken === undefined) {
    need('vcrClientId');
    need('vcrClientSecret');
  }

  if (missing.length > 0 || invalid.length > 0) {
    const parts: string[] = [];
    if (missing.length > 0) {
      const alternative = missing.some((key) => key.startsWith('vcrClient')) ? ' (or vcrAccessToken)' : '';
      parts.push(`missing ${missing.join(', ')}${alternative}`);
    }
    if (invalid.length > 0) parts.push(`not non-empty strings: ${invalid.join(', ')}`);
    throw new ConfigError(`${where} is malformed: ${parts.join('; ')}.`, [...missing, ...invalid]);
  }
  return Object.freeze({
    slackSigningSecret: values.slackSigningSecret!,
    slackBotToken: values.slackBotToken!,
    ...(values.vcrClientId === undefined ? {} : { vcrClientId: values.vcrClientId }),
    ...(values.vcrClientSecret === undefined ? {} : { vcrClientSecret: values.vcrClientSecret }),
    ...(values.vcrAccessToken === undefined ? {} : { vcrAccessToken: values.vcrAccessToken }),
  });
}

// Network failures arrive as a plain `Error` whose `code` (ECONNREFUSED, ETIMEDOUT) says more than its name.
// Duck-typed rather than `instanceof Error`: Node's socket errors may come from another realm (Jest's VM context).
function awsErrorName(error: unknown): string {
  if (error === null || typeof error !== 'object') return 'UnknownError';
  const { name, code } = error as { name?: unknown; code?: unknown };
  if ((name === undefined || name === 'Error') && typeof code === 'string') return code;
  return typeof name === 'string' && name !== '' ? name : 'UnknownError';
}
