/**
 * Drives the real Bolt app through its Lambda receiver with signed API Gateway events, against the vCR emulator and
 * the fake Slack; jobs run in-process through an inline dispatcher that records them.
 */
import { randomBytes } from 'node:crypto';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { startVcrEmulator, type VcrEmulator } from '../../local/emulator/vcr-emulator';
import { type FakeSlack, startFakeSlack } from '../../local/fakes/slack-api';
import { type BotApp, createApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import type { Job, JobDispatcher } from '../../src/jobs/job';
import { createLogger } from '../../src/logger';
import type { PendingStore } from '../../src/store/pending-store';
import { createVcrClient, type VcrClient } from '../../src/vcr/client';
import { createPolicyResolver } from '../../src/vcr/policies';
import { createTokenProvider } from '../../src/vcr/token';
import { createMemoryPendingStore } from '../support/memory-pending-store';
import {
  blockActionsBody,
  blockSuggestionBody,
  signedEvent,
  slashCommandBody,
  viewSubmissionBody,
} from '../support/slack-requests';

/** Slack users of the harness, one per role, and one with none. */
export const users = {
  viewer: 'U0VIEWER',
  operator: 'U0OPERATOR',
  admin: 'U0ADMIN',
  grouped: 'U0GROUPED',
  outsider: 'U0OUTSIDER',
} as const;

/** What the receiver answered, with the body parsed when it is JSON. */
export interface HttpAnswer {
  statusCode: number;
  text: string;
  json?: Record<string, unknown>;
}

/** A rendered button, as found in blocks the bot sent. */
export interface FoundButton {
  action_id: string;
  value?: string;
  text: { text: string };
  style?: string;
  confirm?: Record<string, unknown>;
}

/** A running harness; call `close()` in afterAll. */
export interface SlackHarness {
  emulator: VcrEmulator;
  slack: FakeSlack;
  bot: BotApp;
  /** A vCR client on the emulator, for preparing state. */
  vcr: VcrClient;
  logs: string[];
  jobs: Job[];
  signingSecret: string;
  botToken: string;
  pending: PendingStore;
  /** Sends an already built event to the receiver. */
  send(event: APIGatewayProxyEventV2): Promise<HttpAnswer>;
  /** Types `/vcr <text>` as `userId`; resolves with the ack and the response_url used. */
  command(
    text: string,
    userId: string,
    options?: { channelId?: string; teamId?: string; base64?: boolean },
  ): Promise<{
    ack: HttpAnswer;
    responseUrl: string;
  }>;
  /** Clicks `button` as `userId`. */
  click(button: FoundButton, userId: string, responseUrl?: string): Promise<{ ack: HttpAnswer; responseUrl: string }>;
  /** Submits a modal the bot opened (`view` as sent to views.open) with `values` keyed by block id. */
  submit(
    view: Record<string, unknown>,
    userId: string,
    values: Record<string, Record<string, Record<string, unknown>>>,
  ): Promise<HttpAnswer>;
  /** Sends an options request for the repository picker. */
  suggest(userId: string, value: string): Promise<HttpAnswer>;
  /** Log lines that show a listener acked twice, never acked, or threw into Bolt. */
  ackProblems(): string[];
  /** Waits until every dispatched job, including ones dispatched meanwhile, has finished. */
  settle(): Promise<void>;
  /** The bodies posted to one response_url. */
  posted(responseUrl: string): Record<string, unknown>[];
  /** Web API calls of one method. */
  callsOf(method: string): Record<string, unknown>[];
  close(): Promise<void>;
}

/** Options of `startSlackHarness`. */
export interface SlackHarnessOptions {
  env?: Record<string, string>;
  usergroups?: Record<string, string[]>;
  pending?: PendingStore;
  /** Wraps the inline dispatcher, e.g. to make dispatch fail. */
  dispatcher?: (inline: JobDispatcher) => JobDispatcher;
}

/** Starts the emulator, the fake Slack and the app wired to both. */
export async function startSlackHarness(options: SlackHarnessOptions = {}): Promise<SlackHarness> {
  const emulator = await startVcrEmulator({ port: 0 });
  const slack = await startFakeSlack({ usergroups: options.usergroups });
  const signingSecret = randomBytes(16).toString('hex');
  const botToken = randomBytes(24).toString('hex');
  const config = loadConfig({
    SLACK_SIGNING_SECRET: signingSecret,
    SLACK_BOT_TOKEN: botToken,
    VCR_CLIENT_ID: emulator.clientId,
    VCR_CLIENT_SECRET: emulator.clientSecret,
    VCR_API_URL: emulator.url,
    VCR_IAM_URL: emulator.iamUrl,
    SLACK_API_URL: slack.url,
    SLACK_TEAM_ID: 'T0TEAM',
    SLACK_BOT_ID: 'B0FAKEBOT',
    SLACK_BOT_USER_ID: 'U0FAKEBOT',
    VCR_VIEWERS: `${users.viewer},${users.grouped}`,
    VCR_OPERATORS: users.operator,
    VCR_ADMINS: users.admin,
    VCR_NOTIFY_CHANNEL: 'C0NOTIFY',
    LOG_LEVEL: 'debug',
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
  const pending = options.pending ?? createMemoryPendingStore();
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
    pending,
    dispatcher: options.dispatcher ? options.dispatcher(inline) : inline,
    logger,
  });
  const handle = bot.receiver.toHandler();

  const send = async (event: APIGatewayProxyEventV2): Promise<HttpAnswer> => {
    // The receiver reads only the fields API Gateway v2 sets; the Lambda context is unused.
    const answer = await handle(event as unknown as Parameters<typeof handle>[0], {});
    let json: Record<string, unknown> | undefined;
    try {
      json = answer.body ? (JSON.parse(answer.body) as Record<string, unknown>) : undefined;
    } catch {
      json = undefined;
    }
    return { statusCode: answer.statusCode, text: answer.body, json };
  };

  return {
    emulator,
    slack,
    bot,
    vcr,
    logs,
    jobs,
    signingSecret,
    botToken,
    pending,
    send,
    async command(text, userId, commandOptions = {}) {
      const responseUrl = slack.responseUrl();
      const body = slashCommandBody({
        text,
        userId,
        responseUrl,
        channelId: commandOptions.channelId,
        teamId: commandOptions.teamId,
      });
      const ack = await send(signedEvent(body, signingSecret, { base64: commandOptions.base64 }));
      return { ack, responseUrl };
    },
    async click(button, userId, responseUrl = slack.responseUrl()) {
      const body = blockActionsBody({ userId, responseUrl, button });
      const ack = await send(signedEvent(body, signingSecret, { base64: true }));
      return { ack, responseUrl };
    },
    submit(view, userId, values) {
      const body = viewSubmissionBody({
        userId,
        view: {
          callback_id: String(view.callback_id),
          private_metadata: String(view.private_metadata ?? ''),
          blocks: view.blocks as unknown[],
        },
        values,
      });
      return send(signedEvent(body, signingSecret, { base64: true }));
    },
    suggest(userId, value) {
      const body = blockSuggestionBody({ userId, actionId: 'vcr.pick.repositories', blockId: 'field:repos', value });
      return send(signedEvent(body, signingSecret, { base64: true }));
    },
    ackProblems() {
      return logs.filter((line) => /MultipleAck|not acknowledged|unhandled error|could not run a listener/i.test(line));
    },
    async settle() {
      while (running.length > 0) await Promise.all(running.splice(0));
    },
    posted(responseUrl) {
      return slack.responses.filter((response) => response.url === responseUrl).map((response) => response.body);
    },
    callsOf(method) {
      return slack.calls.filter((call) => call.method === method).map((call) => call.body);
    },
    async close() {
      await Promise.all([emulator.close(), slack.close()]);
    },
  };
}

/** Every button in `blocks`, in order (accessories and actions blocks). */
export function buttonsIn(blocks: unknown): FoundButton[] {
  const found: FoundButton[] = [];
  for (const block of (blocks as Record<string, unknown>[] | undefined) ?? []) {
    const accessory = block.accessory as FoundButton & { type?: string };
    if (accessory?.type === 'button') found.push(accessory);
    if (block.type === 'actions') {
      for (const element of block.elements as (FoundButton & { type: string })[]) {
        if (element.type === 'button') found.push(element);
      }
    }
  }
  return found;
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
