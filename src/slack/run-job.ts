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
import { renderReply, renderSecret } from './render';
import { explainSlackFailure, readSlackFailure, type SlackFailureContext } from './slack-api-errors';

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

/**
 * Creates the job runner. The promise it returns never rejects: every failure becomes a reply to the user and a log
 * line, because a job has nobody else to tell.
 */
export function createJobRunner(deps: JobRunnerDeps): (job: Job) => Promise<void> {
  const notices = createNoticePoster(deps);
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
      await deliver(deps, notices, job, reply, failed, logger);
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

async function deliver(
  deps: JobRunnerDeps,
  notices: NoticePoster,
  job: Job,
  reply: Reply,
  failed: boolean,
  logger: Logger,
): Promise<void> {
  // The notice goes first, so that the requester learns in the same reply when it could not be posted.
  const noticeProblem = !failed && reply.notify ? await notices.post(reply.notify, logger) : undefined;
  const withSecret = reply.secret ? await deliverSecret(deps, job, reply, logger) : reply;
  const shown: Reply = noticeProblem
    ? { ...withSecret, parts: [...withSecret.parts, { type: 'context', text: noticeProblem }] }
    : withSecret;
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
}

/** Posts change notices to the notify channel; `post` resolves with a line for the requester when it failed. */
interface NoticePoster {
  post(notice: string, logger: Logger): Promise<string | undefined>;
}

/**
 * Creates the poster of change notices. A channel setting that is wrong (the bot not invited, the channel gone or
 * archived) is logged as an error once per container with a ref, then only at debug level with the same ref, since
 * every change would log it again; each requester is still told, with that ref and the fix.
 */
function createNoticePoster(deps: JobRunnerDeps): NoticePoster {
  const reported = new Map<string, string>();
  return {
    async post(notice, logger) {
      const channelId = deps.config.notifyChannel;
      if (!channelId) return undefined;
      try {
        await deps.delivery.post(channelId, renderReply({ text: notice, parts: [{ type: 'text', text: notice }] }));
        return undefined;
      } catch (error) {
        const failure = readSlackFailure(error);
        const meaning = failure
          ? explainSlackFailure(failure, {
              ...slackContext(deps.config),
              channelId,
              channelSetting: 'VCR_NOTIFY_CHANNEL',
            })
          : undefined;
        const key = `${channelId}:${failure?.code ?? 'other'}`;
        const known = meaning?.misconfigured ? reported.get(key) : undefined;
        const ref = known ?? newErrorRef();
        const fields = { ref, channelId, ...(meaning ? { fix: meaning.fix } : {}), error: asError(error) };
        if (known) logger.debug('Could not post a change notification, again', fields);
        else if (meaning && !meaning.misconfigured) logger.warn('Could not post a change notification', fields);
        else logger.error('Could not post a change notification', fields);
        if (meaning?.misconfigured) reported.set(key, ref);
        const why = meaning ? `${meaning.problem} ${meaning.fix.replace(/\.$/, '')}` : 'Something went wrong';
        return `The change was made, but its notice could not be posted in <#${channelId}>: ${why} (ref \`${ref}\`).`;
      }
    },
  };
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
      text: `${rest.text} ${sent}`,
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
    const lead =
      `*The secret was not sent:* I could not send it to you by direct message${meaning ? `: ${meaning.problem}` : '.'} ` +
      `It is shown nowhere else, so nobody has it. ${meaning ? `${meaning.fix} ` : ''}` +
      `Then \`${command}\` makes a new one (ref \`${ref}\`).`;
    return { ...rest, text: `${lead} ${rest.text}`, parts: [{ type: 'text', text: lead }, ...rest.parts] };
  }
}

/** Where this deployment's settings live, for the words of a Slack failure. */
function slackContext(config: Config): SlackFailureContext {
  return {
    tokenSetting:
      config.secretId === undefined ? '`SLACK_BOT_TOKEN`' : `\`slackBotToken\` in secret \`${config.secretId}\``,
    botUserId: config.slack.botUserId,
  };
}

function describeJob(job: Job): Record<string, unknown> {
  return job.kind === 'invoke' ? { command: job.invocation.command } : { pendingId: job.pendingId };
}

function asError(error: unknown): Error | string {
  return error instanceof Error ? error : String(error);
}
