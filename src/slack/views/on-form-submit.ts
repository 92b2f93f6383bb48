/**
 * A submitted form modal: its values become the args of the form's command, checked by the command's own
 * `validate` (a problem is shown on the field at fault), authorized again for whoever submitted, then queued.
 */

import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewResponseAction, ViewSubmitAction } from '@slack/bolt';
import { authorize } from '../../commands/authorize';
import type { Reply } from '../../commands/reply';
import { UserError } from '../../errors';
import type { Logger } from '../../logger';
import { joinRich, type RichText } from '../../rich-text';
import { operationIdOf } from '../../store/operation-store';
import { failureReply } from '../failure-reply';
import { decodeFormMetadata } from '../form-metadata';
import { fieldBlockId } from '../ids';
import type { ListenerDeps } from '../listener-deps';
import { type InputState, readFormValues } from '../read-form-values';
import { renderNoticeView } from '../render';
import { noteRequest, outcomeOfFailure } from '../request-summary';
import { createDeadline, type Deadline, groupReadsWithin } from '../with-deadline';

/** Creates the listener of form submits. */
export function onFormSubmit(deps: ListenerDeps) {
  return async ({
    body,
    view,
    ack,
    context,
  }: SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs): Promise<void> => {
    const deadline = createDeadline(deps.budgetMs, context);
    const logger = deps.logger.child({ surface: 'form', userId: body.user.id });
    let response: ViewResponseAction | undefined;
    try {
      const metadata = decodeFormMetadata(view.private_metadata);
      const { actor, spec } = await authorize(deps, {
        userId: body.user.id,
        userTeamId: body.user.team_id,
        teamId: body.team?.id,
        channelId: metadata.channelId,
        surface: 'form',
        commandId: metadata.command,
        // A refusal is audited once per view, however often it is submitted (docs/decisions/0016-audit-and-freeze.md).
        subject: { requestId: operationIdOf(`view:${view.id}:${view.hash}`) },
        lookup: groupReadsWithin(deadline),
      });
      if (!spec) throw new UserError(`Unknown command \`${metadata.command}\`.`);
      noteRequest(context, { commandId: spec.id, outcome: 'answered' });
      const values = view.state.values as Record<string, Record<string, InputState>>;
      // The opener's fixed args win, so no field can retarget the command (e.g. at another user).
      const args = { ...readFormValues(values), ...metadata.fixedArgs };
      // Slack accepts errors only on input blocks of the view; a field this form lacks cannot show one.
      const fieldOf = (error: unknown): string | undefined => {
        const blockId = error instanceof UserError && error.field ? fieldBlockId(error.field) : undefined;
        return view.blocks.some((block) => block.block_id === blockId) ? blockId : undefined;
      };
      try {
        spec.validate?.(args);
        if (spec.checkSubmit) await checkWithin(spec.checkSubmit({ vcr: deps.vcr, actor }, args), deadline, logger);
      } catch (error) {
        const blockId = fieldOf(error);
        if (!blockId) throw error;
        response = { response_action: 'errors', errors: { [blockId]: (error as UserError).message } };
      }
      if (!response) {
        await deps.dispatcher.dispatch({
          id: deps.newJobId(),
          kind: 'invoke',
          invocation: { command: spec.id, args },
          actor,
          // The same view submitted twice (a double click on Submit, a retry) has the same id and hash.
          requestKey: `view:${view.id}:${view.hash}`,
          responseUrl: metadata.responseUrl,
          channelId: metadata.channelId,
        });
        noteRequest(context, { outcome: 'queued' });
      }
    } catch (error) {
      noteRequest(context, { outcome: outcomeOfFailure(error) });
      // Nothing on the form can fix this (a refusal, a broken form, a failure): the modal says so instead.
      response = {
        response_action: 'update',
        view: renderNoticeView('Not done', noticeText(failureReply(error, logger, {}, deps.config.slack.command))),
      };
    }
    // No response action closes the modal; the answer follows from the job.
    await ack(response);
  };
}

// The submit's check reads vCR within what is left of Slack's 3 s, keeping this much back to queue the job after it.
const queueReserveMs = 1000;

/**
 * Waits for a submit's check within the request's deadline, less the time to queue the job. Only its `UserError`
 * counts: a slow or failing vCR lets the submit go on, since the job checks again (the form cannot wait for it).
 */
async function checkWithin(check: Promise<void>, deadline: Deadline, logger: Logger): Promise<void> {
  const budget = createDeadline(Math.max(0, deadline.remainingMs() - queueReserveMs));
  try {
    await budget.race(check, 'vCR', 'checking the form');
  } catch (error) {
    if (error instanceof UserError) throw error;
    logger.info('Form check skipped; the job checks again', {
      error: error instanceof Error ? error : String(error),
    });
  }
}

function noticeText(reply: Reply): RichText {
  const texts = reply.parts.flatMap((part) => ('text' in part && part.text.length > 0 ? [part.text] : []));
  return joinRich(texts, '\n\n');
}
