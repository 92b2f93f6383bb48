/**
 * Pending destructive actions in DynamoDB. A confirming click moves an item out of `pending` with a conditional
 * update, so two clicks, a retried job or two containers can never execute one action twice
 * (docs/decisions/0002-exactly-once-via-conditional-status.md).
 */
import { randomUUID } from 'node:crypto';
import {
  type AttributeValue,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import type { NewPendingAction, PendingAction, PendingStatus, PendingStore } from './pending-store';
import { stateTableKey, stateTableTtlAttribute } from './state-table';

/** Options of `createDynamoPendingStore`. */
export interface DynamoPendingStoreOptions {
  client: DynamoDBClient;
  table: string;
  /** How long a preview can be confirmed; 15 minutes by default. */
  ttlMs?: number;
  /** How long an item is kept after it expired, so a late click learns what happened; 1 day by default. */
  retainMs?: number;
  now?: () => number;
}

type Item = Record<string, AttributeValue>;

const keyPrefix = 'pending#';
const statuses: readonly PendingStatus[] = ['pending', 'executing', 'done', 'failed', 'cancelled'];

/** Creates a pending store on `table` with consistent reads and conditional status changes. */
export function createDynamoPendingStore(options: DynamoPendingStoreOptions): PendingStore {
  const { client, table } = options;
  const now = options.now ?? Date.now;
  const ttlMs = options.ttlMs ?? 15 * 60_000;
  const retainMs = options.retainMs ?? 24 * 60 * 60_000;
  const key = (id: string): Item => ({ [stateTableKey]: { S: `${keyPrefix}${id}` } });

  return {
    async create(fields: NewPendingAction): Promise<PendingAction> {
      const createdAt = now();
      const action: PendingAction = {
        ...fields,
        id: randomUUID(),
        status: 'pending',
        createdAt,
        expiresAt: createdAt + ttlMs,
      };
      await client.send(
        new PutItemCommand({
          TableName: table,
          Item: { ...key(action.id), ...toItem(action, retainMs) },
          // A fresh uuid never collides; the condition makes sure a bug could not overwrite a decided action.
          ConditionExpression: 'attribute_not_exists(#pk)',
          ExpressionAttributeNames: { '#pk': stateTableKey },
        }),
      );
      return action;
    },

    async get(id: string): Promise<PendingAction | undefined> {
      // Strongly consistent: a click right after the preview must see the item the preview just wrote.
      const { Item } = await client.send(new GetItemCommand({ TableName: table, Key: key(id), ConsistentRead: true }));
      return Item ? fromItem(Item) : undefined;
    },

    async transition(id, from, to, decidedBy): Promise<PendingAction | undefined> {
      const names: Record<string, string> = { '#pk': stateTableKey, '#status': 'status' };
      const values: Item = { ':from': { S: from }, ':to': { S: to } };
      const sets = ['#status = :to'];
      const conditions = ['attribute_exists(#pk)', '#status = :from'];
      if (decidedBy !== undefined) {
        names['#decidedBy'] = 'decidedBy';
        values[':decidedBy'] = { S: decidedBy };
        sets.push('#decidedBy = :decidedBy');
      }
      if (from === 'pending') {
        // TTL deletion lags by hours, so expiry is enforced here, not left to DynamoDB.
        names['#expiresAt'] = 'expiresAt';
        values[':now'] = { N: String(now()) };
        conditions.push('#expiresAt > :now');
      }
      try {
        const { Attributes } = await client.send(
          new UpdateItemCommand({
            TableName: table,
            Key: key(id),
            UpdateExpression: `SET ${sets.join(', ')}`,
            ConditionExpression: conditions.join(' AND '),
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
            ReturnValues: 'ALL_NEW',
          }),
        );
        return Attributes ? fromItem(Attributes) : undefined;
      } catch (error) {
        // Another click, a retry or expiry got there first; the caller reports the current state.
        if ((error as { name?: string }).name === 'ConditionalCheckFailedException') return undefined;
        throw error;
      }
    },
  };
}

function toItem(action: PendingAction, retainMs: number): Item {
  const item: Item = {
    id: { S: action.id },
    command: { S: action.command },
    // Args and pin are free-form JSON; one string attribute keeps them exactly as given, with no type mapping.
    args: { S: JSON.stringify(action.args) },
    pin: { S: JSON.stringify(action.pin) },
    summary: { S: action.summary },
    requestedBy: { S: action.requestedBy },
    status: { S: action.status },
    createdAt: { N: String(action.createdAt) },
    expiresAt: { N: String(action.expiresAt) },
    [stateTableTtlAttribute]: { N: String(Math.ceil((action.expiresAt + retainMs) / 1000)) },
  };
  if (action.channelId !== undefined) item.channelId = { S: action.channelId };
  if (action.decidedBy !== undefined) item.decidedBy = { S: action.decidedBy };
  return item;
}

function fromItem(item: Item): PendingAction {
  const status = item.status?.S as PendingStatus;
  if (!statuses.includes(status))
    throw new Error(`Pending action item has an unknown status ${JSON.stringify(status)}`);
  const action: PendingAction = {
    id: item.id?.S ?? '',
    command: item.command?.S ?? '',
    args: JSON.parse(item.args?.S ?? '{}'),
    pin: JSON.parse(item.pin?.S ?? '{}'),
    summary: item.summary?.S ?? '',
    requestedBy: item.requestedBy?.S ?? '',
    status,
    createdAt: Number(item.createdAt?.N),
    expiresAt: Number(item.expiresAt?.N),
  };
  if (item.channelId?.S !== undefined) action.channelId = item.channelId.S;
  if (item.decidedBy?.S !== undefined) action.decidedBy = item.decidedBy.S;
  return action;
}
