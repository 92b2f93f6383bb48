import { randomBytes } from 'node:crypto';
import { localBotEnv } from '../local/local-bot-env';
import { createApp } from '../src/app';
import { createPolicyResolver } from '../src/commands/policies';
import { loadConfig } from '../src/config';
import { createLogger } from '../src/logger';
import { createVcrClient } from '../src/vcr/client';
import { createTokenProvider } from '../src/vcr/token';
import { createMemoryOperationStore } from './support/memory-operation-store';
import {
  createMemoryAuditStore,
  createMemoryCleanupRulesStore,
  createMemoryFreezeStore,
  createMemoryWatchStore,
} from './support/memory-records';
import { startSlackHarness, textOf, useLocalServices, users } from './support/slack-harness';

describe('createApp', () => {
  const services = useLocalServices();

  it('makes no network call when it is constructed, even without the bot ids configured', async () => {
    // Prepare
    const { emulator, slack } = services;
    const config = loadConfig({
      ...localBotEnv({
        emulator,
        slack,
        signingSecret: randomBytes(16).toString('hex'),
        botToken: randomBytes(16).toString('hex'),
      }),
      SLACK_BOT_ID: undefined,
      SLACK_BOT_USER_ID: undefined,
    });
    const tokens = createTokenProvider({
      iamUrl: emulator.iamUrl,
      credentials: async () => ({ clientId: emulator.clientId, clientSecret: emulator.clientSecret }),
    });
    const vcr = createVcrClient({ baseUrl: emulator.url, tokens });

    // Act
    const bot = createApp({
      config,
      credentials: config.envCredentials!,
      vcr,
      tokens,
      policies: createPolicyResolver(vcr),
      operations: createMemoryOperationStore(),
      audit: createMemoryAuditStore(),
      freeze: createMemoryFreezeStore(),
      cleanupRules: createMemoryCleanupRulesStore(),
      watch: createMemoryWatchStore(),
      dispatcher: { dispatch: async () => {} },
      logger: createLogger({ sink: () => {} }),
    });
    bot.receiver.toHandler();
    // Bolt would have started auth.test synchronously; a pause lets any such request reach the fakes.
    await new Promise((resolve) => setTimeout(resolve, 100));

    // Assess
    expect(slack.calls).toEqual([]);
    expect(emulator.requests).toEqual([]);
  });
});

describe('createApp with a user group among the operators', () => {
  it('grants the group’s role and reads the group once when two commands come within the TTL', async () => {
    // Prepare
    const h = await startSlackHarness({
      env: { VCR_OPERATORS: `${users.operator},S0OPS` },
      usergroups: { S0OPS: [users.grouped] },
    });
    try {
      // Act
      const first = await h.command('repo delete sandbox-tmp', users.grouped);
      const second = await h.command('repo delete web-frontend', users.grouped);
      await h.settle();

      // Assess
      expect(textOf(first.ack.json)).toContain('Working on');
      expect(textOf(second.ack.json)).toContain('Working on');
      expect(h.jobs.map((job) => job.actor.role)).toEqual(['operator', 'operator']);
      expect(h.callsOf('usergroups.users.list')).toEqual([{ usergroup: 'S0OPS' }]);
      expect(h.slack.calls.find((call) => call.method === 'usergroups.users.list')?.authorization).toBe(
        `Bearer ${h.botToken}`,
      );
    } finally {
      await h.close();
    }
  });
});
