/**
 * `npm run serve`: the Lambda HTTP entry on a local port, with jobs run in-process.
 *
 * With Slack credentials in the environment (SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN, or SECRET_ID) it serves a real
 * Slack workspace through a tunnel such as `cloudflared` or `ngrok`, configured from the environment like the Lambda;
 * without AWS_ENDPOINT_URL_DYNAMODB the state table lives in an in-process DynamoDB (dynalite) for the session.
 *
 * With none, it serves the demo stack (vCR emulator with demo data, in-process DynamoDB, the stand-in for Slack) on
 * PORT (3000) for `npm run send` to drive from another terminal; `npm start` is the same stack as one console.
 */
import { commands } from '../src/commands/registry';
import { loadConfig } from '../src/config';
import { createHandlers } from '../src/handler';
import { type LocalDynamo, startLocalDynamo } from './fakes/dynamodb';
import { defaultLocalPort, removeLocalSession, writeLocalSession } from './local-session';
import { localWorkspace, startLocalStack } from './local-stack';
import { startSlackHttpServer } from './slack-http-server';

// The SDK warns once that it will need Node 22 from 2027; Lambda runs 22 already.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

async function serveWorkspace(): Promise<() => Promise<void>> {
  // Local code, never deployed: it reads process.env directly and hands it to the handler like Lambda does.
  const env: Record<string, string | undefined> = { ...process.env, JOB_MODE: 'inline' };
  // Fail at start rather than on Slack's first request; the error names every variable at fault.
  loadConfig(env, { commandIds: commands.map((spec) => spec.id) });
  const port = Number(process.env.PORT ?? defaultLocalPort);
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
  return async () => {
    await handlers.idle();
    await server.close();
    await dynamo?.close();
  };
}

async function serveDemo(): Promise<() => Promise<void>> {
  const port = Number(process.env.PORT ?? defaultLocalPort);
  const stack = await startLocalStack({ logLevel: process.env.LOG_LEVEL });
  const { handlers, slack } = stack;
  const server = await startSlackHttpServer({
    handlers,
    port,
    routes: {
      // What the bot sent to the fake Slack since call number `calls` and response_url post number `responses`, once
      // every running job has finished. The bot token (each call's authorization header) is left out.
      '/local/activity': async (url) => {
        await handlers.idle();
        const since = (name: string) => Number(url.searchParams.get(name) ?? 0);
        return {
          calls: {
            next: slack.calls.length,
            items: slack.calls.slice(since('calls')).map(({ method, body, answer }) => ({ method, body, answer })),
          },
          responses: { next: slack.responses.length, items: slack.responses.slice(since('responses')) },
        };
      },
      // A response_url served by the fake Slack, so that replies arriving after `send` exits are still recorded.
      '/local/response-url': async () => ({ url: slack.responseUrl() }),
    },
  });
  const sessionFile = writeLocalSession(port, {
    url: server.url,
    localUrl: server.url.replace('/slack/events', '/local'),
    signingSecret: stack.signingSecret,
    ...localWorkspace,
  });

  console.log(`vcr-chatops demo bot is running locally on local demo data (Ctrl-C stops everything)

  bot (Slack request URL)  ${server.url}
  vCR emulator             ${stack.emulator?.url}  (demo data: ${stack.emulator?.state.repositories.map((repo) => repo.name).join(', ')})
  DynamoDB (dynalite)      ${stack.dynamo.url}  table ${stack.stateTable}
  fake Slack Web API       ${slack.url}

Drive it from another terminal (or run \`npm start\` instead for one interactive console):
  npm run send -- "help"
  npm run send -- "repos"
  npm run send -- "repo payments-api"
  npm run send -- --click Images          (a button of the last reply, by label or number)
  npm run send -- "user create"           (opens a modal) then
  npm run send -- --submit name=ci-robot1 push=payments-api days=30
  npm run send -- --as viewer "repo delete sandbox-tmp"   (users: admin [default], admin2, operator, viewer)

Replies (response_url posts, DMs, modals) are printed by npm run send.
The signing secret and bot token were generated for this run; send reads them from ${sessionFile}
(readable by you only, removed on exit).`);
  return async () => {
    removeLocalSession(port);
    await server.close();
    await stack.close();
  };
}

async function main(): Promise<void> {
  const env = process.env;
  const hasSlack = Boolean(env.SECRET_ID || env.SLACK_SIGNING_SECRET || env.SLACK_BOT_TOKEN);
  const stop = await (hasSlack ? serveWorkspace() : serveDemo());
  let stopping = false;
  const onSignal = async () => {
    if (stopping) return;
    stopping = true;
    await stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void onSignal());
  process.once('SIGTERM', () => void onSignal());
}

main().catch((error: Error) => {
  console.error(`vcr-chatops could not start: ${error.message}`);
  if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') console.error('Set PORT to a free port, e.g. PORT=3100.');
  process.exit(1);
});
