/**
 * The time budget of one request's HTTP phase: Slack wants the answer within 3 s (docs/slack-limits.md#time-limits),
 * cold start included, so every step of a listener shares one deadline instead of each taking its own timeout.
 */
import type { RoleLookup } from '../policy/roles';

/** A step of the HTTP phase did not finish before the request's deadline; nothing after it was started. */
export class DeadlineError extends Error {
  override name = 'DeadlineError';
  /** Who was slow: `Slack`, `vCR`, or the bot's own store. */
  readonly service: string;
  /** What was under way, e.g. `reading user groups`. */
  readonly step: string;

  constructor(service: string, step: string) {
    super(`${service} did not answer in time while ${step}`);
    this.service = service;
    this.step = step;
  }
}

/** One request's deadline, started when its listener starts (Bolt hands listeners no receipt time). */
export interface Deadline {
  /** The milliseconds left, never below zero. */
  remainingMs(): number;
  /**
   * Resolves like `promise`, or rejects with a `DeadlineError` naming `service` and `step` when the deadline comes
   * first (at once when it has passed). The call itself is not cancelled; its late result is ignored.
   */
  race<T>(promise: Promise<T>, service: string, step: string): Promise<T>;
}

/**
 * How long a listener may take before it must answer: Slack's 3 s less room for a cold start's first lines, Bolt's
 * own work and the answer's trip back.
 */
export const httpBudgetMs = 2500;

/** Starts a deadline `budgetMs` from now; `now` is a monotonic clock in ms. */
export function createDeadline(budgetMs: number, now: () => number = () => performance.now()): Deadline {
  const endsAt = now() + budgetMs;
  return {
    remainingMs: () => Math.max(0, endsAt - now()),
    race(promise, service, step) {
      const left = endsAt - now();
      if (left <= 0) {
        // The late call may still fail; its rejection must not go unhandled.
        promise.catch(() => {});
        return Promise.reject(new DeadlineError(service, step));
      }
      return withDeadline(promise, left, () => new DeadlineError(service, step));
    },
  };
}

/**
 * Resolves like `promise`, or rejects with `late()` once `ms` have passed. The call itself is not cancelled; its
 * late result is ignored.
 */
export function withDeadline<T>(promise: Promise<T>, ms: number, late: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(late()), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

/** The role lookup of a request's admission: user group reads bounded by what is left of `deadline`. */
export function groupReadsWithin(deadline: Deadline): RoleLookup {
  return { bound: (reads) => deadline.race(reads, 'Slack', 'reading user groups') };
}
