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
type Template = {
  Conditions?: Record<string, unknown>;
  Resources: Record<string, { Type: string; Condition?: string; Properties: Record<string, unknown> }>;
};
let template: Template;
// The same service packaged with ALARM_TOPIC_ARN set, for the alarms only it has.
let alarmed: Template;
let out: string;
let alarmedOut: string;
const alarmTopicArn = 'arn:aws:sns:ap-southeast-1:123456789012:vcr-chatops-alarms';

/** Packages the service into a new directory with `params` (`NAME=value`); returns the directory. */
async function packageInto(params: string[]): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'vcr-chatops-package-'));
  // No AWS credentials, and none of the variables serverless.yml falls back to, so the defaults are what is tested.
  const env = Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) => !/^(AWS_|SECRET_|VCR_|SLACK_|LOG_LEVEL$|ALARM_TOPIC_ARN$)/.test(name),
    ),
  );
  const args = ['package', '--package', dir, ...params.flatMap((param) => ['--param', param])];
  await promisify(execFile)(join(root, 'node_modules', '.bin', 'serverless'), args, {
    cwd: root,
    env,
    timeout: 120_000,
  });
  return dir;
}

const templateIn = (dir: string): Template =>
  JSON.parse(readFileSync(join(dir, 'cloudformation-template-update-stack.json'), 'utf8'));

beforeAll(async () => {
  // One after the other: both builds write the same .esbuild directory.
  out = await packageInto([]);
  alarmedOut = await packageInto([`ALARM_TOPIC_ARN=${alarmTopicArn}`]);
  template = templateIn(out);
  alarmed = templateIn(alarmedOut);
}, 250_000);

afterAll(() => {
  rmSync(out, { recursive: true, force: true });
  rmSync(alarmedOut, { recursive: true, force: true });
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
    // The Home tab reads the watcher's snapshots and pass, and queries the byTime index alone (docs/decisions/0018);
    // the cleanup rules form, opened in this phase, reads a repository's saved rules.
    expect(http.filter((statement) => statement.actions.includes('dynamodb:GetItem'))[1]?.condition).toEqual({
      'ForAllValues:StringLike': {
        'dynamodb:LeadingKeys': ['watch#snapshot#*', 'watch#pass', 'setting#cleanup#*'],
      },
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
        'sqs:SendMessage',
        'sqs:ReceiveMessage',
        'sqs:DeleteMessage',
        'sqs:GetQueueAttributes',
        'sqs:ChangeMessageVisibility',
      ].sort(),
    );
    // The worker role sends to the failed-jobs queue (the destination) and consumes it (failedJobs), nothing else.
    for (const statement of worker.filter((candidate) => candidate.actions.some((action) => action.startsWith('sqs:'))))
      expect(statement.resource).toEqual({ 'Fn::GetAtt': ['FailedJobsQueue', 'Arn'] });
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

describe('serverless package: failed jobs and alarms', () => {
  it('sends crashed worker invocations to the failed-jobs queue, which failedJobs consumes one at a time', () => {
    // Prepare
    const invokeConfig = resource('WorkerLambdaEvConf').Properties;

    // Act
    const mapping = Object.values(template.Resources).find((found) => found.Type === 'AWS::Lambda::EventSourceMapping');

    // Assess
    expect(invokeConfig).toMatchObject({
      MaximumRetryAttempts: 0,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': ['FailedJobsQueue', 'Arn'] } } },
    });
    expect(resource('FailedJobsQueue').Properties).toMatchObject({
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': ['FailedJobsDeadLetterQueue', 'Arn'] } },
    });
    expect(resource('FailedJobsLambdaFunction').Properties).toMatchObject({
      Handler: 'src/handler.failedJobs',
      Role: { 'Fn::GetAtt': ['WorkerRole', 'Arn'] },
    });
    expect(mapping?.Properties).toMatchObject({
      EventSourceArn: { 'Fn::GetAtt': ['FailedJobsQueue', 'Arn'] },
      FunctionName: { 'Fn::GetAtt': ['FailedJobsLambdaFunction', 'Arn'] },
      BatchSize: 1,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });

  it('creates no alarm when ALARM_TOPIC_ARN is not given', () => {
    // Act
    const alarms = Object.values(template.Resources).filter((found) => found.Type === 'AWS::CloudWatch::Alarm');

    // Assess
    // Each alarm is declared under the condition, which is false without a topic: CloudFormation creates none.
    expect(alarms).toHaveLength(6);
    expect(alarms.every((alarm) => alarm.Condition === 'HasAlarmTopic')).toBe(true);
    expect(template.Conditions?.HasAlarmTopic).toEqual({ 'Fn::Not': [{ 'Fn::Equals': ['', ''] }] });
  });

  it('alarms on function errors, throttles, unknown outcomes and unreported crashes to the topic when given', () => {
    // Prepare
    const alarms = Object.entries(alarmed.Resources).filter(([, found]) => found.Type === 'AWS::CloudWatch::Alarm');

    // Act
    const watched = alarms.map(([, alarm]) => {
      const { Namespace, MetricName, Dimensions } = alarm.Properties as {
        Namespace: string;
        MetricName: string;
        Dimensions: { Value: unknown }[];
      };
      return [Namespace, MetricName, Dimensions[0]!.Value];
    });

    // Assess
    expect(alarmed.Conditions?.HasAlarmTopic).toEqual({ 'Fn::Not': [{ 'Fn::Equals': [alarmTopicArn, ''] }] });
    expect(watched).toEqual(
      expect.arrayContaining([
        ['AWS/Lambda', 'Errors', { Ref: 'HttpLambdaFunction' }],
        ['AWS/Lambda', 'Errors', { Ref: 'WorkerLambdaFunction' }],
        ['AWS/Lambda', 'Throttles', { Ref: 'HttpLambdaFunction' }],
        ['AWS/Lambda', 'Throttles', { Ref: 'WorkerLambdaFunction' }],
        ['VcrChatops', 'OutcomeUnknownJobs', 'vcr-chatops'],
        ['AWS/SQS', 'ApproximateNumberOfMessagesVisible', { 'Fn::GetAtt': ['FailedJobsDeadLetterQueue', 'QueueName'] }],
      ]),
    );
    for (const [, alarm] of alarms) {
      expect(alarm.Condition).toBe('HasAlarmTopic');
      expect(alarm.Properties.AlarmActions).toEqual([alarmTopicArn]);
    }
    expect(alarmed.Resources.OutcomeUnknownAlarm?.Properties).toMatchObject({
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'notBreaching',
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
