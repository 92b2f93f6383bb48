/**
 * What every listener of the bot's buttons shares: ack at once, decode the button's value, admit whoever clicked for
 * the command it names, and answer a refusal or failure with a new ephemeral message, since a click's ack cannot
 * carry one.
 */
import { createHash } from 'node:crypto';
import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { type Admission, authorize } from '../../commands/authorize';
import { type ButtonValue, decodeButtonValueOf } from '../button-value';
import { failureReply } from '../failure-reply';
import type { ListenerDeps } from '../listener-deps';
import { replyToClick } from '../reply-to-click';
import { noteRequest, outcomeOfFailure } from '../request-summary';
import { createDeadline, type Deadline, groupReadsWithin } from '../with-deadline';

/** One admitted click on a button whose value is of the kind its listener takes. */
export interface ButtonClick<K extends ButtonValue['kind']> extends Admission {
  value: Extract<ButtonValue, { kind: K }>;
  body: BlockAction<ButtonAction>;
  /** Slack's identity of this click: the same person clicking the same button of the same message again shares it. */
  requestKey: string;
  /** The click's share of Slack's 3 s, counted from the click's arrival. */
  deadline: Deadline;
}

/**
 * Creates a listener of buttons whose value is of `kind`; `handle` runs for an admitted clicker and says whether it
 * opened a form or queued a job (for the request's summary line, src/slack/request-summary.ts), and whatever it
 * throws (or the admission throws) is answered to the clicker. `surface` names the listener in log lines.
 */
export function onButtonClick<K extends ButtonValue['kind']>(
  deps: ListenerDeps,
  options: { surface: string; kind: K },
  handle: (click: ButtonClick<K>) => Promise<'form' | 'queued' | undefined>,
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
      const value = decodeButtonValueOf(action.value, options.kind);
      const decided: ButtonValue = value;
      const admission = await authorize(deps, {
        userId: body.user.id,
        userTeamId: body.user.team_id,
        teamId: body.team?.id,
        channelId: body.channel?.id,
        surface: 'click',
        commandId: commandOf(value),
        // An approver's button names the requester, so the click is checked without a read of the store.
        ...(decided.kind === 'decision' && decided.requestedBy
          ? { decision: { requestedBy: decided.requestedBy, choice: decided.choice } }
          : {}),
        ...decisionOf(value),
        lookup: groupReadsWithin(deadline),
      });
      noteRequest(context, { commandId: commandOf(value), outcome: 'answered' });
      const outcome = await handle({ ...admission, value, body, requestKey: clickKey(body, action), deadline });
      if (outcome) noteRequest(context, { outcome });
    } catch (error) {
      noteRequest(context, { outcome: outcomeOfFailure(error) });
      const reply = failureReply(error, logger, { actionId: action.action_id }, deps.config.slack.command);
      await replyToClick(deps.delivery, { responseUrl: body.response_url, userId: body.user.id }, reply, logger);
    }
  };
}

/**
 * The same button (action id and value) of the same message clicked by the same person: a double click, or a click
 * Slack delivered twice. Someone else's click on a shared message (a watcher notice, a weekly plan) is a request of
 * their own, never the first clicker's. A click with no message or view to name (never seen from Slack) is a request
 * of its own.
 */
function clickKey(body: BlockAction<ButtonAction>, action: ButtonAction): string {
  const message = body.container?.message_ts ?? body.message?.ts ?? body.container?.view_id;
  if (!message) return `click:${body.trigger_id}`;
  const value = createHash('sha256')
    .update(action.value ?? '')
    .digest('base64url')
    .slice(0, 16);
  return `click:${body.user.id}:${body.channel?.id ?? ''}:${message}:${action.action_id}:${value}`;
}

// The freeze lets a Cancel through and stops a Confirm before the operation is read (docs/decisions/0016).
function decisionOf(value: ButtonValue): { choice?: string; subject?: { requestId: string } } {
  return value.kind === 'decision' ? { choice: value.choice, subject: { requestId: value.operationId } } : {};
}

function commandOf(value: ButtonValue): string {
  return value.kind === 'invocation' ? value.invocation.command : value.command;
}
