import { randomBytes } from 'node:crypto';
import { localAwsCredentials } from '../local/fakes/dynamodb';
import { type FakeSecretsManager, startFakeSecretsManager } from '../local/fakes/secrets-manager';
import { startFakeSlack } from '../local/fakes/slack-api';
import { createHandlers } from '../src/handler';
import type { Job } from '../src/jobs/job';
import { type E2eHarness, e2eSecretId, e2eUsers, readableText, startE2eHarness } from './support/e2e-harness';
import { signedEvent, slashCommandBody } from './support/slack-requests';

const helpCommand = (signingSecret: string) =>
  signedEvent(
    slashCommandBody({ text: 'help', userId: e2eUsers.viewer, responseUrl: 'http://127.0.0.1:9/unused' }),
    signingSecret,
  );

describe('createHandlers', () => {
  describe('when the configuration or the secret is broken', () => {
    let secretsManager: FakeSecretsManager;

    beforeAll(async () => {
      secretsManager = await startFakeSecretsManager();
    });

    afterAll(async () => {
      await secretsManager.close();
    });

    it('answers 500 and logs the missing variables without values when the configuration is incomplete', async () => {
      // Prepare
      const botToken = randomBytes(24).toString('hex');
      const logs: string[] = [];
      const handlers = createHandlers(
        { SLACK_BOT_TOKEN: botToken, VCR_VIEWERS: 'not-an-id' },
        { logSink: (line) => logs.push(line) },
      );

      // Act
      const first = await handlers.http(helpCommand('whatever-secret'));
      const second = await handlers.http(helpCommand('whatever-secret'));

      // Assess
      expect(first.statusCode).toBe(500);
      expect(second.statusCode).toBe(500);
      const messages = logs.map((line) => JSON.parse(line).message as string);
      expect(messages[0]).toContain('SLACK_SIGNING_SECRET is missing');
      expect(messages[0]).toContain('VCR_CLIENT_ID is missing');
      expect(messages[0]).toContain('VCR_VIEWERS has invalid entries');
      expect(logs.join('\n')).not.toContain(botToken);
    });

    it('rejects and names the broken variable when the schedule entry runs with a bad VCR_QUOTA_ALERT_PERCENT', async () => {
      // Prepare
      const logs: string[] = [];
      const handlers = createHandlers(
        {
          SLACK_SIGNING_SECRET: 'signing',
          SLACK_BOT_TOKEN: 'token',
          VCR_ACCESS_TOKEN: 'vcr',
          VCR_QUOTA_ALERT_PERCENT: '95,80',
        },
        { logSink: (line) => logs.push(line) },
      );

      // Act
      const pass = handlers.schedule({}, { getRemainingTimeInMillis: () => 300_000 });

      // Assess
      await expect(pass).rejects.toThrow('VCR_QUOTA_ALERT_PERCENT must list each percentage once, in ascending order');
      expect(logs.map((line) => JSON.parse(line))).toEqual([
        expect.objectContaining({
          level: 'error',
          entry: 'schedule',
          message: expect.stringContaining('cannot start'),
        }),
      ]);
    });

    it('answers 500 and names the secret when Secrets Manager does not have it', async () => {
      // Prepare
      const logs: string[] = [];
      const handlers = createHandlers(
        {
          SECRET_ID: 'vcr-chatops/missing',
          AWS_ENDPOINT_URL_SECRETS_MANAGER: secretsManager.url,
          AWS_REGION: 'us-east-1',
        },
        { logSink: (line) => logs.push(line), awsCredentials: localAwsCredentials },
      );

      // Act
      const answer = await handlers.http(helpCommand('whatever-secret'));

      // Assess
      expect(answer.statusCode).toBe(500);
      expect(logs.map((line) => JSON.parse(line).message)).toEqual([
        expect.stringMatching(/vcr-chatops\/missing.*ResourceNotFoundException/),
      ]);
    });

    it('answers 500 and names the missing keys when the secret is malformed', async () => {
      // Prepare
      const token = randomBytes(24).toString('hex');
      secretsManager.setSecret('vcr-chatops/malformed', JSON.stringify({ slackBotToken: token }));
      const logs: string[] = [];
      const handlers = createHandlers(
        {
          SECRET_ID: 'vcr-chatops/malformed',
          AWS_ENDPOINT_URL_SECRETS_MANAGER: secretsManager.url,
          AWS_REGION: 'us-east-1',
        },
        { logSink: (line) => logs.push(line), awsCredentials: localAwsCredentials },
      );

      // Act
      const answer = await handlers.http(helpCommand('whatever-secret'));

      // Assess
      expect(answer.statusCode).toBe(500);
      expect(logs.join('\n')).toContain('missing slackSigningSecret');
      expect(logs.join('\n')).not.toContain(token);
    });

    it('logs and returns when the worker is invoked with something that is not a job', async () => {
      // Prepare
      const logs: string[] = [];
      const handlers = createHandlers({}, { logSink: (line) => logs.push(line) });

      // Act
      await handlers.worker({ hello: 'world' } as unknown as Job);

      // Assess
      expect(logs.map((line) => JSON.parse(line).message)).toEqual([
        'The worker was invoked with something that is not a job',
      ]);
    });
    it('tells the waiting user through response_url, with the logged ref, when the worker cannot start', async () => {
      // Prepare
      const slack = await startFakeSlack();
      const logs: string[] = [];
      const handlers = createHandlers(
        {
          SECRET_ID: 'vcr-chatops/missing',
          AWS_ENDPOINT_URL_SECRETS_MANAGER: secretsManager.url,
          AWS_REGION: 'us-east-1',
        },
        { logSink: (line) => logs.push(line), awsCredentials: localAwsCredentials },
      );
      const job: Job = {
        id: 'job-1',
        kind: 'invoke',
        invocation: { command: 'repos.list', args: {} },
        actor: { userId: e2eUsers.viewer, role: 'viewer' },
        requestKey: 'slash:T0TEAM:trigger-1',
        responseUrl: slack.responseUrl(),
      };

      try {
        // Act
        await handlers.worker(job);

        // Assess
        expect(slack.responses).toHaveLength(1);
        const text = String(slack.responses[0]?.body.text);
        const ref = JSON.parse(logs[0] ?? '{}').ref as string;
        expect(ref).toMatch(/^[0-9a-f]{8}$/);
        expect(text).toContain('could not start its worker');
        expect(text).toContain(ref);
        expect(text).not.toContain('vcr-chatops/missing');
      } finally {
        await slack.close();
      }
    });
  });

  describe('when the Slack credentials are rotated', () => {
    let harness: E2eHarness;
    let clockOffsetMs = 0;
    // A 401 re-reads the secret only when it is older than this floor (src/handler.ts).
    const floorMs = 2_000;

    beforeEach(async () => {
      clockOffsetMs = 0;
      harness = await startE2eHarness({ env: { SECRET_TTL_SECONDS: '300' }, now: () => Date.now() + clockOffsetMs });
    });

    afterEach(async () => {
      await harness.close();
    });

    const rotate = () => {
      const signingSecret = randomBytes(32).toString('hex');
      harness.secretsManager.setSecret(
        e2eSecretId,
        JSON.stringify({
          slackSigningSecret: signingSecret,
          slackBotToken: harness.secrets.botToken,
          vcrClientId: harness.emulator.clientId,
          vcrClientSecret: harness.secrets.vcrClientSecret,
        }),
      );
      return signingSecret;
    };

    it('re-reads the secret once and accepts the new signing secret when a request fails verification', async () => {
      // Prepare
      const warm = await harness.handlers.http(helpCommand(harness.secrets.signingSecret));
      clockOffsetMs += floorMs;
      const readsBefore = harness.secretsManager.reads;
      const rotated = rotate();

      // Act
      const withNew = await harness.handlers.http(helpCommand(rotated));
      const forged = await harness.handlers.http(helpCommand(randomBytes(32).toString('hex')));
      const withOld = await harness.handlers.http(helpCommand(harness.secrets.signingSecret));

      // Assess
      expect(warm.statusCode).toBe(200);
      expect(withNew.statusCode).toBe(200);
      expect(readableText(JSON.parse(withNew.body ?? '{}'))).toContain('vCR commands');
      expect(forged.statusCode).toBe(401);
      expect(withOld.statusCode).toBe(401);
      // One re-read for the rotation; the requests within the floor after it read nothing.
      expect(harness.secretsManager.reads).toBe(readsBefore + 1);
    });

    it("accepts the rotated signing secret on Slack's next request when a forged request spent a re-read just before", async () => {
      // Prepare
      await harness.handlers.http(helpCommand(harness.secrets.signingSecret));
      clockOffsetMs += floorMs;
      const forged = await harness.handlers.http(helpCommand(randomBytes(32).toString('hex')));
      const rotated = rotate();
      clockOffsetMs += floorMs;

      // Act
      const withNew = await harness.handlers.http(helpCommand(rotated));
      const withOld = await harness.handlers.http(helpCommand(harness.secrets.signingSecret));

      // Assess
      expect(forged.statusCode).toBe(401);
      expect(withNew.statusCode).toBe(200);
      expect(withOld.statusCode).toBe(401);
    });

    it('reads the secret at most once per floor however many forged requests arrive', async () => {
      // Prepare
      await harness.handlers.http(helpCommand(harness.secrets.signingSecret));
      clockOffsetMs += floorMs;
      const readsBefore = harness.secretsManager.reads;

      // Act
      const answers = [];
      for (let i = 0; i < 20; i += 1) answers.push(await harness.handlers.http(helpCommand(`forged-${i}`)));
      const valid = await harness.handlers.http(helpCommand(harness.secrets.signingSecret));

      // Assess
      expect(answers.map((answer) => answer.statusCode)).toEqual(Array(20).fill(401));
      expect(valid.statusCode).toBe(200);
      expect(harness.secretsManager.reads).toBe(readsBefore + 1);
    });

    it('rebuilds the app with the new signing secret when the cached secret outlives its TTL', async () => {
      // Prepare
      const original = harness.secrets.signingSecret;
      const warm = await harness.handlers.http(helpCommand(original));
      const rotated = rotate();
      const readsBefore = harness.secretsManager.reads;
      clockOffsetMs += 301_000;

      // Act
      const withNew = await harness.handlers.http(helpCommand(rotated));
      const readsAfterNew = harness.secretsManager.reads;
      const withOriginal = await harness.handlers.http(helpCommand(original));

      // Assess
      expect(warm.statusCode).toBe(200);
      expect(withNew.statusCode).toBe(200);
      expect(readsAfterNew).toBe(readsBefore + 1);
      expect(withOriginal.statusCode).toBe(401);
      expect(harness.logs.join('\n')).toContain('Slack credentials changed; rebuilding the app');
    });
  });

  describe('when Secrets Manager is unreachable', () => {
    let harness: E2eHarness;
    let clockOffsetMs = 0;

    beforeEach(async () => {
      clockOffsetMs = 0;
      harness = await startE2eHarness({ env: { SECRET_TTL_SECONDS: '300' }, now: () => Date.now() + clockOffsetMs });
    });

    afterEach(async () => {
      harness.secretsManager.setDown(false);
      await harness.close();
    });

    it('keeps answering signed requests with the credentials it has when forged requests arrive', async () => {
      // Prepare
      const warm = await harness.handlers.http(helpCommand(harness.secrets.signingSecret));
      harness.secretsManager.setDown(true);
      const readsBefore = harness.secretsManager.reads;

      // Act
      const forged = [];
      for (let i = 0; i < 3; i += 1) {
        clockOffsetMs += 5_000;
        forged.push(await harness.handlers.http(helpCommand(randomBytes(32).toString('hex'))));
      }
      const valid = await harness.handlers.http(helpCommand(harness.secrets.signingSecret));
      const { ack, responseUrl } = await harness.command('repos', e2eUsers.viewer);
      await harness.settle();

      // Assess
      expect(warm.statusCode).toBe(200);
      expect(forged.map((answer) => answer.statusCode)).toEqual([401, 401, 401]);
      expect(harness.secretsManager.reads).toBeGreaterThan(readsBefore);
      expect(valid.statusCode).toBe(200);
      expect(readableText(JSON.parse(valid.body ?? '{}'))).toContain('vCR commands');
      expect(ack.statusCode).toBe(200);
      expect(readableText(harness.posted(responseUrl).at(-1))).toContain('payments-api');
      const levels = harness.logs.map((line) => JSON.parse(line) as { level: string; message: string });
      expect(levels.filter((line) => line.level === 'error')).toEqual([]);
      expect(levels.map((line) => line.message)).toContain('Could not re-read credentials; keeping the previous ones');
    });
  });

  describe('when the vCR client secret is rotated', () => {
    let harness: E2eHarness;
    let clockOffsetMs = 0;

    beforeAll(async () => {
      // Long enough that only a rejection, never the TTL, makes the bot read the secret again.
      harness = await startE2eHarness({ env: { SECRET_TTL_SECONDS: '3600' }, now: () => Date.now() + clockOffsetMs });
    });

    afterAll(async () => {
      await harness.close();
    });

    it('answers the first command after the rotation by re-reading the secret once and minting again', async () => {
      // Prepare
      await harness.reply('repos', e2eUsers.viewer);
      const rotatedSecret = randomBytes(24).toString('base64url');
      harness.emulator.rotateClientSecret(rotatedSecret);
      harness.emulator.expireTokens();
      harness.secretsManager.setSecret(
        e2eSecretId,
        JSON.stringify({
          slackSigningSecret: harness.secrets.signingSecret,
          slackBotToken: harness.secrets.botToken,
          vcrClientId: harness.emulator.clientId,
          vcrClientSecret: rotatedSecret,
        }),
      );
      // Past the floor since the last read, so the rejection may re-read the secret.
      clockOffsetMs += 5_000;
      const readsBefore = harness.secretsManager.reads;
      const mintsBefore = harness.emulator.requests.filter((request) => request.path.startsWith('/accounts-api/'));

      // Act
      const reply = await harness.reply('repos', e2eUsers.viewer);

      // Assess
      expect(readableText(reply)).toContain('payments-api');
      expect(harness.secretsManager.reads).toBe(readsBefore + 1);
      const mints = harness.emulator.requests.filter((request) => request.path.startsWith('/accounts-api/'));
      expect(mints.length - mintsBefore.length).toBe(2);
      expect(harness.logs.join('\n')).not.toContain(rotatedSecret);
    });
  });

  describe('when jobs run on the worker Lambda', () => {
    let harness: E2eHarness;

    beforeAll(async () => {
      harness = await startE2eHarness({ jobMode: 'lambda' });
    });

    afterAll(async () => {
      await harness.close();
    });

    it('invokes the worker asynchronously and the worker answers through response_url when a command needs vCR', async () => {
      // Prepare
      const text = 'repos';

      // Act
      const { ack, responseUrl } = await harness.command(text, e2eUsers.viewer, { base64: true });
      await harness.settle();

      // Assess
      expect(ack.statusCode).toBe(200);
      expect(harness.lambda?.invocations).toEqual([
        expect.objectContaining({
          functionName: 'vcr-chatops-e2e-worker',
          invocationType: 'Event',
          payload: expect.objectContaining({
            kind: 'invoke',
            responseUrl,
            actor: expect.objectContaining({ userId: e2eUsers.viewer }),
          }),
        }),
      ]);
      expect(readableText(harness.posted(responseUrl).at(-1))).toContain('payments-api');
    });
  });
});
