/** An in-memory `OperationStore` for command tests, with the DynamoDB store's conditions; that one runs on dynalite. */
import {
  assertForward,
  newOperationRecord,
  type Operation,
  type OperationStore,
  operationIdOf,
  waitingStatuses,
} from '../../src/store/operation-store';

/** Creates an in-memory operation store; `items` exposes what it holds. */
export function createMemoryOperationStore(
  options: { now?: () => number } = {},
): OperationStore & { items: Map<string, Operation> } {
  const items = new Map<string, Operation>();
  const now = options.now ?? Date.now;
  return {
    items,
    async create(fields, writer) {
      const id = operationIdOf(fields.key);
      const existing = items.get(id);
      if (existing) return { operation: structuredClone(existing), created: false };
      const operation = newOperationRecord(fields, writer, now());
      items.set(id, structuredClone(operation));
      return { operation, created: true };
    },
    async get(id) {
      const found = items.get(id);
      return found && structuredClone(found);
    },
    async transition(id, change, writer) {
      assertForward(change);
      const found = items.get(id);
      const at = now();
      const proceeds = !['expired', 'cancelled', 'rejected'].includes(change.to);
      const waiting = change.from.some((status) => waitingStatuses.includes(status));
      if (
        !found ||
        !change.from.includes(found.status) ||
        (proceeds && waiting && found.expiresAt <= at) ||
        (change.claimToken !== undefined && found.claim?.token !== change.claimToken)
      ) {
        return { moved: false, operation: found && structuredClone(found) };
      }
      const updated: Operation = {
        ...found,
        status: change.to,
        updatedAt: at,
        history: [...found.history, { status: change.to, at, ...(change.by ? { by: change.by } : {}) }],
        ...(change.by !== undefined ? { decidedBy: change.by } : {}),
        ...(change.to === 'executing' ? { claim: { ...writer, at, deadlineAt: change.deadlineAt ?? at } } : {}),
        ...(change.reply !== undefined ? { reply: change.reply } : {}),
        ...(change.detail !== undefined ? { detail: change.detail } : {}),
        ...(change.expiresAt !== undefined ? { expiresAt: change.expiresAt } : {}),
        ...(change.approval !== undefined ? { approval: change.approval } : {}),
      };
      items.set(id, updated);
      return { moved: true, operation: structuredClone(updated) };
    },
    async noteApproval(id, approval) {
      const found = items.get(id);
      if (found?.status !== 'awaiting_approval') return false;
      items.set(id, { ...found, approval, updatedAt: now() });
      return true;
    },
    async listAwaitingApproval(since) {
      return [...items.values()]
        .filter((operation) => operation.status === 'awaiting_approval' && operation.createdAt >= since)
        .sort((a, b) => b.createdAt - a.createdAt)
        .map((operation) => structuredClone(operation));
    },
  };
}
