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

/** The partition key attribute; items are prefixed by kind, e.g. `pending#<id>`. */
export const stateTableKey = 'pk';

/** The attribute DynamoDB TTL deletes items by, in epoch seconds. */
export const stateTableTtlAttribute = 'expiresAtEpoch';

/**
 * Creates the state table with the same key and TTL as serverless.yml, unless it exists, and waits until it is
 * active. Used locally and in tests only: in AWS, CloudFormation owns the table.
 */
export async function createStateTable(client: DynamoDBClient, table: string): Promise<void> {
  try {
    await client.send(
      new CreateTableCommand({
        TableName: table,
        AttributeDefinitions: [{ AttributeName: stateTableKey, AttributeType: 'S' }],
        KeySchema: [{ AttributeName: stateTableKey, KeyType: 'HASH' }],
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
