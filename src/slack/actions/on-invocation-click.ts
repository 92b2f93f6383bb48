/**
 * A button carrying an invocation (card buttons, Previous/Next): the click becomes the same internal command as a
 * typed one and goes through the same registry, authorization and job, for whoever clicked.
 */
import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { UserError } from '../../errors';
import { admitActor } from '../admit-actor';
import { decodeButtonValue } from '../button-value';
import { failureReply } from '../failure-reply';
import type { ListenerDeps } from '../listener-deps';
import { replyToClick } from '../reply-to-click';
import { startInvocation } from '../start-invocation';

/** Creates the listener of invocation buttons; `replaceOriginal` is set for pager buttons, whose page replaces the old. */
export function onInvocationClick(deps: ListenerDeps, options: { replaceOriginal: boolean }) {
  return async ({
    body,
    action,
    ack,
  }: SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs): Promise<void> => {
    // A block action's ack carries nothing; on Lambda the response still waits for this listener to finish.
    await ack();
    const logger = deps.logger.child({ surface: 'click', userId: body.user.id, actionId: action.action_id });
    try {
      const actor = await admitActor(deps, {
        teamId: body.team?.id,
        userId: body.user.id,
        channelId: body.channel?.id,
        checkChannel: false,
      });
      const value = decodeButtonValue(action.value);
      if (value.kind !== 'invocation')
        throw new UserError('This button is not one I understand; run the command again.');
      await startInvocation(deps, {
        invocation: value.invocation,
        actor,
        teamId: body.team?.id,
        triggerId: body.trigger_id,
        target: {
          responseUrl: body.response_url,
          channelId: body.channel?.id,
          messageTs: body.message?.ts,
          ...(options.replaceOriginal ? { replaceOriginal: true } : {}),
        },
      });
    } catch (error) {
      const reply = failureReply(error, logger, { actionId: action.action_id });
      await replyToClick(deps.delivery, { responseUrl: body.response_url, userId: body.user.id }, reply, logger);
    }
  };
}
