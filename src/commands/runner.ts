/**
 * The single execution path behind every surface. Reads just run. Every change runs inside one operation record:
 * created under the request's idempotency key, claimed by one run, ended once; a destructive command only plans,
 * and this runner stores its plan and adds the confirm and Cancel buttons (docs/decisions/0007-operation-lifecycle.md).
 */
import { newErrorRef, UserError } from '../errors';
import { mention, type RichText, rich } from '../rich-text';
import type { AuditOutcome } from '../store/audit-store';
import type { Operation, OperationStatus, OperationTarget } from '../store/operation-store';
import { type NewOperation, operationIdOf, waitingStatuses } from '../store/operation-store';
import {
  mayHaveBeenCarriedOut,
  VcrApiError,
  VcrMissingSecretError,
  VcrNetworkError,
  VcrTimeoutError,
  VcrUnreadableAnswerError,
} from '../vcr/errors';
import {
  approve,
  closeCard,
  type DecisionRequest,
  expiryText,
  needsApproval,
  type RunnerHooks,
  reject,
  requestApproval,
  tellRequester,
} from './approval-flow';
import { planHashOf } from './audit/audit-sink';
import type { ChangeSpec, CommandContext, CommandSpec, DestructiveSpec, Plan, Settled } from './command';
import { truncate } from './format';
import { PartialFailureError } from './partial-failure';
import { findCommandById } from './registry';
import type { Action, DecisionChoice, Invocation, Reply } from './reply';

/** How long a preview can be confirmed, in ms. */
export const confirmWindowMs = 15 * 60_000;

/** Slack's identity of the request being run; its duplicates (retries, double submits, redeliveries) share it. */
export interface RunRequest {
  key: string;
  /**
   * True when a person can send the same identity again later on purpose: a button of an old message. A repeat
   * within `repeatWindowMs` is still a double click; past it, once the first ended, it is a new request.
   */
  repeatable?: boolean;
}

/** How long a repeated click on the same button counts as the same request, in ms. */
export const repeatWindowMs = 60_000;

// Ended states a later, deliberate click may start afresh; an unknown outcome never is (nothing runs again by itself).
const restartable: readonly OperationStatus[] = ['done', 'failed', 'cancelled', 'expired', 'rejected'];

/** Looks up the command of an invocation and checks its args; throws `UserError` for an unknown command. */
export function prepareInvocation(invocation: Invocation): { spec: CommandSpec; args: Invocation['args'] } {
  const spec = findCommandById(invocation.command);
  if (!spec) throw new UserError(`Unknown command \`${invocation.command}\`.`);
  const args = spec.validate ? spec.validate(invocation.args) : invocation.args;
  return { spec, args };
}

/**
 * Runs an admitted invocation. A read answers; a change runs once per `request.key`; a destructive command answers
 * its preview with buttons, once per key. A duplicate of a change answers the first outcome, or that it still runs.
 */
export async function runInvocation(ctx: CommandContext, invocation: Invocation, request: RunRequest): Promise<Reply> {
  const { spec, args } = prepareInvocation(invocation);
  switch (spec.kind) {
    case 'read': {
      // A read has no operation record, so it is counted here; every change is counted at `recordOutcome`.
      let reply: Reply;
      try {
        reply = await spec.run(ctx, args);
      } catch (error) {
        ctx.metrics?.command(spec.id, error instanceof UserError ? 'refused' : 'failed');
        throw error;
      }
      ctx.metrics?.command(spec.id, 'done');
      return args.share === true ? { ...reply, visibility: 'in_channel' } : reply;
    }
    case 'change':
      return runChange(ctx, spec, args, request);
    case 'destructive':
      return planDestructive(ctx, spec, args, request);
  }
}

/**
 * Confirms, cancels, approves or rejects `operation` for an admitted actor. Confirming claims it with a conditional
 * move to `executing` (or, for a command that needs a second person, asks for an approval), so of any number of
 * clicks, retries and redeliveries exactly one executes it.
 */
export async function decide(
  ctx: CommandContext,
  operation: Operation,
  choice: DecisionChoice,
  request: DecisionRequest = {},
): Promise<Reply> {
  const spec = destructiveSpecOf(operation);
  const hooks: RunnerHooks = {
    move: (target, change) => ctx.operations.transition(target.id, change, ctx.writer),
    executeClaimed: (claimed, run) => executeClaimed(ctx, spec, claimed, run),
    alreadyHandled: (now) => alreadyHandledOrRedelivered(ctx, now),
    recordRejection: (rejected, reason) =>
      recordOutcome(ctx, rejected, 'rejected', { decidedBy: ctx.actor.userId, ...(reason ? { reason } : {}) }),
  };
  if (choice === 'approve') return approve(ctx, spec, operation, hooks);
  if (choice === 'reject') return reject(ctx, operation, request.reason, hooks);
  if (choice === 'cancel') {
    const { moved, operation: now } = await ctx.operations.transition(
      operation.id,
      { from: waitingStatuses, to: 'cancelled', by: ctx.actor.userId },
      ctx.writer,
    );
    if (!moved) return alreadyHandled(ctx, now ?? operation);
    const problem = await recordOutcome(ctx, now ?? operation, 'cancelled');
    const text = rich`Cancelled by ${mention(ctx.actor.userId)}: ${operation.summary}. Nothing was changed.`;
    await closeCard(ctx, now ?? operation, text);
    return {
      text: `Cancelled: ${operation.summary}`,
      parts: [{ type: 'text', text }, ...(problem ? [{ type: 'context' as const, text: problem }] : [])],
      replaceOriginal: true,
    };
  }
  if (needsApproval(ctx, spec)) return requestApproval(ctx, operation, request, hooks);
  // Only the requester's own confirmation claims from `requested`; an `approved` request is the approver's to run.
  const claim = await ctx.operations.transition(
    operation.id,
    { from: ['requested'], to: 'executing', by: ctx.actor.userId, deadlineAt: ctx.deadlineAt },
    ctx.writer,
  );
  if (!claim.moved || !claim.operation) {
    if (claim.operation?.claim?.jobId === ctx.writer.jobId) return redelivered(ctx, claim.operation);
    return alreadyHandled(ctx, claim.operation ?? operation);
  }
  const claimed = claim.operation;
  const reply = await executeClaimed(ctx, spec, claimed, () => spec.execute(ctx, claimed));
  return { ...reply, replaceOriginal: true };
}

async function runChange(
  ctx: CommandContext,
  spec: ChangeSpec,
  args: Invocation['args'],
  request: RunRequest,
): Promise<Reply> {
  const { operation, created } = await createOperation(ctx, spec.id, request, (key) => ({
    key,
    command: spec.id,
    args,
    pin: {},
    summary: `\`${ctx.slashCommand} ${spec.words.join(' ')}\``,
    requestedBy: ctx.actor.userId,
    teamId: ctx.actor.teamId,
    channelId: ctx.actor.channelId,
    status: 'executing',
    waitMs: 0,
    deadlineAt: ctx.deadlineAt,
  }));
  if (!created) return duplicateReply(ctx, operation);
  const noted: { target?: OperationTarget } = {};
  const running: CommandContext = {
    ...ctx,
    noteTarget: (target) => {
      noted.target = target;
    },
  };
  return executeClaimed(
    running,
    spec,
    operation,
    () => spec.run(running, args),
    () => noted.target,
  );
}

async function planDestructive(
  ctx: CommandContext,
  spec: DestructiveSpec,
  args: Invocation['args'],
  request: RunRequest,
): Promise<Reply> {
  const planned = await spec.plan(ctx, args);
  if (!isPlan(planned)) return planned;
  // The buttons name the operation, whose id the key decides: the preview is complete before the record is written,
  // and stored with it, so a duplicate of this request answers the very same preview and buttons.
  let preview: Reply = { text: '', parts: [] };
  const { operation, created } = await createOperation(ctx, spec.id, request, (key) => {
    preview = previewReply(planned, operationIdOf(key), spec.id);
    return {
      key,
      command: spec.id,
      args: planned.args,
      pin: planned.pin,
      summary: planned.summary,
      target: planned.target,
      requestedBy: ctx.actor.userId,
      teamId: ctx.actor.teamId,
      channelId: ctx.actor.channelId,
      status: 'requested',
      waitMs: confirmWindowMs,
      reply: storable(preview),
    };
  });
  if (!created) return duplicateReply(ctx, operation);
  return preview;
}

/** The idempotency key of `command` run for Slack's request `requestKey`: the command is part of it. */
export function operationKeyOf(requestKey: string, command: string): string {
  return `${requestKey}#${command}`;
}

/**
 * Creates the operation of `request` unless its key names one already. The key carries the command, so two commands
 * can never share a record. A repeatable request (a button clicked again) whose first run ended more than
 * `repeatWindowMs` ago starts a successor, keyed by the record it follows, so concurrent late clicks still share one.
 */
async function createOperation(
  ctx: CommandContext,
  command: string,
  request: RunRequest,
  build: (key: string) => NewOperation,
): Promise<{ operation: Operation; created: boolean }> {
  const base = operationKeyOf(request.key, command);
  let key = base;
  for (;;) {
    const result = await ctx.operations.create(build(key), ctx.writer);
    const { operation } = result;
    const stale =
      request.repeatable === true &&
      restartable.includes(operation.status) &&
      operation.updatedAt + repeatWindowMs < ctx.now();
    if (result.created || !stale) return result;
    key = `${base}>${operation.id}`;
  }
}

/** The preview of `plan` with its confirm and Cancel buttons; sizes per docs/slack-limits.md. */
function previewReply(plan: Plan, operationId: string, command: string): Reply {
  const { wording } = plan;
  const actions: Action[] = [
    {
      label: truncate(wording.label, 75),
      style: wording.style ?? 'danger',
      decision: { operationId, command, choice: 'confirm' },
      confirm: {
        title: truncate(wording.title, 100),
        text: truncate(wording.text, 300),
        confirm: wording.confirm ?? 'Delete',
        deny: wording.deny ?? 'Keep it',
      },
    },
    { label: 'Cancel', decision: { operationId, command, choice: 'cancel' } },
  ];
  return { text: plan.preview.text, parts: [...plan.preview.parts, { type: 'actions', actions }] };
}

/**
 * Runs the claimed `operation` and ends it: `done` with its reply, `failed` when vCR refused or a check stopped it,
 * `outcome_unknown` when a write's answer was lost. A run still going at `ctx.deadlineAt` is reported as unknown
 * before the worker is stopped, and settled by a read where one can tell.
 */
async function executeClaimed(
  ctx: CommandContext,
  spec: ChangeSpec | DestructiveSpec,
  operation: Operation,
  run: () => Promise<Reply>,
  target: () => OperationTarget | undefined = () => undefined,
): Promise<Reply> {
  const running = run().then(
    (reply) => ({ reply }),
    (error: unknown) => ({ error }),
  );
  const outcome = await raceDeadline(running, ctx.deadlineAt - ctx.now());
  if (outcome === 'deadline') {
    // Still running when the worker is about to be stopped: say so now; a late finish still records its outcome.
    void running.then((late) => end(ctx, operation, ['executing', 'outcome_unknown'], late, target()));
    return settleLost(ctx, spec, operation, 'it took longer than the bot may wait', false);
  }
  const ended = withFreshPreview(spec, operation, outcome);
  const problem = await end(ctx, operation, ['executing'], ended, target());
  if ('error' in ended) throw ended.error;
  return problem ? { ...ended.reply, parts: [...ended.reply.parts, { type: 'context', text: problem }] } : ended.reply;
}

/**
 * A destructive execution that stopped part-way offers a fresh preview of what is left: the same command and args,
 * planned again from vCR, so it shows only what is still there (src/commands/partial-failure.ts).
 */
function withFreshPreview<T extends { reply: Reply } | { error: unknown }>(
  spec: ChangeSpec | DestructiveSpec,
  operation: Operation,
  outcome: T,
): T | { error: PartialFailureError } {
  if (spec.kind !== 'destructive' || !('error' in outcome) || !(outcome.error instanceof PartialFailureError)) {
    return outcome;
  }
  return { error: outcome.error.withRetry({ command: operation.command, args: operation.args }) };
}

/**
 * Records how a run ended. It never throws: vCR has already answered, so what it did (a new secret above all) must
 * still reach the user when the record cannot be written. The record then stays `executing`, and the first click or
 * duplicate after the run's deadline settles it by reading vCR.
 */
async function end(
  ctx: CommandContext,
  operation: Operation,
  from: OperationStatus[],
  outcome: { reply: Reply } | { error: unknown },
  target?: OperationTarget,
): Promise<RichText | undefined> {
  const to = ('reply' in outcome ? 'done' : isOutcomeUnknown(outcome.error) ? 'outcome_unknown' : 'failed') as
    | 'done'
    | 'failed'
    | 'outcome_unknown';
  const detail = 'reply' in outcome ? undefined : describeFailure(outcome.error);
  let moved: boolean;
  let ended: Operation | undefined;
  try {
    ({ moved, operation: ended } = await ctx.operations.transition(
      operation.id,
      {
        from,
        to,
        claimToken: ctx.writer.token,
        ...('reply' in outcome ? { reply: storable(outcome.reply) } : { detail }),
      },
      ctx.writer,
    ));
  } catch (error) {
    // vCR has answered: what it did (a new secret above all) must still reach the user. The record stays
    // `executing`, and the first click or duplicate after the run's deadline settles it by reading vCR.
    ctx.logger.error('Could not record how an operation ended; a later touch settles it by reading vCR', {
      ref: newErrorRef(),
      operationId: operation.id,
      status: to,
      error: asError(error),
    });
    return undefined;
  }
  if (!moved) return undefined;
  const facts = 'reply' in outcome ? { line: outcome.reply.notify, target } : { detail, target };
  return recordOutcome(ctx, ended ?? operation, to, facts);
}

/** What an outcome's audit record and line may add to the operation: its line and the facts of a failure. */
export interface OutcomeFacts {
  /** The audit channel's line; built from the operation when absent. */
  line?: RichText;
  /** `describeFailure`'s facts: vCR's status and words, what changed before a failure part-way. */
  detail?: Record<string, unknown>;
  /** Who decided, when not the operation's `decidedBy` (a rejection's approver, say). */
  decidedBy?: string;
  /** Why, in plain words (a rejection's reason). */
  reason?: string;
  /** What a change without a plan acted on, known once it ran. */
  target?: OperationTarget;
}

/**
 * Records one outcome of `operation` in the audit trail (table and channel): the one function every end of an
 * operation calls, the approvals' rejection included. Resolves with a line for the requester when the channel post
 * failed (docs/decisions/0016-audit-and-freeze.md).
 */
export async function recordOutcome(
  ctx: CommandContext,
  operation: Operation,
  status: 'done' | 'failed' | 'outcome_unknown' | 'cancelled' | 'expired' | 'rejected',
  facts: OutcomeFacts = {},
): Promise<RichText | undefined> {
  const detail = facts.detail ?? {};
  const partial = partialOf(detail);
  const outcome: AuditOutcome = status === 'failed' && partial ? 'partial' : status;
  const decidedBy = facts.decidedBy ?? operation.decidedBy;
  const reason = facts.reason ?? (typeof detail.message === 'string' ? detail.message : undefined) ?? reasonOf(detail);
  const vcrStatus = typeof detail.status === 'number' ? detail.status : undefined;
  const vcrMessage = typeof detail.vcrMessage === 'string' ? detail.vcrMessage : undefined;
  const planHash = planHashOf(operation.pin);
  const record = {
    id: `${operation.id}.${outcome}`,
    at: ctx.now(),
    outcome,
    command: operation.command,
    summary: operation.summary,
    requestedBy: operation.requestedBy,
    requestId: operation.id,
    ...(operation.teamId ? { teamId: operation.teamId } : {}),
    ...(operation.channelId ? { channelId: operation.channelId } : {}),
    ...(decidedBy ? { decidedBy } : {}),
    ...((facts.target ?? operation.target) ? { target: facts.target ?? operation.target } : {}),
    ...(planHash ? { planHash } : {}),
    ...(reason ? { reason } : {}),
    ...(vcrStatus !== undefined ? { vcr: { status: vcrStatus, message: vcrMessage } } : {}),
    ...(partial ? { partial } : {}),
  };
  ctx.metrics?.command(operation.command, outcome);
  if (outcome === 'outcome_unknown') ctx.metrics?.outcomeUnknownJob();
  // A rejection always ends an approval; an expiry does when the request had been waiting for one.
  if (outcome === 'rejected' || (outcome === 'expired' && operation.approval)) ctx.metrics?.approval(outcome);
  const own =
    facts.line && decidedBy && decidedBy !== operation.requestedBy
      ? rich`${facts.line}, requested by ${mention(operation.requestedBy)}`
      : facts.line;
  return ctx.audit.record(record, own ?? outcomeLine(operation, outcome, decidedBy, reason, partial));
}

/** The audit channel's line for an outcome that has no line of its own (docs/decisions/0016-audit-and-freeze.md). */
function outcomeLine(
  operation: Operation,
  outcome: AuditOutcome,
  decidedBy: string | undefined,
  reason: string | undefined,
  partial: { changed: string[]; unchanged: string[]; lines?: string[] } | undefined,
): RichText {
  const who = mention(operation.requestedBy);
  const what = operation.summary;
  const why = reason ? `: ${truncate(reason, 300)}` : '';
  switch (outcome) {
    case 'done':
      return rich`${who} ran ${what}`;
    case 'partial':
      // The same lines the requester read (src/commands/partial-failure.ts), so channel and reply never disagree.
      return partial?.lines
        ? rich`${who}: ${what} stopped part-way. ${partial.lines.join('. ')}.`
        : rich`${who}'s ${what} failed part-way${why}. Done before it stopped: ${listed(partial?.changed)}. Still there: ${listed(partial?.unchanged)}`;
    case 'failed':
      return rich`${who}'s ${what} failed${why}`;
    case 'outcome_unknown':
      // A change that stopped part-way on a step whose answer was lost: its lines say so (the last step may be done).
      return partial?.lines
        ? rich`${who}: ${what} stopped part-way. ${partial.lines.join('. ')}.`
        : rich`${who}'s ${what} has an unknown outcome${why}; check vCR before running it again`;
    case 'cancelled':
      return rich`${decidedBy ? mention(decidedBy) : who} cancelled ${what}`;
    case 'rejected':
      return rich`${decidedBy ? mention(decidedBy) : 'Someone'} rejected ${who}'s ${what}${why}`;
    case 'expired':
      return rich`${who}'s ${what} expired before anyone confirmed it`;
    case 'refused':
      return rich`${who} was refused ${what}${why}`;
  }
}

function listed(items: string[] | undefined): string {
  if (!items || items.length === 0) return 'nothing';
  const shown = items.slice(0, 5).join(', ');
  return items.length > 5 ? `${shown} and ${items.length - 5} more` : shown;
}

function partialOf(
  detail: Record<string, unknown>,
): { changed: string[]; unchanged: string[]; lines?: string[] } | undefined {
  const partial = detail.partial as Record<string, unknown> | undefined;
  if (!partial || !Array.isArray(partial.changed) || partial.changed.length === 0) return undefined;
  const strings = (value: unknown) => (Array.isArray(value) ? value.filter((item) => typeof item === 'string') : []);
  const lines = strings(partial.lines);
  return {
    changed: strings(partial.changed),
    unchanged: strings(partial.unchanged),
    ...(lines.length > 0 ? { lines } : {}),
  };
}

function reasonOf(detail: Record<string, unknown>): string | undefined {
  if (typeof detail.reason === 'string') return detail.reason;
  if (typeof detail.kind === 'string') return detail.kind;
  return undefined;
}

/** What became of the operation of a job whose worker crashed before it could report. */
export type CrashedRun =
  | { kind: 'lost'; reply: Reply; operation: Operation }
  | { kind: 'recorded'; operation: Operation }
  | { kind: 'none' };

/**
 * Settles the operation of a job whose worker crashed (Lambda's on-failure destination): one it had claimed and not
 * ended becomes `outcome_unknown` and is audited, with a reply for the requester; nothing is ever run again. An
 * operation that ended, or that this run never claimed, is only reported back; `none` when the job made no record.
 */
export async function settleCrashedRun(ctx: CommandContext, operationId: string, why: string): Promise<CrashedRun> {
  const operation = await ctx.operations.get(operationId);
  if (!operation) return { kind: 'none' };
  if (operation.status !== 'executing' || operation.claim?.jobId !== ctx.writer.jobId) {
    return { kind: 'recorded', operation };
  }
  // Not read back from vCR: a crash says nothing of how far the run got, and the requester is told to check.
  const reply = await settleLost(ctx, specOf(operation), operation, why, false);
  return { kind: 'lost', reply, operation: (await ctx.operations.get(operationId)) ?? operation };
}

/**
 * Marks an operation whose run is lost as `outcome_unknown` and answers plainly; nothing is ever run again by itself.
 * With `read`, the run is surely over (its worker was stopped), so vCR is read where the command can tell what
 * happened and the record is settled to `done` or `failed`; a run still in flight is never settled, since its write
 * may yet land.
 */
async function settleLost(
  ctx: CommandContext,
  spec: ChangeSpec | DestructiveSpec,
  operation: Operation,
  why: string,
  read: boolean,
): Promise<Reply> {
  if (operation.status === 'executing') {
    const lost = await ctx.operations.transition(
      operation.id,
      { from: ['executing'], to: 'outcome_unknown', claimToken: operation.claim?.token, detail: { reason: why } },
      ctx.writer,
    );
    if (lost.moved) await recordOutcome(ctx, lost.operation ?? operation, 'outcome_unknown', { reason: why });
  }
  let settled: Settled = 'unknown';
  if (read && spec.settle) {
    try {
      settled = await spec.settle(ctx, operation);
    } catch (error) {
      ctx.logger.warn('Could not settle an operation by reading vCR', {
        operationId: operation.id,
        error: asError(error),
      });
    }
  }
  if (settled !== 'unknown') {
    const to = settled === 'done' ? 'done' : 'failed';
    const detail = { reason: why, settledBy: 'read' };
    const read = await ctx.operations.transition(operation.id, { from: ['outcome_unknown'], to, detail }, ctx.writer);
    if (read.moved) {
      const reason = `${why}; reading vCR shows it was ${settled === 'done' ? 'done' : 'not done'}`;
      await recordOutcome(ctx, read.operation ?? operation, to, { reason });
    }
  }
  const what = operation.summary;
  const text =
    settled === 'done'
      ? `I lost track of ${what} (${why}), but reading vCR shows it was done. It will not run again.`
      : settled === 'not_done'
        ? `I lost track of ${what} (${why}); reading vCR shows it was not done. Nothing runs by itself: run the command again if you still want it.`
        : `I lost track of ${what} (${why}), so it may or may not have happened, and it will not run again by itself. Check vCR before you run the command again.`;
  ctx.logger.warn('Operation outcome unknown', { operationId: operation.id, command: operation.command, settled });
  return { text, parts: [{ type: 'text', text }] };
}

/**
 * What a duplicate (a retried request, a second submit or click) answers: the stored preview while it waits, the
 * first outcome once it ended, "still running" in between; a run taken as dead is settled first. A redelivery of
 * the same job answers nothing, since its first run answers.
 */
async function duplicateReply(ctx: CommandContext, operation: Operation): Promise<Reply> {
  if (operation.createdBy.jobId === ctx.writer.jobId) return redelivered(ctx, operation);
  if (operation.status === 'requested' && operation.reply && operation.expiresAt > ctx.now()) {
    return operation.reply as unknown as Reply;
  }
  return alreadyHandled(ctx, operation);
}

/** What a decision that did not move the operation answers: nothing for a redelivered job, else its state. */
async function alreadyHandledOrRedelivered(ctx: CommandContext, operation: Operation): Promise<Reply> {
  if (operation.claim?.jobId === ctx.writer.jobId) {
    return redelivered(ctx, operation);
  }
  return alreadyHandled(ctx, operation);
}

/** A job delivered again (same job id, another run): its first run answers, so this one says nothing. */
function redelivered(ctx: CommandContext, operation: Operation): Reply {
  ctx.logger.info('Job delivered again; its first run answers', { operationId: operation.id });
  return { text: '', parts: [], silent: true };
}

async function alreadyHandled(ctx: CommandContext, operation: Operation): Promise<Reply> {
  const by: RichText = operation.decidedBy ? rich` by ${mention(operation.decidedBy)}` : '';
  const what = operation.summary;
  const note = (text: RichText): Reply => ({ text, parts: [{ type: 'text', text }] });
  switch (operation.status) {
    case 'requested':
    case 'awaiting_approval':
    case 'approved':
      if (operation.expiresAt <= ctx.now()) {
        const expired = await ctx.operations.transition(
          operation.id,
          { from: waitingStatuses, to: 'expired' },
          ctx.writer,
        );
        if (expired.moved) {
          // The first click after the end updates the card at the latest (docs/decisions/0015-approvals.md).
          await closeCard(
            ctx,
            operation,
            rich`Expired ${expiryText(operation.expiresAt)} without a decision; nothing was changed.`,
          );
          // A request that waited for an approver: its requester is told, as of every other outcome, unless the
          // click that found it expired is their own (its answer below tells them).
          if (operation.approval && ctx.cards && ctx.actor.userId !== operation.requestedBy) {
            const told = rich`Your request expired ${expiryText(operation.expiresAt)} without a decision: ${what}. Nothing was changed; run the command again for a fresh preview.`;
            await tellRequester(ctx, operation, { text: told, parts: [{ type: 'text', text: told }] });
          }
        }
        const problem = expired.moved ? await recordOutcome(ctx, expired.operation ?? operation, 'expired') : undefined;
        const reply = note(`This request expired: ${what}. Run the command again for a fresh preview.`);
        return problem ? { ...reply, parts: [...reply.parts, { type: 'context', text: problem }] } : reply;
      }
      if (operation.status === 'approved') {
        return note(rich`This was already approved${by}; it runs only once: ${what}.`);
      }
      return note(`This request is still waiting: ${what}.`);
    case 'executing':
      if (isDead(ctx, operation))
        return settleLost(ctx, specOf(operation), operation, 'the worker running it stopped', true);
      return note(rich`This is already running (started${by}): ${what}. It runs only once; its result follows.`);
    case 'done': {
      const first = operation.reply as unknown as Reply | undefined;
      const again = rich`This was already done${by}; it runs only once.`;
      return first
        ? { ...first, parts: [...first.parts, { type: 'context', text: again }], notify: undefined }
        : note(rich`${again} ${what}`);
    }
    case 'failed':
      return note(
        rich`This already ran${by} and failed${failureNote(operation)}; it runs only once. Run the command again to retry.`,
      );
    case 'outcome_unknown':
      if (isDead(ctx, operation)) return settleLost(ctx, specOf(operation), operation, 'its worker stopped', true);
      return note(
        rich`This already ran${by}, but its outcome is unknown: ${what} may or may not have happened. It will not run again by itself; check vCR first.`,
      );
    case 'cancelled':
      return note(rich`This request was cancelled${by}; nothing was changed.`);
    case 'rejected':
      return note(rich`This request was rejected${by}; nothing was changed.`);
    case 'expired':
      return note(`This request expired: ${what}. Run the command again for a fresh preview.`);
  }
}

// Lambda stops a worker at its limit, a few seconds after the deadline its run was given; past this, it is gone.
const deadAfterMs = 10_000;

/** True when the run holding `operation` has surely stopped, so a read of vCR shows its final effect. */
function isDead(ctx: CommandContext, operation: Operation): boolean {
  return (operation.claim?.deadlineAt ?? Number.POSITIVE_INFINITY) + deadAfterMs < ctx.now();
}

function failureNote(operation: Operation): string {
  const message = operation.detail?.message;
  return typeof message === 'string' ? ` (${truncate(message, 200)})` : '';
}

function specOf(operation: Operation): ChangeSpec | DestructiveSpec {
  const spec = findCommandById(operation.command);
  if (!spec || spec.kind === 'read') throw new UserError(`Unknown command \`${operation.command}\`.`);
  return spec;
}

function destructiveSpecOf(operation: Operation): DestructiveSpec {
  const spec = specOf(operation);
  if (spec.kind !== 'destructive') throw new UserError('This request has nothing to confirm; run the command again.');
  return spec;
}

function isPlan(planned: Plan | Reply): planned is Plan {
  return 'wording' in planned && 'preview' in planned;
}

/**
 * True when a failed write may still have been carried out: its answer timed out or the connection dropped after it
 * was sent, a create or the refresh was answered 5xx (`mayHaveBeenCarriedOut`), or vCR answered success without the
 * secret it promised. A command that words such an error for the user (a `UserError` with the vCR error as its
 * `cause`) still counts.
 */
function isOutcomeUnknown(error: unknown): boolean {
  for (let current = error; current instanceof Error; current = current.cause) {
    if (current instanceof VcrTimeoutError || current instanceof VcrNetworkError || current instanceof VcrApiError) {
      return mayHaveBeenCarriedOut(current);
    }
    if (current instanceof VcrMissingSecretError) return true;
  }
  return false;
}

/**
 * What the record keeps of a failure: its kind, vCR's status and words (also from a `UserError` that words a vCR
 * refusal), and for a change that stopped part-way what it did and what it left; never a secret or a header.
 */
function describeFailure(error: unknown): Record<string, unknown> {
  let vcr: VcrApiError | undefined;
  for (let current = error; current instanceof Error; current = current.cause) {
    if (current instanceof VcrApiError) {
      vcr = current;
      break;
    }
  }
  const vcrFacts = vcr ? { status: vcr.status, vcrMessage: vcr.serverMessage, method: vcr.method, path: vcr.path } : {};
  if (error instanceof PartialFailureError) {
    return {
      kind: error.name,
      message: error.summary(),
      failed: error.failed,
      done: error.done,
      unsure: error.unsure,
      remaining: error.remaining,
      // The audit trail's words for what went and what stayed: the same lines the requester reads.
      partial: {
        changed: error.done,
        unchanged: error.remaining,
        lines: error.stateLines(),
      },
      cause: describeFailure(error.cause),
      ...vcrFacts,
    };
  }
  if (error instanceof VcrApiError) return { kind: error.name, message: error.serverMessage, ...vcrFacts };
  if (error instanceof VcrUnreadableAnswerError) {
    return { kind: error.name, status: error.status, reason: error.reason, method: error.method, path: error.path };
  }
  if (error instanceof UserError) return { kind: error.name, message: error.message, ...vcrFacts };
  if (error instanceof Error) return { kind: error.name, ...vcrFacts };
  return { kind: 'unknown' };
}

/** The reply as stored: JSON only and never a secret. */
function storable(reply: Reply): Record<string, unknown> {
  const { secret: _secret, ...rest } = reply;
  return JSON.parse(JSON.stringify(rest)) as Record<string, unknown>;
}

function raceDeadline<T>(work: Promise<T>, ms: number): Promise<T | 'deadline'> {
  if (!Number.isFinite(ms)) return work;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'deadline'>((resolve) => {
    timer = setTimeout(() => resolve('deadline'), Math.max(0, ms));
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

function asError(error: unknown): Error | string {
  return error instanceof Error ? error : String(error);
}
