/**
 * The audit trail: one item per outcome of a change (done, failed, refused, cancelled, expired…), in the records
 * table, listed newest first through the `byTime` and `byTarget` indexes, never by a scan
 * (docs/decisions/0016-audit-and-freeze.md).
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { OperationTarget } from './operation-store';
import { stateTableIndexes, stateTableKeys, stateTableTtlAttribute, withoutTableKeys } from './state-table';

/** How a change ended, as the audit trail tells it. */
export type AuditOutcome =
  | 'done'
  | 'failed'
  | 'partial'
  | 'outcome_unknown'
  | 'cancelled'
  | 'expired'
  | 'rejected'
  | 'refused';

/** One audit record: who asked for what, on what, and how it ended. Never holds a secret. */
export interface AuditRecord {
  /** Unique per outcome of a request, so a retried write keeps one record. */
  id: string;
  /** When it happened, in epoch ms. */
  at: number;
  outcome: AuditOutcome;
  /** The command id, e.g. `repo.delete`. */
  command: string;
  /** One line saying what was asked, e.g. ``delete repository `web` ``. */
  summary: string;
  /** The audit channel's line as plain text, e.g. ``@U0123 set the quota of `web` to 31 GB (was 30 GB)``. */
  line?: string;
  teamId?: string;
  channelId?: string;
  requestedBy: string;
  /** Who confirmed, approved, rejected or cancelled it, when someone did. */
  decidedBy?: string;
  target?: OperationTarget;
  /** A hash of what the preview pinned, so the record names the exact plan that ran. */
  planHash?: string;
  /** Why it was refused or failed, in plain words. */
  reason?: string;
  /** vCR's own status and words, when vCR refused or failed. */
  vcr?: { status?: number; message?: string };
  /** When it failed part-way: what went, and what stayed. */
  partial?: { changed: string[]; unchanged: string[] };
  /** The operation id, or the job or request id of a refusal. */
  requestId: string;
}

/** One page of audit records, newest first. */
export interface AuditPage {
  records: AuditRecord[];
  /** True when older records follow. */
  more: boolean;
}

/** Durable audit records; `put` is safe to retry and keeps one record per id. */
export interface AuditStore {
  /** Writes `record` unless one with its id exists; resolves false for such a duplicate. */
  put(record: AuditRecord): Promise<boolean>;
  /** Lists page `page` (from 1) of `size` records, newest first, of one target (`repo#…`, `user#…`) or of all. */
  list(query: { targetKey?: string; page: number; size: number }): Promise<AuditPage>;
}

/** Options of `createDynamoAuditStore`. */
export interface DynamoAuditStoreOptions {
  client: DynamoDBDocumentClient;
  table: string;
  /** How long records are kept before TTL sweeps them, in days (`VCR_AUDIT_RETENTION_DAYS`). */
  retentionDays: number;
  now?: () => number;
}

const kind = 'audit';
const dayMs = 24 * 60 * 60_000;

/** The `byTarget` partitions of a target: its repository and its repository user, each when known. */
export function auditTargetKeys(target: OperationTarget | undefined): string[] {
  return [
    ...(target?.repoId ? [`repo#${target.repoId}`] : []),
    ...(target?.repoUserId ? [`user#${target.repoUserId}`] : []),
  ];
}

/** Creates the audit store on `table`. */
export function createDynamoAuditStore(options: DynamoAuditStoreOptions): AuditStore {
  const { client, table } = options;
  const now = options.now ?? Date.now;
  const retainMs = options.retentionDays * dayMs;

  const month = (epochMs: number) => new Date(epochMs).toISOString().slice(0, 7);
  // Audit items share `byTarget` partitions with operations; the `audit#` sort prefix lets a Query read only them.
  const sortKey = (record: AuditRecord) => `${kind}#${new Date(record.at).toISOString()}#${record.id}`;

  const queryNewest = async (
    index: keyof typeof stateTableIndexes,
    partition: string,
    limit: number,
  ): Promise<AuditRecord[]> => {
    const names = stateTableIndexes[index];
    const found: AuditRecord[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const answer = await client.send(
        new QueryCommand({
          TableName: table,
          IndexName: index,
          KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
          ExpressionAttributeNames: { '#pk': names.partition, '#sk': names.sort },
          ExpressionAttributeValues: { ':pk': partition, ':prefix': `${kind}#` },
          ScanIndexForward: false,
          Limit: limit - found.length,
          ExclusiveStartKey: start,
        }),
      );
      found.push(...(answer.Items ?? []).map(fromItem));
      start = answer.LastEvaluatedKey;
    } while (start && found.length < limit);
    return found;
  };

  return {
    async put(record) {
      const targets = auditTargetKeys(record.target);
      const item = {
        [stateTableKeys.partition]: `${kind}#${record.id}`,
        [stateTableKeys.sort]: kind,
        byTimePk: `${kind}#${month(record.at)}`,
        byTimeSk: sortKey(record),
        ...(targets[0] ? { byTargetPk: targets[0], byTargetSk: sortKey(record) } : {}),
        ...record,
        [stateTableTtlAttribute]: Math.ceil((record.at + retainMs) / 1000),
      };
      try {
        await client.send(
          new PutCommand({
            TableName: table,
            Item: item,
            ConditionExpression: 'attribute_not_exists(#pk)',
            ExpressionAttributeNames: { '#pk': stateTableKeys.partition },
          }),
        );
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return false;
        throw error;
      }
      // A record about a repository user on a repository (attach, detach) is listed under the user too: a second,
      // index-only item under the same partition key.
      if (targets[1]) {
        await client.send(
          new PutCommand({
            TableName: table,
            Item: {
              [stateTableKeys.partition]: `${kind}#${record.id}`,
              [stateTableKeys.sort]: `${kind}#user`,
              byTargetPk: targets[1],
              byTargetSk: sortKey(record),
              ...record,
              [stateTableTtlAttribute]: Math.ceil((record.at + retainMs) / 1000),
            },
          }),
        );
      }
      return true;
    },

    async list({ targetKey, page, size }) {
      // One more than the page holds, to tell whether older records follow.
      const wanted = page * size + 1;
      let records: AuditRecord[];
      if (targetKey) {
        records = await queryNewest('byTarget', targetKey, wanted);
      } else {
        // `byTime` holds one month per partition: walk back month by month, no further than records are kept.
        records = [];
        const oldest = month(now() - retainMs);
        for (let cursor = new Date(now()); records.length < wanted; cursor.setUTCMonth(cursor.getUTCMonth() - 1, 1)) {
          const current = month(cursor.getTime());
          records.push(...(await queryNewest('byTime', `${kind}#${current}`, wanted - records.length)));
          if (current <= oldest) break;
        }
      }
      return { records: records.slice((page - 1) * size, page * size), more: records.length > page * size };
    },
  };
}

function fromItem(item: Record<string, unknown>): AuditRecord {
  return withoutTableKeys(item) as unknown as AuditRecord;
}
