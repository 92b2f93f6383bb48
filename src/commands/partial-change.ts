/**
 * Failures part-way through a change: a command notes on the error what it changed before it stopped and what it left,
 * and the runner keeps that in the operation's `detail` and the audit record (docs/decisions/0014-audit-and-freeze.md).
 * The error itself is left as it is, so the user's reply does not change.
 */

/** What a change had done when it failed, and what it left as it was. */
export interface PartialChange {
  changed: string[];
  unchanged: string[];
}

const notes = new WeakMap<object, PartialChange>();

/** Notes on `error` what was changed before it and what stayed; returns `error` for a `throw`. */
export function notePartialChange<T>(error: T, change: PartialChange): T {
  if (error !== null && typeof error === 'object') notes.set(error, change);
  return error;
}

/** What `error`, or an error in its `cause` chain, says was changed before it; undefined when nothing was. */
export function partialChangeOf(error: unknown): PartialChange | undefined {
  for (let current = error; current !== null && typeof current === 'object'; current = (current as Error).cause) {
    const change = notes.get(current);
    if (change && change.changed.length > 0) return change;
  }
  return undefined;
}
