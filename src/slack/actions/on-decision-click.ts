/**
 * Confirm or Cancel on a destructive preview. The clicker is authorized here against the role the pending
 * command needs (anyone who sees the message can click it); the job then executes it exactly once.
 */
import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { findCommandById } from '../../commands/registry';
import { UserError } from '../../errors';
import { requireRole } from '../../policy/role-rank';
import { admitActor } from '../admit-actor';
import { decodeButtonValue } from '../button-value';
import { failureReply } from '../failure-reply';
import type { ListenerDeps } from '../listener-deps';
import { replyToClick } from '../reply-to-click';

/** Creates the listener of Confirm and Cancel buttons. */
export function onDecisionClick(deps: ListenerDeps) {
  return async ({
    body,
    action,
    ack,
  }: SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs): Promise<void> => {
    await ack();
    const logger = deps.logger.child({ surface: 'decision', userId: body.user.id, actionId: action.action_id });
    try {
      const actor = await admitActor(deps, {
        teamId: body.team?.id,
        userId: body.user.id,
        channelId: body.channel?.id,
        checkChannel: false,
      });
      const value = decodeButtonValue(action.value);
      if (value.kind !== 'decision') throw new UserError('This button is not one I understand; run the command again.');
      if (value.decision === 'confirm') {
        const pending = await deps.pending.get(value.pendingId);
        if (!pending) throw new UserError('This request is no longer known; run the command again.');
        const spec = findCommandById(pending.command);
        if (!spec) throw new UserError(`Unknown command \`${pending.command}\`.`);
        requireRole(actor.role, spec.role, `confirm \`${deps.config.slack.command} ${spec.words.join(' ')}\``);
      }
      await deps.dispatcher.dispatch({
        id: deps.newJobId(),
        kind: value.decision,
        pendingId: value.pendingId,
        actor,
        teamId: body.team?.id,
        responseUrl: body.response_url,
        channelId: body.channel?.id,
        messageTs: body.message?.ts,
      });
    } catch (error) {
      const reply = failureReply(error, logger, { actionId: action.action_id });
      await replyToClick(deps.delivery, { responseUrl: body.response_url, userId: body.user.id }, reply, logger);
    }
  };
}
