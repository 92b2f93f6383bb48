/**
 * A click on a button this version of the bot does not know (an old message, a button of a later version): it is
 * acknowledged and answered with the usual "run the command again", since Slack shows the clicker an error for
 * anything but a 200 (docs/decisions/0011-payload-shapes.md).
 */
import type { AllMiddlewareArgs, BlockAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { UserError } from '../../errors';
import { buttonNotUnderstood } from '../button-value';
import { failureReply } from '../failure-reply';
import type { ListenerDeps } from '../listener-deps';
import { replyToClick } from '../reply-to-click';

/** Creates the listener of every `block_actions` whose action id `isKnown` does not accept; it ignores the others. */
export function onUnknownAction(deps: ListenerDeps, isKnown: (actionId: string) => boolean) {
  return async ({ body, action, ack }: SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs): Promise<void> => {
    // A known id has its own listener, which acks; Bolt runs every matching listener, so this one must stay silent.
    if (isKnown(action.action_id)) return;
    await ack();
    const logger = deps.logger.child({ surface: 'click', userId: body.user.id, actionId: action.action_id });
    const reply = failureReply(new UserError(buttonNotUnderstood), logger, { actionId: action.action_id });
    await replyToClick(deps.delivery, { responseUrl: body.response_url, userId: body.user.id }, reply, logger);
  };
}
