import { randomBytes } from 'node:crypto';
import { loadConfig } from '../src/config';
import { ConfigError } from '../src/errors';

function randomValue(): string {
  return randomBytes(24).toString('hex');
}

/** The credential variables for a run without SECRET_ID, with values generated per call. */
function credentialEnv(): {
  SLACK_SIGNING_SECRET: string;
  SLACK_BOT_TOKEN: string;
  VCR_CLIENT_ID: string;
  VCR_CLIENT_SECRET: string;
} {
  return {
    SLACK_SIGNING_SECRET: randomValue(),
    SLACK_BOT_TOKEN: randomValue(),
    VCR_CLIENT_ID: randomValue(),
    VCR_CLIENT_SECRET: randomValue(),
  };
}

function configError(env: Record<string, string | undefined>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('loadConfig did not throw');
}

describe('loadConfig', () => {
  it('names every missing credential variable in one error when the environment is empty', () => {
    // Prepare
    const env = {};

    // Act
    const error = configError(env);

    // Assess
    expect(error.problems).toEqual(['SLACK_SIGNING_SECRET', 'SLACK_BOT_TOKEN', 'VCR_CLIENT_ID', 'VCR_CLIENT_SECRET']);
    expect(error.message).toBe(
      'Configuration is invalid: SLACK_SIGNING_SECRET is missing; SLACK_BOT_TOKEN is missing; ' +
        'VCR_CLIENT_ID is missing (or set VCR_ACCESS_TOKEN); VCR_CLIENT_SECRET is missing (or set VCR_ACCESS_TOKEN).',
    );
  });

  it('returns the defaults when only the credentials are set', () => {
    // Prepare
    const env = credentialEnv();

    // Act
    const config = loadConfig(env);

    // Assess
    expect(config).toEqual({
      secretTtlSeconds: 300,
      envCredentials: {
        slackSigningSecret: env.SLACK_SIGNING_SECRET,
        slackBotToken: env.SLACK_BOT_TOKEN,
        vcrClientId: env.VCR_CLIENT_ID,
        vcrClientSecret: env.VCR_CLIENT_SECRET,
      },
      vcr: {
        apiUrl: 'https://vcr.api.vngcloud.vn',
        iamUrl: 'https://iamapis.vngcloud.vn/accounts-api/v2/auth/token',
        timeoutMs: 10000,
      },
      slack: { command: '/vcr' },
      roles: { viewers: ['*'], operators: [], admins: [] },
      approvals: {
        required: ['repo.delete', 'image.delete', 'user.delete', 'user.secret', 'cleanup'],
        approvers: [],
        ttlSeconds: 3600,
      },
      auditRetentionDays: 400,
      cleanup: { protect: ['latest'] },
      aws: { region: 'ap-southeast-1', endpoints: {} },
      stateTable: 'vcr-chatops-records',
      watch: { quotaAlertPercents: [80, 95, 100] },
      jobs: { mode: 'inline' },
      logLevel: 'info',
    });
  });

  it('reads every variable when all of them are set', () => {
    // Prepare
    const env = {
      SECRET_ID: 'arn:aws:secretsmanager:ap-southeast-1:000000000000:secret:vcr-chatops-AbCdEf',
      SECRET_TTL_SECONDS: '120',
      VCR_API_URL: 'http://127.0.0.1:4010',
      VCR_IAM_URL: 'http://127.0.0.1:4010/accounts-api/v2/auth/token',
      VCR_TIMEOUT_MS: '2500',
      SLACK_API_URL: 'http://127.0.0.1:4020/api/',
      SLACK_COMMAND: '/registry',
      SLACK_BOT_ID: 'B0123ABCD',
      SLACK_BOT_USER_ID: 'U0123ABCD',
      SLACK_TEAM_ID: 'T0123ABCD',
      VCR_VIEWERS: 'S0123ABCD, U0123AAAA,',
      VCR_OPERATORS: 'U0123BBBB',
      VCR_ADMINS: 'W0123CCCC',
      VCR_ALLOWED_CHANNELS: 'C0123ABCD,G0123ABCD, D0123ABCD',
      VCR_AUDIT_CHANNEL: 'C0123NOTE',
      VCR_NOTIFY_CHANNEL: 'C0123NOTE',
      VCR_APPROVAL_REQUIRED: 'repo.delete, user.secret',
      VCR_APPROVERS: 'U0123DDDD,S0123EEEE',
      VCR_APPROVAL_CHANNEL: 'C0123APPR',
      VCR_APPROVAL_TTL_SECONDS: '600',
      VCR_AUDIT_RETENTION_DAYS: '90',
      VCR_CLEANUP_PROTECT: 'latest, v*',
      VCR_ALERT_CHANNEL: 'C0123ALRT',
      VCR_QUOTA_ALERT_PERCENT: '50, 90',
      AWS_REGION: 'eu-west-3',
      AWS_ENDPOINT_URL_SECRETS_MANAGER: 'http://127.0.0.1:4566',
      AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:4567',
      AWS_ENDPOINT_URL_LAMBDA: 'http://127.0.0.1:4568',
      STATE_TABLE: 'vcr-chatops-dev',
      WORKER_FUNCTION_NAME: 'vcr-chatops-dev-worker',
      LOG_LEVEL: 'DEBUG',
    };

    // Act
    const config = loadConfig(env);

    // Assess
    expect(config).toEqual({
      secretId: env.SECRET_ID,
      secretTtlSeconds: 120,
      vcr: { apiUrl: env.VCR_API_URL, iamUrl: env.VCR_IAM_URL, timeoutMs: 2500 },
      slack: {
        apiUrl: 'http://127.0.0.1:4020/api/',
        command: '/registry',
        botId: 'B0123ABCD',
        botUserId: 'U0123ABCD',
        teamId: 'T0123ABCD',
      },
      roles: { viewers: ['S0123ABCD', 'U0123AAAA'], operators: ['U0123BBBB'], admins: ['W0123CCCC'] },
      allowedChannels: ['C0123ABCD', 'G0123ABCD', 'D0123ABCD'],
      auditChannel: 'C0123NOTE',
      auditRetentionDays: 90,
      cleanup: { protect: ['latest', 'v*'] },
      approvals: {
        required: ['repo.delete', 'user.secret', 'cleanup'],
        approvers: ['U0123DDDD', 'S0123EEEE'],
        channel: 'C0123APPR',
        ttlSeconds: 600,
      },
      aws: {
        region: 'eu-west-3',
        endpoints: {
          secretsManager: 'http://127.0.0.1:4566',
          dynamodb: 'http://127.0.0.1:4567',
          lambda: 'http://127.0.0.1:4568',
        },
      },
      stateTable: 'vcr-chatops-dev',
      watch: { alertChannel: 'C0123ALRT', quotaAlertPercents: [50, 90] },
      jobs: { mode: 'lambda', workerFunctionName: 'vcr-chatops-dev-worker' },
      logLevel: 'debug',
    });
  });

  it('sends alerts to the audit channel when VCR_ALERT_CHANNEL is unset', () => {
    // Prepare
    const env = { ...credentialEnv(), VCR_NOTIFY_CHANNEL: 'C0123NOTE' };

    // Act
    const config = loadConfig(env);

    // Assess
    expect(config.watch).toEqual({ alertChannel: 'C0123NOTE', quotaAlertPercents: [80, 95, 100] });
  });

  it.each([
    ['80,abc', 'must be whole percentages from 1 to 1000, separated by commas'],
    ['0,50', 'must be whole percentages from 1 to 1000, separated by commas'],
    ['80,1001', 'must be whole percentages from 1 to 1000, separated by commas'],
    ['80,,95', 'must be whole percentages from 1 to 1000, separated by commas'],
    ['95,80', 'must list each percentage once, in ascending order (e.g. 80,95,100)'],
    ['80,80', 'must list each percentage once, in ascending order (e.g. 80,95,100)'],
  ])('names VCR_QUOTA_ALERT_PERCENT when it is %j', (value, problem) => {
    // Prepare
    const env = { ...credentialEnv(), VCR_QUOTA_ALERT_PERCENT: value };

    // Act
    const error = configError(env);

    // Assess
    expect(error.problems).toEqual(['VCR_QUOTA_ALERT_PERCENT']);
    expect(error.message).toBe(`Configuration is invalid: VCR_QUOTA_ALERT_PERCENT ${problem}.`);
  });

  it('takes the admins as approvers when VCR_APPROVERS is unset, and none turns approvals off', () => {
    // Prepare
    const env = { ...credentialEnv(), VCR_ADMINS: 'U0ADMIN,S0ADMINS', VCR_APPROVAL_REQUIRED: 'NONE' };

    // Act
    const config = loadConfig(env);

    // Assess
    expect(config.approvals).toEqual({ required: ['cleanup'], approvers: ['U0ADMIN', 'S0ADMINS'], ttlSeconds: 3600 });
  });

  it('takes the admins as approvers when VCR_APPROVERS is empty, as deploy tools pass an unset setting', () => {
    // Prepare
    const env = { ...credentialEnv(), VCR_ADMINS: 'U0ADMIN', VCR_APPROVERS: ' ' };

    // Act
    const config = loadConfig(env);

    // Assess
    expect(config.approvals.approvers).toEqual(['U0ADMIN']);
  });

  it('names a VCR_CLEANUP_PROTECT entry that is no tag pattern', () => {
    // Prepare
    const env = { ...credentialEnv(), VCR_CLEANUP_PROTECT: 'latest,v(1)' };

    // Act
    const load = () => loadConfig(env);

    // Assess
    expect(load).toThrow(/VCR_CLEANUP_PROTECT has invalid entries "v\(1\)"/);
  });

  it('names the unknown command ids of VCR_APPROVAL_REQUIRED and a bad approver entry', () => {
    // Prepare
    const env = {
      ...credentialEnv(),
      VCR_APPROVAL_REQUIRED: 'repo.delete,repo.destroy,image.nuke',
      VCR_APPROVERS: 'alice',
      VCR_APPROVAL_TTL_SECONDS: '0',
    };

    // Act
    const load = () => loadConfig(env, { commandIds: ['repo.delete', 'image.delete'] });

    // Assess
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(/VCR_APPROVAL_REQUIRED names unknown command ids "repo\.destroy", "image\.nuke"/);
    expect(load).toThrow(/VCR_APPROVERS has invalid entries "alice"/);
    expect(load).toThrow(/VCR_APPROVAL_TTL_SECONDS must be a positive integer/);
  });

  it('ignores the credential variables when SECRET_ID is set', () => {
    // Prepare
    const env = { SECRET_ID: 'vcr-chatops/prod', SLACK_BOT_TOKEN: randomValue() };

    // Act
    const config = loadConfig(env);

    // Assess
    expect(config.secretId).toBe('vcr-chatops/prod');
    expect(config.envCredentials).toBeUndefined();
  });

  it('accepts a static vCR token instead of the client pair when VCR_ACCESS_TOKEN is set', () => {
    // Prepare
    const env = {
      SLACK_SIGNING_SECRET: randomValue(),
      SLACK_BOT_TOKEN: randomValue(),
      VCR_ACCESS_TOKEN: randomValue(),
    };

    // Act
    const config = loadConfig(env);

    // Assess
    expect(config.envCredentials).toEqual({
      slackSigningSecret: env.SLACK_SIGNING_SECRET,
      slackBotToken: env.SLACK_BOT_TOKEN,
      vcrAccessToken: env.VCR_ACCESS_TOKEN,
    });
  });

  it('names the other half when only one of the vCR client pair is set', () => {
    // Prepare
    const { VCR_CLIENT_SECRET: _, ...env } = { ...credentialEnv(), VCR_ACCESS_TOKEN: randomValue() };

    // Act
    const error = configError(env);

    // Assess
    expect(error.problems).toEqual(['VCR_CLIENT_SECRET']);
    expect(error.message).toBe('Configuration is invalid: VCR_CLIENT_SECRET is missing.');
  });

  it('treats an empty value as unset when a variable is blank', () => {
    // Prepare
    const env = { ...credentialEnv(), SLACK_API_URL: '', VCR_TIMEOUT_MS: ' ', SLACK_BOT_TOKEN: '' };

    // Act
    const error = configError(env);

    // Assess
    expect(error.problems).toEqual(['SLACK_BOT_TOKEN']);
  });

  it('grants no role when a role list is set but empty', () => {
    // Prepare
    const env = { ...credentialEnv(), VCR_VIEWERS: '' };

    // Act
    const config = loadConfig(env);

    // Assess
    expect(config.roles.viewers).toEqual([]);
  });

  it('names every invalid variable in one error and quotes no value when many are wrong', () => {
    // Prepare
    const hidden = randomValue();
    const env = {
      ...credentialEnv(),
      SECRET_TTL_SECONDS: '0',
      VCR_API_URL: `ftp://${hidden}.example`,
      VCR_IAM_URL: `not a url ${hidden}`,
      VCR_TIMEOUT_MS: `12${hidden}`,
      SLACK_API_URL: `127.0.0.1:4020/${hidden}`,
      SLACK_COMMAND: 'vcr',
      SLACK_BOT_ID: 'U0123ABCD',
      SLACK_BOT_USER_ID: 'B0123ABCD',
      SLACK_TEAM_ID: 'E0123ABCD',
      VCR_OPERATORS: 'U0123ABCD,@alice, team-ops',
      VCR_ALLOWED_CHANNELS: '#general',
      VCR_AUDIT_CHANNEL: 'U0123ABCD',
      VCR_AUDIT_RETENTION_DAYS: '-3',
      AWS_ENDPOINT_URL_DYNAMODB: `dynamo${hidden}`,
      JOB_MODE: 'batch',
      LOG_LEVEL: 'verbose',
    };

    // Act
    const error = configError(env);

    // Assess
    expect(error.problems).toEqual([
      'SECRET_TTL_SECONDS',
      'VCR_API_URL',
      'VCR_IAM_URL',
      'VCR_TIMEOUT_MS',
      'SLACK_API_URL',
      'AWS_ENDPOINT_URL_DYNAMODB',
      'LOG_LEVEL',
      'SLACK_COMMAND',
      'SLACK_BOT_ID',
      'SLACK_BOT_USER_ID',
      'SLACK_TEAM_ID',
      'VCR_OPERATORS',
      'VCR_ALLOWED_CHANNELS',
      'VCR_AUDIT_CHANNEL',
      'VCR_AUDIT_RETENTION_DAYS',
      'JOB_MODE',
    ]);
    expect(error.message).toContain('VCR_AUDIT_RETENTION_DAYS must be a positive integer');
    expect(error.message).toContain('JOB_MODE must be one of inline, lambda');
    expect(error.message).toContain('SECRET_TTL_SECONDS must be a positive integer');
    expect(error.message).toContain('VCR_TIMEOUT_MS must be a positive integer');
    expect(error.message).toContain('VCR_API_URL must be an http(s) URL');
    expect(error.message).toContain('VCR_OPERATORS has invalid entries "@alice", "team-ops"');
    expect(error.message).toContain('VCR_ALLOWED_CHANNELS has invalid entries "#general"');
    expect(error.message).toContain('LOG_LEVEL must be one of debug, info, warn, error');
    expect(error.message).not.toContain(hidden);
    for (const value of [env.SLACK_SIGNING_SECRET, env.SLACK_BOT_TOKEN, env.VCR_CLIENT_ID, env.VCR_CLIENT_SECRET]) {
      expect(error.message).not.toContain(value);
    }
  });

  it('takes VCR_NOTIFY_CHANNEL as the audit channel when VCR_AUDIT_CHANNEL is unset', () => {
    // Prepare
    const env = { ...credentialEnv(), VCR_NOTIFY_CHANNEL: 'C0123NOTE' };

    // Act
    const config = loadConfig(env);

    // Assess
    expect(config.auditChannel).toBe('C0123NOTE');
  });

  it('names VCR_NOTIFY_CHANNEL when it and VCR_AUDIT_CHANNEL name different channels', () => {
    // Prepare
    const env = { ...credentialEnv(), VCR_AUDIT_CHANNEL: 'C0123AUDIT', VCR_NOTIFY_CHANNEL: 'C0123NOTE' };

    // Act
    const error = configError(env);

    // Assess
    expect(error.problems).toEqual(['VCR_NOTIFY_CHANNEL']);
    expect(error.message).toContain('VCR_NOTIFY_CHANNEL is an alias of VCR_AUDIT_CHANNEL and names another channel');
  });

  it('runs jobs by Lambda invoke when WORKER_FUNCTION_NAME is set and JOB_MODE is not', () => {
    // Prepare
    const env = { ...credentialEnv(), WORKER_FUNCTION_NAME: 'vcr-chatops-worker' };

    // Act
    const config = loadConfig(env);

    // Assess
    expect(config.jobs).toEqual({ mode: 'lambda', workerFunctionName: 'vcr-chatops-worker' });
  });

  it('runs jobs inline when JOB_MODE is inline even with a worker function', () => {
    // Prepare
    const env = { ...credentialEnv(), WORKER_FUNCTION_NAME: 'vcr-chatops-worker', JOB_MODE: 'inline' };

    // Act
    const config = loadConfig(env);

    // Assess
    expect(config.jobs).toEqual({ mode: 'inline', workerFunctionName: 'vcr-chatops-worker' });
  });

  it('names WORKER_FUNCTION_NAME when JOB_MODE is lambda without it', () => {
    // Prepare
    const env = { ...credentialEnv(), JOB_MODE: 'lambda' };

    // Act
    const error = configError(env);

    // Assess
    expect(error.problems).toEqual(['WORKER_FUNCTION_NAME']);
    expect(error.message).toBe('Configuration is invalid: WORKER_FUNCTION_NAME is missing (JOB_MODE is lambda).');
  });

  it('returns a deeply frozen object when the configuration is valid', () => {
    // Prepare
    const env = { ...credentialEnv(), VCR_ALLOWED_CHANNELS: 'C0123ABCD' };

    // Act
    const config = loadConfig(env);

    // Assess
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.envCredentials)).toBe(true);
    expect(Object.isFrozen(config.aws.endpoints)).toBe(true);
    expect(Object.isFrozen(config.roles.viewers)).toBe(true);
    expect(Object.isFrozen(config.allowedChannels)).toBe(true);
    expect(() => {
      (config.vcr as { apiUrl: string }).apiUrl = 'http://127.0.0.1:1';
    }).toThrow(TypeError);
    expect(() => (config.roles.admins as string[]).push('U0123ABCD')).toThrow(TypeError);
  });
});
