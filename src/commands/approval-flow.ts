/**
 * Four-eyes approvals of destructive commands (docs/decisions/0015-approvals.md): a confirmed request waits for an
 * approver on a card posted in the approval channel; approving executes it once, through the runner's own outcome
 * paths; the card is updated in place at every step, its thread gets progress and result, and the requester is told.
 */
import { UserError } from '../errors';
import { channelLink, joinRich, link, mention, type RichText, rich, toPlainText, userGroupMention } from '../rich-text';
import type { Operation, Transition, TransitionResult } from '../store/operation-store';
import { VcrApiError } from '../vcr/errors';
import type { ApprovalSettings, CardRef, Cards } from './cards';
import type { CommandContext, DestructiveSpec } from './command';
import { commandIds } from './command-ids';
import { slackDate } from './format';
import { PartialFailureError } from './partial-failure';
import type { Action, Part, Reply } from './reply';

/** What the click that decides carries besides its choice: the clicker's conversation, a rejection's reason. */
export interface DecisionRequest {
  /** The `response_url` of the click; a confirming requester's is kept to tell them the outcome. */
  responseUrl?: string;
  /** A rejecting approver's reason, possibly empty. */
  reason?: string;
}

/** What the approval flow borrows from the runner, so every outcome goes through the runner's one path. */
export interface RunnerHooks {
  /** Makes one conditional move of the operation (approved, rejected, the claim); the runner sees every one. */
  move(operation: Operation, change: Transition): Promise<TransitionResult>;
  /** Runs the claimed operation and records its outcome; rethrows a failure after recording it. */
  executeClaimed(operation: Operation, run: () => Promise<Reply>): Promise<Reply>;
  /** The answer for an operation already decided (or expired, which it records). */
  alreadyHandled(operation: Operation): Promise<Reply>;
  /** Records a rejection in the audit trail; resolves with a line for the approver when the channel refused it. */
  recordRejection(operation: Operation, reason: string | undefined): Promise<RichText | undefined>;
}

/** True when `spec`'s confirmed requests wait for an approver under `ctx`'s settings. */
export function needsApproval(ctx: CommandContext, spec: DestructiveSpec): boolean {
  return ctx.approvals?.required.includes(spec.id) === true;
}

/**
 * Moves a confirmed request to `awaiting_approval`, posts its approval card and answers the requester with the wait
 * and a Cancel request button. A card that could not be posted is explained with its fix; the request stays
 * cancellable.
 */
export async function requestApproval(
  ctx: CommandContext,
  operation: Operation,
  request: DecisionRequest,
  hooks: RunnerHooks,
): Promise<Reply> {
  const approvals = ctx.approvals!;
  // Who confirms counts as a pair of eyes too: an admin confirming someone else's request cannot also approve it.
  const deciders = [...new Set([operation.requestedBy, ctx.actor.userId])];
  const alone = await nobodyElseApproves(ctx, approvals, deciders, operation);
  if (alone) return alone;
  const expiresAt = ctx.now() + approvals.ttlMs;
  const moved = await hooks.move(operation, {
    from: ['requested'],
    to: 'awaiting_approval',
    by: ctx.actor.userId,
    expiresAt,
    approval: request.responseUrl ? { responseUrl: request.responseUrl } : {},
  });
  if (!moved.moved || !moved.operation) return hooks.alreadyHandled(moved.operation ?? operation);
  ctx.metrics?.approval('requested');
  const waiting = moved.operation;
  const asked = approvals.channel ?? waiting.channelId ?? ctx.actor.channelId;
  // A direct message with the bot is seen by its requester alone: no approver could ever click its card there.
  const channel = asked?.startsWith('D') ? undefined : asked;
  const posted = channel
    ? await cardsOf(ctx).post(channel, waitingCard(waiting))
    : {
        problem:
          'No approver could see a card in a direct message with the bot, and `VCR_APPROVAL_CHANNEL` is not set. Ask in a channel, or have an admin set it.' as RichText,
      };
  const cancel: Part = { type: 'actions', actions: [cancelRequestAction(waiting)] };
  const expires = expiryText(waiting.expiresAt);
  if ('problem' in posted) {
    await ctx.operations.noteApproval(waiting.id, {
      ...waiting.approval,
      problem: toPlainText(posted.problem),
    });
    ctx.logger.warn('Could not post an approval card', { operationId: waiting.id, channelId: channel });
    const text = rich`*No approver has been asked yet:* I could not post the approval card${channel ? rich` in ${channelLink(channel)}` : ''}. ${posted.problem} Then run the command again; this request waits until ${expires} and can be cancelled below.`;
    return { text, parts: [{ type: 'text', text }, cancel], replaceOriginal: true };
  }
  await ctx.operations.noteApproval(waiting.id, { ...waiting.approval, card: posted.ref });
  const where = link(cardsOf(ctx).link(posted.ref), 'approval card');
  const text = rich`Waiting for approval by ${approversText(approvals, deciders)}: ${waiting.summary}. Nothing runs until it is approved; the request expires ${expires}.`;
  return {
    text,
    parts: [
      { type: 'text', text },
      { type: 'context', text: rich`Asked in ${channelLink(posted.ref.channel)} (${where}).` },
      cancel,
    ],
    replaceOriginal: true,
  };
}

/**
 * Refuses a confirmation up front when nobody but its requester and whoever confirms it may approve it
 * (`VCR_APPROVERS`, its user groups resolved): the request stays `requested`, cancellable and expiring, and no card is posted. Answers undefined when
 * someone else may approve, or when a user group could not be read (the approval is checked again at the click).
 */
async function nobodyElseApproves(
  ctx: CommandContext,
  approvals: ApprovalSettings,
  deciders: readonly string[],
  operation: Operation,
): Promise<Reply | undefined> {
  try {
    if (await approvals.anyoneBut(deciders)) return undefined;
  } catch (error) {
    ctx.logger.warn('Could not tell whether anyone else may approve; asking anyway', {
      operationId: operation.id,
      error: error instanceof Error ? error : String(error),
    });
    return undefined;
  }
  const text = rich`*Nobody else can approve this:* ${operation.summary} needs a second person, and nobody but ${joinRich(
    deciders.map((id) => mention(id)),
    ' or ',
  )} is an approver (\`VCR_APPROVERS\`, by default the admins). Nothing was changed and no approval card was posted.`;
  const fix = rich`Have an admin add another approver to \`VCR_APPROVERS\` (a user id or a user group), or ask another approver to run the command. This request expires ${expiryText(operation.expiresAt)} and can be cancelled below.`;
  return {
    text,
    parts: [
      { type: 'text', text },
      { type: 'context', text: fix },
      { type: 'actions', actions: [cancelRequestAction(operation)] },
    ],
    replaceOriginal: true,
  };
}

/**
 * Approves a waiting request and executes it: `awaiting_approval → approved`, then the claim `approved → executing`,
 * one conditional write each, so two approvers, a double click or a racing cancel end with one outcome. For `user
 * secret` the requester's DM is opened and told before vCR is asked, and the secret goes there only.
 */
export async function approve(
  ctx: CommandContext,
  spec: DestructiveSpec,
  operation: Operation,
  hooks: RunnerHooks,
): Promise<Reply> {
  const approver = ctx.actor.userId;
  // Four eyes count people, not roles: an admin who confirmed someone else's request is its second pair already.
  const confirmedBy = [...operation.history].reverse().find((entry) => entry.status === 'awaiting_approval')?.by;
  if (operation.status === 'awaiting_approval' && confirmedBy === approver && approver !== operation.requestedBy) {
    throw new UserError(
      rich`You confirmed this request for ${mention(operation.requestedBy)}, so someone else must approve it. Nothing was changed.`,
    );
  }
  const approved = await hooks.move(operation, { from: ['awaiting_approval'], to: 'approved', by: approver });
  if (!approved.moved || !approved.operation) return handled(ctx, approved.operation ?? operation, hooks);
  ctx.metrics?.approval('approved');
  const card = approved.operation.approval?.card ?? operation.approval?.card;
  const by = rich`Approved by ${mention(approver)}`;
  const claim = await hooks.move(operation, {
    from: ['approved'],
    to: 'executing',
    by: approver,
    deadlineAt: ctx.deadlineAt,
  });
  if (!claim.moved || !claim.operation) return handled(ctx, claim.operation ?? approved.operation, hooks);
  const claimed = claim.operation;
  await updateCard(ctx, card, approvalCard(claimed, rich`${by}; running now.`));
  await thread(ctx, card, rich`${by}; running now.`);
  const requester = claimed.requestedBy;
  const run = async () => {
    if (spec.id === commandIds.userSecret) {
      // The secret must reach the requester: their DM is proven open before vCR makes one (docs/decisions/0015).
      const problem = await cardsOf(ctx).dm(
        requester,
        textOf(
          rich`Your request was approved by ${mention(approver)}: ${claimed.summary}. Your new secret is coming here.`,
        ),
      );
      if (problem) {
        throw new UserError(
          rich`I could not send ${mention(requester)} a direct message, so nothing was rotated: ${problem}`,
        );
      }
    }
    return spec.execute(ctx, claimed);
  };
  let reply: Reply;
  try {
    reply = await hooks.executeClaimed(claimed, run);
  } catch (error) {
    const why = reasonOf(error);
    await updateCard(ctx, card, approvalCard(claimed, rich`${by}; failed: ${why}`));
    await thread(ctx, card, rich`Failed: ${why}`);
    await tellRequester(ctx, claimed, textOf(rich`Your request failed after approval: ${claimed.summary}. ${why}`));
    throw error;
  }
  const { secret, ...shown } = reply;
  const parts = [...shown.parts];
  if (secret) {
    ctx.logger.addSecret(secret.value);
    const problem = await cardsOf(ctx).dm(requester, { text: secret.title, parts: [], secret });
    const line = problem
      ? rich`*The secret was not sent:* I could not send it to ${mention(requester)} by direct message: ${problem} It is shown nowhere else, so nobody has it; \`${ctx.slashCommand} user secret USER\` makes a new one.`
      : rich`The new secret was sent to ${mention(requester)} alone by direct message, and is shown once.`;
    parts.push({ type: 'context', text: line });
  }
  const outcome: Reply = { ...shown, parts: [...parts, { type: 'context', text: rich`${by}.` }] };
  // A run that outlived its deadline answers without an outcome: the card says what the record says.
  const ended = (await ctx.operations.get(claimed.id))?.status;
  const state =
    ended === 'done'
      ? rich`${by}; done.`
      : rich`${by}; its outcome is unknown, so check vCR before asking again (see the thread).`;
  await updateCard(ctx, card, approvalCard(claimed, state));
  if (card) await cardsOf(ctx).thread(card, outcome);
  await tellRequester(ctx, claimed, outcome);
  // The approver reads the outcome on the card and in its thread; their click needs no answer of its own.
  return { text: '', parts: [], silent: true };
}

/** Rejects a waiting request with an optional reason; the card shows who and why, and the requester is told. */
export async function reject(
  ctx: CommandContext,
  operation: Operation,
  reason: string | undefined,
  hooks: RunnerHooks,
): Promise<Reply> {
  const why = reason?.trim() ? reason.trim() : undefined;
  const rejected = await hooks.move(operation, {
    from: ['awaiting_approval'],
    to: 'rejected',
    by: ctx.actor.userId,
    approval: { ...operation.approval, ...(why ? { reason: why } : {}) },
  });
  if (!rejected.moved || !rejected.operation) return handled(ctx, rejected.operation ?? operation, hooks);
  // A rejection is an outcome like any other: one audit record and one line (docs/decisions/0016-audit-and-freeze.md).
  await hooks.recordRejection(rejected.operation, why);
  const state = rich`Rejected by ${mention(ctx.actor.userId)}${why ? rich`: ${why}` : '; no reason given'}. Nothing was changed.`;
  const card = rejected.operation.approval?.card;
  await updateCard(ctx, card, approvalCard(rejected.operation, state));
  await thread(ctx, card, state);
  await tellRequester(
    ctx,
    rejected.operation,
    textOf(rich`Your request was not approved: ${operation.summary}. ${state}`),
  );
  return { text: '', parts: [], silent: true };
}

/**
 * Brings an approval card up to date with an end its request reached without the approval flow (cancelled by the
 * requester, found expired by a click); a request without a card is left as it is.
 */
export async function closeCard(ctx: CommandContext, operation: Operation, state: RichText): Promise<void> {
  await updateCard(ctx, operation.approval?.card, approvalCard(operation, state));
}

/** The card of `operation`: who asks, what goes (the plan's preview), and `state`, with buttons while it waits. */
function approvalCard(operation: Operation, state: RichText, actions: Part[] = []): Reply {
  // The preview as its requester saw it, less their buttons and the lines addressed to them.
  const preview = ((operation.reply?.parts as Part[] | undefined) ?? []).filter(
    (part) => part.type !== 'actions' && !(part.type === 'context' && part.forRequester === true),
  );
  const asks = rich`${mention(operation.requestedBy)} asks to ${operation.summary}.`;
  return {
    text: rich`Approval: ${asks} ${state}`,
    parts: [
      { type: 'header', text: 'Approval requested' },
      { type: 'text', text: asks },
      ...preview,
      { type: 'divider' },
      { type: 'context', text: state },
      ...actions,
    ],
  };
}

function waitingState(operation: Operation): RichText {
  return rich`Waiting for an approver; expires ${expiryText(operation.expiresAt)}.`;
}

/** The waiting card, with its Approve and Reject buttons. */
function waitingCard(operation: Operation): Reply {
  return approvalCard(operation, waitingState(operation), [{ type: 'actions', actions: approverActions(operation) }]);
}

/**
 * The Approve and Reject buttons of a waiting request, as its card and the Home tab show them; each names the
 * requester, so the click is checked without a read of the store.
 */
export function approverActions(operation: Pick<Operation, 'id' | 'command' | 'requestedBy'>): Action[] {
  const decision = (choice: 'approve' | 'reject') => ({
    operationId: operation.id,
    command: operation.command,
    choice,
    requestedBy: operation.requestedBy,
  });
  return [
    { label: 'Approve', style: 'primary', decision: decision('approve') },
    { label: 'Reject', decision: decision('reject') },
  ];
}

/** The Cancel request button of a request not yet decided, for its requester (or an admin). */
export function cancelRequestAction(operation: Pick<Operation, 'id' | 'command'>): Action {
  return {
    label: 'Cancel request',
    decision: { operationId: operation.id, command: operation.command, choice: 'cancel' },
  };
}

/** The answer for a click that came too late or twice; the card follows an expiry recorded by this click. */
async function handled(ctx: CommandContext, operation: Operation, hooks: RunnerHooks): Promise<Reply> {
  const reply = await hooks.alreadyHandled(operation);
  const now = await ctx.operations.get(operation.id);
  if (now?.status === 'cancelled') {
    await closeCard(ctx, now, rich`Cancelled by ${mention(now.decidedBy ?? now.requestedBy)}; nothing was changed.`);
  }
  return reply;
}

/** Says when a request expires, in each reader's own time zone (docs/slack-limits.md). */
export function expiryText(expiresAt: number): RichText {
  return rich`${slackDate(expiresAt)}`;
}

/** Who may approve a request: the approvers as configured, never its requester nor whoever confirmed it. */
function approversText(approvals: ApprovalSettings, deciders: readonly string[]): RichText {
  const names = approvals.approvers
    .filter((entry) => !deciders.includes(entry))
    .map((entry) => (entry === '*' ? 'anyone' : entry.startsWith('S') ? userGroupMention(entry) : mention(entry)));
  return names.length > 0 ? joinRich(names, ', ') : 'nobody (`VCR_APPROVERS` is empty)';
}

function reasonOf(error: unknown): RichText {
  if (error instanceof UserError) return error.text;
  // What went and what is still there, as the requester's own reply says it (src/commands/partial-failure.ts).
  if (error instanceof PartialFailureError) return `${error.action} ${error.summary()}`;
  if (error instanceof VcrApiError) return `vCR answered ${error.status}: ${error.serverMessage}`;
  return 'something went wrong; the approver was given a ref to look up.';
}

function textOf(text: RichText): Reply {
  return { text, parts: [{ type: 'text', text }] };
}

function cardsOf(ctx: CommandContext): Cards {
  if (!ctx.cards) throw new Error('Approvals are required but no card poster was given');
  return ctx.cards;
}

async function updateCard(ctx: CommandContext, card: CardRef | undefined, reply: Reply): Promise<void> {
  if (card) await cardsOf(ctx).update(card, reply);
}

async function thread(ctx: CommandContext, card: CardRef | undefined, text: RichText): Promise<void> {
  if (card) await cardsOf(ctx).thread(card, textOf(text));
}

/**
 * Tells the requester of `operation` how it ended (`reply`): through their stored `response_url` while it lives, else
 * by DM. Only a request that waited for approval has a requester to tell this way.
 */
export async function tellRequester(ctx: CommandContext, operation: Operation, reply: Reply): Promise<void> {
  await cardsOf(ctx).tell(operation.requestedBy, operation.approval?.responseUrl, reply);
}
