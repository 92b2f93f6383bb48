/**
 * The quota watch of one repository: which alert thresholds its usage crossed, the alert for the highest one crossed
 * since it was last below, and its row of the Home tab's snapshot (docs/decisions/0021-scheduled-watcher.md).
 */
import { rich } from '../../rich-text';
import type { QuotaWatchRow, WatchStore } from '../../store/watch-store';
import type { Repository } from '../../vcr/types';
import { bytesPerGb, formatBytes } from '../format';
import type { Reply } from '../reply';
import { quotaOf, repositoryUsage } from '../repository/repository-fields';
import { quotaNoticeActions } from './notice-actions';
import { type UsageGrowth, usageGrowth } from './usage-growth';

const dayMs = 86_400_000;
/** How far back growth is measured. */
export const growthWindowDays = 7;

/** What the quota watch of one repository needs. */
export interface QuotaWatchDeps {
  store: WatchStore;
  /** Ascending usage percentages that raise an alert. */
  thresholds: readonly number[];
  /** Posts an alert; absent when there is no alert channel, and then nothing is marked sent either. */
  post?: (reply: Reply) => Promise<boolean>;
  now: () => number;
}

/** What the quota watch of one repository found. */
export interface QuotaWatchResult {
  /** Its Home tab row, when usage is at or above the first threshold. */
  row?: QuotaWatchRow;
  /** True when an alert was posted. */
  alerted: boolean;
  /** Why it was skipped (no usable quota or usage), if it was. */
  skipped?: string;
}

/** Returns the notice key of a repository's threshold, e.g. `quota#<repoId>#80`. */
export function quotaNoticeKey(repoId: string, threshold: number): string {
  return `quota#${repoId}#${threshold}`;
}

/** Returns the usage of a repository as a percentage of its quota, or undefined when vCR gave no usable numbers. */
export function usagePercent(repo: Pick<Repository, 'quotaUsed' | 'quotaLimit'>): number | undefined {
  const quota = quotaOf(repo);
  return quota && (quota.usedBytes / (quota.limitGb * bytesPerGb)) * 100;
}

/**
 * Records today's sample of `repo`, clears the thresholds usage fell below, marks the ones it reached, and posts one
 * alert naming the highest one newly reached; an alert Slack did not take is unmarked, so the next pass tries again.
 */
export async function watchRepositoryQuota(deps: QuotaWatchDeps, repo: Repository): Promise<QuotaWatchResult> {
  const quota = quotaOf(repo);
  const percent = usagePercent(repo);
  // Missing numbers leave the marks and samples as they are: reading them as 0 would clear the marks and re-alert.
  if (!quota || percent === undefined) return { alerted: false, skipped: 'no usable quota or usage' };
  const now = deps.now();
  const { usedBytes, limitGb: quotaGb } = quota;
  await deps.store.addSample(repo.uuid, { at: now, usedBytes, quotaGb });

  const reached = deps.thresholds.filter((threshold) => percent >= threshold);
  for (const threshold of deps.thresholds.filter((threshold) => percent < threshold)) {
    // Read first: clearing a notice never sent would write an item for nothing.
    const key = quotaNoticeKey(repo.uuid, threshold);
    if (await deps.store.wasSent(key)) await deps.store.clearSent(key);
  }
  if (reached.length === 0) return { alerted: false };

  const samples = await deps.store.samples(repo.uuid, now - growthWindowDays * dayMs);
  const growth = usageGrowth(samples, quotaGb * bytesPerGb);
  const highest = reached.at(-1)!;
  const row: QuotaWatchRow = {
    repoId: repo.uuid,
    repoName: repo.name,
    usedBytes,
    quotaGb,
    percent,
    threshold: highest,
    ...(growth?.fullInDays === undefined ? {} : { fullInDays: growth.fullInDays }),
  };
  if (!deps.post) return { row, alerted: false };

  const marked: number[] = [];
  for (const threshold of reached) {
    if (await deps.store.markSent(quotaNoticeKey(repo.uuid, threshold))) marked.push(threshold);
  }
  const newest = marked.at(-1);
  if (newest === undefined) return { row, alerted: false };
  if (await deps.post(quotaAlert(repo, percent, newest, growth, deps.thresholds))) return { row, alerted: true };
  for (const threshold of marked) await deps.store.clearSent(quotaNoticeKey(repo.uuid, threshold));
  return { row, alerted: false };
}

/** Returns the alert of a repository that reached `threshold`: usage with a bar, growth, and what to do about it. */
export function quotaAlert(
  repo: Repository,
  percent: number,
  threshold: number,
  growth: UsageGrowth | undefined,
  thresholds: readonly number[],
): Reply {
  const text = `Repository ${repo.name} reached ${threshold}% of its quota`;
  return {
    text,
    parts: [
      // The bar below rounds the percentage; the header names the threshold, so the two never disagree.
      { type: 'header', text: `Quota alert: ${repo.name}` },
      { type: 'text', text: rich`\`${repo.name}\` reached *${threshold}%* of its quota.` },
      {
        type: 'fields',
        fields: [
          { label: 'Usage', value: repositoryUsage(repo) },
          { label: `Growth, last ${growthWindowDays} days`, value: growthText(growth) },
          { label: 'Full', value: fullText(growth, percent) },
        ],
      },
      {
        type: 'context',
        text: `Alerts at ${thresholds.map((value) => `${value}%`).join(', ')} of the quota, once each until usage falls back below.`,
      },
      { type: 'actions', actions: quotaNoticeActions(repo) },
    ],
  };
}

/** Returns e.g. `+3.5 GB in 7 days (512 MB a day)`, `not growing`, or that there are too few samples yet. */
export function growthText(growth: UsageGrowth | undefined): string {
  if (!growth) return 'not known yet (the watcher needs samples at least a day apart)';
  if (growth.grownBytes <= 0)
    return growth.grownBytes < 0 ? `shrinking: −${formatBytes(-growth.grownBytes)}` : 'not growing';
  const days = Math.round(growth.spanDays);
  return `+${formatBytes(growth.grownBytes)} in ${days} ${days === 1 ? 'day' : 'days'} (${formatBytes(growth.bytesPerDay)} a day)`;
}

function fullText(growth: UsageGrowth | undefined, percent: number): string {
  if (percent >= 100) return 'already full';
  if (growth?.fullInDays !== undefined)
    return `in about ${growth.fullInDays} ${growth.fullInDays === 1 ? 'day' : 'days'}`;
  return growth ? 'not at the current rate' : 'cannot tell yet';
}
