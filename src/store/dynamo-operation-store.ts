/**
 * Operation records in DynamoDB through the document client. Every write is conditional and tagged with its writer's
 * token, so a write whose answer was lost, retried by the SDK into its own condition, is recognised by a consistent
 * read instead of being taken for someone else's (docs/decisions/0007-operation-lifecycle.md).
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import {
  type Approval,
  assertForward,
  type NewOperation,
  newOperationRecord,
  type Operation,
  type OperationStore,
  type OperationTarget,
  type Transition,
  type Writer,
  waitingStatuses,
} from './operation-store';
import { stateTableIndexes, stateTableKeys, stateTableTtlAttribute, withoutTableKeys } from './state-table';

/** Options of `createDynamoOperationStore`. */
export interface DynamoOperationStoreOptions {
  client: DynamoDBDocumentClient;
  table: string;
  /** How long a record is kept after it was created, in ms; 30 days by default (TTL sweeps it later). */
  retainMs?: number;
  now?: () => number;
}

const kind = 'op';

/** An operation as stored, with the mark of its last write (`<token>:<status>`). */
type StoredOperation = Operation & { lastWrite?: string };

/** Creates an operation store on `table`. */
export function createDynamoOperationStore(options: DynamoOperationStoreOptions): OperationStore {
  const { client, table } = options;
  const now = options.now ?? Date.now;
  const retainMs = options.retainMs ?? 30 * 24 * 60 * 60_000;
  const key = (id: string) => ({ [stateTableKeys.partition]: `${kind}#${id}`, [stateTableKeys.sort]: kind });

  const get = async (id: string): Promise<StoredOperation | undefined> => {
    // Strongly consistent: a click right after a preview, or a retry after a lost answer, must see the last write.
    const { Item } = await client.send(new GetCommand({ TableName: table, Key: key(id), ConsistentRead: true }));
    return Item ? fromItem(Item) : undefined;
  };

  return {
    get,

    async create(fields: NewOperation, writer: Writer) {
      const at = now();
      const operation = newOperationRecord(fields, writer, at);
      const { id } = operation;
      try {
        await client.send(
          new PutCommand({
            TableName: table,
            Item: {
              ...key(id),
              ...indexKeys(operation),
              ...operation,
              lastWrite: `${writer.token}:create`,
              [stateTableTtlAttribute]: Math.ceil((at + retainMs) / 1000),
            },
            ConditionExpression: 'attribute_not_exists(#pk)',
            ExpressionAttributeNames: { '#pk': stateTableKeys.partition },
          }),
        );
        return { operation, created: true };
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
        const existing = await get(id);
        if (!existing) throw error;
        // Our own put, applied before its answer was lost: the SDK's retry met its condition.
        return { operation: existing, created: existing.createdBy.token === writer.token };
      }
    },

    async transition(id: string, change: Transition, writer: Writer) {
      assertForward(change);
      const at = now();
      const mark = `${writer.token}:${change.to}`;
      const names: Record<string, string> = { '#pk': stateTableKeys.partition, '#status': 'status' };
      const values: Record<string, unknown> = {
        ':to': change.to,
        ':at': at,
        ':mark': mark,
        ':entry': [{ status: change.to, at, ...(change.by ? { by: change.by } : {}) }],
        ':empty': [],
      };
      const sets = [
        '#status = :to',
        'updatedAt = :at',
        'lastWrite = :mark',
        'history = list_append(if_not_exists(history, :empty), :entry)',
      ];
      const fromNames = change.from.map((status, i) => {
        values[`:from${i}`] = status;
        return `:from${i}`;
      });
      const conditions = ['attribute_exists(#pk)', `#status IN (${fromNames.join(', ')})`];
      if (change.by !== undefined) {
        values[':by'] = change.by;
        sets.push('decidedBy = :by');
      }
      if (change.to === 'executing') {
        values[':claim'] = { ...writer, at, deadlineAt: change.deadlineAt ?? at };
        sets.push('claim = :claim');
      }
      if (change.claimToken !== undefined) {
        values[':claimToken'] = change.claimToken;
        conditions.push('claim.#token = :claimToken');
        names['#token'] = 'token';
      }
      if (change.reply !== undefined) {
        values[':reply'] = change.reply;
        sets.push('reply = :reply');
      }
      if (change.detail !== undefined) {
        values[':detail'] = change.detail;
        sets.push('detail = :detail');
      }
      if (change.approval !== undefined) {
        values[':approval'] = change.approval;
        sets.push('approval = :approval');
      }
      if (change.expiresAt !== undefined) {
        values[':expiresAt'] = change.expiresAt;
        sets.push('expiresAt = :expiresAt');
      }
      // Leaving a waiting status for anything but its end needs it unexpired: TTL deletion lags by hours.
      const proceeds = !['expired', 'cancelled', 'rejected'].includes(change.to);
      if (proceeds && change.from.some((status) => waitingStatuses.includes(status))) {
        conditions.push('expiresAt > :at');
      }
      try {
        const { Attributes } = await client.send(
          new UpdateCommand({
            TableName: table,
            Key: key(id),
            UpdateExpression: `SET ${sets.join(', ')}`,
            ConditionExpression: conditions.join(' AND '),
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
            ReturnValues: 'ALL_NEW',
          }),
        );
        return { moved: true, operation: Attributes ? fromItem(Attributes) : undefined };
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
        const current = await get(id);
        // Our own update, applied before its answer was lost: the SDK's retry met its condition.
        return { moved: current?.lastWrite === mark, operation: current };
      }
    },

    async noteApproval(id: string, approval: Approval) {
      try {
        await client.send(
          new UpdateCommand({
            TableName: table,
            Key: key(id),
            UpdateExpression: 'SET approval = :approval, updatedAt = :at',
            ConditionExpression: 'attribute_exists(#pk) AND #status = :awaiting',
            ExpressionAttributeNames: { '#pk': stateTableKeys.partition, '#status': 'status' },
            ExpressionAttributeValues: { ':approval': approval, ':at': now(), ':awaiting': 'awaiting_approval' },
          }),
        );
        return true;
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return false;
        throw error;
      }
    },

    async listAwaitingApproval(since: number) {
      // One query per month partition of `byTime` the window touches, never a scan (docs/decisions/0008).
      const months: string[] = [];
      for (let month = monthStart(since); month <= now(); month = nextMonth(month)) {
        months.push(new Date(month).toISOString().slice(0, 7));
      }
      const found: Operation[] = [];
      for (const month of months.reverse()) {
        let startKey: Record<string, unknown> | undefined;
        do {
          const page = await client.send(
            new QueryCommand({
              TableName: table,
              IndexName: 'byTime',
              KeyConditionExpression: '#pk = :pk AND #sk >= :since',
              FilterExpression: '#status = :awaiting',
              ExpressionAttributeNames: {
                '#pk': stateTableIndexes.byTime.partition,
                '#sk': stateTableIndexes.byTime.sort,
                '#status': 'status',
              },
              ExpressionAttributeValues: {
                ':pk': `${kind}#${month}`,
                ':since': new Date(since).toISOString(),
                ':awaiting': 'awaiting_approval',
              },
              ScanIndexForward: false,
              ExclusiveStartKey: startKey,
            }),
          );
          found.push(...(page.Items ?? []).map(fromItem));
          startKey = page.LastEvaluatedKey;
        } while (startKey);
      }
      return found;
    },
  };
}

function monthStart(at: number): number {
  const date = new Date(at);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
}

function nextMonth(month: number): number {
  const date = new Date(month);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1);
}

/** Keys of the two indexes: operations by month and time, and by the repository or user they touch. */
function indexKeys(operation: Operation): Record<string, string> {
  const sortKey = `${new Date(operation.createdAt).toISOString()}#${operation.id}`;
  const keys: Record<string, string> = {
    byTimePk: `${kind}#${new Date(operation.createdAt).toISOString().slice(0, 7)}`,
    byTimeSk: sortKey,
  };
  const target = targetKeyOf(operation.target);
  if (target) {
    keys.byTargetPk = target;
    keys.byTargetSk = sortKey;
  }
  return keys;
}

/** The target partition of an operation: its repository when it has one, else its repository user. */
export function targetKeyOf(target: OperationTarget | undefined): string | undefined {
  if (target?.repoId) return `repo#${target.repoId}`;
  if (target?.repoUserId) return `user#${target.repoUserId}`;
  return undefined;
}

function fromItem(item: Record<string, unknown>): StoredOperation {
  return withoutTableKeys(item) as unknown as StoredOperation;
}
