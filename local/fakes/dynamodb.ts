/**
 * An in-process DynamoDB (dynalite) on 127.0.0.1 with the bot's state table created, for the local runner and tests.
 * Local only: dynalite is a dev dependency and never bundled.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createStateTable } from '../../src/store/state-table';

/** A running local DynamoDB. */
export interface LocalDynamo {
  /** Base URL to pass as the SDK client's `endpoint` (or AWS_ENDPOINT_URL_DYNAMODB). */
  readonly url: string;
  /** A client pointed at it, with the placeholder credentials dynalite accepts. */
  readonly client: DynamoDBClient;
  close(): Promise<void>;
}

/** Placeholder AWS credentials for local endpoints, which never check signatures. */
export const localAwsCredentials = { accessKeyId: 'local', secretAccessKey: 'local' } as const;

type DynaliteFactory = (options: { createTableMs?: number; deleteTableMs?: number; updateTableMs?: number }) => Server;

/** Starts dynalite in memory on `port` (0 picks a free one) and creates each table in `tables`. */
export async function startLocalDynamo(options: { tables?: string[]; port?: number } = {}): Promise<LocalDynamo> {
  // dynalite ships no types; its factory returns a plain node:http server.
  const dynalite = require('dynalite') as DynaliteFactory;
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = new DynamoDBClient({ endpoint: url, region: 'us-east-1', credentials: localAwsCredentials });
  for (const table of options.tables ?? []) await createStateTable(client, table);
  return {
    url,
    client,
    close: async () => {
      client.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
