/**
 * Drives the real Bolt app through its Lambda receiver with signed API Gateway events, against the vCR emulator and
 * the fake Slack; jobs run in-process through an inline dispatcher that records them.
 */
import { randomBytes } from 'node:crypto';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { startVcrEmulator, type VcrEmulator } from '../../local/emulator/vcr-emulator';
import { type FakeSlack, startFakeSlack } from '../../local/fakes/slack-api';
import { localBotEnv } from '../../local/local-bot-env';
import { type BotApp, createApp } from '../../src/app';
import { createPolicyResolver } from '../../src/commands/policies';
import { loadConfig } from '../../src/config';
import type { Job, JobDispatcher } from '../../src/jobs/job';
import { createLogger } from '../../src/logger';
import type { FreezeStore } from '../../src/store/freeze-store';
import type { OperationStore } from '../../src/store/operation-store';
import { createVcrClient, type VcrClient } from '../../src/vcr/client';
import { createTokenProvider } from '../../src/vcr/token';
import { createMemoryOperationStore } from './memory-operation-store';
import {
  createMemoryAuditStore,
  createMemoryCleanupRulesStore,
  createMemoryFreezeStore,
  createMemoryWatchStore,
} from './memory-records';
import {
  buttonsIn,
  createSlackDriver,
  type FoundButton,
  readAnswer,
  type SlackAnswer,
  type SlackDriver,
  testUsers,
} from './slack-requests';
import { type SlowSlackProxy, startSlowSlackProxy } from './slow-slack-proxy';

/** Slack users of the harness: a viewer (also `grouped`), an operator, an admin, and one with no role. */
export const users = testUsers;

/** A running harness; call `close()` in afterAll, or let `useSlackHarness` do it. */
export interface SlackHarness extends SlackDriver {
  emulator: VcrEmulator;
  slack: FakeSlack;
  /** The proxy the bot reaches Slack's Web API through, when `slowSlack` was asked for. */
  slackProxy?: SlowSlackProxy;
  bot: BotApp;
  /** A vCR client on the emulator, for preparing state. */
  vcr: VcrClient;
  logs: string[];
  jobs: Job[];
  signingSecret: string;
  botToken: string;
  operations: OperationStore;
  /** Sends an already built event to the receiver. */
  send(event: APIGatewayProxyEventV2): Promise<SlackAnswer>;
  /** Log lines that show a listener acked twice, never acked, or threw into Bolt. */
  ackProblems(): string[];
  /** Waits until every dispatched job, including ones dispatched meanwhile, has finished. */
  settle(): Promise<void>;
  close(): Promise<void>;
}

/** Options of `startSlackHarness`. */
export interface SlackHarnessOptions {
  env?: Record<string, string>;
  /** The freeze setting; an in-memory one by default. */
  freeze?: FreezeStore;
  usergroups?: Record<string, string[]>;
  operations?: OperationStore;
  /** Wraps the inline dispatcher, e.g. to make dispatch fail. */
  dispatcher?: (inline: JobDispatcher) => JobDispatcher;
  /** The time budget of each request's HTTP phase; the app's default (2.5 s) when absent. */
  httpBudgetMs?: number;
  /** Sends the bot's Web API calls through a proxy that can hold methods back (`slackProxy.delay`). */
  slowSlack?: boolean;
}

/** Starts the emulator, the fake Slack and the app wired to both. */
export async function startSlackHarness(options: SlackHarnessOptions = {}): Promise<SlackHarness> {
  const emulator = await startVcrEmulator({ port: 0 });
  const slack = await startFakeSlack({ usergroups: options.usergroups });
  const slackProxy = options.slowSlack ? await startSlowSlackProxy(slack.url) : undefined;
  const signingSecret = randomBytes(16).toString('hex');
  const botToken = randomBytes(24).toString('hex');
  const config = loadConfig({
    ...localBotEnv({ emulator, slack, signingSecret, botToken }),
    ...(slackProxy ? { SLACK_API_URL: slackProxy.url } : {}),
    SLACK_TEAM_ID: 'T0TEAM',
    VCR_VIEWERS: `${users.viewer},${users.grouped}`,
    VCR_OPERATORS: users.operator,
    VCR_ADMINS: users.admin,
    VCR_NOTIFY_CHANNEL: 'C0NOTIFY',
    LOG_LEVEL: 'debug',
    // The single-person flow; test/e2e/approvals.test.ts covers approvals.
    VCR_APPROVAL_REQUIRED: 'none',
    ...options.env,
  });
  const logs: string[] = [];
  const logger = createLogger({ level: 'debug', sink: (line) => logs.push(line) });
  const credentials = config.envCredentials!;
  logger.addSecret(credentials.slackBotToken);
  logger.addSecret(credentials.slackSigningSecret);
  const tokens = createTokenProvider({
    iamUrl: emulator.iamUrl,
    credentials: async () => ({ clientId: emulator.clientId, clientSecret: emulator.clientSecret }),
    logger,
  });
  const vcr = createVcrClient({ baseUrl: emulator.url, tokens, timeoutMs: 5000, backoffMs: 1, logger });
  const operations = options.operations ?? createMemoryOperationStore();
  const jobs: Job[] = [];
  const running: Promise<void>[] = [];
  let bot: BotApp | undefined;
  const inline: JobDispatcher = {
    dispatch: async (job) => {
      jobs.push(job);
      running.push(bot!.runJob(job));
    },
  };
  bot = createApp({
    config,
    credentials,
    vcr,
    tokens,
    policies: createPolicyResolver(vcr),
    operations,
    audit: createMemoryAuditStore(),
    freeze: options.freeze ?? createMemoryFreezeStore(),
    cleanupRules: createMemoryCleanupRulesStore(),
    watch: createMemoryWatchStore(),
    dispatcher: options.dispatcher ? options.dispatcher(inline) : inline,
    logger,
    httpBudgetMs: options.httpBudgetMs,
  });
  const handle = bot.receiver.toHandler();

  const send = async (event: APIGatewayProxyEventV2): Promise<SlackAnswer> => {
    // The receiver reads only the fields API Gateway v2 sets; the Lambda context is unused.
    const answer = await handle(event as unknown as Parameters<typeof handle>[0], {});
    return readAnswer(answer.statusCode, answer.body);
  };

  return {
    ...createSlackDriver({ send, slack, signingSecret }),
    emulator,
    slack,
    slackProxy,
    bot,
    vcr,
    logs,
    jobs,
    signingSecret,
    botToken,
    operations,
    send,
    ackProblems() {
      return logs.filter((line) => /MultipleAck|not acknowledged|unhandled error|could not run a listener/i.test(line));
    },
    async settle() {
      while (running.length > 0) await Promise.all(running.splice(0));
    },
    async close() {
      await Promise.all([emulator.close(), slack.close(), slackProxy?.close()]);
    },
  };
}

/**
 * Starts a harness before the tests of the enclosing file or block and closes it after them; after each test it
 * checks that every listener acked once, and clears the faults and failures that test injected. The returned object
 * is filled in before the first test runs.
 */
export function useSlackHarness(options: SlackHarnessOptions = {}): SlackHarness {
  const harness = {} as SlackHarness;
  beforeAll(async () => {
    Object.assign(harness, await startSlackHarness(options));
  });
  afterEach(() => {
    expect(harness.ackProblems()).toEqual([]);
    harness.emulator.clearFaults();
    harness.slack.clearFailures();
    harness.slackProxy?.clear();
  });
  afterAll(async () => {
    await harness.close();
  });
  return harness;
}

/**
 * Starts the vCR emulator and the fake Slack before the tests of the enclosing block and closes them after, for tests
 * that wire the app themselves. The returned object is filled in before the first test runs.
 */
export function useLocalServices(): { emulator: VcrEmulator; slack: FakeSlack } {
  const services = {} as { emulator: VcrEmulator; slack: FakeSlack };
  beforeAll(async () => {
    services.emulator = await startVcrEmulator({ port: 0 });
    services.slack = await startFakeSlack();
  });
  afterAll(async () => {
    await Promise.all([services.emulator?.close(), services.slack?.close()]);
  });
  return services;
}

/** The button labelled `label` in `blocks`; throws naming the labels present when there is none. */
export function buttonIn(blocks: unknown, label: string): FoundButton {
  const buttons = buttonsIn(blocks);
  const found = buttons.find((button) => button.text.text === label);
  if (!found) throw new Error(`No button "${label}"; found ${buttons.map((button) => button.text.text).join(', ')}`);
  return found;
}

/** All the text of a message body (top-level text and every block), for assertions on what a user reads. */
export function textOf(message: Record<string, unknown> | undefined): string {
  return JSON.stringify(message ?? {});
}
