/**
 * The Bolt app of the bot: the Lambda receiver, the listeners of the HTTP phase and the runner of the slow phase.
 * Constructing it makes no network call (Bolt is given the bot's ids, so it never runs `auth.test` on its own).
 */
import { randomUUID } from 'node:crypto';
import { App, webApi } from '@slack/bolt';
import { weeklyCleanupPlan } from './commands/cleanup/weekly-cleanup-plan';
import type { PolicyResolver } from './commands/policies';
import { recordLiftedItself } from './commands/system/freeze';
import { runWatchPass, type WatchPassResult, watcherActor } from './commands/watch/watch-pass';
import type { Config } from './config';
import type { JobCrash } from './jobs/failed-invocation';
import type { Job, JobDispatcher } from './jobs/job';
import type { Logger } from './logger';
import type { Metrics } from './metrics';
import { createApproverCheck, createRoleResolver, type RoleResolverOptions } from './policy/roles';
import type { Credentials } from './secrets';
import { createCards } from './slack/approval-cards';
import { createAuditTrail } from './slack/audit-trail';
import { boltLogLevel, createBoltLogger } from './slack/bolt-logger';
import { createDelivery } from './slack/delivery';
import { registerListeners } from './slack/register-listeners';
import {
  createCommandContext,
  createCrashReporter,
  createJobRunner,
  type JobLimits,
  slackContext,
} from './slack/run-job';
import { readSlackFailure } from './slack/slack-api-errors';
import { SlackReceiver } from './slack/slack-receiver';
import { createNoticePoster } from './slack/watch-notices';
import { httpBudgetMs } from './slack/with-deadline';
import type { AuditStore } from './store/audit-store';
import type { CleanupRulesStore } from './store/cleanup-rules-store';
import { createFreezeReader, type FreezeStore } from './store/freeze-store';
import type { OperationStore } from './store/operation-store';
import type { WatchStore } from './store/watch-store';
import type { VcrClient } from './vcr/client';
import type { TokenProvider } from './vcr/token';

/** Everything the app needs, built by the caller (src/handler.ts, local/serve.ts, tests). */
export interface AppDeps {
  config: Config;
  credentials: Credentials;
  vcr: VcrClient;
  tokens: TokenProvider;
  policies: PolicyResolver;
  operations: OperationStore;
  /** The audit records (docs/decisions/0016-audit-and-freeze.md). */
  audit: AuditStore;
  /** The freeze setting. */
  freeze: FreezeStore;
  /** The saved cleanup rules (docs/decisions/0019-cleanup-plans.md). */
  cleanupRules: CleanupRulesStore;
  /** The watcher's state: a pass writes it, the Home tab shows its snapshots (docs/decisions/0017-watch-state.md). */
  watch: WatchStore;
  dispatcher: JobDispatcher;
  logger: Logger;
  /** Where commands and approvals are counted; the caller flushes them once per invocation. */
  metrics?: Metrics;
  now?: () => number;
  /** Used for `response_url` posts; cross-fetch by default. */
  fetch?: typeof fetch;
  /** The time budget of each request's HTTP phase, in ms; `httpBudgetMs` (2.5 s) by default. */
  httpBudgetMs?: number;
}

/** The app, its receiver (whose `toHandler()` serves API Gateway) and the slow phase the worker runs. */
export interface BotApp {
  app: App;
  receiver: SlackReceiver;
  /** Runs one job to the end within `limits`; never rejects. */
  runJob(job: Job, limits?: JobLimits): Promise<void>;
  /** Runs one pass of the scheduled watcher that starts nothing new after `deadlineAt` (epoch ms). */
  watch(options: { deadlineAt: number }): Promise<WatchPassResult>;
  /** Reports a job whose worker crashed before recording its outcome; never runs it again (src/slack/run-job.ts). */
  reportCrashedJob(job: Job, crash: JobCrash): Promise<void>;
}

// Bolt uses these only to ignore the bot's own events, and the one event this app listens to (`app_home_opened`) is
// never the bot's own; with them set Bolt never calls auth.test, which at construction would cost a round trip and, when it fails, the process.
const placeholderBotId = 'B00000000';
const placeholderBotUserId = 'U00000000';
// How much longer than the request's deadline the fast client waits before it gives up on a call by itself.
const clientTimeoutMarginMs = 1000;
// User group members change rarely; a minute keeps Slack calls off most requests and revocations quick.
const groupTtlMs = 60_000;
// The HTTP phase reuses a freeze read this long; the worker reads it fresh (docs/decisions/0016-audit-and-freeze.md).
const freezeTtlMs = 5_000;

/** Creates the Bolt app with its listeners and job runner; makes no network call. */
export function createApp(deps: AppDeps): BotApp {
  const { config, credentials } = deps;
  const logLevel = boltLogLevel(config.logLevel);
  const boltLogger = createBoltLogger(deps.logger.child({ component: 'bolt' }), config.logLevel);
  const apiUrl = config.slack.apiUrl ? { slackApiUrl: withTrailingSlash(config.slack.apiUrl) } : {};

  const receiver = new SlackReceiver({
    signingSecret: credentials.slackSigningSecret,
    logger: boltLogger,
    now: deps.now,
  });
  const app = new App({
    receiver,
    token: credentials.slackBotToken,
    botId: config.slack.botId ?? placeholderBotId,
    botUserId: config.slack.botUserId ?? placeholderBotUserId,
    tokenVerificationEnabled: false,
    logger: boltLogger,
    logLevel,
    // On Lambda a call cannot wait out the client's default of ten retries over thirty minutes
    // (docs/slack-limits.md#bolt-on-lambda).
    clientOptions: {
      ...apiUrl,
      retryConfig: { retries: 1, factor: 1, minTimeout: 200, maxTimeout: 500 },
      timeout: 2500,
    },
  });
  app.error(async (error) => {
    deps.logger.error('Bolt could not run a listener', { error });
  });

  // The HTTP phase must answer Slack within 3 s: one attempt, bounded by the request's deadline (src/slack/
  // with-deadline.ts). The client's own timeout must come well after it: a user group read that failed on its own
  // timeout first would count as "not a member" and refuse the user instead of saying Slack is slow.
  const budgetMs = deps.httpBudgetMs ?? httpBudgetMs;
  const fastClient = new webApi.WebClient(credentials.slackBotToken, {
    ...apiUrl,
    logger: boltLogger,
    retryConfig: { retries: 0 },
    timeout: budgetMs + clientTimeoutMarginMs,
    rejectRateLimitedCalls: true,
  });
  const jobClient = new webApi.WebClient(credentials.slackBotToken, {
    ...apiUrl,
    logger: boltLogger,
    retryConfig: { retries: 2, factor: 2, minTimeout: 500, maxTimeout: 2000 },
    timeout: 5000,
  });

  const groupOptions: Omit<RoleResolverOptions, 'roles'> = {
    groupMembers: async (usergroup) => {
      try {
        return (await fastClient.usergroups.users.list({ usergroup })).users ?? [];
      } catch (error) {
        // A group Slack does not have has no members: that is an answer, not a failure to read (an admin is told).
        if (readSlackFailure(error)?.code !== 'no_such_subteam') throw error;
        deps.logger.error('A configured user group does not exist in Slack; nobody gets a role through it', {
          groupId: usergroup,
        });
        return [];
      }
    },
    ttlMs: groupTtlMs,
    now: deps.now,
    onGroupError: (groupId, error) =>
      deps.logger.warn('Could not read a user group', {
        groupId,
        error: error instanceof Error ? error : String(error),
      }),
    failureTtlMs: (error: unknown) => (readSlackFailure(error)?.retryAfterSeconds ?? 0) * 1000,
  };
  const roles = createRoleResolver({ ...groupOptions, roles: config.roles });
  const approvers = createApproverCheck({ ...groupOptions, approvers: config.approvals.approvers });
  const jobDelivery = createDelivery({ client: jobClient, logger: deps.logger, fetch: deps.fetch, timeoutMs: 5000 });
  const fastDelivery = createDelivery({ client: fastClient, logger: deps.logger, fetch: deps.fetch, timeoutMs: 1500 });
  const auditTrail = (delivery: typeof jobDelivery) =>
    createAuditTrail({
      config,
      store: deps.audit,
      delivery,
      logger: deps.logger,
      slackContext: slackContext(config),
    });
  // A freeze past its `until` lifted itself: the first reader to find it so records and announces it, once per freeze
  // (docs/decisions/0016-audit-and-freeze.md).
  const liftedAudit = auditTrail(fastDelivery);
  const freeze = createFreezeReader(deps.freeze, {
    ttlMs: freezeTtlMs,
    now: deps.now,
    onLapsed: (lapsed) => recordLiftedItself(liftedAudit, lapsed, (deps.now ?? Date.now)(), config.slack.command),
  });
  const runnerDeps = {
    config,
    vcr: deps.vcr,
    tokens: deps.tokens,
    policies: deps.policies,
    operations: deps.operations,
    audit: auditTrail(jobDelivery),
    auditLog: deps.audit,
    freeze,
    freezeStore: deps.freeze,
    cleanupRules: deps.cleanupRules,
    roles,
    approvers,
    cards: createCards({
      client: jobClient,
      delivery: jobDelivery,
      logger: deps.logger,
      slackContext: slackContext(config),
      ...(config.approvals.channel ? { channelSetting: 'VCR_APPROVAL_CHANNEL' } : {}),
    }),
    delivery: jobDelivery,
    slack: jobClient,
    logger: deps.logger,
    metrics: deps.metrics,
    now: deps.now,
  };
  registerListeners(app, {
    config,
    roles,
    approvers,
    freeze,
    cleanupRules: deps.cleanupRules,
    watch: deps.watch,
    audit: auditTrail(fastDelivery),
    vcr: deps.vcr,
    dispatcher: deps.dispatcher,
    delivery: fastDelivery,
    slack: fastClient,
    logger: deps.logger,
    commandContext: (actor, logger) => createCommandContext(runnerDeps, actor, logger),
    newJobId: randomUUID,
    budgetMs,
  });

  const notices = createNoticePoster({
    delivery: jobDelivery,
    logger: deps.logger,
    slackContext: slackContext(config),
  });
  const watch = (options: { deadlineAt: number }) => {
    const watcherLogger = deps.logger.child({ component: 'watcher' });
    return runWatchPass(
      {
        vcr: deps.vcr,
        store: deps.watch,
        poster: notices,
        alertChannel: config.watch.alertChannel,
        thresholds: config.watch.quotaAlertPercents,
        cleanupPlans: {
          list: () => deps.cleanupRules.listCleanupRules(),
          // A read context of the watcher's own, a viewer: planning only reads vCR.
          // Its reads stop at the pass's deadline, so a large repository cannot keep the pass from recording itself.
          plan: (saved) =>
            weeklyCleanupPlan(
              createCommandContext(runnerDeps, watcherActor, watcherLogger, {
                writer: { jobId: randomUUID(), token: randomUUID() },
                deadlineAt: options.deadlineAt,
              }),
              saved,
            ),
        },
        logger: watcherLogger,
        now: deps.now ?? Date.now,
      },
      options,
    );
  };

  return {
    app,
    receiver,
    runJob: createJobRunner(runnerDeps),
    reportCrashedJob: createCrashReporter(runnerDeps),
    watch,
  };
}

// WebClient appends method names to the base URL as is, so `.../api` must end in a slash.
function withTrailingSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}
