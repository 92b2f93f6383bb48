/**
 * The one place a failure becomes what the user reads: a `UserError` as is, a vCR, IAM or Slack failure in plain
 * words (Slack's through src/slack/slack-api-errors.ts), anything else as "Something went wrong" with a reference that
 * is also in the log.
 */
import { PartialFailureError } from '../commands/partial-failure';
import type { Reply } from '../commands/reply';
import { newErrorRef, UserError } from '../errors';
import type { LogFields, Logger } from '../logger';
import { RoleCheckError } from '../policy/roles';
import { type RichText, rich, withoutFinalStop } from '../rich-text';
import { IamAuthError, VcrApiError, VcrNetworkError, VcrTimeoutError, VcrUnreadableAnswerError } from '../vcr/errors';
import { explainSlackFailure, readSlackFailure } from './slack-api-errors';
import { DeadlineError } from './with-deadline';

// Handlers and the job runner take the ref from here, beside the replies that show it.
export { newErrorRef };

/**
 * Turns `error` into a reply, logging it; every error but a `UserError` gets a reference id shown to the user and
 * logged. `slashCommand` names the command in advice such as which read command shows whether a change was made.
 */
export function failureReply(error: unknown, logger: Logger, fields: LogFields = {}, slashCommand = '/vcr'): Reply {
  if (error instanceof UserError) {
    logger.info('Command refused', { ...fields, reason: error.message });
    const parts: Reply['parts'] = [{ type: 'text', text: error.text }];
    if (error.hint) parts.push({ type: 'context', text: error.hint });
    return { text: error.text, parts };
  }
  const ref = newErrorRef();
  const logged = { ...fields, ref, error: error instanceof Error ? error : String(error) };
  if (error instanceof PartialFailureError) {
    logger.error('Command stopped part-way', {
      ...logged,
      done: error.done,
      unsure: error.unsure,
      remaining: error.remaining,
    });
    return partialFailureReply(error, `(ref \`${ref}\`)`);
  }
  // Running out of time, or Slack being slow or limiting the bot, is the outside world, not a fault of the bot:
  // worth a warning, not an alarm. A Slack setting that is wrong is an alarm: only an admin can fix it.
  const slack = readSlackFailure(error instanceof RoleCheckError ? error.cause : error);
  if (error instanceof DeadlineError) logger.warn('Request ran out of time', logged);
  else if (error instanceof RoleCheckError && !(slack && explainSlackFailure(slack).misconfigured)) {
    logger.warn('Could not check the role', logged);
  } else if (slack && !explainSlackFailure(slack).misconfigured) logger.warn('Slack failed the request', logged);
  else logger.error('Command failed', logged);
  const text = messageFor(error, `(ref \`${ref}\`)`, slashCommand);
  return { text, parts: [{ type: 'text', text }] };
}

/** Says what a change that stopped part-way did and left, with a button that previews what is left. */
function partialFailureReply(error: PartialFailureError, reference: string): Reply {
  const action = error.action.charAt(0).toUpperCase() + error.action.slice(1);
  const text = `${action} stopped part-way ${reference}. ${error.reason()}`;
  const next = error.retry
    ? 'Nothing more was tried, and nothing runs again by itself: *Fresh preview* shows what is left.'
    : 'Nothing more was tried, and nothing runs again by itself.';
  return {
    text,
    parts: [
      { type: 'text', text },
      { type: 'text', text: `${error.stateLines().join('.\n')}.` },
      { type: 'context', text: next },
      ...(error.retry
        ? [{ type: 'actions' as const, actions: [{ label: 'Fresh preview', invocation: error.retry }] }]
        : []),
    ],
  };
}

function messageFor(error: unknown, reference: string, slashCommand: string): RichText {
  if (error instanceof RoleCheckError) {
    // Never "you lack the role": the group that would say so could not be read.
    const slack = readSlackFailure(error.cause);
    const meaning = slack ? explainSlackFailure(slack) : undefined;
    const problem = meaning?.problem ?? 'Slack did not list the members of a user group.';
    return rich`Your role could not be checked right now, so nothing was done: ${problem} ${withRef(meaning?.fix ?? 'Try again in a minute.', reference)}`;
  }
  const slack = readSlackFailure(error);
  if (slack) {
    const { problem, fix } = explainSlackFailure(slack);
    return rich`${problem} ${withRef(fix, reference)}`;
  }
  if (error instanceof DeadlineError) {
    return (
      `${error.service} is slow right now (${error.step} took too long), so nothing was started. ` +
      `Try again in a moment ${reference}.`
    );
  }
  if (error instanceof VcrTimeoutError || error instanceof VcrNetworkError) {
    if (!error.changesState) return `vCR is not answering right now. Try again in a minute ${reference}.`;
    // The request may have reached vCR and been carried out before the answer was lost.
    return (
      `vCR did not answer in time, so the change may or may not have been made. Check with ` +
      `\`${slashCommand} ${readCommandFor(error.path)}\` before trying again ${reference}.`
    );
  }
  if (error instanceof VcrApiError) {
    if (error.outcomeUnknown) {
      // A gateway may have answered after vCR carried out a create or a refresh: never "try again" on its own.
      return (
        `vCR answered ${error.status}, so the change may or may not have been made. Check with ` +
        `\`${slashCommand} ${readCommandFor(error.path)}\` before trying again ${reference}.`
      );
    }
    if (error.status === 401 || error.status === 403) {
      return (
        `vCR rejected the bot's credentials or permissions (it said ${error.status}); ` +
        `ask the bot's admin to check them ${reference}.`
      );
    }
    if (error.status >= 500 || error.status === 429) {
      return `vCR is not answering right now (it said ${error.status}). Try again in a minute ${reference}.`;
    }
    return `vCR refused: ${error.serverMessage} ${reference}`;
  }
  if (error instanceof VcrUnreadableAnswerError) {
    // Its body is in the log line under the same ref; it is never shown, since it may be anything (HTML, a stack).
    return (
      `vCR sent an answer I could not read ${reference}. Try again in a minute; if it keeps happening, ` +
      `give the bot's admin the ref.`
    );
  }
  if (error instanceof IamAuthError) {
    return `vCR credentials were rejected or could not be checked; ask the bot's admin to check them ${reference}.`;
  }
  return `Something went wrong ${reference}.`;
}

// The reference goes inside the last sentence, as in "Try again in a minute (ref `1a2b3c4d`)."
function withRef(sentence: RichText, reference: string): RichText {
  return rich`${withoutFinalStop(sentence)} ${reference}.`;
}

/** The read command that shows what a vCR write at `path` changes (paths per docs/vcr-api.md#operations). */
function readCommandFor(path: string): string {
  if (path.startsWith('/v1/repository/')) {
    if (path.includes('/images/artifacts')) return 'tags REF';
    if (path.includes('/images')) return 'images REPO';
    if (/\/(attach|detach|user)$/.test(path)) return 'repo users REPO';
    return 'repo REPO';
  }
  if (path.startsWith('/v1/user/')) return 'user USER';
  if (path.startsWith('/v1/user')) return 'users';
  return 'repos';
}
