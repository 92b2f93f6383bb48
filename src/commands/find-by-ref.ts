/** Exact matching of what a user typed against named vCR records, shared by the repository and user resolvers. */

/** A vCR record a user may name by display name, backend name (`<accountId>-<name>`) or id. */
export interface NamedRecord {
  uuid: string;
  name: string;
  backendName: string;
}

// Ids are UUIDs, possibly behind a prefix (the emulator's `repo-…`); display names are at most 20 characters.
const uuidPattern = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True when `ref` can only be an id: it ends in a UUID, which no display name is long enough to hold. */
export function looksLikeId(ref: string): boolean {
  return uuidPattern.test(ref);
}

/**
 * Returns every record whose `name`, `backendName` or `uuid` is exactly `ref`; when none is, every record whose name or
 * backend name is `ref` ignoring case (`PAYMENTS-API` finds `payments-api`, as list filters ignore case). vCR's `name`
 * filter is a loose substring match on display names, so `search` is asked with `ref`, and, when `ref` may be a
 * backend name, with the display-name part after the account id as well.
 */
export async function findByRef<T extends NamedRecord>(
  ref: string,
  search: (filter: string) => Promise<T[]>,
): Promise<T[]> {
  const found = new Map<string, T>();
  const seen = new Map<string, T>();
  const keep = (records: T[]) => {
    for (const record of records) {
      seen.set(record.uuid, record);
      if (record.name === ref || record.backendName === ref || record.uuid === ref) found.set(record.uuid, record);
    }
    return records;
  };
  const first = keep(await search(ref));
  const namePart = namePartOf(ref, first);
  // Search again on a miss, or when a display-name match may hide another record whose backend name is `ref`.
  if (namePart !== undefined && (found.size === 0 || [...found.values()].some((record) => record.name === ref))) {
    keep(await search(namePart));
  }
  if (found.size > 0) return [...found.values()];
  const folded = ref.toLowerCase();
  return [...seen.values()].filter(
    (record) => record.name.toLowerCase() === folded || record.backendName.toLowerCase() === folded,
  );
}

/** The display-name part of `ref` if it may be a backend name: after the account id vCR showed, else the first `-`. */
function namePartOf(ref: string, seen: NamedRecord[]): string | undefined {
  const sample = seen.find((record) => record.backendName.endsWith(`-${record.name}`));
  if (sample) {
    const prefix = sample.backendName.slice(0, sample.backendName.length - sample.name.length);
    const fits = ref.toLowerCase().startsWith(prefix.toLowerCase()) && ref.length > prefix.length;
    return fits ? ref.slice(prefix.length) : undefined;
  }
  const dash = ref.indexOf('-');
  return dash > 0 && dash < ref.length - 1 ? ref.slice(dash + 1) : undefined;
}
