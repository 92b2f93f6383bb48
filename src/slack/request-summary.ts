/**
 * One summary line per Slack request: who sent it, which command it was for, and how it ended
 * (docs/configuration.md#logs-and-metrics). Listeners note the command and outcome in Bolt's context as they learn
 * them; this middleware writes the line once the listener has settled.
 */
import type { AllMiddlewareArgs, AnyMiddlewareArgs } from '@slack/bolt';
import { UserError } from '../errors';
import type { Logger } from '../logger';

/** What a listener notes in Bolt's context for the request's summary line. */
export interface RequestNotes {
  /** The command id the request is for, once admission found it (`repo.quota`). */
  commandId?: string;
  /** How the HTTP phase ended: `queued`, `form`, `answered`, `refused` or `failed`. */
  outcome?: string;
}

/** Notes the request's command and outcome in Bolt's `context`, for its summary line. */
export function noteRequest(context: Record<string, unknown>, notes: RequestNotes): void {
  Object.assign(context, notes);
}

/** The outcome of a listener that answered `error` to the user: refused for a `UserError`, failed otherwise. */
export function outcomeOfFailure(error: unknown): string {
  return error instanceof UserError ? 'refused' : 'failed';
}

/** Creates the Bolt middleware that logs the summary line of every request after its listener settled. */
export function logRequestSummary(logger: Logger) {
  return async ({ body, context, next }: AnyMiddlewareArgs & AllMiddlewareArgs): Promise<void> => {
    let threw = false;
    try {
      await next();
    } catch (error) {
      threw = true;
      throw error;
    } finally {
      const raw = body as Record<string, unknown>;
      const user = raw.user as { id?: unknown } | undefined;
      const notes = context as RequestNotes;
      // The request id is on every line of the invocation as `function_request_id`; Slack's trigger_id is a credential
      // for opening a modal, so it is never logged.
      logger.info('Slack request finished', {
        type: typeof raw.type === 'string' ? raw.type : typeof raw.command === 'string' ? 'slash_command' : 'unknown',
        userId: typeof raw.user_id === 'string' ? raw.user_id : typeof user?.id === 'string' ? user.id : undefined,
        commandId: notes.commandId,
        outcome: notes.outcome ?? (threw ? 'failed' : 'answered'),
      });
    }
  };
}
