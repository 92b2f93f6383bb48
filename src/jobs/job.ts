/** The envelope of the slow phase: what the HTTP function hands to the worker after acknowledging Slack. */
import type { Actor } from '../commands/command';
import type { DecisionChoice, Invocation } from '../commands/reply';

/** Where the answer of a job goes. */
export interface JobReplyTarget {
  /** Slack's `response_url` (valid 30 minutes, 5 posts); absent for some surfaces such as modal submits. */
  responseUrl?: string;
  channelId?: string;
  /** The message a click came from, so the answer can replace it. */
  messageTs?: string;
  /** The answer replaces the message the click came from (a Previous/Next page), unless the job fails. */
  replaceOriginal?: boolean;
  /** The slash command's ack posted a "Working on …" line at `responseUrl`: the answer, even a failure, takes its place. */
  replacesWorkingLine?: boolean;
}

/**
 * One unit of slow work; JSON only, so it travels in a Lambda `Event` invocation. `id` is unique per dispatch and
 * kept by redeliveries; `requestKey` is Slack's identity of the request, kept by Slack's own retries and resubmits.
 */
export type Job =
  | ({
      id: string;
      kind: 'invoke';
      invocation: Invocation;
      actor: Actor;
      requestKey: string;
      /** The request came from a button a person may click again later on purpose (runner's `repeatable`). */
      repeatable?: boolean;
    } & JobReplyTarget)
  | ({
      id: string;
      kind: 'decide';
      operationId: string;
      /** The command the button named; routing only, the worker reads the stored operation. */
      command: string;
      choice: DecisionChoice;
      /** A rejecting approver's reason, from the reject modal. */
      reason?: string;
      actor: Actor;
    } & JobReplyTarget);

/** Hands a job to the worker: an async Lambda invocation in AWS, the same process locally and in tests. */
export interface JobDispatcher {
  dispatch(job: Job): Promise<void>;
}

/**
 * True when `value` has the envelope of a job as the worker is invoked with: an id, an actor with a user id, and what
 * its kind needs (an invoke's request key and command, a decide's operation, command and choice).
 */
export function isJob(value: unknown): value is Job {
  if (!isRecord(value) || typeof value.id !== 'string') return false;
  if (!isRecord(value.actor) || typeof value.actor.userId !== 'string') return false;
  if (value.kind === 'invoke') {
    return (
      typeof value.requestKey === 'string' && isRecord(value.invocation) && typeof value.invocation.command === 'string'
    );
  }
  if (value.kind === 'decide') {
    return (
      typeof value.operationId === 'string' && typeof value.command === 'string' && typeof value.choice === 'string'
    );
  }
  return false;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
