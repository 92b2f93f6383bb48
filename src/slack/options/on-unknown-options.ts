/**
 * An options request from a picker this version does not know (a modal opened by another version): it gets an empty
 * list, which Slack shows as "no results", instead of an error (docs/decisions/0011-payload-shapes.md).
 */
import type { AllMiddlewareArgs, SlackOptionsMiddlewareArgs } from '@slack/bolt';
import type { ListenerDeps } from '../listener-deps';

/** Creates the listener of every options request whose action id `isKnown` does not accept; it ignores the others. */
export function onUnknownOptions(deps: ListenerDeps, isKnown: (actionId: string) => boolean) {
  return async ({ body, ack }: SlackOptionsMiddlewareArgs<'block_suggestion'> & AllMiddlewareArgs): Promise<void> => {
    // A known id has its own listener, which acks; Bolt runs every matching listener, so this one must stay silent.
    if (isKnown(body.action_id)) return;
    deps.logger.info('Options asked for by a picker this version does not know', {
      userId: body.user.id,
      actionId: body.action_id.slice(0, 80),
    });
    await ack({ options: [] });
  };
}
