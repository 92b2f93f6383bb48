import { randomUUID } from 'node:crypto';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { createDynamoOperationStore } from '../../src/store/dynamo-operation-store';
import { buttonIn, type E2eHarness, e2eUsers, readableText, useE2eHarness } from '../support/e2e-harness';

const { operator } = e2eUsers;

const artifactDeletes = (harness: E2eHarness) =>
  harness.emulator.requests.filter(
    (request) => request.method === 'DELETE' && request.path.endsWith('/images/artifacts/delete'),
  ).length;

const storeOf = (harness: E2eHarness) =>
  createDynamoOperationStore({ client: DynamoDBDocumentClient.from(harness.dynamo.client), table: harness.table });

/** The outcomes the audit trail recorded for one operation, oldest first, by a scan (the test's view). */
const auditedOutcomes = async (harness: E2eHarness, operationId: string) => {
  const documents = DynamoDBDocumentClient.from(harness.dynamo.client);
  const { Items = [] } = await documents.send(new ScanCommand({ TableName: harness.table }));
  return Items.filter((item) => item.sk === 'audit' && item.requestId === operationId)
    .sort((a, b) => Number(a.at) - Number(b.at) || String(a.outcome).localeCompare(String(b.outcome)))
    .map((item) => [item.outcome, item.reason]);
};

const operationIdIn = (message: Record<string, unknown> | undefined) =>
  JSON.parse(buttonIn(message, 'Delete').value!).op as string;

describe('a run that outlives its worker', () => {
  // Lambda's context says 5.8 s are left: the run gets 0.8 s before it must report, as if it started near its limit.
  const harness = useE2eHarness({ jobMode: 'lambda', workerRemainingMs: 5_800 });

  it('tells the user the outcome is unknown, records the late result, and never deletes twice', async () => {
    // Prepare
    const preview = await harness.reply('artifact delete payments-api/team/worker:stable', operator);
    harness.emulator.inject({ method: 'DELETE', path: /\/images\/artifacts\/delete$/, delayMs: 1_500, times: 1 });
    const id = operationIdIn(preview);

    // Act
    const click = await harness.click(buttonIn(preview, 'Delete'), operator);
    await harness.settle();
    const told = readableText(harness.posted(click.responseUrl).at(-1));
    const whenTold = (await storeOf(harness).get(id))?.status;
    await waitFor(async () => (await storeOf(harness).get(id))?.status === 'done');
    const again = await harness.click(buttonIn(preview, 'Delete'), operator);
    await harness.settle();

    // Assess
    expect(told).toContain('may or may not have happened');
    expect(whenTold).toBe('outcome_unknown');
    expect(artifactDeletes(harness)).toBe(1);
    expect(readableText(harness.posted(again.responseUrl).at(-1))).toContain('already done');
    const audited = await auditedOutcomes(harness, id);
    expect(audited).toHaveLength(2);
    expect(audited).toEqual(
      expect.arrayContaining([
        ['outcome_unknown', 'it took longer than the bot may wait'],
        ['done', undefined],
      ]),
    );
  });
});

describe('a run that died after claiming', () => {
  const harness = useE2eHarness();

  /** Claims the previewed operation for a run that then died, its deadline long past. */
  const claimForDeadRun = async (id: string) => {
    const dead = { jobId: randomUUID(), token: randomUUID() };
    const { moved } = await storeOf(harness).transition(
      id,
      { from: ['requested'], to: 'executing', by: operator, deadlineAt: Date.now() - 60_000 },
      dead,
    );
    expect(moved).toBe(true);
  };

  it('settles it as not done by reading vCR, and deletes nothing, when the confirm is clicked again', async () => {
    // Prepare
    const preview = await harness.reply('image delete payments-api/base/node-runtime', operator);
    await claimForDeadRun(operationIdIn(preview));
    const before = artifactDeletes(harness);

    // Act
    const click = await harness.click(buttonIn(preview, 'Delete'), operator);
    await harness.settle();

    // Assess
    expect(readableText(harness.posted(click.responseUrl).at(-1))).toContain('reading vCR shows it was not done');
    expect(artifactDeletes(harness)).toBe(before);
    expect((await storeOf(harness).get(operationIdIn(preview)))?.status).toBe('failed');
    expect(await auditedOutcomes(harness, operationIdIn(preview))).toEqual(
      expect.arrayContaining([
        ['outcome_unknown', 'the worker running it stopped'],
        ['failed', 'the worker running it stopped; reading vCR shows it was not done'],
      ]),
    );
  });

  it('settles it as done by reading vCR when the delete had landed before the run died', async () => {
    // Prepare
    const preview = await harness.reply('artifact delete web-frontend/web/app:2025.02.14', operator);
    await claimForDeadRun(operationIdIn(preview));
    const { artifacts } = harness.emulator.state;
    const landed = artifacts.findIndex((artifact) => artifact.tags.some((tag) => tag.name === '2025.02.14'));
    artifacts.splice(landed, 1);
    const before = artifactDeletes(harness);

    // Act
    const click = await harness.click(buttonIn(preview, 'Delete'), operator);
    await harness.settle();

    // Assess
    expect(readableText(harness.posted(click.responseUrl).at(-1))).toContain('reading vCR shows it was done');
    expect(artifactDeletes(harness)).toBe(before);
    expect((await storeOf(harness).get(operationIdIn(preview)))?.status).toBe('done');
  });
});

async function waitFor(check: () => Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('the condition never held');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
