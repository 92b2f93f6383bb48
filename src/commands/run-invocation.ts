/** Runs one invocation, or confirms or cancels a pending action: the single execution path behind every surface. */
import { UserError } from '../errors';
import { requireRole } from '../policy/role-rank';
import { mention, type RichText, rich } from '../rich-text';
import type { CommandContext, CommandSpec } from './command';
import { findCommandById } from './registry';
import type { Invocation, Reply } from './reply';

/** Looks up the command of an invocation and checks its args; throws `UserError` for an unknown command. */
export function prepareInvocation(invocation: Invocation): { spec: CommandSpec; args: Invocation['args'] } {
  const spec = findCommandById(invocation.command);
  if (!spec) throw new UserError(`Unknown command \`${invocation.command}\`.`);
  const args = spec.validate ? spec.validate(invocation.args) : invocation.args;
  return { spec, args };
}

/** Authorizes the actor and runs the invocation; `--share` turns a read answer into a channel post. */
export async function runInvocation(ctx: CommandContext, invocation: Invocation): Promise<Reply> {
  const { spec, args } = prepareInvocation(invocation);
  requireRole(ctx.actor.role, spec.role, `run \`${ctx.slashCommand} ${spec.words.join(' ')}\``);
  const reply = await spec.run(ctx, args);
  return args.share === true && spec.kind === 'read' ? { ...reply, visibility: 'in_channel' } : reply;
}

/**
 * Executes a pending destructive action exactly once: the status moves from `pending` to `executing` under a
 * condition, so a double click, a second person or a retried job finds it taken and changes nothing.
 */
export async function confirmPending(ctx: CommandContext, pendingId: string): Promise<Reply> {
  const action = await ctx.pending.get(pendingId);
  if (!action) throw new UserError('This request is no longer known; run the command again.');
  const spec = findCommandById(action.command);
  if (!spec?.execute) throw new UserError(`Unknown command \`${action.command}\`.`);
  requireRole(ctx.actor.role, spec.role, `confirm \`${ctx.slashCommand} ${spec.words.join(' ')}\``);
  if (action.requestedBy !== ctx.actor.userId && ctx.actor.role !== 'admin') {
    throw new UserError(rich`Only ${mention(action.requestedBy)} or an admin can confirm this request.`);
  }
  const claimed = await ctx.pending.transition(pendingId, 'pending', 'executing', ctx.actor.userId);
  if (!claimed) return alreadyHandled(await ctx.pending.get(pendingId), ctx.now());
  try {
    const reply = await spec.execute(ctx, claimed);
    await ctx.pending.transition(pendingId, 'executing', 'done', ctx.actor.userId);
    return { ...reply, replaceOriginal: true };
  } catch (error) {
    await ctx.pending.transition(pendingId, 'executing', 'failed', ctx.actor.userId);
    throw error;
  }
}

/** Cancels a pending action; only the requester or an admin may, and only while it is still pending. */
export async function cancelPending(ctx: CommandContext, pendingId: string): Promise<Reply> {
  const action = await ctx.pending.get(pendingId);
  if (!action) throw new UserError('This request is no longer known; nothing to cancel.');
  if (action.requestedBy !== ctx.actor.userId && ctx.actor.role !== 'admin') {
    throw new UserError(rich`Only ${mention(action.requestedBy)} or an admin can cancel this request.`);
  }
  const cancelled = await ctx.pending.transition(pendingId, 'pending', 'cancelled', ctx.actor.userId);
  if (!cancelled) return alreadyHandled(await ctx.pending.get(pendingId), ctx.now());
  return {
    text: `Cancelled: ${action.summary}`,
    parts: [
      { type: 'text', text: rich`Cancelled by ${mention(ctx.actor.userId)}: ${action.summary}. Nothing was changed.` },
    ],
    replaceOriginal: true,
  };
}

function alreadyHandled(action: Awaited<ReturnType<CommandContext['pending']['get']>>, now: number): Reply {
  const status = action?.status;
  let text: RichText;
  if (status === 'pending' && action && action.expiresAt <= now) {
    text = `This request expired: ${action.summary}. Run the command again for a fresh preview.`;
  } else if (status === 'cancelled') {
    text = rich`This request was cancelled${decidedBy(action)}; nothing was changed.`;
  } else {
    text = rich`This request was already ${status === 'executing' ? 'started' : (status ?? 'handled')}${decidedBy(action)}; it runs only once.`;
  }
  return { text, parts: [{ type: 'text', text }] };
}

function decidedBy(action: Awaited<ReturnType<CommandContext['pending']['get']>>): RichText {
  return action?.decidedBy ? rich` by ${mention(action.decidedBy)}` : '';
}
