/**
 * The whole bot behind its Lambda entries (`createHandlers`), with every edge real and local: the vCR emulator,
 * dynalite for the state table, the fake Slack Web API (which also serves response_urls), the fake Secrets Manager
 * holding the credentials under SECRET_ID, and, in lambda job mode, the fake Lambda Invoke endpoint.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash, randomBytes } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { LambdaClient } from '@aws-sdk/client-lambda';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import crossFetch from 'cross-fetch';
import { type RecordedRequest, startVcrEmulator, type VcrEmulator } from '../../local/emulator/vcr-emulator';
import { type LocalDynamo, localAwsCredentials, startLocalDynamo } from '../../local/fakes/dynamodb';
import { type DynamoFaultProxy, startDynamoFaultProxy } from '../../local/fakes/dynamodb-fault-proxy';
import { type FakeLambda, startFakeLambda } from '../../local/fakes/lambda';
import { type FakeSecretsManager, startFakeSecretsManager } from '../../local/fakes/secrets-manager';
import { type FakeSlack, startFakeSlack } from '../../local/fakes/slack-api';
import type { WatchPassResult } from '../../src/commands/watch/watch-pass';
import { createHandlers, type Handlers } from '../../src/handler';
import type { Job } from '../../src/jobs/job';
import { fieldNameOf } from '../../src/slack/ids';
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

/** One request the bot sent to the emulator (vCR or IAM), as the bot saw it. */
export interface VcrExchange {
  method: string;
  /** The decoded path, as the emulator records it. */
  path: string;
  /** True once the emulator's answer has reached the bot. */
  answered: boolean;
}

/** A Lambda entry of the bot, as serverless.yml names its function. */
export type EntryName = 'http' | 'worker' | 'failedJobs' | 'schedule';

/** One AWS call the bot made, with the entry it made it in: the function whose role AWS checks it against. */
export interface AwsCall {
  entry: EntryName | undefined;
  /** The SDK client's name, e.g. `DynamoDBClient`. */
  client: string;
  /** The operation, e.g. `GetItem`, `Query`, `Invoke`. */
  operation: string;
  /** The request as sent, in DynamoDB JSON for DynamoDB (`{ Key: { pk: { S: 'op#…' } } }`). */
  input: Record<string, unknown>;
}

/** A running harness; `close()` it in afterAll, or let `useE2eHarness` do it. */
export interface E2eHarness extends SlackDriver {
  handlers: Handlers;
  emulator: VcrEmulator;
  /** Every request the bot sent to the emulator, in order, and whether its answer has arrived yet. */
  vcrExchanges: VcrExchange[];
  slack: FakeSlack;
  secretsManager: FakeSecretsManager;
  dynamo: LocalDynamo;
  /** The records table the bot uses in `dynamo`. */
  table: string;
  /** The fault proxy the bot reaches dynalite through, when `dynamoFaults` was asked for. */
  dynamoProxy?: DynamoFaultProxy;
  /** Present in lambda job mode. */
  lambda?: FakeLambda;
  /** With `recordAwsCalls`: every DynamoDB and Lambda call the bot made, in order, tagged with its entry. */
  awsCalls: AwsCall[];
  secrets: E2eSecrets;
  /** Every log line written by the bot. */
  logs: string[];
  /** Sends one API Gateway event to the HTTP entry. */
  send(event: APIGatewayProxyEventV2): Promise<SlackAnswer>;
  /** Waits until every job (and any job those started) has finished. */
  settle(): Promise<void>;
  /**
   * Runs `/vcr <text>` as `userId`, waits for its job and returns the last reply posted to its response_url (a post
   * that only deletes the working line is not one).
   */
  reply(text: string, userId: string): Promise<Record<string, unknown>>;
  /**
   * Runs one watcher pass through the schedule entry, as EventBridge does; `remainingMs` is what Lambda's context says
   * is left (none: a local pass with its full budget).
   */
  schedule(options?: { remainingMs?: number }): Promise<WatchPassResult>;
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
  /** The bot's clock (secret TTL, token expiry, operation expiry); the real one by default. */
  now?: () => number;
  /** With `jobMode: 'lambda'`: the time Lambda's context says the worker has left, as if it started near its limit. */
  workerRemainingMs?: number;
  /** Puts a DynamoDB fault proxy between the bot and dynalite, so a test can drop or reset the bot's table calls. */
  dynamoFaults?: boolean;
  /**
   * Records every DynamoDB and Lambda call the bot makes in `awsCalls`, with the entry it runs in (use
   * `jobMode: 'lambda'`, so that jobs run in the worker entry as in AWS, not inside the HTTP entry).
   */
  recordAwsCalls?: boolean;
  /** More user groups of the fake Slack, beside the group of viewers. */
  usergroups?: Record<string, string[]>;
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
  const slack = await startFakeSlack({ usergroups: { [e2eViewerGroup]: [e2eUsers.grouped], ...options.usergroups } });
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
  const dynamoProxy = options.dynamoFaults ? await startDynamoFaultProxy({ targetUrl: dynamo.url }) : undefined;

  const lambdaJobs: Promise<void>[] = [];
  let handlers: Handlers | undefined;
  const lambda =
    options.jobMode === 'lambda'
      ? await startFakeLambda({
          functions: [workerName],
          onInvoke: (invocation) => {
            // What Lambda's async queue does: hand the JSON payload to the worker entry.
            const remaining = options.workerRemainingMs;
            const context = remaining === undefined ? undefined : { getRemainingTimeInMillis: () => remaining };
            const job = handlers!.worker(invocation.payload as Job, context);
            lambdaJobs.push(job);
            return job;
          },
        })
      : undefined;

  // The bot's own fetch (cross-fetch), watched on the way to the emulator so a test can tell a sent request that vCR
  // has not answered yet from one it has; everything else passes untouched.
  const vcrExchanges: VcrExchange[] = [];
  const emulatorOrigin = new URL(emulator.url).origin;
  const fetch = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(input instanceof Request ? input.url : input);
    if (url.origin !== emulatorOrigin) return crossFetch(input, init);
    const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
    const exchange: VcrExchange = { method, path: decodeURIComponent(url.pathname), answered: false };
    vcrExchanges.push(exchange);
    const response = await crossFetch(input, init);
    exchange.answered = true;
    return response;
  }) as typeof globalThis.fetch;

  // Each entry runs in a scope naming it, so an AWS call made anywhere below it is told apart by the role it runs as.
  const entryScope = new AsyncLocalStorage<EntryName>();
  const awsCalls: AwsCall[] = [];
  const recorded = <C extends DynamoDBClient | LambdaClient>(client: C): C => {
    // The build step sees the request as sent: after the document client has marshalled it.
    client.middlewareStack.add(
      (next, context) => async (args) => {
        awsCalls.push({
          entry: entryScope.getStore(),
          client: String(context.clientName),
          operation: String(context.commandName).replace(/Command$/, ''),
          input: structuredClone(args.input as Record<string, unknown>),
        });
        return next(args);
      },
      { step: 'build', name: 'e2eRecordAwsCall' },
    );
    return client;
  };
  const awsOf = (endpoint: string) => ({ region: 'us-east-1', endpoint, credentials: localAwsCredentials });
  const awsClients = options.recordAwsCalls
    ? {
        dynamodb: recorded(new DynamoDBClient(awsOf(dynamoProxy?.url ?? dynamo.url))),
        ...(lambda ? { lambda: recorded(new LambdaClient({ ...awsOf(lambda.url), maxAttempts: 1 })) } : {}),
      }
    : undefined;

  const logs: string[] = [];
  const raw = createHandlers(
    {
      SECRET_ID: e2eSecretId,
      AWS_REGION: 'us-east-1',
      AWS_ENDPOINT_URL_SECRETS_MANAGER: secretsManager.url,
      AWS_ENDPOINT_URL_DYNAMODB: dynamoProxy?.url ?? dynamo.url,
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
      // The single-person flows are tested here; approvals turn themselves on in test/e2e/approvals.test.ts.
      VCR_APPROVAL_REQUIRED: 'none',
      ...options.env,
    },
    { logSink: (line) => logs.push(line), awsCredentials: localAwsCredentials, awsClients, now: options.now, fetch },
  );
  handlers = {
    http: (event, context) => entryScope.run('http', () => raw.http(event, context)),
    worker: (job, context) => entryScope.run('worker', () => raw.worker(job, context)),
    failedJobs: (event, context) => entryScope.run('failedJobs', () => raw.failedJobs(event, context)),
    schedule: (event, context) => entryScope.run('schedule', () => raw.schedule(event, context)),
    idle: () => raw.idle(),
  };
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
    table,
    dynamoProxy,
    lambda,
    awsCalls,
    vcrExchanges,
    secrets,
    logs,
    send,
    settle,
    async reply(text, userId) {
      const { ack, responseUrl } = await driver.command(text, userId);
      if (ack.statusCode !== 200) throw new Error(`/vcr ${text} was answered ${ack.statusCode}`);
      await settle();
      // A delete of the working line (after a shared answer) is no reply.
      const replies = driver.posted(responseUrl).filter((posted) => posted.delete_original !== true);
      const last = replies.at(-1);
      if (!last) throw new Error(`/vcr ${text} got no reply; its ack was ${ack.text}`);
      return last;
    },
    schedule({ remainingMs } = {}) {
      const context = remainingMs === undefined ? undefined : { getRemainingTimeInMillis: () => remainingMs };
      return entries.schedule({ source: 'aws.events', 'detail-type': 'Scheduled Event' }, context);
    },
    async close() {
      await settle();
      await dynamoProxy?.close();
      await Promise.all([emulator.close(), slack.close(), secretsManager.close(), dynamo.close(), lambda?.close()]);
    },
  };
}

/**
 * Starts a harness before the tests of the enclosing file and closes it after them, once no log line holds a
 * generated secret; after each test it clears the Slack, vCR, Lambda and DynamoDB faults that test injected. The
 * returned object is filled in before the first test runs.
 */
export function useE2eHarness(options: E2eHarnessOptions = {}): E2eHarness {
  const harness = {} as E2eHarness;
  beforeAll(async () => {
    Object.assign(harness, await startE2eHarness(options));
  });
  afterEach(() => {
    harness.slack.clearFailures();
    harness.emulator.clearFaults();
    harness.lambda?.clearFaults();
    harness.dynamoProxy?.clearFaults();
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
    const answer = answers[fieldNameOf(blockId) ?? blockId];
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

/**
 * Returns a copy of `value` (blocks, a message) with what changes from run to run written as a placeholder, for
 * inline snapshots: the operation id in confirm and Cancel buttons, and times within a day of now (written from
 * the clock, e.g. an image's last update after an earlier test changed it, rather than read from the seed).
 */
export function stableBlocks<T>(value: T): T {
  const now = Date.now();
  const stable = (text: string) =>
    text
      .replace(/"op":"[^"]+"/g, '"op":"<operation id>"')
      .replace(/\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC/g, (time) =>
        Math.abs(Date.parse(time.replace(' UTC', 'Z').replace(' ', 'T')) - now) < dayMs ? '<near now>' : time,
      );
  const visit = (node: unknown): unknown => {
    if (typeof node === 'string') return stable(node);
    if (Array.isArray(node)) return node.map(visit);
    if (node && typeof node === 'object') {
      return Object.fromEntries(Object.entries(node).map(([key, child]) => [key, visit(child)]));
    }
    return node;
  };
  return visit(value) as T;
}

const dayMs = 86_400_000;

/**
 * One destructive command as `describeDestructiveFlow` drives it: a target shown, cancelled and then confirmed twice,
 * and a second target changed on the emulator between its preview and the confirming click.
 */
export interface DestructiveFlow {
  /** What the user types for the first target, e.g. `repo detach payments-api qa-reader`. */
  command: string;
  /** The label of the red confirm button, or its first word, e.g. `Detach`. */
  confirm: string;
  /** Texts the preview shows about what goes. */
  preview: string[];
  /** Text of the answer to the click that carried the action out. */
  done: string;
  /** Matches the one vCR request that carries the action out, for either target (for a new secret, a GET). */
  executes(request: RecordedRequest): boolean;
  /** What the emulator holds of the first target, compared before and after: it must change only on confirm. */
  target(harness: E2eHarness): unknown;
  /** For a command that makes a secret: the first target's current secret, which only the clicker's DM may carry. */
  secret?(harness: E2eHarness): string | undefined;
  /** The second target: the command, the change made after its preview, and what the refusal says of the new state. */
  changed: { command: string; change(harness: E2eHarness): void; shows: string[] };
}

/**
 * Describes the full set of a destructive flow against a harness of its own (fresh demo data): the preview changes
 * nothing and offers a red button with a confirm dialog and a Cancel; Cancel changes nothing and replaces the
 * preview; two simultaneous confirming clicks (the requester and an admin) execute exactly once; a target changed
 * after its preview is refused with its new state.
 */
export function describeDestructiveFlow(name: string, flow: DestructiveFlow): void {
  describe(`${name}, destructive flow`, () => {
    const harness = useE2eHarness();
    const { operator, admin } = e2eUsers;
    // Minting an IAM token is a POST too, but it changes nothing on vCR.
    const writes = () =>
      harness.emulator.requests.filter(
        (request) => request.method !== 'GET' && !request.path.startsWith('/accounts-api/'),
      );
    const executions = () => harness.emulator.requests.filter((request) => flow.executes(request));
    const target = () => structuredClone(flow.target(harness));
    const answerTo = (click: { responseUrl: string }) => harness.posted(click.responseUrl).at(-1);

    it(`shows what goes with a red confirm button and changes nothing when ${flow.command} is typed`, async () => {
      // Prepare
      const before = { writes: writes().length, executions: executions().length, target: target() };

      // Act
      const reply = await harness.reply(flow.command, operator);

      // Assess
      for (const text of flow.preview) expect(readableText(reply)).toContain(text);
      const confirm = buttonIn(reply, flow.confirm);
      expect(confirm.style).toBe('danger');
      expect(confirm.confirm).toMatchObject({ style: 'danger', confirm: { text: expect.any(String) } });
      expect(buttonIn(reply, 'Cancel').style).toBeUndefined();
      expect({ writes: writes().length, executions: executions().length, target: target() }).toEqual(before);
    });

    it('changes nothing, replaces the preview and refuses a later confirm when Cancel is clicked', async () => {
      // Prepare
      const reply = await harness.reply(flow.command, operator);
      const before = { executions: executions().length, target: target() };

      // Act
      const cancel = await harness.click(buttonIn(reply, 'Cancel'), operator);
      await harness.settle();
      const late = await harness.click(buttonIn(reply, flow.confirm), operator);
      await harness.settle();

      // Assess
      expect(cancel.ack.statusCode).toBe(200);
      expect(answerTo(cancel)).toMatchObject({ replace_original: true });
      expect(readableText(answerTo(cancel))).toContain('Nothing was changed');
      expect(readableText(answerTo(late))).toContain('cancelled');
      expect({ executions: executions().length, target: target() }).toEqual(before);
    });

    it('executes exactly once when the requester and an admin click confirm at the same time', async () => {
      // Prepare
      const reply = await harness.reply(flow.command, operator);
      const confirm = buttonIn(reply, flow.confirm);
      const before = { executions: executions().length, target: target(), slackCalls: harness.slack.calls.length };

      // Act
      const clicks = await Promise.all([harness.click(confirm, operator), harness.click(confirm, admin)]);
      await harness.settle();

      // Assess
      expect(clicks.map(({ ack }) => ack.statusCode)).toEqual([200, 200]);
      expect(executions().length - before.executions).toBe(1);
      expect(target()).not.toEqual(before.target);
      const answers = clicks.map(answerTo);
      const done = answers.filter((answer) => readableText(answer).includes(flow.done));
      expect(done).toEqual([expect.objectContaining({ replace_original: true })]);
      expect(answers.filter((answer) => readableText(answer).includes('already'))).toHaveLength(1);
      if (flow.secret) {
        const secret = flow.secret(harness)!;
        const winner = [operator, admin][answers.indexOf(done[0]!)];
        const calls = harness.slack.calls.slice(before.slackCalls);
        expect(calls.filter((call) => call.method === 'conversations.open').map((call) => call.body.users)).toEqual([
          winner,
        ]);
        const carrying = calls.filter((call) => JSON.stringify(call.body).includes(secret));
        expect(carrying.map((call) => [call.method, call.body.channel])).toEqual([
          ['chat.postMessage', expect.stringMatching(/^D/)],
        ]);
        expect(readableText(done[0])).toContain('direct message');
        expect(JSON.stringify(answers)).not.toContain(secret);
        expect(harness.logs.join('\n')).not.toContain(secret);
      }
    });

    it('refuses with the new state and executes nothing when the target changed between preview and click', async () => {
      // Prepare
      const reply = await harness.reply(flow.changed.command, operator);
      flow.changed.change(harness);
      const before = { writes: writes().length, executions: executions().length };

      // Act
      const click = await harness.click(buttonIn(reply, flow.confirm), operator);
      await harness.settle();

      // Assess
      const answer = readableText(answerTo(click));
      for (const text of flow.changed.shows) expect(answer).toContain(text);
      expect({ writes: writes().length, executions: executions().length }).toEqual(before);
    });
  });
}

/** A fingerprint of a secret, so a failing comparison prints no secret. */
export function secretFingerprint(secret: string | undefined): string | undefined {
  return secret === undefined ? undefined : createHash('sha256').update(secret).digest('hex').slice(0, 16);
}
