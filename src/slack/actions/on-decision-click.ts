/**
 * Confirm or Cancel on a destructive preview. The clicker's role is checked here against the command the button
 * names, with no read of the store; the job then reads the operation, admits the clicker again against it, and
 * executes it exactly once.
 */
import type { ListenerDeps } from '../listener-deps';
import { onButtonClick } from './on-button-click';

/** Creates the listener of Confirm and Cancel buttons. */
export function onDecisionClick(deps: ListenerDeps) {
  return onButtonClick(deps, { surface: 'decision', kind: 'decision' }, async ({ actor, value, body }) => {
    await deps.dispatcher.dispatch({
      id: deps.newJobId(),
      kind: 'decide',
      operationId: value.operationId,
      command: value.command,
      choice: value.choice,
      actor,
      responseUrl: body.response_url,
      channelId: body.channel?.id,
      messageTs: body.message?.ts,
    });
  });
}
