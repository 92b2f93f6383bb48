/**
 * The single execution path behind every surface. Reads just run. Every change runs inside one operation record:
 * created under the request's idempotency key, claimed by one run, ended once; a destructive command only plans,
 * and this runner stores its plan and adds the confirm and Cancel buttons (docs/decisions/0007-operation-lifecycle.md).
 */
import { newErrorRef, UserError } from '../errors';
import { mention, type RichText, rich } from '../rich-text';
import type { Operation, OperationStatus } from '../store/operation-store';
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
} from './approval-flow';
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
      const reply = await spec.run(ctx, args);
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
    const text = rich`Cancelled by ${mention(ctx.actor.userId)}: ${operation.summary}. Nothing was changed.`;
    await closeCard(ctx, now ?? operation, text);
    return { text: `Cancelled: ${operation.summary}`, parts: [{ type: 'text', text }], replaceOriginal: true };
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
  return executeClaimed(ctx, spec, operation, () => spec.run(ctx, args));
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
  const base = `${request.key}#${command}`;
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
): Promise<Reply> {
  const running = run().then(
    (reply) => ({ reply }),
    (error: unknown) => ({ error }),
  );
  const outcome = await raceDeadline(running, ctx.deadlineAt - ctx.now());
  if (outcome === 'deadline') {
    // Still running when the worker is about to be stopped: say so now; a late finish still records its outcome.
    void running.then((late) => end(ctx, operation, ['executing', 'outcome_unknown'], late));
    return settleLost(ctx, spec, operation, 'it took longer than the bot may wait', false);
  }
  const ended = withFreshPreview(spec, operation, outcome);
  await end(ctx, operation, ['executing'], ended);
  if ('error' in ended) throw ended.error;
  return ended.reply;
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
): Promise<void> {
  const to: OperationStatus =
    'reply' in outcome ? 'done' : isOutcomeUnknown(outcome.error) ? 'outcome_unknown' : 'failed';
  try {
    await ctx.operations.transition(
      operation.id,
      {
        from,
        to,
        claimToken: ctx.writer.token,
        ...('reply' in outcome ? { reply: storable(outcome.reply) } : { detail: describeFailure(outcome.error) }),
      },
      ctx.writer,
    );
  } catch (error) {
    ctx.logger.error('Could not record how an operation ended; a later touch settles it by reading vCR', {
      ref: newErrorRef(),
      operationId: operation.id,
      status: to,
      error: asError(error),
    });
  }
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
    await ctx.operations.transition(
      operation.id,
      { from: ['executing'], to: 'outcome_unknown', claimToken: operation.claim?.token, detail: { reason: why } },
      ctx.writer,
    );
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
    await ctx.operations.transition(
      operation.id,
      {
        from: ['outcome_unknown'],
        to: settled === 'done' ? 'done' : 'failed',
        detail: { reason: why, settledBy: 'read' },
      },
      ctx.writer,
    );
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
        // The first click after the end updates the card at the latest (docs/decisions/0015-approvals.md).
        if (expired.moved) {
          await closeCard(
            ctx,
            operation,
            rich`Expired ${expiryText(operation.expiresAt)} without a decision; nothing was changed.`,
          );
        }
        return note(`This request expired: ${what}. Run the command again for a fresh preview.`);
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
 * What the record keeps of a failure: its kind and vCR's status and words, never a secret or a header; for a change
 * that stopped part-way, what it did and what it left as well.
 */
function describeFailure(error: unknown): Record<string, unknown> {
  if (error instanceof PartialFailureError) {
    return {
      kind: error.name,
      message: error.summary(),
      failed: error.failed,
      done: error.done,
      unsure: error.unsure,
      remaining: error.remaining,
      cause: describeFailure(error.cause),
    };
  }
  if (error instanceof VcrApiError) {
    return {
      kind: error.name,
      status: error.status,
      message: error.serverMessage,
      method: error.method,
      path: error.path,
    };
  }
  if (error instanceof VcrUnreadableAnswerError) {
    return { kind: error.name, status: error.status, reason: error.reason, method: error.method, path: error.path };
  }
  if (error instanceof UserError) return { kind: error.name, message: error.message };
  if (error instanceof Error) return { kind: error.name };
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
