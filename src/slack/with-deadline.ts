/** Bounds a call made while Slack waits for an ack (3 s in all, ../shared/slack-limits.md). */

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
