/**
 * What a change of several vCR calls did before one failed (issue 8 §7): every multi-step execution records its steps
 * in one `Progress`, and a failure after the first change becomes a `PartialFailureError` naming what was changed and
 * what is still there, whatever vCR's error was (4xx, 5xx, timeout). The runner stores it in the operation record,
 * the Slack layer shows it with a fresh-preview button, and the change notification says it too.
 */

import { UserError } from '../errors';
import { mention, type RichText, rich } from '../rich-text';
import {
  mayHaveBeenCarriedOut,
  VcrApiError,
  VcrNetworkError,
  VcrTimeoutError,
  VcrUnreadableAnswerError,
} from '../vcr/errors';
import type { Invocation } from './reply';
import { rethrowAsUserError } from './rethrow-as-user-error';

// A reply or a notification names this many steps of each kind, then says how many more.
const shownSteps = 10;

/** How the steps of one change read: its verb, and the labels of what was done and what is left. */
export interface StepWords {
  /** What each step does to its item, e.g. `delete`. */
  verb: string;
  /** Labels the items done, e.g. `Deleted`. */
  done: string;
  /** Labels the items left, e.g. `Still there`. */
  remaining: string;
  /** Labels the item whose step may or may not have been carried out (its answer was lost), e.g. `May be deleted`. */
  unsure: string;
}

/** The words of a change that deletes one item per step. */
export const deleteSteps: StepWords = {
  verb: 'delete',
  done: 'Deleted',
  remaining: 'Still there',
  unsure: 'May or may not be deleted',
};

/** A change of several steps stopped after changing something: what it did, what it left, and why it stopped. */
export class PartialFailureError extends Error {
  override name = 'PartialFailureError';
  /** What the change set out to do, e.g. ``delete repository `sandbox` and its 4 images``. */
  readonly action: string;
  /** The item whose step failed, e.g. ``image `team/worker` ``. */
  readonly failed: string;
  /** The items whose step was carried out before it, in order. */
  readonly done: string[];
  /** The items whose step was not carried out: the failed one first, unless it is `unsure`. */
  readonly remaining: string[];
  /**
   * The failed item when its step may still have been carried out (a timeout, a dropped connection, a 5xx to a
   * create): it is neither done nor still there (`mayHaveBeenCarriedOut`), else empty.
   */
  readonly unsure: string[];
  readonly words: StepWords;
  /** Previews what is left: the same command with the same args, planned afresh from vCR. */
  readonly retry?: Invocation;

  constructor(init: {
    action: string;
    failed: string;
    done: string[];
    remaining: string[];
    cause: unknown;
    words?: StepWords;
    retry?: Invocation;
  }) {
    super(
      `${init.action} stopped part-way at ${init.failed}: ${init.done.length} done, ${init.remaining.length} left`,
      {
        cause: init.cause,
      },
    );
    this.action = init.action;
    this.failed = init.failed;
    this.done = init.done;
    // One place decides whether the failed step is unsure, so the reply, the record and the notice all say the same.
    const unsure = mayHaveBeenCarriedOut(init.cause);
    this.remaining = unsure ? init.remaining.filter((item, at) => at > 0 || item !== init.failed) : init.remaining;
    this.unsure = unsure ? [init.failed] : [];
    this.words = init.words ?? deleteSteps;
    this.retry = init.retry;
  }

  /** Returns the same failure with a fresh preview of what is left attached. */
  withRetry(retry: Invocation): PartialFailureError {
    const { action, failed, done, cause, words } = this;
    const remaining = [...this.unsure, ...this.remaining];
    return new PartialFailureError({ action, failed, done, remaining, cause, words, retry });
  }

  /** Says why it stopped, in words the user reads: the failed step and what vCR did, never a raw body. */
  reason(): string {
    return reasonOf(`${this.words.verb} ${this.failed}`, this.cause);
  }

  /** Says what was done, e.g. ``Deleted: image `team/api`, image `team/cli` ``, naming ten at most. */
  doneLine(): string {
    return `${this.words.done}: ${itemsLine(this.done)}`;
  }

  /** Says what is left, the failed item first unless it is unsure, naming ten at most. */
  remainingLine(): string {
    return `${this.words.remaining}: ${itemsLine(this.remaining)}`;
  }

  /**
   * What was done, what may or may not have been (when the failed step's answer was lost), and what is left: the one
   * wording the reply, the record and the notification share.
   */
  stateLines(): string[] {
    const unsure = this.unsure.length > 0 ? [`${this.words.unsure}: ${itemsLine(this.unsure)}`] : [];
    return [this.doneLine(), ...unsure, this.remainingLine()];
  }

  /** One line for the record and for a later click: why it stopped, what was done and what is left. */
  summary(): string {
    return `stopped part-way. ${this.reason()} ${this.stateLines().join('. ')}.`;
  }
}

/** The steps of one change as it runs; `fail` turns the error of a step into what the user is told. */
export interface Progress {
  /**
   * Adds items to handle, after those already planned or just before `before`; one already waiting is not added
   * again.
   */
  plan(items: readonly string[], before?: string): void;
  /**
   * Marks the step of `item` carried out (or found already done by someone else); the items it `covers` (an image's
   * artifacts, once the image is gone) are no longer listed on their own.
   */
  done(item: string, covers?: readonly string[]): void;
  /**
   * Throws for the failed step of `item`: a `PartialFailureError` once an earlier step changed something, else
   * `error` as a command answers a single failed call (a refusal in vCR's words, anything else as it is). A
   * `PartialFailureError` from a nested step passes through unchanged.
   */
  fail(item: string, error: unknown): never;
}

/** Starts the progress of `action` over its `planned` items, in order; each step does `words.verb` to one item. */
export function createProgress(action: string, planned: readonly string[], words: StepWords = deleteSteps): Progress {
  // Items may repeat (two artifacts whose short digests agree), so what is settled is counted, not looked up.
  const items = [...planned];
  const shown: string[] = [];
  const settled = new Map<string, number>();
  const left = () => {
    const skip = new Map(settled);
    return items.filter((item) => {
      const count = skip.get(item) ?? 0;
      if (count > 0) skip.set(item, count - 1);
      return count === 0;
    });
  };
  return {
    plan(more, before) {
      // An item already waiting (an image the caller planned, which the deleter plans again) is not added twice.
      const waiting = left();
      const added = more.filter((item) => {
        const at = waiting.indexOf(item);
        if (at >= 0) waiting.splice(at, 1);
        return at < 0;
      });
      const at = before === undefined ? -1 : items.lastIndexOf(before);
      items.splice(at < 0 ? items.length : at, 0, ...added);
    },
    done(item, covers = []) {
      for (const covered of covers) {
        const at = shown.indexOf(covered);
        if (at >= 0) shown.splice(at, 1);
      }
      shown.push(item);
      settled.set(item, (settled.get(item) ?? 0) + 1);
    },
    fail(item, error) {
      if (error instanceof PartialFailureError) throw error;
      if (shown.length === 0) {
        if (error instanceof UserError) throw error;
        rethrowAsUserError(error, `${words.verb} ${item}`);
      }
      const rest = left();
      rest.splice(rest.indexOf(item), rest.includes(item) ? 1 : 0);
      throw new PartialFailureError({
        action,
        failed: item,
        done: [...shown],
        remaining: [item, ...rest],
        cause: error,
        words,
      });
    },
  };
}

/** The notification line of a change that stopped part-way, for the configured channel. */
export function partialFailureNotice(error: PartialFailureError, actorId: string): RichText {
  return rich`${mention(actorId)}: ${error.action} stopped part-way. ${error.stateLines().join('. ')}.`;
}

function itemsLine(items: readonly string[]): string {
  if (items.length === 0) return 'nothing';
  const more = items.length > shownSteps ? `, and ${items.length - shownSteps} more` : '';
  return `${items.slice(0, shownSteps).join(', ')}${more}`;
}

/** Says what happened to `step`, from the error that stopped it. */
function reasonOf(step: string, cause: unknown): string {
  if (mayHaveBeenCarriedOut(cause)) {
    const lost = cause instanceof VcrApiError ? `answered ${cause.status}` : 'did not answer in time';
    return `vCR ${lost} when asked to ${step}, so that may or may not have happened.`;
  }
  if (cause instanceof VcrTimeoutError || cause instanceof VcrNetworkError) {
    return `vCR did not answer in time as the bot was about to ${step}.`;
  }
  if (cause instanceof VcrUnreadableAnswerError)
    return `vCR sent an answer I could not read as the bot was about to ${step}.`;
  if (cause instanceof VcrApiError) {
    if (cause.status === 401 || cause.status === 403) {
      return `vCR rejected the bot's credentials or permissions when asked to ${step}.`;
    }
    if (cause.status >= 500 || cause.status === 429) return `vCR failed to ${step} (it said ${cause.status}).`;
    return `vCR refused to ${step}: ${sentence(cause.serverMessage)}`;
  }
  if (cause instanceof UserError) return `Could not ${step}: ${sentence(cause.message)}`;
  return `Something went wrong as the bot tried to ${step}.`;
}

function sentence(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}
