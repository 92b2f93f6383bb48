/**
 * Confirm, Cancel, Approve and Reject on a destructive preview or an approval card. The clicker is checked here
 * against what the button names (the command, and on an approver's button the requester), with no read of the store;
 * the job then reads the operation, admits the clicker again against it, and decides it exactly once. Reject first
 * opens a small modal for an optional reason (docs/decisions/0015-approvals.md).
 */
import type { ListenerDeps } from '../listener-deps';
import { encodeRejectMetadata } from '../reject-metadata';
import { renderRejectForm } from '../render';
import { onButtonClick } from './on-button-click';

/** Creates the listener of decision buttons. */
export function onDecisionClick(deps: ListenerDeps) {
  return onButtonClick(deps, { surface: 'decision', kind: 'decision' }, async ({ actor, value, body, deadline }) => {
    if (value.choice === 'reject') {
      const metadata = encodeRejectMetadata({
        operationId: value.operationId,
        command: value.command,
        requestedBy: value.requestedBy ?? '',
        channelId: body.channel?.id,
      });
      await deadline.race(
        deps.slack.views.open({ trigger_id: body.trigger_id, view: renderRejectForm(metadata) }),
        'Slack',
        'opening the reject form',
      );
      return 'form';
    }
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
    return 'queued';
  });
}
