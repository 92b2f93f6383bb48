/** In-memory audit, freeze and cleanup rules stores (and empty watcher reads) for tests that need no DynamoDB. */
import type { AuditSink } from '../../src/commands/audit/audit-sink';
import { type AuditRecord, type AuditStore, auditTargetKeys } from '../../src/store/audit-store';
import type { CleanupRulesStore, SavedCleanupRules } from '../../src/store/cleanup-rules-store';
import { type Freeze, type FreezeStore, inForce } from '../../src/store/freeze-store';
import type { UsageSample, WatchPassProgress, WatchSnapshot, WatchStore } from '../../src/store/watch-store';

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
/** An in-memory watcher store, with no pass run yet until one writes to it. */
export function createMemoryWatchStore(): WatchStore {
  const sent = new Set<string>();
  const samples = new Map<string, UsageSample[]>();
  const snapshots = new Map<string, WatchSnapshot<unknown>>();
  let pass: WatchPassProgress | undefined;
  return {
    markSent: async (key) => !sent.has(key) && Boolean(sent.add(key)),
    clearSent: async (key) => void sent.delete(key),
    wasSent: async (key) => sent.has(key),
    addSample: async (repoId, sample) => void samples.set(repoId, [...(samples.get(repoId) ?? []), sample]),
    samples: async (repoId, since) => (samples.get(repoId) ?? []).filter((sample) => sample.at >= since),
    putSnapshot: async (kind, snapshot) => void snapshots.set(kind, structuredClone(snapshot)),
    getSnapshot: async (kind) => snapshots.get(kind) as never,
    putPass: async (progress) => {
      pass = progress;
    },
    getPass: async () => pass,
  };
}
