/**
 * Confirm or Cancel on a destructive preview. The clicker is authorized here against the role the pending
 * command needs (anyone who sees the message can click it); the job then executes it exactly once.
 */
import { findCommandById } from '../../commands/registry';
import { UserError } from '../../errors';
import { requireRole } from '../../policy/role-rank';
import type { ListenerDeps } from '../listener-deps';
import { onButtonClick } from './on-button-click';

/** Creates the listener of Confirm and Cancel buttons. */
export function onDecisionClick(deps: ListenerDeps) {
  return onButtonClick(deps, { surface: 'decision', kind: 'decision' }, async ({ actor, value, body, deadline }) => {
    if (value.decision === 'confirm') {
      const pending = await deadline.race(deps.pending.get(value.pendingId), "The bot's store", 'reading the request');
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
  });
}
