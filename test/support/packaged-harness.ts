/**
 * The local services the packaged Lambda artifact reaches, and the environment Lambda would give it with every
 * endpoint pointed at them: the vCR emulator, the fake Slack, the fake Secrets Manager holding generated
 * credentials, dynalite with the state table, and the fake Lambda Invoke endpoint for the worker.
 */
import { randomBytes } from 'node:crypto';
import { startVcrEmulator, type VcrEmulator } from '../../local/emulator/vcr-emulator';
import { type LocalDynamo, localAwsCredentials, startLocalDynamo } from '../../local/fakes/dynamodb';
import { type FakeLambda, type FakeLambdaInvocation, startFakeLambda } from '../../local/fakes/lambda';
import { type FakeSecretsManager, startFakeSecretsManager } from '../../local/fakes/secrets-manager';
import { type FakeSlack, startFakeSlack } from '../../local/fakes/slack-api';
import { testUsers } from './slack-requests';

/** The running services and the function environment that reaches them. */
export interface PackagedHarness {
  emulator: VcrEmulator;
  slack: FakeSlack;
  secretsManager: FakeSecretsManager;
  dynamo: LocalDynamo;
  /** Records every async invoke of the worker; `onInvoke` decides what else happens. */
  lambda: FakeLambda;
  /** Generated for this run; only request signing and the scan for leaks should read it. */
  signingSecret: string;
  /** The variables Lambda would set (serverless.yml's, with local endpoints and placeholder AWS credentials). */
  env: Record<string, string>;
  table: string;
  close(): Promise<void>;
}

/** The worker's function name in the harness environment. */
export const packagedWorkerName = 'vcr-chatops-packaged-worker';

/** Starts every service; `onInvoke` receives each async invoke of the worker (by default it is only recorded). */
export async function startPackagedHarness(
  options: { onInvoke?: (invocation: FakeLambdaInvocation) => Promise<void> | void; logLevel?: string } = {},
): Promise<PackagedHarness> {
  const signingSecret = randomBytes(32).toString('hex');
  const emulator = await startVcrEmulator({ port: 0 });
  const slack = await startFakeSlack();
  const secretId = 'vcr-chatops/packaged';
  const secretsManager = await startFakeSecretsManager({
    secrets: {
      [secretId]: JSON.stringify({
        slackSigningSecret: signingSecret,
        slackBotToken: `packaged-${randomBytes(24).toString('hex')}`,
        vcrClientId: emulator.clientId,
        vcrClientSecret: emulator.clientSecret,
      }),
    },
  });
  const table = 'vcr-chatops-packaged-state';
  const dynamo = await startLocalDynamo({ tables: [table] });
  const lambda = await startFakeLambda({ functions: [packagedWorkerName], onInvoke: options.onInvoke });
  const env: Record<string, string> = {
    SECRET_ID: secretId,
    SECRET_TTL_SECONDS: '300',
    STATE_TABLE: table,
    JOB_MODE: 'lambda',
    WORKER_FUNCTION_NAME: packagedWorkerName,
    VCR_API_URL: emulator.url,
    VCR_IAM_URL: emulator.iamUrl,
    SLACK_API_URL: slack.url,
    SLACK_BOT_ID: slack.botId,
    SLACK_BOT_USER_ID: slack.botUserId,
    VCR_VIEWERS: '*',
    VCR_OPERATORS: testUsers.operator,
    VCR_ADMINS: testUsers.admin,
    LOG_LEVEL: options.logLevel ?? 'info',
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: localAwsCredentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: localAwsCredentials.secretAccessKey,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: secretsManager.url,
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.url,
    AWS_ENDPOINT_URL_LAMBDA: lambda.url,
    AWS_NODEJS_CONNECTION_REUSE_ENABLED: '1',
    // Lambda runs Node 22; the SDK's warning about older versions is noise on the Node 20 that runs the tests.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
  return {
    emulator,
    slack,
    secretsManager,
    dynamo,
    lambda,
    signingSecret,
    env,
    table,
    close: async () => {
      await Promise.all([emulator.close(), slack.close(), secretsManager.close(), dynamo.close(), lambda.close()]);
    },
  };
}
