/**
 * The slow phase of every Slack interaction: runs the job's command against vCR and delivers the answer through
 * `response_url`, falling back to a DM when that URL is missing or expired (docs/decisions/0001-two-phase-lambda.md).
 */
import { randomUUID } from 'node:crypto';
import type { webApi } from '@slack/bolt';
import type { AuditSink } from '../commands/audit/audit-sink';
import { planHashOf } from '../commands/audit/audit-sink';
import { authorize } from '../commands/authorize';
import type { Cards } from '../commands/cards';
import type { Actor, CommandContext } from '../commands/command';
import { PartialFailureError, partialFailureNotice } from '../commands/partial-failure';
import type { PolicyResolver } from '../commands/policies';
import type { Reply } from '../commands/reply';
import { confirmWindowMs, decide, operationKeyOf, runInvocation, settleCrashedRun } from '../commands/runner';
import type { Config } from '../config';
import { UserError } from '../errors';
import type { JobCrash } from '../jobs/failed-invocation';
import type { Job } from '../jobs/job';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics';
import type { ApproverCheck, RoleResolver } from '../policy/roles';
import { type RichText, rich } from '../rich-text';
import type { AuditStore } from '../store/audit-store';
import type { CleanupRulesStore } from '../store/cleanup-rules-store';
import type { FreezeReader, FreezeStore } from '../store/freeze-store';
import { type OperationStore, operationIdOf, type Writer } from '../store/operation-store';
import type { VcrClient } from '../vcr/client';
import type { TokenProvider } from '../vcr/token';
import type { Delivery } from './delivery';
import { failureReply, newErrorRef } from './failure-reply';
import { renderReply, renderSecret } from './render';
import { explainSlackFailure, readSlackFailure, type SlackFailureContext } from './slack-api-errors';

/** What running a job needs; all built once per container and shared by every job. */
export interface JobRunnerDeps {
  config: Config;
  vcr: VcrClient;
  tokens: TokenProvider;
  policies: PolicyResolver;
  operations: OperationStore;
  /** Where every outcome is recorded and announced (src/slack/audit-trail.ts). */
  audit: AuditSink;
  /** The audit records, for `audit`. */
  auditLog: Pick<AuditStore, 'list'>;
  /** The freeze switch and its reader (fresh for admission in a job, cached for `help`). */
  freezeStore: FreezeStore;
  freeze: FreezeReader;
  /** The saved cleanup rules (docs/decisions/0019-cleanup-plans.md). */
  cleanupRules: CleanupRulesStore;
  /** Resolves roles again before a job runs: a role removed since the click no longer counts. */
  roles: RoleResolver;
  /** Who may approve, checked again before an approved job executes. */
  approvers?: ApproverCheck;
  /** Approval cards, their threads and DMs (src/slack/approval-cards.ts). */
  cards?: Cards;
  delivery: Delivery;
  /** The Web API client with the bot token, for `ping`'s Slack check. */
  slack: webApi.WebClient;
  logger: Logger;
  /** Where commands, approvals and unknown outcomes are counted. */
  metrics?: Metrics;
  now?: () => number;
}

/** One run of one job: who writes, and until when it may run (epoch ms). */
export interface JobRun {
  writer: Writer;
  deadlineAt: number;
}

// Without a Lambda context (local runs, tests) a job is given what the worker's 60 s timeout leaves after a margin.
const defaultJobMs = 50_000;
// Time kept back from Lambda's own limit, to record and report an outcome before the worker is stopped.
const jobMarginMs = 5_000;

/**
 * Builds the context commands run with for `actor`; building it makes no network call. Without `run` (the HTTP
 * phase's `help`) it is a one-off run with the default time.
 */
export function createCommandContext(
  deps: JobRunnerDeps,
  actor: Actor,
  logger = deps.logger,
  run: JobRun = {
    writer: { jobId: randomUUID(), token: randomUUID() },
    deadlineAt: (deps.now ?? Date.now)() + defaultJobMs,
  },
): CommandContext {
  return {
    vcr: deps.vcr,
    policies: deps.policies,
    operations: deps.operations,
    audit: deps.audit,
    auditLog: deps.auditLog,
    freeze: deps.freeze,
    freezeStore: deps.freezeStore,
    cleanup: { protect: deps.config.cleanup.protect, rules: deps.cleanupRules },
    writer: run.writer,
    deadlineAt: run.deadlineAt,
    actor,
    logger,
    ...(deps.metrics ? { metrics: deps.metrics } : {}),
    now: deps.now ?? Date.now,
    slashCommand: deps.config.slack.command,
    ...approvalsOf(deps),
    health: {
      slack: async () => {
        try {
          await deps.slack.auth.test();
        } catch (error) {
          const failure = readSlackFailure(error);
          if (!failure) throw error;
          // A plain Error, whose words `ping` shows as they are: what Slack said and which setting to fix.
          const { problem, fix } = explainSlackFailure(failure, slackContext(deps.config));
          throw new Error(`${problem} ${fix}`, { cause: error });
        }
      },
      iam: async () => {
        await deps.tokens.getToken();
      },
    },
  };
}

/** The approval settings and card poster of a context; none when approvals are off (docs/decisions/0015). */
function approvalsOf(deps: JobRunnerDeps): Pick<CommandContext, 'approvals' | 'cards'> {
  const { approvals } = deps.config;
  // Kept even with approvals off, so a card posted before they were turned off can still be decided.
  if (!deps.cards) return {};
  // A record is created at its preview, up to the confirm window before the wait for approval starts.
  const since = () => (deps.now ?? Date.now)() - approvals.ttlSeconds * 1000 - confirmWindowMs;
  return {
    cards: deps.cards,
    approvals: {
      required: approvals.required,
      approvers: approvals.approvers,
      ...(approvals.channel ? { channel: approvals.channel } : {}),
      ttlMs: approvals.ttlSeconds * 1000,
      isApprover: async (userId) => (await deps.approvers?.isApprover(userId)) === true,
      anyoneBut: async (userIds) => (await deps.approvers?.anyoneBut(userIds)) === true,
      waiting: () => deps.operations.listAwaitingApproval(since()),
      cardLink: (ref) => deps.cards!.link(ref),
    },
  };
}

/** What the worker knows of its own limits: Lambda's remaining time, when it runs on Lambda. */
export interface JobLimits {
  remainingMs?: number;
}

/**
 * Creates the job runner. The promise it returns never rejects: every failure becomes a reply to the user and a log
 * line, because a job has nobody else to tell.
 */
export function createJobRunner(deps: JobRunnerDeps): (job: Job, limits?: JobLimits) => Promise<void> {
  return async (job, limits = {}) => {
    const logger = deps.logger.child({ jobId: job.id, job: job.kind, userId: job.actor.userId });
    const started = Date.now();
    const now = (deps.now ?? Date.now)();
    const run: JobRun = {
      // A fresh token per run: a redelivered job keeps its id but is not the run that wrote before.
      writer: { jobId: job.id, token: randomUUID() },
      deadlineAt: now + Math.min(defaultJobMs, (limits.remainingMs ?? Number.POSITIVE_INFINITY) - jobMarginMs),
    };
    let reply: Reply;
    let failed = false;
    try {
      reply = await execute(deps, job, logger, run);
    } catch (error) {
      failed = true;
      reply = failureReply(error, logger, describeJob(job), deps.config.slack.command);
      // A change that stopped part-way did change vCR: the notification channel hears what went and what stayed.
      if (error instanceof PartialFailureError)
        reply = { ...reply, notify: partialFailureNotice(error, job.actor.userId) };
    }
    try {
      await deliver(deps, job, reply, failed, logger);
    } catch (error) {
      logger.error('Delivering a job reply failed', { ref: newErrorRef(), error: asError(error) });
    }
    // The job's one summary line: who, which command, how it ended (docs/configuration.md#logs-and-metrics).
    logger.info('Job finished', {
      ...describeJob(job),
      outcome: failed ? 'failed' : 'done',
      failed,
      ms: Date.now() - started,
    });
  };
}

/**
 * Creates the reporter of crashed jobs. A job whose operation it had claimed is marked `outcome_unknown` (never run
 * again) and its requester told what to check; a job that made no record is told it did nothing; a job whose outcome
 * was recorded is only logged. Rejects only when the store cannot be read, so the report is tried again.
 */
export function createCrashReporter(deps: JobRunnerDeps): (job: Job, crash: JobCrash) => Promise<void> {
  return async (job, crash) => {
    const logger = deps.logger.child({ jobId: job.id, job: job.kind, userId: job.actor.userId });
    const ref = newErrorRef();
    const operationId =
      job.kind === 'invoke' ? operationIdOf(operationKeyOf(job.requestKey, job.invocation.command)) : job.operationId;
    // The crashed run's own job id, so only an operation that run claimed is settled.
    const run: JobRun = {
      writer: { jobId: job.id, token: randomUUID() },
      deadlineAt: (deps.now ?? Date.now)() + defaultJobMs,
    };
    const ctx = createCommandContext(deps, job.actor, logger, run);
    const settled = await settleCrashedRun(ctx, operationId, 'its worker stopped before it could record how it ended');
    const fields = { ref, ...describeJob(job), operationId, ...crash, found: settled.kind };
    if (settled.kind === 'recorded') {
      logger.warn('A crashed job had already recorded its outcome; nothing to do', {
        ...fields,
        status: settled.operation.status,
      });
      return;
    }
    logger.error('A job crashed before it recorded its outcome', {
      ...fields,
      outcome: settled.kind === 'lost' ? 'outcome_unknown' : 'failed',
    });
    const told = rich`Reference \`${ref}\` for an admin, who can find the crash in the logs.`;
    const reply: Reply =
      settled.kind === 'lost'
        ? { ...settled.reply, parts: [...settled.reply.parts, { type: 'context', text: told }] }
        : crashedBeforeRecord(job, deps.config.slack.command, told);
    try {
      await deliver(deps, job, reply, true, logger);
    } catch (error) {
      logger.error('Delivering a crash report failed', { ref, error: asError(error) });
    }
  };
}

function crashedBeforeRecord(job: Job, slashCommand: string, told: RichText): Reply {
  const command = job.kind === 'invoke' ? job.invocation.command : job.command;
  const text = rich`I could not finish \`${command}\`: the worker stopped before it recorded anything, so nothing was changed. Run \`${slashCommand}\` again.`;
  return {
    text,
    parts: [
      { type: 'text', text },
      { type: 'context', text: told },
    ],
  };
}

/** Admits the job's actor again (roles may have changed since the click) and runs it through the runner. */
async function execute(deps: JobRunnerDeps, job: Job, logger: Logger, run: JobRun): Promise<Reply> {
  const origin = {
    userId: job.actor.userId,
    userTeamId: job.actor.teamId,
    channelId: job.channelId,
    surface: 'job' as const,
  };
  if (job.kind === 'invoke') {
    const { actor } = await authorize(deps, {
      ...origin,
      commandId: job.invocation.command,
      // Named like the operation the request would have run, so its refusal and its record share an id.
      subject: { requestId: operationIdOf(operationKeyOf(job.requestKey, job.invocation.command)) },
    });
    return runInvocation(createCommandContext(deps, actor, logger, run), job.invocation, {
      key: job.requestKey,
      repeatable: job.repeatable,
    });
  }
  const operation = await deps.operations.get(job.operationId);
  if (!operation) throw new UserError('This request is no longer known; run the command again.');
  const { actor } = await authorize(deps, {
    ...origin,
    commandId: operation.command,
    decision: { requestedBy: operation.requestedBy, choice: job.choice },
    subject: {
      requestId: operation.id,
      summary: operation.summary,
      target: operation.target,
      planHash: planHashOf(operation.pin),
    },
  });
  return decide(createCommandContext(deps, actor, logger, run), operation, job.choice, {
    responseUrl: job.responseUrl,
    reason: job.reason,
  });
}

async function deliver(deps: JobRunnerDeps, job: Job, reply: Reply, failed: boolean, logger: Logger): Promise<void> {
  if (reply.silent) return;
  // The audit line was posted by the runner when the outcome was recorded (src/slack/audit-trail.ts).
  const shown = reply.secret ? await deliverSecret(deps, job, reply, logger) : reply;
  const message = renderReply(shown);
  const shared = reply.visibility === 'in_channel';
  // An ephemeral working line can only be replaced by an ephemeral answer; a shared one is posted anew and the
  // working line deleted after it (docs/slack-limits.md#time-limits).
  const replacing = job.replacesWorkingLine === true && !shared;
  const replaceOriginal = replacing || (!failed && (reply.replaceOriginal === true || job.replaceOriginal === true));
  const delivered =
    job.responseUrl !== undefined &&
    (await deps.delivery.respond(job.responseUrl, {
      ...message,
      response_type: shared ? 'in_channel' : 'ephemeral',
      replace_original: replaceOriginal,
    }));
  if (delivered && shared && job.replacesWorkingLine && job.responseUrl !== undefined) {
    await deps.delivery.respond(job.responseUrl, {
      text: '',
      blocks: [],
      response_type: 'ephemeral',
      replace_original: false,
      delete_original: true,
    });
  }
  if (!delivered) {
    // No usable response_url (a modal submit, or one older than 30 minutes): the requester still gets the answer.
    try {
      await deps.delivery.direct(job.actor.userId, message);
    } catch (error) {
      logger.error('Could not deliver a reply by DM either', { ref: newErrorRef(), error: asError(error) });
    }
  }
}

/**
 * Sends a new secret to the requester's DM only, and returns the reply the channel may see: the secret is never in
 * it. It says the secret was sent only once the DM went through; when the DM failed, the reply leads with that
 * failure and what to do, and the secret is shown nowhere else.
 */
async function deliverSecret(deps: JobRunnerDeps, job: Job, reply: Reply, logger: Logger): Promise<Reply> {
  const secret = reply.secret!;
  logger.addSecret(secret.value);
  const { secret: _withheld, ...rest } = reply;
  const [first, ...others] = rest.parts;
  try {
    await deps.delivery.direct(job.actor.userId, renderSecret(secret));
    const sent = 'The secret was sent to you alone by direct message, and is shown once.';
    return {
      ...rest,
      text: rich`${rest.text} ${sent}`,
      parts: [...(first ? [first] : []), { type: 'context', text: sent }, ...others],
    };
  } catch (error) {
    const ref = newErrorRef();
    const failure = readSlackFailure(error);
    const meaning = failure ? explainSlackFailure(failure, slackContext(deps.config)) : undefined;
    const fields = { ref, error: asError(error) };
    if (meaning && !meaning.misconfigured) logger.warn('Could not send a secret by DM', fields);
    else logger.error('Could not send a secret by DM', fields);
    const command = `${deps.config.slack.command} user secret USER`;
    const lead = rich`*The secret was not sent:* I could not send it to you by direct message${meaning ? rich`: ${meaning.problem}` : '.'} It is shown nowhere else, so nobody has it. ${meaning ? rich`${meaning.fix} ` : ''}Then \`${command}\` makes a new one (ref \`${ref}\`).`;
    return { ...rest, text: rich`${lead} ${rest.text}`, parts: [{ type: 'text', text: lead }, ...rest.parts] };
  }
}

/** Where this deployment's settings live, for the words of a Slack failure. */
export function slackContext(config: Config): SlackFailureContext {
  return {
    tokenSetting:
      config.secretId === undefined ? '`SLACK_BOT_TOKEN`' : `\`slackBotToken\` in secret \`${config.secretId}\``,
    botUserId: config.slack.botUserId,
  };
}

function describeJob(job: Job): Record<string, unknown> {
  return job.kind === 'invoke'
    ? { command: job.invocation.command }
    : { command: job.command, operationId: job.operationId, choice: job.choice };
}

function asError(error: unknown): Error | string {
  return error instanceof Error ? error : String(error);
}
