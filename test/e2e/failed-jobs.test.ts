import { randomUUID } from 'node:crypto';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { SQSEvent } from 'aws-lambda';
import type { Job } from '../../src/jobs/job';
import { createDynamoOperationStore } from '../../src/store/dynamo-operation-store';
import { destinationEvent } from '../support/destination-event';
import { buttonIn, type E2eHarness, e2eUsers, readableText, useE2eHarness } from '../support/e2e-harness';

const { operator } = e2eUsers;

const storeOf = (harness: E2eHarness) =>
  createDynamoOperationStore({ client: DynamoDBDocumentClient.from(harness.dynamo.client), table: harness.table });

const auditedOutcomes = async (harness: E2eHarness, operationId: string) => {
  const documents = DynamoDBDocumentClient.from(harness.dynamo.client);
  const { Items = [] } = await documents.send(new ScanCommand({ TableName: harness.table }));
  return Items.filter((item) => item.sk === 'audit' && item.requestId === operationId).map((item) => item.outcome);
};

describe('a worker invocation that crashed before recording its outcome', () => {
  const harness = useE2eHarness({ jobMode: 'lambda' });

  it('marks the claimed change outcome unknown, audits it and tells the user, and never runs it again', async () => {
    // Prepare
    const { responseUrl } = await harness.command('artifact delete payments-api/team/worker:stable', operator);
    await harness.settle();
    const preview = harness.posted(responseUrl).at(-1);
    const operationId = JSON.parse(buttonIn(preview, 'Delete').value!).op as string;
    const crashed = { jobId: randomUUID(), token: randomUUID() };
    const claim = await storeOf(harness).transition(
      operationId,
      { from: ['requested'], to: 'executing', by: operator, deadlineAt: Date.now() + 60_000 },
      crashed,
    );
    const job: Job = {
      id: crashed.jobId,
      kind: 'decide',
      operationId,
      command: claim.operation!.command,
      choice: 'confirm',
      actor: { userId: operator, role: 'operator' },
      responseUrl,
    };
    const vcrCallsBefore = harness.emulator.requests.length;
    const logsBefore = harness.logs.length;

    // Act
    const answer = await harness.handlers.failedJobs(destinationEvent(job));

    // Assess
    expect(answer.batchItemFailures).toEqual([]);
    expect(readableText(harness.posted(responseUrl).at(-1))).toContain('may or may not have happened');
    expect((await storeOf(harness).get(operationId))?.status).toBe('outcome_unknown');
    expect(await auditedOutcomes(harness, operationId)).toEqual(['outcome_unknown']);
    expect(harness.emulator.requests.slice(vcrCallsBefore)).toEqual([]);
    const lines = harness.logs.slice(logsBefore).join('\n');
    expect(lines).toContain('"OutcomeUnknownJobs":1');
    expect(lines).toContain('"errorType":"Runtime.ExitError"');
  });

  it('only logs the job when its outcome was recorded before the crash', async () => {
    // Prepare
    await harness.reply('repo quota payments-api 37', operator);
    const job = harness.lambda!.invocations.at(-1)!.payload as Job;
    const postsBefore = harness.posted(job.responseUrl!).length;
    const vcrCallsBefore = harness.emulator.requests.length;
    const logsBefore = harness.logs.length;

    // Act
    const answer = await harness.handlers.failedJobs(destinationEvent(job));

    // Assess
    expect(answer.batchItemFailures).toEqual([]);
    expect(harness.posted(job.responseUrl!)).toHaveLength(postsBefore);
    expect(harness.emulator.requests.slice(vcrCallsBefore)).toEqual([]);
    expect(harness.logs.slice(logsBefore).join('\n')).toContain('had already recorded its outcome');
  });

  it('tells the user nothing was changed when the job crashed before it recorded anything', async () => {
    // Prepare
    await harness.reply('repos', operator);
    const job = harness.lambda!.invocations.at(-1)!.payload as Job;

    // Act
    await harness.handlers.failedJobs(destinationEvent(job));

    // Assess
    expect(readableText(harness.posted(job.responseUrl!).at(-1))).toContain('nothing was changed');
  });

  it.each([
    [
      'an invoke job without its invocation',
      { kind: 'invoke', requestKey: 'k', actor: { userId: operator, role: 'operator' } },
    ],
    [
      'a decide job without its operation',
      { kind: 'decide', command: 'repo.delete', choice: 'confirm', actor: { userId: operator, role: 'operator' } },
    ],
    ['a job of an unknown kind', { kind: 'reboot', actor: { userId: operator, role: 'operator' } }],
    [
      'a job whose actor has no user id',
      { kind: 'invoke', requestKey: 'k', invocation: { command: 'repos.list', args: {} }, actor: {} },
    ],
  ])('drops %s as not a job, telling nobody and handing nothing back', async (_name, partial) => {
    // Prepare
    const job = { id: randomUUID(), ...partial } as unknown as Job;
    const slackCallsBefore = harness.slack.calls.length;
    const logsBefore = harness.logs.length;

    // Act
    const answer = await harness.handlers.failedJobs(destinationEvent(job));

    // Assess
    expect(answer.batchItemFailures).toEqual([]);
    expect(harness.logs.slice(logsBefore).join('\n')).toContain('not a failed job');
    expect(harness.slack.calls.slice(slackCallsBefore)).toEqual([]);
  });

  it('drops a record that holds no job instead of handing it back to the queue', async () => {
    // Prepare
    const event = { Records: [{ messageId: 'not-a-job', body: '{"requestPayload":{}}' }] } as unknown as SQSEvent;

    // Act
    const answer = await harness.handlers.failedJobs(event);

    // Assess
    expect(answer.batchItemFailures).toEqual([]);
    expect(harness.logs.at(-1)).toContain('not a failed job');
  });
});
