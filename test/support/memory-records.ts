/** In-memory audit and freeze stores (and empty watcher reads) for tests that need no DynamoDB; the DynamoDB ones run on dynalite. */
import type { AuditSink } from '../../src/commands/audit/audit-sink';
import { type AuditRecord, type AuditStore, auditTargetKeys } from '../../src/store/audit-store';
import { type Freeze, type FreezeStore, inForce } from '../../src/store/freeze-store';
import type { WatchStore } from '../../src/store/watch-store';

/** Creates an in-memory audit store; `records` holds what was written, in order. */
export function createMemoryAuditStore(): AuditStore & { records: AuditRecord[] } {
  const records: AuditRecord[] = [];
  return {
    records,
    async put(record) {
      if (records.some((known) => known.id === record.id)) return false;
      records.push(structuredClone(record));
      return true;
    },
    async list({ targetKey, page, size }) {
      const matching = records
        .filter((record) => targetKey === undefined || auditTargetKeys(record.target).includes(targetKey))
        .sort((a, b) => b.at - a.at);
      return { records: matching.slice((page - 1) * size, page * size), more: matching.length > page * size };
    },
  };
}

/** Creates an audit sink writing to `store` that posts nothing. */
export function createMemoryAuditSink(store: Pick<AuditStore, 'put'>): AuditSink {
  return {
    async record(record) {
      await store.put(record);
      return undefined;
    },
  };
}

/** Creates an in-memory freeze store. */
export function createMemoryFreezeStore(options: { now?: () => number } = {}): FreezeStore {
  const now = options.now ?? Date.now;
  let current: Freeze | undefined;
  return {
    async read() {
      return inForce(current, now());
    },
    async set(freeze) {
      current = { ...freeze };
    },
    async clear() {
      const was = inForce(current, now());
      current = undefined;
      return was;
    },
  };
}

/** The watcher's reads before any pass ran: no snapshot, no pass. */
export const noWatchYet: Pick<WatchStore, 'getSnapshot' | 'getPass'> = {
  getSnapshot: async () => undefined,
  getPass: async () => undefined,
};
