/**
 * The freeze switch: one setting item (`pk=setting#freeze`) that, while present and not past its `until`, refuses
 * every change (docs/decisions/0016-audit-and-freeze.md).
 */
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { stateTableKeys } from './state-table';

/** Changes are frozen: by whom, since when, why, and until when if it lifts itself (epoch ms). */
export interface Freeze {
  by: string;
  since: number;
  reason?: string;
  until?: number;
}

/** Reads and sets the freeze; a freeze past its `until` reads as none. */
export interface FreezeStore {
  /**
   * The freeze in force, if any; `consistent` reads the last write for sure (the worker before it executes);
   * `lapsed` also answers a freeze past its `until` that nobody lifted, so a reader can tell it lifted itself.
   */
  read(options?: { consistent?: boolean; lapsed?: boolean }): Promise<Freeze | undefined>;
  /** Freezes changes, replacing any freeze in force. */
  set(freeze: Freeze): Promise<void>;
  /** Lifts the freeze (`by` lifts it) and returns the one that was in force, if any. */
  clear(by: string): Promise<Freeze | undefined>;
}

/** Options of `createDynamoFreezeStore`. */
export interface DynamoFreezeStoreOptions {
  client: DynamoDBDocumentClient;
  table: string;
  now?: () => number;
}

const key = { [stateTableKeys.partition]: 'setting#freeze', [stateTableKeys.sort]: 'setting' };

/** Returns `freeze` when it is still in force at `at`, else undefined. */
export function inForce(freeze: Freeze | undefined, at: number): Freeze | undefined {
  return freeze && (freeze.until === undefined || freeze.until > at) ? freeze : undefined;
}

/** Creates the freeze store on `table`. */
export function createDynamoFreezeStore(options: DynamoFreezeStoreOptions): FreezeStore {
  const { client, table } = options;
  const now = options.now ?? Date.now;
  return {
    async read({ consistent = false, lapsed = false } = {}) {
      const { Item } = await client.send(new GetCommand({ TableName: table, Key: key, ConsistentRead: consistent }));
      const found = Item ? freezeOf(Item) : undefined;
      return lapsed ? found : inForce(found, now());
    },
    async set(freeze) {
      await client.send(new PutCommand({ TableName: table, Item: { ...key, ...freeze, frozen: true } }));
    },
    async clear(by) {
      // Overwritten rather than deleted, so the roles need no DeleteItem and the item says who lifted it.
      const { Attributes } = await client.send(
        new PutCommand({
          TableName: table,
          Item: { ...key, frozen: false, liftedBy: by, liftedAt: now() },
          ReturnValues: 'ALL_OLD',
        }),
      );
      return inForce(Attributes ? freezeOf(Attributes) : undefined, now());
    },
  };
}

function freezeOf(item: Record<string, unknown>): Freeze | undefined {
  if (item.frozen !== true) return undefined;
  const { by, since, reason, until } = item as Partial<Freeze>;
  return {
    by: String(by),
    since: Number(since),
    ...(typeof reason === 'string' ? { reason } : {}),
    ...(typeof until === 'number' ? { until } : {}),
  };
}

/** Reads the freeze in force: fresh, or from a short per-container cache. */
export interface FreezeReader {
  /**
   * The freeze in force, if any. `fresh` reads the table consistently (the worker before it executes); otherwise a
   * read at most `ttlMs` old is reused. `bound` limits the wait (the HTTP phase's deadline).
   */
  current(options?: { fresh?: boolean; bound?: <T>(read: Promise<T>) => Promise<T> }): Promise<Freeze | undefined>;
}

/**
 * Creates a reader over `store` that caches each read for `ttlMs` (5 s in the app): the HTTP phase then reads the
 * table at most once per container in that time, and a freeze reaches it within that time
 * (docs/decisions/0016-audit-and-freeze.md). The worker always reads fresh.
 */
export function createFreezeReader(
  store: Pick<FreezeStore, 'read'>,
  options: {
    ttlMs: number;
    now?: () => number;
    /**
     * Told of a freeze found past its `until`: it lifted itself (recorded and announced by the caller, once per
     * freeze, keyed by its `since`). Told once per freeze per reader; never rejects the read.
     */
    onLapsed?: (freeze: Freeze) => Promise<void>;
  },
): FreezeReader {
  const now = options.now ?? Date.now;
  let cached: { freeze: Freeze | undefined; at: number } | undefined;
  let pending: Promise<Freeze | undefined> | undefined;
  const told = new Set<number>();
  const load = (consistent: boolean): Promise<Freeze | undefined> =>
    store.read({ consistent, lapsed: true }).then(async (found) => {
      const at = now();
      const freeze = inForce(found, at);
      cached = { freeze, at };
      if (found && !freeze && options.onLapsed && !told.has(found.since)) {
        told.add(found.since);
        const telling = options.onLapsed(found).catch(() => undefined);
        // The worker waits for it; the HTTP phase does not spend its deadline on it (its own worker reads fresh).
        if (consistent) await telling;
      }
      return freeze;
    });
  return {
    async current({ fresh = false, bound } = {}) {
      const at = now();
      if (!fresh && cached && at - cached.at < options.ttlMs) return inForce(cached.freeze, at);
      if (fresh) return load(true);
      // Concurrent requests of one container share one read.
      pending ??= load(false).finally(() => {
        pending = undefined;
      });
      return bound ? bound(pending) : pending;
    },
  };
}
