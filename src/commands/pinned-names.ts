/** Pinning a list of names (digests, tags) in a preview, and saying how it changed before the confirming click. */
import { createHash } from 'node:crypto';
import { quotedList } from './image/artifact-fields';

/** A pinned list: the sorted names while there are few, else their count and a hash, keeping the record small. */
export interface PinnedNames {
  count: number;
  names?: string[];
  hash?: string;
}

// Up to this many names are pinned as they are; more become a count and a hash (operation records, src/store/operation-store.ts).
const maxPinnedNames = 50;

/** Pins `names` in a stable order, so the same set always pins the same way. */
export function pinNames(names: readonly string[]): PinnedNames {
  const sorted = [...new Set(names)].sort();
  if (sorted.length <= maxPinnedNames) return { count: sorted.length, names: sorted };
  return { count: sorted.length, hash: createHash('sha256').update(sorted.join('\n')).digest('hex') };
}

/**
 * Says how `now` differs from `pinned`, e.g. ``now 4 (was 3); new: `b` ``, showing each name through `show`; returns
 * undefined when the set is the same.
 */
export function describeNameChange(
  pinned: PinnedNames,
  now: readonly string[],
  show: (name: string) => string = (name) => name,
): string | undefined {
  const current = pinNames(now);
  const counts = `now ${current.count} (was ${pinned.count})`;
  if (pinned.names && current.names) {
    const added = current.names.filter((name) => !pinned.names?.includes(name));
    const removed = pinned.names.filter((name) => !current.names?.includes(name));
    if (added.length === 0 && removed.length === 0) return undefined;
    const parts = [counts];
    if (added.length > 0) parts.push(`new: ${quotedList(added.map(show), 5)}`);
    if (removed.length > 0) parts.push(`gone: ${quotedList(removed.map(show), 5)}`);
    return parts.join('; ');
  }
  if (current.count === pinned.count && current.hash === pinned.hash) return undefined;
  return `${counts}, not the same ones`;
}
