/** How fast a repository fills, from the watcher's own daily usage samples (docs/decisions/0021-scheduled-watcher.md). */
import type { UsageSample } from '../../store/watch-store';

const dayMs = 86_400_000;

/** The growth the samples show: bytes gained over the days they span, per day, and days until the quota is full. */
export interface UsageGrowth {
  /** Bytes gained (negative when usage fell) between the first and the last sample. */
  grownBytes: number;
  /** Days between the first and the last sample. */
  spanDays: number;
  /** Bytes gained per day over that span. */
  bytesPerDay: number;
  /** Whole days until usage reaches `limitBytes` at that rate; absent when not growing or already full. */
  fullInDays?: number;
}

/**
 * Returns the growth over `samples` (oldest first) against a quota of `limitBytes`, or undefined when they cannot tell
 * it: fewer than two samples, or samples less than a day apart, say too little to extrapolate from.
 */
export function usageGrowth(samples: readonly UsageSample[], limitBytes: number): UsageGrowth | undefined {
  const first = samples[0];
  const last = samples.at(-1);
  if (!first || !last || samples.length < 2) return undefined;
  const spanDays = (last.at - first.at) / dayMs;
  if (!(spanDays >= 1)) return undefined;
  const grownBytes = last.usedBytes - first.usedBytes;
  const bytesPerDay = grownBytes / spanDays;
  const left = limitBytes - last.usedBytes;
  const fullInDays = bytesPerDay > 0 && left > 0 ? Math.ceil(left / bytesPerDay) : undefined;
  return { grownBytes, spanDays, bytesPerDay, ...(fullInDays === undefined ? {} : { fullInDays }) };
}
