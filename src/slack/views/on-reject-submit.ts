/**
 * The reject modal's submit: the approver is admitted again (an approver who is not the requester), then the
 * rejection with its optional reason is queued; the card and the requester show it (docs/decisions/0015-approvals.md).
 */
import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewResponseAction, ViewSubmitAction } from '@slack/bolt';
import { authorize } from '../../commands/authorize';
import { failureReply } from '../failure-reply';
import type { ListenerDeps } from '../listener-deps';
import { type InputState, readFormValues } from '../read-form-values';
import { decodeRejectMetadata } from '../reject-metadata';
import { renderNoticeView } from '../render';
import { createDeadline, groupReadsWithin } from '../with-deadline';

/** Creates the listener of reject modal submits. */
export function onRejectSubmit(deps: ListenerDeps) {
  return async ({
    body,
    view,
    ack,
    context,
  }: SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs): Promise<void> => {
    const deadline = createDeadline(deps.budgetMs, context);
    const logger = deps.logger.child({ surface: 'reject', userId: body.user.id });
    let response: ViewResponseAction | undefined;
    try {
      const metadata = decodeRejectMetadata(view.private_metadata);
      const { actor } = await authorize(deps, {
        userId: body.user.id,
        userTeamId: body.user.team_id,
        teamId: body.team?.id,
        channelId: metadata.channelId,
        surface: 'form',
        commandId: metadata.command,
        decision: { requestedBy: metadata.requestedBy, choice: 'reject' },
        lookup: groupReadsWithin(deadline),
      });
      const reason = readFormValues(view.state.values as Record<string, Record<string, InputState>>).reason;
      await deps.dispatcher.dispatch({
        id: deps.newJobId(),
        kind: 'decide',
        operationId: metadata.operationId,
        command: metadata.command,
        choice: 'reject',
        ...(typeof reason === 'string' && reason.trim() !== '' ? { reason: reason.trim() } : {}),
        actor,
        channelId: metadata.channelId,
      });
    } catch (error) {
      const reply = failureReply(error, logger, {}, deps.config.slack.command);
      response = { response_action: 'update', view: renderNoticeView('Not rejected', reply.text) };
    }
    await ack(response);
  };
}
