/**
 * `npm run serve`: the Lambda HTTP entry on a local port for a real Slack workspace (through a tunnel such as
 * `cloudflared` or `ngrok`), configured from the environment like the Lambda, with jobs run in-process.
 * Without AWS_ENDPOINT_URL_DYNAMODB the state table lives in an in-process DynamoDB (dynalite) for the session.
 */
import { commands } from '../src/commands/registry';
import { loadConfig } from '../src/config';
import { createHandlers } from '../src/handler';
import { type LocalDynamo, startLocalDynamo } from './fakes/dynamodb';
import { startSlackHttpServer } from './slack-http-server';

// The SDK warns once that it will need Node 22 from 2027; Lambda runs 22 already.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const defaultPort = 3000;

async function main(): Promise<void> {
  // Local code, never deployed: it reads process.env directly and hands it to the handler like Lambda does.
  const env: Record<string, string | undefined> = { ...process.env, JOB_MODE: 'inline' };
  // Fail at start rather than on Slack's first request; the error names every variable at fault.
  loadConfig(env, { commandIds: commands.map((spec) => spec.id) });
  const port = Number(process.env.PORT ?? defaultPort);
  let dynamo: LocalDynamo | undefined;
  if (!env.AWS_ENDPOINT_URL_DYNAMODB) {
    const table = env.STATE_TABLE || 'vcr-chatops-records';
    dynamo = await startLocalDynamo({ tables: [table] });
    env.STATE_TABLE = table;
  }
  const handlers = createHandlers(env, { awsClients: dynamo ? { dynamodb: dynamo.client } : {} });
  const server = await startSlackHttpServer({ handlers, port, host: process.env.HOST ?? '127.0.0.1' });

  console.log(`vcr-chatops listening on ${server.url}`);
  console.log(
    dynamo
      ? `State table: in-process DynamoDB at ${dynamo.url} (kept until you stop this process)`
      : `State table: ${env.STATE_TABLE ?? 'vcr-chatops-records'} at ${env.AWS_ENDPOINT_URL_DYNAMODB}`,
  );
  console.log("Point the Slack app's slash command, interactivity and select-menu URLs at <tunnel>/slack/events.");

  const stop = async () => {
    await handlers.idle();
    await server.close();
    await dynamo?.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

main().catch((error: Error) => {
  console.error(`vcr-chatops could not start: ${error.message}`);
  process.exit(1);
});
