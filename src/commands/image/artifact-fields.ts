/** How images and artifacts read in replies: tag names, name lists cut short, counts, the docker pull line. */
import type { Artifact, Repository } from '../../vcr/types';
import { formatBytes, formatDate, shortDigest } from '../format';
import { registryHost } from '../registry-host';

/** Returns the tag names of an artifact; vCR sends `tags: null` for an untagged one. */
export function tagNamesOf(artifact: Artifact): string[] {
  return (artifact.tags ?? []).map((tag) => tag?.name).filter((name): name is string => typeof name === 'string');
}

/** Returns `` `a`, `b` and 3 more ``: the first `shown` names in code style, then how many were left out. */
export function quotedList(names: readonly string[], shown = 10, total = names.length): string {
  if (names.length === 0 && total === 0) return 'none';
  const listed = names.slice(0, shown).map((name) => `\`${name}\``);
  const more = total > listed.length ? ` and ${total - listed.length} more` : '';
  return `${listed.join(', ')}${more}`;
}

/** Returns `count word`, in `plural` (the word with an `s`) unless the count is one; a count vCR left out reads `?`. */
export function counted(count: unknown, word: string, plural = `${word}s`): string {
  const value = typeof count === 'number' && Number.isFinite(count) ? count : undefined;
  return `${value ?? '?'} ${value === 1 ? word : plural}`;
}

/** Returns the title of an artifact's list row: its short digest and its tags. */
export function artifactTitle(artifact: Artifact): string {
  const tags = tagNamesOf(artifact);
  return `*${shortDigest(artifact.digest)}* ${tags.length > 0 ? quotedList(tags, 8) : '_untagged_'}`;
}

/** Returns the detail line of an artifact's list row: size, push and pull time. */
export function artifactLine(artifact: Artifact): string {
  return `${formatBytes(artifact.size)} · pushed ${formatDate(artifact.pushTime, 'unknown')} · pulled ${formatDate(artifact.pullTime)}`;
}

/** Returns the `docker pull` line of an image on its repository's own registry host. */
export function dockerPullHint(repo: Repository, imageName: string): string {
  return `Pull: \`docker pull ${registryHost(repo)}/${repo.backendName}/${imageName}:<tag>\``;
}
