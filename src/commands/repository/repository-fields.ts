/** How a repository reads in replies: access, usage against quota, card fields and the docker hint. */
import type { Repository } from '../../vcr/types';
import { bytesPerGb, formatBytes, formatDate, usageBar } from '../format';
import { registryHost } from '../registry-host';
import type { Field } from '../reply';

/** Returns `public` or `private` from `accessLevel` (values undocumented), else the raw value in lower case. */
export function repositoryAccess(repo: Repository): string {
  const level = String(repo.accessLevel ?? '').toLowerCase();
  if (level.includes('public') || repo.isPublic === true) return 'public';
  if (level.includes('private') || repo.isPublic === false) return 'private';
  return level || 'unknown';
}

/**
 * Returns a repository's usage in bytes and quota in GB as numbers, or undefined when vCR gave no usable pair: each
 * must be a finite number at or above 0 (a quota above 0), or a decimal string of one. `null`, `''` and booleans are
 * missing, never 0 (`Number(null)` is 0), so a repository whose usage vCR left out never reads as empty.
 */
export function quotaOf(
  repo: Pick<Repository, 'quotaUsed' | 'quotaLimit'>,
): { usedBytes: number; limitGb: number } | undefined {
  const usedBytes = countOf(repo.quotaUsed);
  const limitGb = countOf(repo.quotaLimit);
  if (usedBytes === undefined || limitGb === undefined || limitGb <= 0) return undefined;
  return { usedBytes, limitGb };
}

function countOf(value: unknown): number | undefined {
  const number =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(value)
        ? Number(value)
        : Number.NaN;
  return Number.isFinite(number) && number >= 0 ? number : undefined;
}

/** Returns `1.2 GB of 20 GB ▓░░░░░░░░░ 6%`; `quotaUsed` is bytes while `quotaLimit` is GB (src/vcr/types.ts). */
export function repositoryUsage(repo: Repository): string {
  const quota = quotaOf(repo);
  if (quota) {
    return `${formatBytes(quota.usedBytes)} of ${quota.limitGb} GB ${usageBar(quota.usedBytes, quota.limitGb * bytesPerGb)}`;
  }
  const limitBytes = Number(repo.quotaLimit) * bytesPerGb;
  return `${formatBytes(repo.quotaUsed)} of ${repo.quotaLimit} GB ${usageBar(Number(repo.quotaUsed), limitBytes)}`;
}

/** Returns every field of a repository card, in reading order (nine, under Slack's ten per section). */
export function repositoryFields(repo: Repository): Field[] {
  return [
    { label: 'Name', value: repo.name },
    { label: 'Backend name', value: `\`${repo.backendName}\`` },
    { label: 'ID', value: `\`${repo.uuid}\`` },
    { label: 'Access', value: repositoryAccess(repo) },
    { label: 'Quota', value: repositoryUsage(repo) },
    { label: 'Images', value: String(repo.imageCount ?? 'unknown') },
    { label: 'Attached users', value: String(repo.attachedUser ?? 'unknown') },
    { label: 'Registry', value: repo.registryUrl ? `\`${repo.registryUrl}\`` : 'unknown' },
    { label: 'Created', value: formatDate(repo.createdAt, 'unknown') },
  ];
}

/** Returns the docker push and pull lines for the repository, on its own registry host. */
export function dockerHint(repo: Repository): string {
  const path = `${registryHost(repo)}/${repo.backendName}/<image>:<tag>`;
  return `Push: \`docker push ${path}\`\nPull: \`docker pull ${path}\``;
}
