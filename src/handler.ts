/**
 * The Lambda entries: `http` answers Slack (API Gateway HTTP API, payload v2) through Bolt's Lambda receiver,
 * `worker` runs the slow phase of a request (docs/decisions/0001-two-phase-lambda.md) and `schedule` runs one pass of
 * the watcher (docs/decisions/0021-scheduled-watcher.md). They share one bot per container, built on first use;
 * everything else lives in `createApp`.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyStructuredResultV2,
  Context,
  SQSBatchResponse,
  SQSEvent,
} from 'aws-lambda';
import crossFetch from 'cross-fetch';
import { type BotApp, createApp } from './app';
import { createPolicyResolver, type PolicyResolver } from './commands/policies';
import { commands } from './commands/registry';
import type { WatchPassResult } from './commands/watch/watch-pass';
import { type Config, loadConfig } from './config';
import { ConfigError } from './errors';
import { createInlineDispatcher, type InlineDispatcher } from './jobs/dispatch-inline';
import { createLambdaDispatcher } from './jobs/dispatch-lambda';
import { readFailedInvocation } from './jobs/failed-invocation';
import { isJob, type Job, type JobDispatcher } from './jobs/job';
import { createLogger, type Logger } from './logger';
import { createMetrics, type Metrics } from './metrics';
import { type Credentials, createSecretsSource, type SecretsSource } from './secrets';
import { newErrorRef } from './slack/failure-reply';
import type { JobLimits } from './slack/run-job';
import { type AuditStore, createDynamoAuditStore } from './store/audit-store';
import { type CleanupRulesStore, createDynamoCleanupRulesStore } from './store/cleanup-rules-store';
import { createDynamoOperationStore } from './store/dynamo-operation-store';
import { createDynamoFreezeStore, type FreezeStore } from './store/freeze-store';
import type { OperationStore } from './store/operation-store';
import { createDynamoWatchStore, type WatchStore } from './store/watch-store';
import { createVcrClient, type VcrClient } from './vcr/client';
import { createTokenProvider, type IamCredentials, type TokenProvider } from './vcr/token';

/** The HTTP answer of the Slack entry. */
export type HttpResult = APIGatewayProxyStructuredResultV2 & { statusCode: number };

/** The entries of one container, and a way for local runs and tests to wait for in-process jobs. */
export interface Handlers {
  /** Answers one Slack request (slash command, interaction or options request) from API Gateway. */
  http(event: APIGatewayProxyEventV2, context?: Context): Promise<HttpResult>;
  /** Runs one job handed over by `http`; never throws, since an async invoke has nobody to answer. */
  worker(job: Job, context?: Pick<Context, 'getRemainingTimeInMillis'> & Partial<Context>): Promise<void>;
  /**
   * Runs one pass of the watcher (the EventBridge schedule's event is not read) within the time Lambda's context
   * leaves, less a margin; resolves with what it covered and posted, and rejects (after logging) when it cannot run.
   */
  schedule(event?: unknown, context?: Pick<Context, 'getRemainingTimeInMillis'>): Promise<WatchPassResult>;
  /**
   * Reports the worker invocations Lambda's on-failure destination queued (docs/configuration.md#failed-jobs); a
   * record whose report failed is handed back to the queue to be tried again. Never runs a job.
   */
  failedJobs(event: SQSEvent, context?: Partial<Context>): Promise<SQSBatchResponse>;
  /** Resolves once every in-process job has finished (JOB_MODE inline); at once otherwise. */
  idle(): Promise<void>;
}

/** Seams of `createHandlers` for local runs and tests; Lambda uses none of them. */
export interface HandlerOptions {
  /** Where log lines go; stdout by default. */
  logSink?: (line: string) => void;
  /** Where EMF metric lines go; the log sink by default, as in Lambda, where CloudWatch reads both from stdout. */
  metricsSink?: (line: string) => void;
  /** AWS credentials for the AWS clients built here; by default the SDK's chain (the Lambda role in AWS). */
  awsCredentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** Ready AWS clients to use instead of building them, e.g. an in-process DynamoDB for `npm run serve`. */
  awsClients?: { dynamodb?: DynamoDBClient; lambda?: LambdaClient; secretsManager?: SecretsManagerClient };
  now?: () => number;
  fetch?: typeof fetch;
}

/** What one container builds once: configuration, AWS clients and the parts of the bot that survive a rotation. */
interface Container {
  config: Config;
  logger: Logger;
  metrics: Metrics;
  secrets: SecretsSource;
  tokens: TokenProvider;
  vcr: VcrClient;
  policies: PolicyResolver;
  operations: OperationStore;
  audit: AuditStore;
  freeze: FreezeStore;
  cleanupRules: CleanupRulesStore;
  watch: WatchStore;
  dispatcher: JobDispatcher;
  inline?: InlineDispatcher;
}

/** The Bolt app built for one set of Slack credentials. */
interface Bot {
  app: BotApp;
  handle: (event: APIGatewayProxyEventV2, context: unknown) => Promise<HttpResult>;
  credentials: Credentials;
}

// A forged request fails the signature like the first one signed with a rotated secret, so a 401 re-reads the secret
// only when it was read longer ago than this: forgers cannot make more reads than that, nor starve the check for
// longer (docs/decisions/0010-credentials-under-rotation.md). IAM rejections share the floor.
const secretRecheckFloorMs = 2_000;
const serverError: HttpResult = { statusCode: 500, body: '' };
// A watcher pass starts nothing new this long before Lambda's timeout, so it still writes its snapshots and progress.
const watchMarginMs = 10_000;
// Without a Lambda context (a local pass), a pass gets what the schedule function's 300 s timeout would give it.
const localWatchBudgetMs = 290_000;

/**
 * Creates the entries for `env` (pass `process.env` in Lambda). Nothing is read or called until the first request;
 * a configuration or secrets problem answers 500 and logs what is wrong (never a value), and is retried next time.
 */
export function createHandlers(env: Record<string, string | undefined>, options: HandlerOptions = {}): Handlers {
  const sink = options.logSink ?? ((line: string) => process.stdout.write(`${line}\n`));
  const bootLogger = createLogger({ sink, fields: { service: 'vcr-chatops' } });
  let container: Container | undefined;
  let bot: Bot | undefined;
  // Metrics are written once per invocation, after the answer is known, and never fail it (src/metrics.ts).
  const flushMetrics = () => container?.metrics.flush();
  // Every later line carries the invocation's request id. A container that cannot be built is left to the entry,
  // which meets the same failure again and logs and reports it.
  const noteInvocation = (context: Partial<Context> | undefined) => {
    if (!context?.awsRequestId) return;
    try {
      ensureContainer().logger.addContext(context);
    } catch {
      return;
    }
  };

  const ensureContainer = (): Container => {
    if (!container) {
      container = buildContainer(env, options, sink);
      // An in-process job is an invocation of its own: its metrics are written when it ends.
      container.inline?.setRunner(async (job) => {
        try {
          await runJob(job);
        } finally {
          flushMetrics();
        }
      });
    }
    return container;
  };

  // Building the app makes no network call, so after the one await the check and the swap cannot interleave.
  const ensureBot = async (): Promise<Bot> => {
    const built = ensureContainer();
    const credentials = await built.secrets.get();
    if (bot && sameSlackCredentials(bot.credentials, credentials)) return bot;
    if (bot) built.logger.info('Slack credentials changed; rebuilding the app');
    bot = buildBot(built, credentials, options);
    return bot;
  };

  // After a 401 the signing secret may have been rotated since `failedWith` was built: re-read it (keeping the current
  // one if that fails) and say whether the app changed, in which case the request deserves one more try. A request
  // that also fails with a freshly read secret is simply refused.
  const recheckSigningSecret = async (failedWith: Bot): Promise<Bot | undefined> => {
    const built = ensureContainer();
    if (built.config.secretId === undefined) return undefined;
    // Another request already picked up a newer secret: try that one, with no read.
    if (bot && bot !== failedWith) return bot;
    try {
      await built.secrets.refresh({ minAgeMs: secretRecheckFloorMs });
      const fresh = await ensureBot();
      return fresh === failedWith ? undefined : fresh;
    } catch (error) {
      logBuildFailure(error, 'http');
      return undefined;
    }
  };

  const logBuildFailure = (error: unknown, entry: string, ref?: string) => {
    // ConfigError and SecretReadError name variables, keys or the secret id, never a value.
    const known = error instanceof ConfigError || (error instanceof Error && error.name === 'SecretReadError');
    const logger = container?.logger ?? bootLogger;
    const fields = { entry, ...(ref ? { ref } : {}) };
    if (known) logger.error(`The bot cannot start: ${(error as Error).message}`, fields);
    else logger.error('The bot cannot start', { ...fields, error: error instanceof Error ? error : String(error) });
  };

  // Without a bot there is no Slack client, but a response_url needs no token: the user who saw "Working on …"
  // learns that it failed, with a ref an admin can find in the logs, instead of waiting for nothing.
  const tellBuildFailure = async (job: Job, ref: string) => {
    if (!job.responseUrl) return;
    const text = `vcr-chatops could not start its worker, so nothing was done (ref \`${ref}\`). An admin can find the cause in the logs.`;
    try {
      const response = await (options.fetch ?? (crossFetch as typeof fetch))(job.responseUrl, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ response_type: 'ephemeral', text }),
        signal: AbortSignal.timeout(3_000),
      });
      if (!response.ok)
        (container?.logger ?? bootLogger).warn('Slack refused the failure reply', { ref, status: response.status });
    } catch (error) {
      (container?.logger ?? bootLogger).warn('The failure reply could not be posted', { ref, error: asError(error) });
    }
  };

  const runJob = async (job: Job, limits?: JobLimits) => {
    let current: Bot;
    try {
      current = await ensureBot();
    } catch (error) {
      const ref = newErrorRef();
      logBuildFailure(error, 'worker', ref);
      await tellBuildFailure(job, ref);
      return;
    }
    try {
      await current.app.runJob(job, limits);
    } catch (error) {
      ensureContainer().logger.error('A job failed', { jobId: job.id, error: asError(error) });
    }
  };

  const answerSlack = async (event: APIGatewayProxyEventV2, context?: Context): Promise<HttpResult> => {
    let current: Bot;
    try {
      current = await ensureBot();
    } catch (error) {
      logBuildFailure(error, 'http');
      return serverError;
    }
    noteInvocation(context);
    try {
      const result = await current.handle(event, context);
      if (result.statusCode !== 401) return result;
      const fresh = await recheckSigningSecret(current);
      return fresh ? await fresh.handle(event, context) : result;
    } catch (error) {
      ensureContainer().logger.error('The Slack request failed', { error: asError(error) });
      return serverError;
    }
  };

  // One pass of the watcher within the time Lambda's context leaves, less a margin.
  const runWatchPassOnce = async (
    context: Pick<Context, 'getRemainingTimeInMillis'> | undefined,
  ): Promise<WatchPassResult> => {
    const now = options.now ?? Date.now;
    const remainingMs =
      typeof context?.getRemainingTimeInMillis === 'function'
        ? context.getRemainingTimeInMillis() - watchMarginMs
        : localWatchBudgetMs;
    let current: Bot;
    try {
      current = await ensureBot();
    } catch (error) {
      logBuildFailure(error, 'schedule');
      throw error;
    }
    try {
      return await current.app.watch({ deadlineAt: now() + remainingMs });
    } catch (error) {
      // Rethrown so the function's error metric counts a pass that could not record itself.
      ensureContainer().logger.error('A watcher pass failed', { error: asError(error) });
      throw error;
    }
  };

  return {
    async http(event, context) {
      try {
        const result = await answerSlack(event, context);
        // Counted from API Gateway's receipt, as the request's deadline is (src/slack/with-deadline.ts).
        const arrivedAt = Number(event.requestContext?.timeEpoch);
        if (Number.isFinite(arrivedAt)) container?.metrics.ackLatency((options.now ?? Date.now)() - arrivedAt);
        return result;
      } finally {
        flushMetrics();
      }
    },

    async worker(job, context) {
      try {
        if (!isJob(job)) {
          (container?.logger ?? bootLogger).error('The worker was invoked with something that is not a job');
          return;
        }
        noteInvocation(context);
        const remainingMs =
          typeof context?.getRemainingTimeInMillis === 'function' ? context.getRemainingTimeInMillis() : undefined;
        await runJob(job, { remainingMs });
      } finally {
        flushMetrics();
      }
    },

    async failedJobs(event, context) {
      const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
      try {
        noteInvocation(context);
        for (const record of event.Records ?? []) {
          const failed = readFailedInvocation(record.body);
          const logger = container?.logger ?? bootLogger;
          // Not a destination record of a job: trying it again cannot help, so it is logged and dropped.
          if (!failed) {
            logger.error('The failed-jobs queue held a record that is not a failed job', {
              messageId: record.messageId,
            });
            continue;
          }
          try {
            await (await ensureBot()).app.reportCrashedJob(failed.job, failed.crash);
          } catch (error) {
            logger.error('A failed job could not be reported; the queue hands it back', {
              messageId: record.messageId,
              jobId: failed.job.id,
              error: asError(error),
            });
            batchItemFailures.push({ itemIdentifier: record.messageId });
          }
        }
      } finally {
        flushMetrics();
      }
      return { batchItemFailures };
    },

    async schedule(_event, context) {
      try {
        noteInvocation(context as Partial<Context> | undefined);
        return await runWatchPassOnce(context);
      } finally {
        flushMetrics();
      }
    },

    async idle() {
      await container?.inline?.idle();
    },
  };
}

function buildContainer(
  env: Record<string, string | undefined>,
  options: HandlerOptions,
  sink: (line: string) => void,
): Container {
  // The registry's ids, so an approval list naming a command that does not exist fails at start (src/config.ts).
  const config = loadConfig(env, { commandIds: commands.map((spec) => spec.id) });
  const logger = createLogger({ level: config.logLevel, sink, fields: { service: 'vcr-chatops' } });
  const metrics = createMetrics({ service: 'vcr-chatops', sink: options.metricsSink ?? sink, logger });
  const aws = (endpoint: string | undefined) => ({
    region: config.aws.region,
    endpoint,
    credentials: options.awsCredentials,
    // Every AWS call here can sit in front of Slack's 3 s: no long SDK retries (docs/slack-limits.md#bolt-on-lambda).
    maxAttempts: 2,
    // Without throwOnRequestTimeout the SDK only warns when requestTimeout passes and keeps waiting.
    requestHandler: { connectionTimeout: 1_000, requestTimeout: 2_500, throwOnRequestTimeout: true },
  });

  const secrets = createSecretsSource({
    config,
    logger,
    now: options.now,
    client:
      config.secretId === undefined ? undefined : new SecretsManagerClient(aws(config.aws.endpoints.secretsManager)),
  });
  const tokens = createTokenProvider({
    iamUrl: config.vcr.iamUrl,
    credentials: async () => iamCredentials(await secrets.get()),
    refreshCredentials: async () => iamCredentials(await secrets.refresh({ minAgeMs: secretRecheckFloorMs })),
    fetch: options.fetch,
    now: options.now,
    timeoutMs: config.vcr.timeoutMs,
    logger,
  });
  const vcr = createVcrClient({
    baseUrl: config.vcr.apiUrl,
    tokens,
    fetch: options.fetch,
    timeoutMs: config.vcr.timeoutMs,
    logger,
    onFailure: (status) => metrics.vcrError(status),
  });
  // The document client marshals plain objects; undefined fields (optional args) are left out, not refused.
  const documents = DynamoDBDocumentClient.from(
    options.awsClients?.dynamodb ?? new DynamoDBClient(aws(config.aws.endpoints.dynamodb)),
    { marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false } },
  );
  const table = config.stateTable;
  const operations = createDynamoOperationStore({ client: documents, table, now: options.now });
  const audit = createDynamoAuditStore({
    client: documents,
    table,
    retentionDays: config.auditRetentionDays,
    now: options.now,
  });
  const freeze = createDynamoFreezeStore({ client: documents, table, now: options.now });
  const cleanupRules = createDynamoCleanupRulesStore({ client: documents, table });
  const watch = createDynamoWatchStore({ client: documents, table, now: options.now });
  const stores = { operations, audit, freeze, cleanupRules, watch };

  const policies = createPolicyResolver(vcr);
  if (config.jobs.mode === 'lambda') {
    const dispatcher = createLambdaDispatcher({
      // Retried like any AWS call (a reused keep-alive socket that the endpoint closed while the container was frozen
      // answers ECONNRESET on the first request after an idle gap): a job delivered twice is harmless, because the
      // worker dedupes it by its operation record (docs/decisions/0007-operation-lifecycle.md).
      client:
        options.awsClients?.lambda ??
        new LambdaClient({
          ...aws(config.aws.endpoints.lambda),
          // Two attempts of at most 1 s: the retry of a reset socket fits in the ack's budget (0013).
          maxAttempts: 2,
          requestHandler: { connectionTimeout: 500, requestTimeout: 1_000, throwOnRequestTimeout: true },
        }),
      functionName: config.jobs.workerFunctionName!,
    });
    return { config, logger, metrics, secrets, tokens, vcr, policies, ...stores, dispatcher };
  }
  const inline = createInlineDispatcher({ logger });
  return { config, logger, metrics, secrets, tokens, vcr, policies, ...stores, dispatcher: inline.dispatcher, inline };
}

function buildBot(container: Container, credentials: Credentials, options: HandlerOptions): Bot {
  const app = createApp({
    config: container.config,
    credentials,
    vcr: container.vcr,
    tokens: container.tokens,
    policies: container.policies,
    operations: container.operations,
    audit: container.audit,
    freeze: container.freeze,
    cleanupRules: container.cleanupRules,
    watch: container.watch,
    dispatcher: container.dispatcher,
    logger: container.logger,
    metrics: container.metrics,
    now: options.now,
    fetch: options.fetch,
  });
  const handle = app.receiver.toHandler();
  return {
    app,
    credentials,
    handle: (event, context) => handle(event as never, context) as Promise<HttpResult>,
  };
}

function iamCredentials({ vcrClientId, vcrClientSecret, vcrAccessToken }: Credentials): IamCredentials {
  return { clientId: vcrClientId, clientSecret: vcrClientSecret, accessToken: vcrAccessToken };
}

// Compared, never logged: only a change of the Slack pair needs a new Bolt app (vCR credentials are read per mint).
function sameSlackCredentials(a: Credentials, b: Credentials): boolean {
  return a.slackSigningSecret === b.slackSigningSecret && a.slackBotToken === b.slackBotToken;
}

function asError(error: unknown): Error | string {
  return error instanceof Error ? error : String(error);
}

let containerHandlers: Handlers | undefined;
// One set of entries per container, so AWS clients, the secret cache and the app survive warm invocations.
const handlers = (): Handlers => {
  containerHandlers ??= createHandlers(process.env);
  return containerHandlers;
};

/** The Slack entry for API Gateway (HTTP API, payload v2): `POST /slack/events`. */
export const http = (event: APIGatewayProxyEventV2, context: Context): Promise<HttpResult> =>
  handlers().http(event, context);

/** The worker entry, invoked asynchronously by `http` with one job as its event. */
export const worker = (job: Job, context: Context): Promise<void> => handlers().worker(job, context);

/** The watcher entry, invoked by its EventBridge schedule (`VCR_WATCH_SCHEDULE`, hourly by default). */
export const schedule = (event: unknown, context: Context): Promise<WatchPassResult> =>
  handlers().schedule(event, context);
/** The failed-jobs entry: the SQS queue that is the worker's on-failure destination. */
export const failedJobs = (event: SQSEvent, context: Context): Promise<SQSBatchResponse> =>
  handlers().failedJobs(event, context);
