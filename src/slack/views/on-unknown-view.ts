/**
 * Modal requests the bot has no listener for: a submit of a modal this version did not open (another `callback_id`)
 * is answered on the modal with the usual "run the command again", and a `view_closed` is acknowledged with nothing
 * to do, as Slack expects (docs/decisions/0011-payload-shapes.md).
 */
import type { AllMiddlewareArgs, SlackViewAction, SlackViewMiddlewareArgs } from '@slack/bolt';
import { formNotUnderstood } from '../form-metadata';
import type { ListenerDeps } from '../listener-deps';
import { renderNoticeView } from '../render';

/** Creates the listener of every modal request whose `callback_id` `isKnown` does not accept; it ignores the others. */
export function onUnknownView(deps: ListenerDeps, isKnown: (callbackId: string) => boolean) {
  return async ({ body, view, ack }: SlackViewMiddlewareArgs<SlackViewAction> & AllMiddlewareArgs): Promise<void> => {
    // The bot's modals ask for no `view_closed`; one that comes anyway needs only its 200.
    if (body.type === 'view_closed') {
      await ack();
      return;
    }
    // A known id has its own listener, which acks; Bolt runs every matching listener, so this one must stay silent.
    if (isKnown(view.callback_id)) return;
    deps.logger.info('A modal this version did not open was submitted', {
      userId: body.user.id,
      callbackId: view.callback_id.slice(0, 80),
    });
    await ack({ response_action: 'update', view: renderNoticeView('Not done', formNotUnderstood) });
  };
}
