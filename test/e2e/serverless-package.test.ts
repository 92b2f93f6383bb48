import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { extractPackagedHandler, packagedFiles, runPackagedHandler } from '../../local/packaged-handler';
import type { Job } from '../../src/jobs/job';
import { createDynamoOperationStore } from '../../src/store/dynamo-operation-store';
import { seedCleanupRepository } from '../support/cleanup-seed';
import { destinationEvent } from '../support/destination-event';
import { buttonIn, type EntryName, e2eUsers, formState, useE2eHarness } from '../support/e2e-harness';
import { type PackagedHarness, startPackagedHarness } from '../support/packaged-harness';
import { accessOf, allows, functionIdOf, roleStatementsOf, type Template } from '../support/role-policy';
import { buttonsIn, readAnswer, signedEvent, slashCommandBody, testUsers } from '../support/slack-requests';

// `npm run package` is part of `npm test` through this suite: it packages offline, with no AWS credentials.
const root = join(__dirname, '..', '..');
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

  it('lets only the http role invoke the worker, read the freeze, the Home tab’s and cleanup rules’ items and write audit items only', () => {
    // Prepare
    const http = statements('HttpRole');

    // Act
    const worker = statements('WorkerRole');

    // Assess
    const actions = (list: typeof http) => list.flatMap((statement) => statement.actions).sort();
    expect(actions(http)).toEqual(
      [
        'dynamodb:GetItem',
        'dynamodb:PutItem',
        'dynamodb:Query',
        'lambda:InvokeFunction',
        'logs:CreateLogStream',
        'logs:PutLogEvents',
        'secretsmanager:GetSecretValue',
      ].sort(),
    );
    // The HTTP phase reads the freeze, the Home tab's snapshots and saved cleanup rules, writes only refusals
    // (docs/decisions/0016), and queries the byTime index's operation partitions alone (docs/iam.md).
    expect(http.filter((statement) => statement.actions.some((action) => action.startsWith('dynamodb:')))).toEqual([
      {
        actions: ['dynamodb:GetItem'],
        resource: { 'Fn::GetAtt': ['StateTable', 'Arn'] },
        condition: {
          'ForAllValues:StringLike': {
            'dynamodb:LeadingKeys': ['setting#freeze', 'watch#snapshot#*', 'watch#pass', 'setting#cleanup#*'],
          },
        },
      },
      {
        actions: ['dynamodb:PutItem'],
        resource: { 'Fn::GetAtt': ['StateTable', 'Arn'] },
        condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['audit#*'] } },
      },
      {
        actions: ['dynamodb:Query'],
        // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation's own substitution syntax.
        resource: { 'Fn::Sub': '${StateTable.Arn}/index/byTime' },
        condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['op#*'] } },
      },
    ]);
    // The worker reads and writes items, and queries the indexes (never the table) for `audit`; it never scans.
    expect(worker.find((statement) => statement.actions.includes('dynamodb:Query'))?.resource).toEqual({
      // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation's own substitution syntax.
      'Fn::Sub': '${StateTable.Arn}/index/*',
    });
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
    // The saved cleanup rules' one partition of the byTime index, for the weekly plans.
    expect(role.find((statement) => JSON.stringify(statement.resource).includes('/index/'))).toEqual({
      actions: ['dynamodb:Query'],
      // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation's own substitution syntax.
      resource: { 'Fn::Sub': '${StateTable.Arn}/index/byTime' },
      condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['setting#cleanup'] } },
    });
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

  it('lets each function write to its own log group, consume or feed the queue, and the schedule rule invoke it', () => {
    // Prepare
    const functions = Object.entries(template.Resources).filter(([, found]) => found.Type === 'AWS::Lambda::Function');

    // Act
    const logs = functions.map(([id, found]) => {
      const name = String(found.Properties.FunctionName);
      const group = `${id.replace(/LambdaFunction$/, '')}LogGroup`;
      const writes = roleStatementsOf(template, id).some(
        (statement) => statement.actions.includes('logs:PutLogEvents') && statement.resources.includes(`arn:${group}`),
      );
      return [name, template.Resources[group]?.Properties.LogGroupName, writes];
    });

    // Assess
    expect(logs.sort()).toEqual(
      ['http', 'worker', 'failedJobs', 'schedule']
        .map((fn) => [`vcr-chatops-dev-${fn}`, `/aws/lambda/vcr-chatops-dev-${fn}`, true])
        .sort(),
    );
    const queue = 'arn:FailedJobsQueue';
    const failedJobs = roleStatementsOf(template, 'FailedJobsLambdaFunction');
    for (const action of ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'])
      expect(allows(failedJobs, { action, resource: queue })).toBe(true);
    expect(
      allows(roleStatementsOf(template, 'WorkerLambdaFunction'), { action: 'sqs:SendMessage', resource: queue }),
    ).toBe(true);
    for (const id of [
      'HttpLambdaFunction',
      'WorkerLambdaFunction',
      'FailedJobsLambdaFunction',
      'ScheduleLambdaFunction',
    ])
      expect(
        allows(roleStatementsOf(template, id), { action: 'secretsmanager:GetSecretValue', resource: 'arn:Secret' }),
      ).toBe(true);
    const rule = Object.entries(template.Resources).find(([, found]) => found.Type === 'AWS::Events::Rule');
    expect(rule?.[1].Properties.Targets).toEqual([
      expect.objectContaining({ Arn: { 'Fn::GetAtt': ['ScheduleLambdaFunction', 'Arn'] } }),
    ]);
    const permission = Object.values(template.Resources).find(
      (found) => found.Type === 'AWS::Lambda::Permission' && found.Properties.Principal === 'events.amazonaws.com',
    );
    expect(permission?.Properties).toMatchObject({
      FunctionName: { 'Fn::GetAtt': ['ScheduleLambdaFunction', 'Arn'] },
      SourceArn: { 'Fn::GetAtt': [rule?.[0], 'Arn'] },
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

describe('the roles of the packaged functions', () => {
  // Every AWS call the real handler makes in these flows, checked against the role of the function that makes it in
  // AWS: jobs go through the fake Lambda to the worker entry, as there (docs/iam.md).
  const { viewer, operator, admin } = e2eUsers;
  const secondAdmin = 'U0ADMIN2';
  // Moved past the HTTP phase's 5 s freeze cache once the freeze is lifted; 30 s ahead from the start, so the receiver
  // takes the requests' arrival times as unusable rather than late (as test/e2e/freeze.test.ts does).
  let offsetMs = 31_000;
  const harness = useE2eHarness({
    jobMode: 'lambda',
    now: () => Date.now() + offsetMs,
    recordAwsCalls: true,
    env: { VCR_ADMINS: `${admin},${secondAdmin}`, VCR_APPROVAL_REQUIRED: 'repo.delete', VCR_AUDIT_CHANNEL: 'C0AUDIT' },
  });

  const approveCardOf = (operationId: string) =>
    harness.slack.calls.find(
      (call) =>
        call.method === 'chat.postMessage' &&
        buttonsIn(call.body.blocks).some((button) => button.value?.includes(`"op":"${operationId}"`)),
    )?.body;

  it('allows every DynamoDB item and Lambda function each entry touches in representative flows', async () => {
    // Prepare: a read, help, a change refused in the HTTP phase, a destructive preview cancelled and one confirmed, a
    // change, an options request, an approval and a rejection, the Home tab of an approver.
    await harness.reply('repos', viewer);
    await harness.command('help', viewer);
    await harness.command('repo quota payments-api 40', viewer);
    const cancelled = await harness.reply('artifact delete payments-api/team/api:v1.4.2', operator);
    await harness.click(buttonIn(cancelled, 'Cancel'), operator);
    await harness.settle();
    await harness.reply('repo quota payments-api 37', operator);
    await harness.suggest(operator, 'pay');
    const artifact = await harness.reply('artifact delete payments-api/team/worker:stable', operator);
    await harness.click(buttonIn(artifact, 'Delete'), operator);
    await harness.settle();
    const repoDelete = await harness.reply('repo delete sandbox-tmp', operator);
    const repoDeleteOp = JSON.parse(buttonIn(repoDelete, 'Delete').value!).op as string;
    await harness.click(buttonIn(repoDelete, 'Delete'), operator);
    await harness.settle();
    await harness.event({ type: 'app_home_opened', user: admin, channel: 'D0HOME', tab: 'home' });
    await harness.reply('approvals', admin);
    await harness.click(buttonIn(approveCardOf(repoDeleteOp), 'Approve'), admin);
    await harness.settle();
    const rejected = await harness.reply('repo delete web-frontend --force', operator);
    const rejectedOp = JSON.parse(buttonIn(rejected, 'Delete').value!).op as string;
    await harness.click(buttonIn(rejected, 'Delete'), operator);
    await harness.settle();
    await harness.click(buttonIn(approveCardOf(rejectedOp), 'Reject'), admin);
    const reasonForm = harness.callsOf('views.open').at(-1)!.view as Record<string, unknown>;
    await harness.submit(reasonForm, admin, formState(reasonForm, { reason: 'not now' }));
    await harness.settle();
    // Cleanup: the rules form, saved rules, a plan requested and approved, then executed.
    const repo = seedCleanupRepository(harness.emulator);
    await harness.command(`cleanup ${repo.name}`, operator);
    await harness.settle();
    const view = harness.callsOf('views.open').at(-1)!.view as Record<string, unknown>;
    await harness.submit(view, operator, formState(view, { keep: '3', unpulledDays: '30' }));
    await harness.settle();
    await harness.reply(`cleanup ${repo.name} --save --keep 3 --unpulled 30`, operator);
    const plan = await harness.reply(`cleanup ${repo.name}`, operator);
    const planOp = JSON.parse(buttonIn(plan, 'Request cleanup').value!).op as string;
    await harness.click(buttonIn(plan, 'Request cleanup'), operator);
    await harness.settle();
    await harness.click(buttonIn(approveCardOf(planOp), 'Approve'), secondAdmin);
    await harness.settle();
    // The freeze: set, a change refused in the HTTP phase once its cache lapsed, the Home tab, lifted; the audit trail.
    await harness.reply('freeze release', admin);
    offsetMs += 6_000;
    await harness.command('repo quota payments-api 38', operator);
    await harness.event({ type: 'app_home_opened', user: viewer, channel: 'D0HOME', tab: 'home' });
    await harness.reply('unfreeze', admin);
    offsetMs += 6_000;
    await harness.reply('audit', admin);
    await harness.reply('audit payments-api', admin);
    // A crashed job reported by failedJobs, and a watcher pass that plans from the saved rules.
    const { responseUrl } = await harness.command('artifact delete payments-api/team/api:v1.4.1', operator);
    await harness.settle();
    const crashed = harness.posted(responseUrl).at(-1);
    const crashedOp = JSON.parse(buttonIn(crashed, 'Delete').value!).op as string;
    const writer = { jobId: 'crashed-job', token: 'crashed-token' };
    const store = createDynamoOperationStore({
      client: DynamoDBDocumentClient.from(harness.dynamo.client),
      table: harness.table,
    });
    const claim = await store.transition(
      crashedOp,
      { from: ['requested'], to: 'executing', by: operator, deadlineAt: Date.now() + 60_000 },
      writer,
    );
    const job: Job = {
      id: writer.jobId,
      kind: 'decide',
      operationId: crashedOp,
      command: claim.operation!.command,
      choice: 'confirm',
      actor: { userId: operator, role: 'operator' },
      responseUrl,
    };
    await harness.handlers.failedJobs(destinationEvent(job));
    await harness.reply('repo quota payments-api 39', operator);
    await harness.handlers.failedJobs(destinationEvent(harness.lambda!.invocations.at(-1)!.payload as Job));
    await harness.schedule();

    // Act
    const accesses = harness.awsCalls.map((call) => ({
      entry: call.entry,
      ...accessOf(template, call, 'vcr-chatops-e2e-worker'),
    }));
    const denied = accesses
      .filter((access) => !access.entry || !allows(roleStatementsOf(template, functionIdOf(access.entry)), access))
      .map((access) => `${access.entry} ${access.action} ${access.resource} ${access.leadingKeys?.join(',') ?? ''}`);

    // Assess
    expect(harness.awsCalls.map((call) => call.operation)).not.toContain('Scan');
    expect([...new Set(denied)]).toEqual([]);
    // The flows reached what each function does in AWS (docs/iam.md), so a flow that silently stopped early fails here.
    const reached = (entry: EntryName, action: string, resource: string, key: string) =>
      accesses.some(
        (access) =>
          access.entry === entry &&
          access.action === `dynamodb:${action}` &&
          access.resource === `arn:StateTable${resource}` &&
          access.leadingKeys?.some((value) => value.startsWith(key)),
      );
    const expected: [EntryName, string, string, string][] = [
      ['http', 'GetItem', '', 'setting#freeze'],
      ['http', 'PutItem', '', 'audit#'],
      ['http', 'GetItem', '', 'watch#snapshot#'],
      ['http', 'GetItem', '', 'setting#cleanup#'],
      ['http', 'Query', '/index/byTime', 'op#'],
      ['worker', 'UpdateItem', '', 'op#'],
      ['worker', 'PutItem', '', 'setting#freeze'],
      ['worker', 'PutItem', '', 'setting#cleanup#'],
      ['worker', 'GetItem', '', 'setting#cleanup#'],
      ['worker', 'Query', '/index/byTime', 'op#'],
      ['worker', 'Query', '/index/byTime', 'audit#'],
      ['worker', 'Query', '/index/byTarget', 'repo#'],
      ['failedJobs', 'UpdateItem', '', 'op#'],
      ['failedJobs', 'PutItem', '', 'audit#'],
      ['schedule', 'Query', '/index/byTime', 'setting#cleanup'],
      ['schedule', 'PutItem', '', 'watch#'],
    ];
    expect(expected.filter((access) => !reached(...access))).toEqual([]);
    expect(accesses.some((access) => access.entry === 'http' && access.action === 'lambda:InvokeFunction')).toBe(true);
    expect(JSON.stringify(harness.callsOf('chat.update'))).toContain('Rejected by');
    expect(harness.emulator.requests.filter((request) => request.method === 'DELETE').length).toBeGreaterThan(2);
  }, 60_000);
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

  it('exports from the bundle every handler a function of the template names', async () => {
    // Prepare
    const handlers = Object.values(template.Resources)
      .filter((found) => found.Type === 'AWS::Lambda::Function')
      .map((found) => String(found.Properties.Handler));

    // Act
    const { stdout } = await promisify(execFile)(process.execPath, [
      '-e',
      `console.log(JSON.stringify(Object.entries(require(${JSON.stringify(bundle)})).filter(([, value]) => typeof value === 'function').map(([name]) => name)))`,
    ]);

    // Assess
    expect(handlers.sort()).toEqual(
      ['src/handler.failedJobs', 'src/handler.http', 'src/handler.schedule', 'src/handler.worker'].sort(),
    );
    for (const handler of handlers) expect(JSON.parse(stdout)).toContain(handler.replace(/^src\/handler\./, ''));
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
