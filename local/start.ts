/**
 * `npm start`: the whole bot on this machine with no setup. It starts the vCR emulator with demo data, an in-process
 * DynamoDB with the state table and a fake Slack Web API, generates a signing secret and a bot token for this run,
 * and serves the real Lambda HTTP entry on PORT (3000) with jobs in-process. Drive it with `npm run send`.
 */
import { randomBytes } from 'node:crypto';
import { createHandlers } from '../src/handler';
import { startVcrEmulator } from './emulator/vcr-emulator';
import { startLocalDynamo } from './fakes/dynamodb';
import { startFakeSlack } from './fakes/slack-api';
import { localBotEnv } from './local-bot-env';
import { defaultLocalPort, localUsers, removeLocalSession, writeLocalSession } from './local-session';
import { startSlackHttpServer } from './slack-http-server';

// The SDK warns once that it will need Node 22 from 2027; Lambda runs 22 already, and the warning buries the banner.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const stateTable = 'vcr-chatops-local-records';
const teamId = 'T0LOCAL';
const channelId = 'C0LOCALOPS';

async function main(): Promise<void> {
  // Local code, never deployed: it may read process.env directly.
  const port = Number(process.env.PORT ?? defaultLocalPort);
  const emulator = await startVcrEmulator({ port: 0 });
  const dynamo = await startLocalDynamo({ tables: [stateTable] });
  const slack = await startFakeSlack();

  // Generated for this run only and never printed; `npm run send` reads the signing secret from the session file.
  const signingSecret = randomBytes(32).toString('hex');
  const botToken = `local-${randomBytes(24).toString('hex')}`;
  const handlers = createHandlers(
    {
      ...localBotEnv({ emulator, slack, signingSecret, botToken }),
      SLACK_TEAM_ID: teamId,
      VCR_VIEWERS: '*',
      VCR_OPERATORS: localUsers.operator,
      VCR_ADMINS: `${localUsers.admin},${localUsers.admin2}`,
      // `npm run send` prints what the bot posts there: one line per outcome of a change (docs/decisions/0016).
      VCR_AUDIT_CHANNEL: 'C0LOCALAUDIT',
      STATE_TABLE: stateTable,
      JOB_MODE: 'inline',
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    },
    { awsClients: { dynamodb: dynamo.client } },
  );

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
            items: slack.calls.slice(since('calls')).map(({ method, body }) => ({ method, body })),
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
    signingSecret,
    teamId,
    channelId,
    command: '/vcr',
  });

  console.log(`vcr-chatops is running locally (Ctrl-C stops everything)

  bot (Slack request URL)  ${server.url}
  vCR emulator             ${emulator.url}  (demo data: payments-api, web-frontend, ml-models, sandbox-tmp)
  DynamoDB (dynalite)      ${dynamo.url}  table ${stateTable}
  fake Slack Web API       ${slack.url}

Drive it from another terminal:
  npm run send -- "help"
  npm run send -- "repos"
  npm run send -- "repo payments-api"
  npm run send -- --click Images          (a button of the last reply, by label or number)
  npm run send -- "user create"           (opens a modal) then
  npm run send -- --submit name=ci-robot1 push=payments-api days=30
  npm run send -- --as viewer "repo delete sandbox-tmp"   (users: admin [default], operator, viewer)

Replies (response_url posts, DMs, modals) are printed by npm run send.
The signing secret and bot token were generated for this run; send reads them from ${sessionFile}
(readable by you only, removed on exit).`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping`);
    removeLocalSession(port);
    await server.close();
    await handlers.idle();
    await Promise.allSettled([emulator.close(), dynamo.close(), slack.close()]);
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error: Error) => {
  console.error(`vcr-chatops could not start: ${error.message}`);
  if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') console.error('Set PORT to a free port, e.g. PORT=3100.');
  process.exit(1);
});
