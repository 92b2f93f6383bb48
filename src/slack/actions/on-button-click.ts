/**
 * What every listener of the bot's buttons shares: ack at once, admit whoever clicked, decode the button's value, and
 * answer a refusal or failure with a new ephemeral message, since a click's ack cannot carry one.
 */
import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { Actor } from '../../commands/command';
import { admitActor } from '../admit-actor';
import { type ButtonValue, decodeButtonValueOf } from '../button-value';
import { failureReply } from '../failure-reply';
import type { ListenerDeps } from '../listener-deps';
import { replyToClick } from '../reply-to-click';
import { createDeadline, type Deadline } from '../with-deadline';

/** One admitted click on a button whose value is of the kind its listener takes. */
export interface ButtonClick<K extends ButtonValue['kind']> {
  actor: Actor;
  value: Extract<ButtonValue, { kind: K }>;
  body: BlockAction<ButtonAction>;
  /** The click's share of Slack's 3 s, counted from the click's arrival. */
  deadline: Deadline;
}

/**
 * Creates a listener of buttons whose value is of `kind`; `handle` runs for an admitted clicker, and whatever it
 * throws (or the admission throws) is answered to the clicker. `surface` names the listener in log lines.
 */
export function onButtonClick<K extends ButtonValue['kind']>(
  deps: ListenerDeps,
  options: { surface: string; kind: K },
  handle: (click: ButtonClick<K>) => Promise<void>,
) {
  return async ({
    body,
    action,
    ack,
    context,
  }: SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs): Promise<void> => {
    const deadline = createDeadline(deps.budgetMs, context);
    // A block action's ack carries nothing; on Lambda the response still waits for this listener to finish.
    await ack();
    const logger = deps.logger.child({ surface: options.surface, userId: body.user.id, actionId: action.action_id });
    try {
      const actor = await admitActor(
        deps,
        {
          teamId: body.team?.id,
          userId: body.user.id,
          channelId: body.channel?.id,
          checkChannel: false,
        },
        deadline,
      );
      await handle({ actor, value: decodeButtonValueOf(action.value, options.kind), body, deadline });
    } catch (error) {
      const reply = failureReply(error, logger, { actionId: action.action_id }, deps.config.slack.command);
      await replyToClick(deps.delivery, { responseUrl: body.response_url, userId: body.user.id }, reply, logger);
    }
  };
}
