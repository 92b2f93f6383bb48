/** An in-memory `PendingStore` for command tests; the DynamoDB one is tested against dynalite. */
import { randomUUID } from 'node:crypto';
import type { PendingAction, PendingStore } from '../../src/store/pending-store';

/** Creates an in-memory pending store with the same conditional semantics as the DynamoDB one. */
export function createMemoryPendingStore(options: { ttlMs?: number; now?: () => number } = {}): PendingStore & {
  actions: Map<string, PendingAction>;
} {
  const actions = new Map<string, PendingAction>();
  const now = options.now ?? Date.now;
  const ttlMs = options.ttlMs ?? 15 * 60_000;
  return {
    actions,
    async create(action) {
      const created: PendingAction = {
        ...action,
        id: randomUUID(),
        status: 'pending',
        createdAt: now(),
        expiresAt: now() + ttlMs,
      };
      actions.set(created.id, created);
      return structuredClone(created);
    },
    async get(id) {
      const found = actions.get(id);
      return found && structuredClone(found);
    },
    async transition(id, from, to, decidedBy) {
      const found = actions.get(id);
      if (!found || found.status !== from) return undefined;
      if (from === 'pending' && found.expiresAt <= now()) return undefined;
      const updated = { ...found, status: to, ...(decidedBy ? { decidedBy } : {}) };
      actions.set(id, updated);
      return structuredClone(updated);
    },
  };
}
