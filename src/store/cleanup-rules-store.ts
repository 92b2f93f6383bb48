/**
 * Saved cleanup rules: one setting item per repository (`pk=setting#cleanup#<repoId>`), which `cleanup REPO` uses
 * when no rule is typed and the watcher plans weekly from (docs/decisions/0019-cleanup-plans.md).
 */
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { queryAll, stateTableIndexes, stateTableKeys } from './state-table';

/** A cleanup rule set; ages in days. At least one of `keep`, `untaggedOlderDays`, `unpulledDays` is set. */
export interface CleanupRules {
  /** Keeps the newest N artifacts of each image (by push time); alone, removes every older one. */
  keep?: number;
  /** Removes untagged artifacts pushed more than this many days ago. */
  untaggedOlderDays?: number;
  /** Removes artifacts not pulled for this many days (never pulled: counted since their push). */
  unpulledDays?: number;
  /** Tag patterns whose digests are never removed; the configured default (`VCR_CLEANUP_PROTECT`) when absent. */
  protect?: string[];
}

/** The saved rules of one repository, with who saved them and when (epoch ms). */
export interface SavedCleanupRules {
  repoId: string;
  repoName: string;
  rules: CleanupRules;
  savedBy: string;
  savedAt: number;
}

/** Reads the saved rules; what a dry run may use. */
export interface CleanupRulesReader {
  /** The rules saved for `repoId`, or undefined when none are. */
  read(repoId: string): Promise<SavedCleanupRules | undefined>;
}

/** Reads, saves and lists the saved cleanup rules of every repository. */
export interface CleanupRulesStore extends CleanupRulesReader {
  /** Saves `saved` for its repository, replacing rules saved before. */
  save(saved: SavedCleanupRules): Promise<void>;
  /** Every repository's saved rules, most recently saved first (for the watcher's weekly plans). */
  listCleanupRules(): Promise<SavedCleanupRules[]>;
}

/** Options of `createDynamoCleanupRulesStore`. */
export interface DynamoCleanupRulesStoreOptions {
  client: DynamoDBDocumentClient;
  table: string;
}

// Every rule set shares one `byTime` partition, so the watcher lists them with a Query, never a scan.
const listPartition = 'setting#cleanup';

/** Creates the cleanup rules store on `table`. */
export function createDynamoCleanupRulesStore(options: DynamoCleanupRulesStoreOptions): CleanupRulesStore {
  const { client, table } = options;
  const keyOf = (repoId: string) => ({
    [stateTableKeys.partition]: `setting#cleanup#${repoId}`,
    [stateTableKeys.sort]: 'setting',
  });
  const index = stateTableIndexes.byTime;
  return {
    async read(repoId) {
      const { Item } = await client.send(new GetCommand({ TableName: table, Key: keyOf(repoId) }));
      return Item ? savedOf(Item) : undefined;
    },
    async save(saved) {
      await client.send(
        new PutCommand({
          TableName: table,
          Item: {
            ...keyOf(saved.repoId),
            [index.partition]: listPartition,
            [index.sort]: `${new Date(saved.savedAt).toISOString()}#${saved.repoId}`,
            ...saved,
          },
        }),
      );
    },
    async listCleanupRules() {
      const items = await queryAll(client, {
        TableName: table,
        IndexName: 'byTime',
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': index.partition },
        ExpressionAttributeValues: { ':pk': listPartition },
        ScanIndexForward: false,
      });
      return items.map(savedOf);
    },
  };
}

function savedOf(item: Record<string, unknown>): SavedCleanupRules {
  const rules = (item.rules ?? {}) as Record<string, unknown>;
  const count = (value: unknown) => (typeof value === 'number' ? value : undefined);
  const protect = Array.isArray(rules.protect) ? rules.protect.filter((entry) => typeof entry === 'string') : undefined;
  return {
    repoId: String(item.repoId),
    repoName: String(item.repoName),
    rules: {
      ...(count(rules.keep) !== undefined ? { keep: count(rules.keep) } : {}),
      ...(count(rules.untaggedOlderDays) !== undefined ? { untaggedOlderDays: count(rules.untaggedOlderDays) } : {}),
      ...(count(rules.unpulledDays) !== undefined ? { unpulledDays: count(rules.unpulledDays) } : {}),
      ...(protect ? { protect } : {}),
    },
    savedBy: String(item.savedBy),
    savedAt: Number(item.savedAt),
  };
}
