/**
 * The bot's one DynamoDB table: its key schema, as serverless.yml declares it for AWS, and its creation for the local
 * runner and tests, which start with an empty in-process DynamoDB (dynalite).
 */
import {
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';

/** Runs `input` as a Query, every page, and returns all the items it found, in the order DynamoDB gave them. */
export async function queryAll(
  client: DynamoDBDocumentClient,
  input: Omit<QueryCommandInput, 'ExclusiveStartKey'>,
): Promise<Record<string, unknown>[]> {
  const found: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const answer = await client.send(new QueryCommand({ ...input, ExclusiveStartKey: start }));
    found.push(...(answer.Items ?? []));
    start = answer.LastEvaluatedKey;
  } while (start);
  return found;
}

/** The key attributes: the partition is prefixed by the item's kind (`op#<id>`), the sort key names the kind. */
export const stateTableKeys = { partition: 'pk', sort: 'sk' } as const;

/**
 * The indexes (docs/decisions/0008-state-table-design.md): `byTime` lists records of one kind and month newest first,
 * `byTarget` the records of one repository or repository user; both sort by ISO time then id.
 */
export const stateTableIndexes = {
  byTime: { partition: 'byTimePk', sort: 'byTimeSk' },
  byTarget: { partition: 'byTargetPk', sort: 'byTargetSk' },
} as const;

/** The attribute DynamoDB TTL deletes items by, in epoch seconds. */
export const stateTableTtlAttribute = 'expiresAtEpoch';

/** Returns an item's own attributes: the item without the table's keys, index keys and TTL attribute. */
export function withoutTableKeys(item: Record<string, unknown>): Record<string, unknown> {
  const own = { ...item };
  delete own[stateTableKeys.partition];
  delete own[stateTableKeys.sort];
  delete own[stateTableTtlAttribute];
  for (const index of Object.values(stateTableIndexes)) {
    delete own[index.partition];
    delete own[index.sort];
  }
  return own;
}

/**
 * Creates the state table with the same key and TTL as serverless.yml, unless it exists, and waits until it is
 * active. Used locally and in tests only: in AWS, CloudFormation owns the table.
 */
export async function createStateTable(client: DynamoDBClient, table: string): Promise<void> {
  try {
    await client.send(
      new CreateTableCommand({
        TableName: table,
        AttributeDefinitions: [
          stateTableKeys.partition,
          stateTableKeys.sort,
          ...Object.values(stateTableIndexes).flatMap((index) => [index.partition, index.sort]),
        ].map((name) => ({ AttributeName: name, AttributeType: 'S' })),
        KeySchema: [
          { AttributeName: stateTableKeys.partition, KeyType: 'HASH' },
          { AttributeName: stateTableKeys.sort, KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: Object.entries(stateTableIndexes).map(([name, index]) => ({
          IndexName: name,
          KeySchema: [
            { AttributeName: index.partition, KeyType: 'HASH' },
            { AttributeName: index.sort, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        })),
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
  } catch (error) {
    if ((error as { name?: string }).name !== 'ResourceInUseException') throw error;
  }
  await waitUntilActive(client, table);
  try {
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: table,
        TimeToLiveSpecification: { Enabled: true, AttributeName: stateTableTtlAttribute },
      }),
    );
  } catch (error) {
    // dynalite has no TTL operation; correctness never depends on TTL, which only sweeps old items.
    if ((error as { name?: string }).name !== 'UnknownOperationException') throw error;
  }
}

async function waitUntilActive(client: DynamoDBClient, table: string): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: table }));
    if (Table?.TableStatus === 'ACTIVE') return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`DynamoDB table ${JSON.stringify(table)} did not become active`);
}
