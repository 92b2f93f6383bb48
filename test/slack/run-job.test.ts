import { randomBytes, randomUUID } from 'node:crypto';
import { webApi } from '@slack/bolt';
import { seedIds } from '../../local/emulator/seed';
import { createPolicyResolver } from '../../src/commands/policies';
import { loadConfig } from '../../src/config';
import type { Job } from '../../src/jobs/job';
import { createLogger } from '../../src/logger';
import { createRoleResolver } from '../../src/policy/roles';
import { createDelivery } from '../../src/slack/delivery';
import { createJobRunner } from '../../src/slack/run-job';
import { createVcrClient } from '../../src/vcr/client';
import { createTokenProvider } from '../../src/vcr/token';
import { createMemoryOperationStore } from '../support/memory-operation-store';
import {
  createMemoryAuditSink,
  createMemoryAuditStore,
  createMemoryCleanupRulesStore,
  createMemoryFreezeStore,
} from '../support/memory-records';
import {
  buttonIn,
  type SlackHarness,
  startSlackHarness,
  textOf,
  useLocalServices,
  users,
} from '../support/slack-harness';

let h: SlackHarness;

beforeAll(async () => {
  h = await startSlackHarness();
});

afterAll(async () => {
  await h.close();
});

function listJob(responseUrl?: string): Job {
  return {
    id: randomUUID(),
    kind: 'invoke',
    invocation: { command: 'repos.list', args: {} },
    actor: { userId: users.viewer, role: 'viewer', channelId: 'C0CHANNEL', teamId: 'T0TEAM' },
    requestKey: `slash:T0TEAM:${randomUUID()}`,
    ...(responseUrl ? { responseUrl } : {}),
  };
}

describe('runJob', () => {
  it('sends a new secret only by DM and says so everywhere else when a user secret is confirmed', async () => {
    // Prepare
    const { responseUrl: previewUrl } = await h.command('user secret ci-deployer', users.operator);
    await h.settle();
    const confirm = buttonIn(h.posted(previewUrl)[0]?.blocks, 'New secret for ci-deployer');
    const postsBefore = h.callsOf('chat.postMessage').length;

    // Act
    const { responseUrl } = await h.click(confirm, users.operator);
    await h.settle();

    // Assess
    const secret = h.emulator.currentSecret(seedIds.users.ciDeployer);
    expect(secret).toEqual(expect.any(String));
    const posts = h.callsOf('chat.postMessage').slice(postsBefore);
    const withSecret = posts.filter((post) => textOf(post).includes(secret!));
    expect(withSecret).toHaveLength(1);
    expect(withSecret[0]?.channel).toBe(`D${users.operator}`);
    expect(textOf(withSecret[0])).toContain('docker login vcr.vngcloud.vn -u');
    expect(textOf(withSecret[0])).toContain('shown once');
    expect(String(withSecret[0]?.text)).not.toContain(secret!);
    const answer = h.posted(responseUrl)[0];
    expect(textOf(answer)).toContain('direct message');
    expect(h.slack.responses.some((response) => textOf(response.body).includes(secret!))).toBe(false);
    expect(h.logs.some((line) => line.includes(secret!))).toBe(false);
  });

  it('keeps the secret out of every message and says the DM failed when the DM cannot be opened', async () => {
    // Prepare
    const noDm = await startSlackHarness();
    try {
      const { responseUrl: previewUrl } = await noDm.command('user secret qa-reader', users.operator);
      await noDm.settle();
      const confirm = buttonIn(noDm.posted(previewUrl)[0]?.blocks, 'New secret for qa-reader');
      noDm.slack.failMethod('conversations.open', 'cannot_dm_bot');

      // Act
      const { responseUrl } = await noDm.click(confirm, users.operator);
      await noDm.settle();

      // Assess
      const secret = noDm.emulator.currentSecret(seedIds.users.qaReader)!;
      expect(noDm.emulator.requests.filter((request) => request.path.endsWith('/refresh'))).toHaveLength(1);
      expect(textOf(noDm.posted(responseUrl)[0])).toContain('The secret was not sent:');
      expect(noDm.slack.calls.some((call) => textOf(call.body).includes(secret))).toBe(false);
      expect(noDm.slack.responses.some((response) => textOf(response.body).includes(secret))).toBe(false);
      expect(noDm.logs.some((line) => line.includes(secret))).toBe(false);
    } finally {
      await noDm.close();
    }
  });

  it('sends the answer by DM when the response_url has expired', async () => {
    // Prepare
    const url = h.slack.responseUrl();
    h.slack.expireResponseUrls();
    const postsBefore = h.callsOf('chat.postMessage').length;

    // Act
    await h.bot.runJob(listJob(url));

    // Assess
    expect(h.slack.responses.filter((response) => response.url === url)).toHaveLength(1);
    const posts = h.callsOf('chat.postMessage').slice(postsBefore);
    expect(posts).toHaveLength(1);
    expect(posts[0]?.channel).toBe(`D${users.viewer}`);
    expect(textOf(posts[0])).toContain('payments-api');
  });

  it('sends the answer by DM when the job has no response_url', async () => {
    // Prepare
    const postsBefore = h.callsOf('chat.postMessage').length;

    // Act
    await h.bot.runJob(listJob());

    // Assess
    const posts = h.callsOf('chat.postMessage').slice(postsBefore);
    expect(posts.map((post) => post.channel)).toEqual([`D${users.viewer}`]);
  });

  it('resolves and logs with a reference when neither the response_url nor the DM can be delivered', async () => {
    // Prepare
    const quiet = await startSlackHarness();
    try {
      quiet.slack.failMethod('conversations.open', 'cannot_dm_bot');
      const url = quiet.slack.responseUrl();
      quiet.slack.expireResponseUrls();

      // Act
      await quiet.bot.runJob(listJob(url));

      // Assess
      const line = quiet.logs.find((entry) => entry.includes('Could not deliver a reply by DM either'));
      expect(line && JSON.parse(line)).toMatchObject({ level: 'error', ref: expect.stringMatching(/^[0-9a-f]{8}$/) });
    } finally {
      await quiet.close();
    }
  });
});

describe('runJob when vCR rejects the bot credentials', () => {
  const services = useLocalServices();

  it('says the credentials were rejected, with a reference that is logged, when IAM refuses them', async () => {
    // Prepare
    const { emulator, slack } = services;
    const logs: string[] = [];
    const logger = createLogger({ sink: (line) => logs.push(line) });
    const config = loadConfig({
      SLACK_SIGNING_SECRET: randomBytes(16).toString('hex'),
      SLACK_BOT_TOKEN: randomBytes(16).toString('hex'),
      VCR_CLIENT_ID: emulator.clientId,
      VCR_CLIENT_SECRET: randomBytes(16).toString('hex'),
      SLACK_API_URL: slack.url,
      VCR_VIEWERS: users.viewer,
    });
    const tokens = createTokenProvider({
      iamUrl: emulator.iamUrl,
      credentials: async () => ({ clientId: emulator.clientId, clientSecret: config.envCredentials?.vcrClientSecret }),
    });
    const vcr = createVcrClient({ baseUrl: emulator.url, tokens, backoffMs: 1 });
    const client = new webApi.WebClient(config.envCredentials?.slackBotToken, { slackApiUrl: slack.url });
    const auditLog = createMemoryAuditStore();
    const freezeStore = createMemoryFreezeStore();
    const runJob = createJobRunner({
      config,
      vcr,
      tokens,
      policies: createPolicyResolver(vcr),
      operations: createMemoryOperationStore(),
      audit: createMemoryAuditSink(auditLog),
      auditLog,
      freeze: { current: () => freezeStore.read() },
      freezeStore,
      cleanupRules: createMemoryCleanupRulesStore(),
      roles: createRoleResolver({ roles: config.roles, groupMembers: async () => [], ttlMs: 60_000 }),
      delivery: createDelivery({ client, logger }),
      slack: client,
      logger,
    });
    const responseUrl = slack.responseUrl();

    // Act
    await runJob(listJob(responseUrl));

    // Assess
    const text = textOf(slack.responses.find((response) => response.url === responseUrl)?.body);
    expect(text).toContain('vCR credentials were rejected');
    const ref = /ref `([0-9a-f]{8})`/.exec(text)?.[1];
    const line = logs.find((entry) => entry.includes(`"ref":"${ref}"`));
    expect(line && JSON.parse(line)).toMatchObject({ level: 'error', error: { name: 'IamAuthError' } });
  });
});
