import { randomBytes } from 'node:crypto';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { type FakeSecretsManager, startFakeSecretsManager } from '../local/fakes/secrets-manager';
import { type Config, loadConfig } from '../src/config';
import { ConfigError } from '../src/errors';
import { createLogger, describeError, type Logger } from '../src/logger';
import { type Credentials, createSecretsManagerClient, createSecretsSource, SecretReadError } from '../src/secrets';

let fake: FakeSecretsManager;
let client: SecretsManagerClient;

beforeAll(async () => {
  fake = await startFakeSecretsManager();
  client = new SecretsManagerClient({
    endpoint: fake.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  });
});

afterAll(async () => {
  client.destroy();
  await fake.close();
});

function randomValue(): string {
  return randomBytes(24).toString('hex');
}

function newCredentials(): Required<Credentials> {
  return {
    slackSigningSecret: randomValue(),
    slackBotToken: randomValue(),
    vcrClientId: randomValue(),
    vcrClientSecret: randomValue(),
    vcrAccessToken: randomValue(),
  };
}

let secretCount = 0;
/** Stores `value` under a fresh secret id, so that each test counts only its own reads. */
function storeSecret(value: unknown): string {
  secretCount += 1;
  const id = `vcr-chatops/test-${secretCount}-${randomBytes(4).toString('hex')}`;
  fake.setSecret(id, typeof value === 'string' ? value : JSON.stringify(value));
  return id;
}

function readsOf(id: string): number {
  return fake.calls.filter((call) => call.secretId === id).length;
}

function configFor(secretId: string, env: Record<string, string> = {}): Config {
  return loadConfig({
    SECRET_ID: secretId,
    SECRET_TTL_SECONDS: '60',
    AWS_ENDPOINT_URL_SECRETS_MANAGER: fake.url,
    ...env,
  });
}

function createClock(start = 1_000_000): { now: () => number; advance: (ms: number) => void } {
  let time = start;
  return { now: () => time, advance: (ms) => (time += ms) };
}

describe('createSecretsSource', () => {
  it('reads the secret once when get is called many times within the TTL', async () => {
    // Prepare
    const credentials = newCredentials();
    const id = storeSecret(credentials);
    const source = createSecretsSource({ config: configFor(id), client });

    // Act
    const results: Credentials[] = [];
    for (let i = 0; i < 5; i += 1) results.push(await source.get());

    // Assess
    expect(results[0]).toEqual(credentials);
    for (const result of results) expect(result).toBe(results[0]);
    expect(readsOf(id)).toBe(1);
    expect(fake.calls.find((call) => call.secretId === id)).toEqual({
      target: 'secretsmanager.GetSecretValue',
      secretId: id,
      signed: true,
    });
  });

  it('shares one read when get is called concurrently', async () => {
    // Prepare
    const credentials = newCredentials();
    const id = storeSecret(credentials);
    const source = createSecretsSource({ config: configFor(id), client });

    // Act
    const results = await Promise.all(Array.from({ length: 10 }, () => source.get()));

    // Assess
    for (const result of results) expect(result).toEqual(credentials);
    expect(readsOf(id)).toBe(1);
  });

  it('re-reads the secret when the TTL has passed', async () => {
    // Prepare
    const first = newCredentials();
    const rotated = newCredentials();
    const id = storeSecret(first);
    const clock = createClock();
    const source = createSecretsSource({ config: configFor(id), client, now: clock.now });
    await source.get();
    fake.setSecret(id, JSON.stringify(rotated));

    // Act
    clock.advance(59_999);
    const beforeExpiry = await source.get();
    clock.advance(1);
    const afterExpiry = await source.get();

    // Assess
    expect(beforeExpiry).toEqual(first);
    expect(afterExpiry).toEqual(rotated);
    expect(readsOf(id)).toBe(2);
  });

  it('returns the rotated value when refresh is called within the TTL', async () => {
    // Prepare
    const first = newCredentials();
    const rotated = newCredentials();
    const id = storeSecret(first);
    const source = createSecretsSource({ config: configFor(id), client });
    const before = await source.get();
    fake.setSecret(id, JSON.stringify(rotated));

    // Act
    const cached = await source.get();
    const refreshed = await source.refresh();
    const after = await source.get();

    // Assess
    expect(before).toEqual(first);
    expect(cached).toEqual(first);
    expect(refreshed).toEqual(rotated);
    expect(after).toBe(refreshed);
    expect(readsOf(id)).toBe(2);
  });

  it('keeps serving the current credentials when a refresh cannot reach Secrets Manager', async () => {
    // Prepare
    const first = newCredentials();
    const id = storeSecret(first);
    const clock = createClock();
    const lines: string[] = [];
    const logger = createLogger({ sink: (line) => lines.push(line) });
    const source = createSecretsSource({ config: configFor(id), client, now: clock.now, logger });
    await source.get();
    fake.setDown(true);

    try {
      // Act
      const refreshed = await source.refresh();
      const got = await source.get();

      // Assess
      expect(refreshed).toEqual(first);
      expect(got).toEqual(first);
      expect(readsOf(id)).toBe(2);
      expect(lines.map((line) => JSON.parse(line))).toEqual([
        expect.objectContaining({
          level: 'warn',
          message: 'Could not re-read credentials; keeping the previous ones',
          error: expect.objectContaining({ name: 'SecretReadError' }),
        }),
      ]);
    } finally {
      fake.setDown(false);
    }
  });

  it('reads at most once per floor when refresh is called again and again', async () => {
    // Prepare
    const first = newCredentials();
    const rotated = newCredentials();
    const id = storeSecret(first);
    const clock = createClock();
    const source = createSecretsSource({ config: configFor(id), client, now: clock.now });
    await source.get();
    clock.advance(5_000);

    // Act
    const afterFloor = await source.refresh({ minAgeMs: 2_000 });
    fake.setSecret(id, JSON.stringify(rotated));
    clock.advance(1_999);
    const withinFloor = await Promise.all(Array.from({ length: 5 }, () => source.refresh({ minAgeMs: 2_000 })));
    clock.advance(1);
    const nextFloor = await source.refresh({ minAgeMs: 2_000 });

    // Assess
    expect(afterFloor).toEqual(first);
    for (const result of withinFloor) expect(result).toEqual(first);
    expect(nextFloor).toEqual(rotated);
    expect(readsOf(id)).toBe(3);
  });

  it('counts a failed read against the floor so an outage is not asked again by every refresh', async () => {
    // Prepare
    const id = storeSecret(newCredentials());
    const clock = createClock();
    const source = createSecretsSource({ config: configFor(id), client, now: clock.now });
    await source.get();
    clock.advance(5_000);
    fake.setDown(true);

    try {
      // Act
      for (let i = 0; i < 5; i += 1) await source.refresh({ minAgeMs: 2_000 });
      const duringOutage = readsOf(id);
      fake.setDown(false);
      clock.advance(2_000);
      await source.refresh({ minAgeMs: 2_000 });

      // Assess
      // The first get and one refresh reached the fake; the other four refreshes were within the floor.
      expect(duringOutage).toBe(2);
      expect(readsOf(id)).toBe(duringOutage + 1);
    } finally {
      fake.setDown(false);
    }
  });

  it('shares the read under way when refresh is called during a get', async () => {
    // Prepare
    const credentials = newCredentials();
    const id = storeSecret(credentials);
    const source = createSecretsSource({ config: configFor(id), client });

    // Act
    const [got, refreshed] = await Promise.all([source.get(), source.refresh()]);

    // Assess
    expect(refreshed).toBe(got);
    expect(readsOf(id)).toBe(1);
  });

  it('rejects a refresh that cannot read the secret when none was ever read', async () => {
    // Prepare
    const id = `vcr-chatops/missing-${randomBytes(4).toString('hex')}`;
    const source = createSecretsSource({ config: configFor(id), client });

    // Act
    const result = source.refresh();

    // Assess
    await expect(result).rejects.toThrow(SecretReadError);
    await expect(result).rejects.toMatchObject({ awsErrorName: 'ResourceNotFoundException', secretId: id });
  });

  it('keeps the previous credentials when the re-read after the TTL fails', async () => {
    // Prepare
    const first = newCredentials();
    const rotated = newCredentials();
    const id = storeSecret(first);
    const clock = createClock();
    const lines: string[] = [];
    const logger = createLogger({ sink: (line) => lines.push(line) });
    const source = createSecretsSource({ config: configFor(id), client, now: clock.now, logger });
    await source.get();
    fake.deleteSecret(id);

    // Act
    clock.advance(60_000);
    const stale = await source.get();
    clock.advance(29_999);
    const stillStale = await source.get();
    fake.setSecret(id, JSON.stringify(rotated));
    clock.advance(1);
    const fresh = await source.get();

    // Assess
    expect(stale).toEqual(first);
    expect(stillStale).toEqual(first);
    expect(fresh).toEqual(rotated);
    expect(readsOf(id)).toBe(3);
    expect(lines.map((line) => JSON.parse(line))).toEqual([
      expect.objectContaining({
        level: 'warn',
        secretId: id,
        error: expect.objectContaining({ name: 'SecretReadError' }),
      }),
    ]);
  });

  it('accepts a static vCR token instead of a client pair', async () => {
    // Prepare
    const { slackSigningSecret, slackBotToken, vcrAccessToken } = newCredentials();
    const id = storeSecret({ slackSigningSecret, slackBotToken, vcrAccessToken });
    const source = createSecretsSource({ config: configFor(id), client });

    // Act
    const credentials = await source.get();

    // Assess
    expect(credentials).toEqual({ slackSigningSecret, slackBotToken, vcrAccessToken });
    expect(Object.isFrozen(credentials)).toBe(true);
  });

  it('names the missing keys and no value when the secret is malformed', async () => {
    // Prepare
    const { slackBotToken, vcrClientSecret } = newCredentials();
    const id = storeSecret({ slackBotToken, vcrClientSecret });
    const source = createSecretsSource({ config: configFor(id), client });

    // Act
    const error = await source.get().catch((caught: unknown) => caught);

    // Assess
    expect(error).toBeInstanceOf(ConfigError);
    const { message, problems } = error as ConfigError;
    expect(message).toBe(`Secret "${id}" is malformed: missing slackSigningSecret, vcrClientId (or vcrAccessToken).`);
    expect(problems).toEqual(['slackSigningSecret', 'vcrClientId']);
    expect(message).not.toContain(slackBotToken);
    expect(message).not.toContain(vcrClientSecret);
  });

  it('names keys that are not strings when the secret holds other types', async () => {
    // Prepare
    const { slackSigningSecret, vcrAccessToken } = newCredentials();
    const id = storeSecret({ slackSigningSecret, slackBotToken: 42, vcrAccessToken });
    const source = createSecretsSource({ config: configFor(id), client });

    // Act
    const result = source.get();

    // Assess
    await expect(result).rejects.toThrow(`Secret "${id}" is malformed: not non-empty strings: slackBotToken.`);
  });

  it('says the secret is not JSON without quoting it when the secret is plain text', async () => {
    // Prepare
    const text = randomValue();
    const id = storeSecret(text);
    const source = createSecretsSource({ config: configFor(id), client });

    // Act
    const error = (await source.get().catch((caught: unknown) => caught)) as ConfigError;

    // Assess
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toBe(`Secret "${id}" is not valid JSON; store the credentials as a JSON object.`);
    expect(error.cause).toBeUndefined();
  });

  it('says the secret is not a JSON object when the secret is an array', async () => {
    // Prepare
    const id = storeSecret(JSON.stringify([randomValue()]));
    const source = createSecretsSource({ config: configFor(id), client });

    // Act
    const result = source.get();

    // Assess
    await expect(result).rejects.toThrow(
      `Secret "${id}" is not a JSON object; store the credentials as a JSON object.`,
    );
  });

  it('names the secret id and the AWS error when the secret does not exist', async () => {
    // Prepare
    const id = `vcr-chatops/missing-${randomBytes(4).toString('hex')}`;
    const source = createSecretsSource({ config: configFor(id), client });

    // Act
    const error = await source.get().catch((caught: unknown) => caught);

    // Assess
    expect(error).toBeInstanceOf(SecretReadError);
    expect((error as SecretReadError).message).toBe(
      `Could not read secret "${id}" from Secrets Manager: ResourceNotFoundException.`,
    );
    expect((error as SecretReadError).cause).toMatchObject({ name: 'ResourceNotFoundException' });
  });

  it('names the network error when Secrets Manager cannot be reached', async () => {
    // Prepare
    const closed = await startFakeSecretsManager();
    await closed.close();
    const unreachable = new SecretsManagerClient({
      endpoint: closed.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxAttempts: 1,
    });
    const source = createSecretsSource({ config: configFor('vcr-chatops/any'), client: unreachable });

    // Act
    const error = await source.get().catch((caught: unknown) => caught);

    // Assess
    unreachable.destroy();
    expect(error).toBeInstanceOf(SecretReadError);
    // Under Jest, Node's socket error comes from another realm and the SDK rewraps it as a plain `Error`, so the
    // name is ECONNREFUSED in production but `Error` here; the secret id and the error kind are what matter.
    expect((error as SecretReadError).message).toMatch(
      /^Could not read secret "vcr-chatops\/any" from Secrets Manager: (ECONNREFUSED|Error)\.$/,
    );
    expect((error as SecretReadError).secretId).toBe('vcr-chatops/any');
  });

  it('returns the environment credentials without reading AWS when no secret id is configured', async () => {
    // Prepare
    const values = newCredentials();
    const config = loadConfig({
      SLACK_SIGNING_SECRET: values.slackSigningSecret,
      SLACK_BOT_TOKEN: values.slackBotToken,
      VCR_CLIENT_ID: values.vcrClientId,
      VCR_CLIENT_SECRET: values.vcrClientSecret,
    });
    const readsBefore = fake.reads;
    const source = createSecretsSource({ config, client });

    // Act
    const refreshed = await source.refresh();
    const credentials = await source.get();

    // Assess
    expect(credentials).toEqual({
      slackSigningSecret: values.slackSigningSecret,
      slackBotToken: values.slackBotToken,
      vcrClientId: values.vcrClientId,
      vcrClientSecret: values.vcrClientSecret,
    });
    expect(refreshed).toBe(credentials);
    expect(fake.reads).toBe(readsBefore);
  });

  it('keeps every secret value out of log lines and error messages when reading and failing', async () => {
    // Prepare
    const lines: string[] = [];
    const logger = createLogger({ level: 'debug', sink: (line) => lines.push(line) });
    const first = newCredentials();
    const rotated = newCredentials();
    const malformed = { slackBotToken: randomValue(), vcrClientSecret: randomValue() };
    const plainText = randomValue();
    const envValues = newCredentials();
    const secretValues = [
      ...Object.values(first),
      ...Object.values(rotated),
      ...Object.values(malformed),
      plainText,
      ...Object.values(envValues),
    ];
    const id = storeSecret(first);
    const clock = createClock();
    const errors: unknown[] = [];
    const use = async (source: ReturnType<typeof createSecretsSource>, log: Logger) => {
      try {
        const credentials = await source.get();
        log.info('Using credentials', { credentials, header: `Bearer ${credentials.vcrAccessToken}` });
      } catch (error) {
        errors.push(error);
        log.error('Credentials failed', { error });
      }
    };
    const source = createSecretsSource({ config: configFor(id), client, now: clock.now, logger });
    // A source that has read nothing yet, so a failing read has no previous credentials to keep and throws.
    const fresh = () => createSecretsSource({ config: configFor(id), client, now: clock.now, logger });
    const envSource = createSecretsSource({
      config: loadConfig({
        SLACK_SIGNING_SECRET: envValues.slackSigningSecret,
        SLACK_BOT_TOKEN: envValues.slackBotToken,
        VCR_CLIENT_ID: envValues.vcrClientId,
        VCR_CLIENT_SECRET: envValues.vcrClientSecret,
        VCR_ACCESS_TOKEN: envValues.vcrAccessToken,
      }),
      logger,
    });

    // Act
    await use(source, logger);
    fake.setSecret(id, JSON.stringify(rotated));
    await source.refresh();
    await use(source, logger.child({ requestId: 'r1' }));
    fake.setSecret(id, JSON.stringify(malformed));
    await source.refresh();
    await use(source, logger);
    fake.setSecret(id, plainText);
    await source.refresh();
    await use(source, logger);
    await use(fresh(), logger);
    fake.setSecret(id, JSON.stringify(malformed));
    await use(fresh(), logger);
    fake.deleteSecret(id);
    clock.advance(60_000);
    await use(source, logger);
    await source.refresh();
    await use(source, logger);
    await use(fresh(), logger);
    await use(envSource, logger);

    // Assess
    expect(errors.map((error) => (error as Error).name)).toEqual(['ConfigError', 'ConfigError', 'SecretReadError']);
    expect(lines.filter((line) => line.includes('[redacted]')).length).toBeGreaterThanOrEqual(5);
    const texts = [
      ...lines,
      ...errors.map((error) => `${String(error)} ${JSON.stringify(describeError(error as Error))}`),
    ];
    for (const text of texts) {
      for (const value of secretValues) expect(text).not.toContain(value);
    }
  });
});

describe('createSecretsManagerClient', () => {
  it('uses the configured region, endpoint and two attempts when built from the configuration', async () => {
    // Prepare
    const config = loadConfig({
      SECRET_ID: 'vcr-chatops/any',
      AWS_REGION: 'eu-west-3',
      AWS_ENDPOINT_URL_SECRETS_MANAGER: 'http://127.0.0.1:4566',
    });

    // Act
    const built = createSecretsManagerClient(config);

    // Assess
    expect(await built.config.region()).toBe('eu-west-3');
    expect(await built.config.maxAttempts()).toBe(2);
    const endpoint = await built.config.endpoint!();
    expect(`${endpoint.protocol}//${endpoint.hostname}:${endpoint.port}`).toBe('http://127.0.0.1:4566');
    built.destroy();
  });
});
