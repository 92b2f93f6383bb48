import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { extractPackagedHandler, packagedFiles, runPackagedHandler } from '../../local/packaged-handler';
import { type PackagedHarness, startPackagedHarness } from '../support/packaged-harness';
import { readAnswer, signedEvent, slashCommandBody, testUsers } from '../support/slack-requests';

// `npm run package` is part of `npm test` through this suite: it packages offline, with no AWS credentials.
const root = join(__dirname, '..', '..');
let template: { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> };
let out: string;

beforeAll(async () => {
  out = mkdtempSync(join(tmpdir(), 'vcr-chatops-package-'));
  // No AWS credentials, and none of the variables serverless.yml falls back to, so the defaults are what is tested.
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !/^(AWS_|SECRET_|VCR_|SLACK_|LOG_LEVEL$)/.test(name)),
  );
  await promisify(execFile)(join(root, 'node_modules', '.bin', 'serverless'), ['package', '--package', out], {
    cwd: root,
    env,
    timeout: 120_000,
  });
  template = JSON.parse(readFileSync(join(out, 'cloudformation-template-update-stack.json'), 'utf8'));
}, 130_000);

afterAll(() => {
  rmSync(out, { recursive: true, force: true });
});

const resource = (name: string) => {
  const found = template.Resources[name];
  if (!found) throw new Error(`No resource ${name}; the template has ${Object.keys(template.Resources).join(', ')}`);
  return found;
};
const statements = (role: string) =>
  (
    resource(role).Properties.Policies as {
      PolicyDocument: { Statement: { Action: string | string[]; Resource: unknown; Condition?: unknown }[] };
    }[]
  )
    .flatMap((policy) => policy.PolicyDocument.Statement)
    .map((statement) => ({
      actions: [statement.Action].flat(),
      resource: statement.Resource,
      condition: statement.Condition,
    }));

describe('serverless package', () => {
  it('routes POST /slack/events of the HTTP API to the http function on nodejs22.x', () => {
    // Prepare
    const route = resource('HttpApiRoutePostSlackEvents');

    // Act
    const http = resource('HttpLambdaFunction').Properties;

    // Assess
    expect(route.Properties.RouteKey).toBe('POST /slack/events');
    expect(http).toMatchObject({ Handler: 'src/handler.http', Runtime: 'nodejs22.x' });
  });

  it('gives the worker 60 s and no async retries', () => {
    // Prepare
    const worker = resource('WorkerLambdaFunction').Properties;

    // Act
    const invokeConfig = resource('WorkerLambdaEvConf').Properties;

    // Assess
    expect(worker).toMatchObject({
      Handler: 'src/handler.worker',
      Timeout: 60,
      FunctionName: 'vcr-chatops-dev-worker',
    });
    expect(invokeConfig.MaximumRetryAttempts).toBe(0);
  });

  it('lets only the http role invoke the worker, the http role read the freeze, the Home tab’s items and write audit items only', () => {
    // Prepare
    const http = statements('HttpRole');

    // Act
    const worker = statements('WorkerRole');

    // Assess
    const actions = (list: typeof http) => list.flatMap((statement) => statement.actions).sort();
    expect(actions(http)).toEqual(
      [
        'dynamodb:GetItem',
        'dynamodb:GetItem',
        'dynamodb:PutItem',
        'dynamodb:Query',
        'lambda:InvokeFunction',
        'logs:CreateLogStream',
        'logs:PutLogEvents',
        'secretsmanager:GetSecretValue',
      ].sort(),
    );
    // The HTTP phase reads the freeze and records refusals, and nothing else of the table (docs/decisions/0016).
    expect(http.find((statement) => statement.actions.includes('dynamodb:GetItem'))?.condition).toEqual({
      'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['setting#freeze', 'audit#*'] },
    });
    // The Home tab reads the watcher's snapshots and pass, and queries the byTime index alone (docs/decisions/0018).
    expect(http.filter((statement) => statement.actions.includes('dynamodb:GetItem'))[1]?.condition).toEqual({
      'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['watch#snapshot#*', 'watch#pass'] },
    });
    expect(http.find((statement) => statement.actions.includes('dynamodb:Query'))?.resource).toEqual({
      // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation's own substitution syntax.
      'Fn::Sub': '${StateTable.Arn}/index/byTime',
    });
    // The worker reads and writes items, and queries the indexes for `audit`; it never scans.
    expect(worker.find((statement) => statement.actions.includes('dynamodb:Query'))?.resource).toEqual([
      { 'Fn::GetAtt': ['StateTable', 'Arn'] },
      // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation's own substitution syntax.
      { 'Fn::Sub': '${StateTable.Arn}/index/*' },
    ]);
    expect(actions(worker)).toEqual(
      [
        'dynamodb:GetItem',
        'dynamodb:PutItem',
        'dynamodb:Query',
        'dynamodb:UpdateItem',
        'logs:CreateLogStream',
        'logs:PutLogEvents',
        'secretsmanager:GetSecretValue',
      ].sort(),
    );
    expect(http.find((statement) => statement.actions.includes('lambda:InvokeFunction'))?.resource).toEqual({
      'Fn::GetAtt': ['WorkerLambdaFunction', 'Arn'],
    });
    for (const statement of [...http, ...worker]) expect(JSON.stringify(statement.resource)).not.toBe('"*"');
  });

  it('runs the watcher hourly by default for at most 300 s, with no retries, on its own items only', () => {
    // Prepare
    const schedule = resource('ScheduleLambdaFunction').Properties;

    // Act
    const rules = Object.values(template.Resources).filter((candidate) => candidate.Type === 'AWS::Events::Rule');
    const role = statements('ScheduleRole');

    // Assess
    expect(schedule).toMatchObject({ Handler: 'src/handler.schedule', Timeout: 300 });
    expect(rules.map((rule) => rule.Properties.ScheduleExpression)).toEqual(['rate(1 hour)']);
    expect(resource('ScheduleLambdaEvConf').Properties.MaximumRetryAttempts).toBe(0);
    const table = role.find((statement) => statement.actions.includes('dynamodb:GetItem'));
    expect(table?.actions.sort()).toEqual([
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:Query',
      'dynamodb:UpdateItem',
    ]);
    expect(table?.condition).toEqual({ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['watch#*'] } });
    expect(role.flatMap((statement) => statement.actions)).not.toContain('lambda:InvokeFunction');
    for (const statement of role) expect(JSON.stringify(statement.resource)).not.toBe('"*"');
  });

  it('declares the records table on demand with pk and sk, both indexes, point-in-time recovery and TTL', () => {
    // Prepare
    const table = resource('StateTable').Properties;

    // Act
    const ttl = table.TimeToLiveSpecification;

    // Assess
    expect(table.BillingMode).toBe('PAY_PER_REQUEST');
    expect(table.KeySchema).toEqual([
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
    expect((table.GlobalSecondaryIndexes as { IndexName: string }[]).map((index) => index.IndexName)).toEqual([
      'byTime',
      'byTarget',
    ]);
    expect(table.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
    expect(ttl).toEqual({ AttributeName: 'expiresAtEpoch', Enabled: true });
  });

  it('runs jobs on the worker by async invoke and keeps viewers open by default', () => {
    // Prepare
    const http = resource('HttpLambdaFunction').Properties as { Environment: { Variables: Record<string, unknown> } };

    // Act
    const variables = http.Environment.Variables;

    // Assess
    expect(variables).toMatchObject({
      JOB_MODE: 'lambda',
      WORKER_FUNCTION_NAME: 'vcr-chatops-dev-worker',
      SECRET_ID: 'vcr-chatops/dev',
      VCR_VIEWERS: '*',
      STATE_TABLE: { Ref: 'StateTable' },
    });
  });
});

describe('the packaged handler', () => {
  let harness: PackagedHarness;
  let bundle: string;
  const zip = () => join(out, 'vcr-chatops.zip');

  beforeAll(async () => {
    harness = await startPackagedHarness();
    bundle = await extractPackagedHandler(zip(), out);
  });

  afterAll(async () => {
    await harness?.close();
  });

  it('holds the bundled handler alone, with no source map', async () => {
    // Act
    const files = await packagedFiles(zip());

    // Assess
    expect(files).toEqual(['src/handler.js']);
  });

  it('acks a signed slash command in a new process, and its worker answers the job through response_url', async () => {
    // Prepare
    const responseUrl = harness.slack.responseUrl();
    const body = slashCommandBody({ text: 'repos', userId: testUsers.viewer, responseUrl });
    const event = signedEvent(body, harness.signingSecret, { base64: true });

    // Act
    const http = await runPackagedHandler({ bundle, entry: 'http', events: [event], env: harness.env });
    const [invocation] = harness.lambda.invocations;
    const worker = await runPackagedHandler({
      bundle,
      entry: 'worker',
      events: [invocation?.payload],
      env: harness.env,
    });

    // Assess
    const ack = readAnswer(http.calls[0]?.result?.statusCode ?? 0, http.calls[0]?.result?.body);
    expect(ack.statusCode).toBe(200);
    expect(ack.json).toMatchObject({ response_type: 'ephemeral', text: 'Working on `/vcr repos`…' });
    expect(harness.lambda.invocations).toHaveLength(1);
    expect(invocation).toMatchObject({ functionName: 'vcr-chatops-packaged-worker', invocationType: 'Event' });
    expect(worker.calls).toHaveLength(1);
    const reply = harness.slack.responses.find((response) => response.url === responseUrl);
    expect(JSON.stringify(reply?.body)).toContain('payments-api');
    expect(harness.secretsManager.reads).toBe(2);
    // Loading the bundle reads nothing: the secret is read once the first request has come.
    expect(http.secretAnsweredAt).toBeGreaterThan(http.calls[0]!.calledAt);
    expect(`${http.output}${worker.output}`).not.toContain(harness.signingSecret);
  });

  it('runs a watcher pass in a new process through the schedule entry', async () => {
    // Act
    const run = await runPackagedHandler({
      bundle,
      entry: 'schedule',
      events: [{ source: 'aws.events', 'detail-type': 'Scheduled Event' }],
      env: harness.env,
    });

    // Assess
    expect(run.calls[0]?.result).toMatchObject({ repositoriesSeen: 4, repositoriesTotal: 4, usersSeen: 3 });
    expect(run.calls[0]?.result).not.toHaveProperty('stoppedEarly');
  });
});
