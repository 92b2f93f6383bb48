/**
 * The whole bot behind its Lambda entries (`createHandlers`), with every edge real and local: the vCR emulator,
 * dynalite for the state table, the fake Slack Web API (which also serves response_urls), the fake Secrets Manager
 * holding the credentials under SECRET_ID, and, in lambda job mode, the fake Lambda Invoke endpoint.
 */
import { randomBytes } from 'node:crypto';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { startVcrEmulator, type VcrEmulator } from '../../local/emulator/vcr-emulator';
import { type LocalDynamo, localAwsCredentials, startLocalDynamo } from '../../local/fakes/dynamodb';
import { type FakeLambda, startFakeLambda } from '../../local/fakes/lambda';
import { type FakeSecretsManager, startFakeSecretsManager } from '../../local/fakes/secrets-manager';
import { type FakeSlack, startFakeSlack } from '../../local/fakes/slack-api';
import { createHandlers, type Handlers } from '../../src/handler';
import type { Job } from '../../src/jobs/job';
import {
  buttonsIn,
  createSlackDriver,
  type FoundButton,
  readAnswer,
  type SlackAnswer,
  type SlackDriver,
  testUsers,
} from './slack-requests';

/** Slack users of the harness: one per role, one in a user group of viewers, and one with no role. */
export const e2eUsers = testUsers;

/** The user group whose members are viewers. */
export const e2eViewerGroup = 'S0VIEWERS';

/** The Secrets Manager secret id the harness stores the credentials under. */
export const e2eSecretId = 'vcr-chatops/e2e';

/** The credentials the harness generated for this run; only the scan for leaks should read them. */
export interface E2eSecrets {
  signingSecret: string;
  botToken: string;
  vcrClientSecret: string;
}

/** A running harness; `close()` it in afterAll, or let `useE2eHarness` do it. */
export interface E2eHarness extends SlackDriver {
  handlers: Handlers;
  emulator: VcrEmulator;
  slack: FakeSlack;
  secretsManager: FakeSecretsManager;
  dynamo: LocalDynamo;
  /** Present in lambda job mode. */
  lambda?: FakeLambda;
  secrets: E2eSecrets;
  /** Every log line written by the bot. */
  logs: string[];
  /** Sends one API Gateway event to the HTTP entry. */
  send(event: APIGatewayProxyEventV2): Promise<SlackAnswer>;
  /** Waits until every job (and any job those started) has finished. */
  settle(): Promise<void>;
  /** Runs `/vcr <text>` as `userId`, waits for its job and returns the last reply posted to its response_url. */
  reply(text: string, userId: string): Promise<Record<string, unknown>>;
  close(): Promise<void>;
}

/** Options of `startE2eHarness`. */
export interface E2eHarnessOptions {
  /** Jobs in-process (default), or through the fake Lambda and the worker entry. */
  jobMode?: 'inline' | 'lambda';
  /** Delay added by the emulator to every vCR and IAM answer. */
  vcrLatencyMs?: number;
  /** Extra or replaced environment variables. */
  env?: Record<string, string>;
  /** The bot's clock (secret TTL, token expiry, pending expiry); the real one by default. */
  now?: () => number;
}

const table = 'vcr-chatops-e2e-state';
const workerName = 'vcr-chatops-e2e-worker';

/** Starts every local service and the handler entries wired to them. */
export async function startE2eHarness(options: E2eHarnessOptions = {}): Promise<E2eHarness> {
  const secrets: E2eSecrets = {
    signingSecret: randomBytes(32).toString('hex'),
    botToken: `e2e-${randomBytes(24).toString('hex')}`,
    vcrClientSecret: randomBytes(24).toString('base64url'),
  };
  const vcrClientId = `e2e-client-${randomBytes(4).toString('hex')}`;
  const emulator = await startVcrEmulator({
    port: 0,
    clientId: vcrClientId,
    clientSecret: secrets.vcrClientSecret,
    latencyMs: options.vcrLatencyMs,
  });
  const slack = await startFakeSlack({ usergroups: { [e2eViewerGroup]: [e2eUsers.grouped] } });
  const secretsManager = await startFakeSecretsManager({
    secrets: {
      [e2eSecretId]: JSON.stringify({
        slackSigningSecret: secrets.signingSecret,
        slackBotToken: secrets.botToken,
        vcrClientId,
        vcrClientSecret: secrets.vcrClientSecret,
      }),
    },
  });
  const dynamo = await startLocalDynamo({ tables: [table] });

  const lambdaJobs: Promise<void>[] = [];
  let handlers: Handlers | undefined;
  const lambda =
    options.jobMode === 'lambda'
      ? await startFakeLambda({
          functions: [workerName],
          onInvoke: (invocation) => {
            // What Lambda's async queue does: hand the JSON payload to the worker entry.
            const job = handlers!.worker(invocation.payload as Job);
            lambdaJobs.push(job);
            return job;
          },
        })
      : undefined;

  const logs: string[] = [];
  handlers = createHandlers(
    {
      SECRET_ID: e2eSecretId,
      AWS_REGION: 'us-east-1',
      AWS_ENDPOINT_URL_SECRETS_MANAGER: secretsManager.url,
      AWS_ENDPOINT_URL_DYNAMODB: dynamo.url,
      ...(lambda ? { AWS_ENDPOINT_URL_LAMBDA: lambda.url, WORKER_FUNCTION_NAME: workerName } : {}),
      JOB_MODE: options.jobMode ?? 'inline',
      STATE_TABLE: table,
      VCR_API_URL: emulator.url,
      VCR_IAM_URL: emulator.iamUrl,
      SLACK_API_URL: slack.url,
      SLACK_TEAM_ID: 'T0TEAM',
      SLACK_BOT_ID: slack.botId,
      SLACK_BOT_USER_ID: slack.botUserId,
      VCR_VIEWERS: `${e2eUsers.viewer},${e2eViewerGroup}`,
      VCR_OPERATORS: e2eUsers.operator,
      VCR_ADMINS: e2eUsers.admin,
      LOG_LEVEL: 'debug',
      ...options.env,
    },
    { logSink: (line) => logs.push(line), awsCredentials: localAwsCredentials, now: options.now },
  );
  const entries = handlers;

  const send = async (event: APIGatewayProxyEventV2): Promise<SlackAnswer> => {
    const answer = await entries.http(event);
    return readAnswer(answer.statusCode, answer.body);
  };

  const settle = async () => {
    await entries.idle();
    while (lambdaJobs.length > 0) {
      await Promise.all(lambdaJobs.splice(0));
      await entries.idle();
    }
  };

  const driver = createSlackDriver({ send, slack, signingSecret: secrets.signingSecret });

  return {
    ...driver,
    handlers: entries,
    emulator,
    slack,
    secretsManager,
    dynamo,
    lambda,
    secrets,
    logs,
    send,
    settle,
    async reply(text, userId) {
      const { ack, responseUrl } = await driver.command(text, userId);
      if (ack.statusCode !== 200) throw new Error(`/vcr ${text} was answered ${ack.statusCode}`);
      await settle();
      const replies = driver.posted(responseUrl);
      const last = replies.at(-1);
      if (!last) throw new Error(`/vcr ${text} got no reply; its ack was ${ack.text}`);
      return last;
    },
    async close() {
      await settle();
      await Promise.all([emulator.close(), slack.close(), secretsManager.close(), dynamo.close(), lambda?.close()]);
    },
  };
}

/**
 * Starts a harness before the tests of the enclosing file and closes it after them, once no log line holds a
 * generated secret; after each test it clears the Slack failures and vCR faults that test injected. The returned
 * object is filled in before the first test runs.
 */
export function useE2eHarness(options: E2eHarnessOptions = {}): E2eHarness {
  const harness = {} as E2eHarness;
  beforeAll(async () => {
    Object.assign(harness, await startE2eHarness(options));
  });
  afterEach(() => {
    harness.slack.clearFailures();
    harness.emulator.clearFaults();
  });
  afterAll(async () => {
    expect(leakedSecrets(harness)).toEqual([]);
    await harness.close();
  });
  return harness;
}

/** The button labelled `label` in a message; throws naming the labels present when there is none. */
export function buttonIn(message: Record<string, unknown> | undefined, label: string): FoundButton {
  const buttons = buttonsIn(message?.blocks);
  const found = buttons.find((button) => button.text.text === label || button.text.text.startsWith(`${label} `));
  if (!found) throw new Error(`No button "${label}"; found ${buttons.map((button) => button.text.text).join(', ')}`);
  return found;
}

/** All the text a user reads in a message (top-level text and every block), as one string. */
export function readableText(message: Record<string, unknown> | undefined): string {
  const parts: string[] = [];
  const visit = (value: unknown) => {
    if (typeof value === 'string') return;
    if (Array.isArray(value)) return value.forEach(visit);
    if (value && typeof value === 'object') {
      for (const [key, child] of Object.entries(value)) {
        if (key === 'text' && typeof child === 'string') parts.push(child);
        else visit(child);
      }
    }
  };
  visit(message ?? {});
  return parts.join('\n');
}

/** A value typed into a modal field: text or number as text, a select's option value, option values, or a tick. */
export type FormAnswer = string | string[] | boolean;

/**
 * Builds a modal's `state.values` as Slack reports them on submit: `answers` by field name, and for the other
 * inputs their initial values (Slack reports those too).
 */
export function formState(
  view: Record<string, unknown>,
  answers: Record<string, FormAnswer>,
): Record<string, Record<string, Record<string, unknown>>> {
  const values: Record<string, Record<string, Record<string, unknown>>> = {};
  for (const block of (view.blocks as Record<string, unknown>[] | undefined) ?? []) {
    if (block.type !== 'input') continue;
    const blockId = String(block.block_id);
    const element = block.element as Record<string, unknown>;
    const type = String(element.type);
    const answer = answers[blockId.replace(/^field:/, '')];
    const option = (value: string) => ({ text: { type: 'plain_text', text: value }, value });
    let state: Record<string, unknown>;
    switch (type) {
      case 'checkboxes':
        state = {
          type,
          selected_options:
            answer === undefined ? (element.initial_options ?? []) : answer === true ? element.options : [],
        };
        break;
      case 'static_select':
      case 'external_select':
        state = {
          type,
          selected_option: answer === undefined ? (element.initial_option ?? null) : option(String(answer)),
        };
        break;
      case 'multi_static_select':
      case 'multi_external_select':
        state = {
          type,
          selected_options: answer === undefined ? (element.initial_options ?? []) : (answer as string[]).map(option),
        };
        break;
      default:
        state = { type, value: answer === undefined ? (element.initial_value ?? null) : String(answer) };
    }
    values[blockId] = { [String(element.action_id)]: state };
  }
  return values;
}

/** Names the generated credentials and robot secrets that appear in the bot's log lines (none, if all is well). */
export function leakedSecrets(harness: E2eHarness): string[] {
  const logs = harness.logs.join('\n');
  const known: [string, string | undefined][] = [
    ['signing secret', harness.secrets.signingSecret],
    ['bot token', harness.secrets.botToken],
    ['vCR client secret', harness.secrets.vcrClientSecret],
    ...harness.emulator.state.users.map((user): [string, string | undefined] => [
      `secret of ${user.name}`,
      harness.emulator.currentSecret(user.uuid),
    ]),
  ];
  return known.filter(([, value]) => value !== undefined && logs.includes(value)).map(([name]) => name);
}
