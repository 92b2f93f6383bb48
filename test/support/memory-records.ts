/** In-memory audit, freeze and cleanup rules stores for tests that need no DynamoDB; the DynamoDB ones run on dynalite. */
import type { AuditSink } from '../../src/commands/audit/audit-sink';
import { type AuditRecord, type AuditStore, auditTargetKeys } from '../../src/store/audit-store';
import type { CleanupRulesStore, SavedCleanupRules } from '../../src/store/cleanup-rules-store';
import { type Freeze, type FreezeStore, inForce } from '../../src/store/freeze-store';

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

/** An in-memory cleanup rules store, for tests that do not exercise DynamoDB. */
export function createMemoryCleanupRulesStore(): CleanupRulesStore {
  const saved = new Map<string, SavedCleanupRules>();
  return {
    async read(repoId) {
      return saved.get(repoId);
    },
    async save(rules) {
      saved.set(rules.repoId, structuredClone(rules));
    },
    async listCleanupRules() {
      return [...saved.values()].sort((a, b) => b.savedAt - a.savedAt);
    },
  };
}
