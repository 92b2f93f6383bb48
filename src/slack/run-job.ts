/**
 * The slow phase of every Slack interaction: runs the job's command against vCR and delivers the answer through
 * `response_url`, falling back to a DM when that URL is missing or expired (issue 3, "Two phases on Lambda").
 */
import type { webApi } from '@slack/bolt';
import type { Actor, CommandContext } from '../commands/command';
import type { PolicyResolver } from '../commands/policies';
import type { Reply } from '../commands/reply';
import { cancelPending, confirmPending, runInvocation } from '../commands/run-invocation';
import type { Config } from '../config';
import type { Job } from '../jobs/job';
import type { Logger } from '../logger';
import type { PendingStore } from '../store/pending-store';
import type { VcrClient } from '../vcr/client';
import type { TokenProvider } from '../vcr/token';
import type { Delivery } from './delivery';
import { failureReply, newErrorRef } from './failure-reply';
import { renderNotification, renderReply, renderSecret } from './render';

/** What running a job needs; all built once per container and shared by every job. */
export interface JobRunnerDeps {
  config: Config;
  vcr: VcrClient;
  tokens: TokenProvider;
  policies: PolicyResolver;
  pending: PendingStore;
  delivery: Delivery;
  /** The Web API client with the bot token, for `ping`'s Slack check. */
  slack: webApi.WebClient;
  logger: Logger;
  now?: () => number;
}

/** Builds the context commands run with for `actor`; building it makes no network call. */
export function createCommandContext(deps: JobRunnerDeps, actor: Actor, logger = deps.logger): CommandContext {
  return {
    vcr: deps.vcr,
    policies: deps.policies,
    pending: deps.pending,
    actor,
    logger,
    now: deps.now ?? Date.now,
    slashCommand: deps.config.slack.command,
    health: {
      slack: async () => {
        await deps.slack.auth.test();
      },
      iam: async () => {
        await deps.tokens.getToken();
      },
    },
  };
}

/**
 * Creates the job runner. The promise it returns never rejects: every failure becomes a reply to the user and a log
 * line, because a job has nobody else to tell.
 */
export function createJobRunner(deps: JobRunnerDeps): (job: Job) => Promise<void> {
  return async (job) => {
    const logger = deps.logger.child({ jobId: job.id, job: job.kind, userId: job.actor.userId });
    const started = Date.now();
    let reply: Reply;
    let failed = false;
    try {
      reply = await execute(createCommandContext(deps, job.actor, logger), job);
    } catch (error) {
      failed = true;
      reply = failureReply(error, logger, describeJob(job), deps.config.slack.command);
    }
    try {
      await deliver(deps, job, reply, failed, logger);
    } catch (error) {
      logger.error('Delivering a job reply failed', { ref: newErrorRef(), error: asError(error) });
    }
    logger.info('Job finished', { ...describeJob(job), failed, ms: Date.now() - started });
  };
}

function execute(ctx: CommandContext, job: Job): Promise<Reply> {
  switch (job.kind) {
    case 'invoke':
      return runInvocation(ctx, job.invocation);
    case 'confirm':
      return confirmPending(ctx, job.pendingId);
    case 'cancel':
      return cancelPending(ctx, job.pendingId);
  }
}

async function deliver(deps: JobRunnerDeps, job: Job, reply: Reply, failed: boolean, logger: Logger): Promise<void> {
  const shown = reply.secret ? await deliverSecret(deps, job, reply, logger) : reply;
  const message = renderReply(shown);
  const replaceOriginal = !failed && (reply.replaceOriginal === true || job.replaceOriginal === true);
  const delivered =
    job.responseUrl !== undefined &&
    (await deps.delivery.respond(job.responseUrl, {
      ...message,
      response_type: reply.visibility === 'in_channel' ? 'in_channel' : 'ephemeral',
      replace_original: replaceOriginal,
    }));
  if (!delivered) {
    // No usable response_url (a modal submit, or one older than 30 minutes): the requester still gets the answer.
    try {
      await deps.delivery.direct(job.actor.userId, message);
    } catch (error) {
      logger.error('Could not deliver a reply by DM either', { ref: newErrorRef(), error: asError(error) });
    }
  }
  if (!failed && reply.notify && deps.config.notifyChannel) {
    try {
      await deps.delivery.post(deps.config.notifyChannel, renderNotification(reply.notify));
    } catch (error) {
      logger.error('Could not post a change notification', { ref: newErrorRef(), error: asError(error) });
    }
  }
}

/**
 * Sends a new secret to the requester's DM only, and returns the reply the channel may see: the secret is never in
 * it, and when the DM failed it says so instead of showing the secret anywhere else.
 */
async function deliverSecret(deps: JobRunnerDeps, job: Job, reply: Reply, logger: Logger): Promise<Reply> {
  const secret = reply.secret!;
  logger.addSecret(secret.value);
  const { secret: _withheld, ...rest } = reply;
  try {
    await deps.delivery.direct(job.actor.userId, renderSecret(secret));
    return rest;
  } catch (error) {
    const ref = newErrorRef();
    logger.error('Could not send a secret by DM', { ref, error: asError(error) });
    const text = `I could not send you the secret by DM (ref \`${ref}\`), and it is shown nowhere else. Check that you can receive DMs from the bot, then generate a new one.`;
    return { ...rest, parts: [...rest.parts, { type: 'text', text }] };
  }
}

function describeJob(job: Job): Record<string, unknown> {
  return job.kind === 'invoke' ? { command: job.invocation.command } : { pendingId: job.pendingId };
}

function asError(error: unknown): Error | string {
  return error instanceof Error ? error : String(error);
}
