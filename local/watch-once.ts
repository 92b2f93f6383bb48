/**
 * `npm run watch-once`: one pass of the scheduled watcher against the vCR emulator, with the demo data and the
 * watcher's demo (a repository near its quota, a user that expires within a week: local/emulator/watch-demo.ts), an
 * in-process DynamoDB and a fake Slack; prints what the pass covered and every notice it posted, then exits.
 */
import { randomBytes } from 'node:crypto';
import { createHandlers } from '../src/handler';
import { startVcrEmulator } from './emulator/vcr-emulator';
import { seedWatchDemo } from './emulator/watch-demo';
import { startLocalDynamo } from './fakes/dynamodb';
import { startFakeSlack } from './fakes/slack-api';
import { localBotEnv } from './local-bot-env';
import { watchPassText } from './watch-pass-text';

// The SDK warns once that it will need Node 22 from 2027; Lambda runs 22 already, and the warning buries the output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const stateTable = 'vcr-chatops-watch-once';
const alertChannel = 'C0LOCALALERTS';

async function main(): Promise<void> {
  const emulator = await startVcrEmulator({ port: 0 });
  seedWatchDemo(emulator.state, Date.now());
  const dynamo = await startLocalDynamo({ tables: [stateTable] });
  const slack = await startFakeSlack();
  try {
    const handlers = createHandlers(
      {
        ...localBotEnv({
          emulator,
          slack,
          signingSecret: randomBytes(32).toString('hex'),
          botToken: `local-${randomBytes(24).toString('hex')}`,
        }),
        VCR_ALERT_CHANNEL: alertChannel,
        STATE_TABLE: stateTable,
        JOB_MODE: 'inline',
        // Local code, never deployed: it may read process.env directly.
        LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
      },
      { awsClients: { dynamodb: dynamo.client } },
    );
    const result = await handlers.schedule();
    const posted = slack.calls.filter((call) => call.method === 'chat.postMessage').map((call) => call.body);
    console.log(watchPassText(result, posted));
  } finally {
    await Promise.allSettled([emulator.close(), dynamo.close(), slack.close()]);
  }
}

main().then(
  // The AWS clients keep connections open; the pass is done.
  () => process.exit(0),
  (error: Error) => {
    console.error(`The watcher pass failed: ${error.message}`);
    process.exit(1);
  },
);
