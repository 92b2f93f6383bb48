/**
 * What the scheduled watcher keeps between passes, in the state table (docs/decisions/0017-watch-state.md):
 * notices already sent (`watch#notice#<key>`), usage samples per repository (`watch#samples#<repoId>`, one item per
 * day), the snapshots the Home tab reads (`watch#snapshot#<kind>`) and how far the last pass got (`watch#pass`).
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { queryAll, stateTableKeys, stateTableTtlAttribute } from './state-table';

/** One reading of a repository's usage: when (epoch ms), bytes used, and the quota then (GB). */
export interface UsageSample {
  at: number;
  usedBytes: number;
  quotaGb: number;
}

/** A repository at or above the first quota threshold, as the last pass saw it. */
export interface QuotaWatchRow {
  repoId: string;
  repoName: string;
  usedBytes: number;
  quotaGb: number;
  /** Usage as a percentage of the quota (may exceed 100). */
  percent: number;
  /** The highest threshold (percent) reached. */
  threshold: number;
  /** Days until full at the recent growth rate, when it can be told. */
  fullInDays?: number;
}

/** A repository user that expires soon (or has expired), as the last pass saw it. */
export interface ExpiringUserRow {
  repoUserId: string;
  name: string;
  backendName: string;
  /** ISO time of the expiry. */
  expiredAt: string;
  /** Whole days left, rounded down; 0 on the day, negative once expired. */
  daysLeft: number;
  disabled: boolean;
}

/** The rows a pass saw of one kind, and whether it saw every repository or user (an early stop leaves it false). */
export interface WatchSnapshot<Row> {
  at: number;
  complete: boolean;
  rows: Row[];
}

/** The snapshots the watcher writes and the Home tab reads, by kind. */
export interface WatchSnapshots {
  quota: QuotaWatchRow;
  expiringUsers: ExpiringUserRow;
}

/** How far one watcher pass got: when it started and ended, what it covered, and why it stopped early if it did. */
export interface WatchPassProgress {
  startedAt: number;
  endedAt: number;
  repositoriesSeen: number;
  repositoriesTotal: number;
  /**
   * Where in the repository list the pass started (0 unless the pass before stopped early), so that a run of passes cut
   * short still covers every repository in turn.
   */
  repositoriesFrom?: number;
  usersSeen: number;
  usersTotal: number;
  /** Set when the pass stopped before covering everything (its budget ran out, or a read failed). */
  stoppedEarly?: string;
}

/** Reads and writes the watcher's state. */
export interface WatchStore {
  /**
   * Marks the notice `key` as sent, e.g. `quota#<repoId>#80`; answers true when this call marked it (send it now)
   * and false when it was already marked (sent before). `keepDays` bounds how long the mark is kept (default 400).
   */
  markSent(key: string, options?: { keepDays?: number }): Promise<boolean>;
  /** Removes the mark of `key`, so the notice is sent again next time it applies (e.g. usage fell below it). */
  clearSent(key: string): Promise<void>;
  /** Whether the notice `key` is marked as sent. */
  wasSent(key: string): Promise<boolean>;
  /** Records one usage sample of `repoId`; the last sample of a UTC day replaces earlier ones. Kept 35 days. */
  addSample(repoId: string, sample: UsageSample): Promise<void>;
  /** The daily samples of `repoId` taken at or after `since` (epoch ms), oldest first. */
  samples(repoId: string, since: number): Promise<UsageSample[]>;
  /** Replaces the snapshot of one kind. */
  putSnapshot<K extends keyof WatchSnapshots>(kind: K, snapshot: WatchSnapshot<WatchSnapshots[K]>): Promise<void>;
  /** The last snapshot of one kind, if a pass wrote one. */
  getSnapshot<K extends keyof WatchSnapshots>(kind: K): Promise<WatchSnapshot<WatchSnapshots[K]> | undefined>;
  /** Records how far the last pass got. */
  putPass(progress: WatchPassProgress): Promise<void>;
  /** How far the last pass got, if one ran. */
  getPass(): Promise<WatchPassProgress | undefined>;
}

/** Options of `createDynamoWatchStore`. */
export interface DynamoWatchStoreOptions {
  client: DynamoDBDocumentClient;
  table: string;
  now?: () => number;
}

const dayMs = 86_400_000;
const sampleKeepDays = 35;
const defaultNoticeKeepDays = 400;

/** Creates the watcher's store on `table`. */
export function createDynamoWatchStore(options: DynamoWatchStoreOptions): WatchStore {
  const { client, table } = options;
  const now = options.now ?? Date.now;
  const { partition, sort } = stateTableKeys;
  const noticeKey = (key: string) => ({ [partition]: `watch#notice#${key}`, [sort]: 'notice' });
  const expiresIn = (days: number) => ({ [stateTableTtlAttribute]: Math.ceil((now() + days * dayMs) / 1000) });
  const getItem = async (key: Record<string, string>) =>
    (await client.send(new GetCommand({ TableName: table, Key: key, ConsistentRead: true }))).Item;

  return {
    async markSent(key, { keepDays = defaultNoticeKeepDays } = {}) {
      try {
        // Conditional on the mark, not the item: a cleared notice keeps its item without `sentAt`.
        await client.send(
          new PutCommand({
            TableName: table,
            Item: { ...noticeKey(key), sentAt: now(), ...expiresIn(keepDays) },
            ConditionExpression: 'attribute_not_exists(sentAt)',
          }),
        );
        return true;
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return false;
        throw error;
      }
    },
    async clearSent(key) {
      // Updated rather than deleted, so the watcher's role needs no DeleteItem.
      await client.send(
        new UpdateCommand({ TableName: table, Key: noticeKey(key), UpdateExpression: 'REMOVE sentAt' }),
      );
    },
    async wasSent(key) {
      const item = await getItem(noticeKey(key));
      return typeof item?.sentAt === 'number';
    },
    async addSample(repoId, sample) {
      const day = new Date(sample.at).toISOString().slice(0, 10);
      await client.send(
        new PutCommand({
          TableName: table,
          Item: {
            [partition]: `watch#samples#${repoId}`,
            [sort]: `sample#${day}`,
            ...sample,
            ...expiresIn(sampleKeepDays),
          },
        }),
      );
    },
    async samples(repoId, since) {
      const items = await queryAll(client, {
        TableName: table,
        KeyConditionExpression: '#pk = :pk AND #sk >= :from',
        ExpressionAttributeNames: { '#pk': partition, '#sk': sort },
        ExpressionAttributeValues: {
          ':pk': `watch#samples#${repoId}`,
          ':from': `sample#${new Date(since).toISOString().slice(0, 10)}`,
        },
      });
      return items
        .map((item) => ({ at: Number(item.at), usedBytes: Number(item.usedBytes), quotaGb: Number(item.quotaGb) }))
        .filter((sample) => sample.at >= since);
    },
    async putSnapshot(kind, snapshot) {
      await client.send(
        new PutCommand({
          TableName: table,
          Item: { [partition]: `watch#snapshot#${kind}`, [sort]: 'snapshot', ...snapshot },
        }),
      );
    },
    async getSnapshot(kind) {
      const item = await getItem({ [partition]: `watch#snapshot#${kind}`, [sort]: 'snapshot' });
      if (!item) return undefined;
      return { at: Number(item.at), complete: item.complete === true, rows: Array.isArray(item.rows) ? item.rows : [] };
    },
    async putPass(progress) {
      await client.send(
        new PutCommand({ TableName: table, Item: { [partition]: 'watch#pass', [sort]: 'pass', ...progress } }),
      );
    },
    async getPass() {
      const item = await getItem({ [partition]: 'watch#pass', [sort]: 'pass' });
      if (!item) return undefined;
      const { [partition]: _pk, [sort]: _sk, ...progress } = item;
      return progress as unknown as WatchPassProgress;
    },
  };
}
