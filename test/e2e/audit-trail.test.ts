/**
 * The audit trail through the real handler: every outcome of a change is a record in the table and one line in the
 * audit channel, and `audit` pages and filters them (docs/decisions/0016-audit-and-freeze.md).
 */
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { seedIds } from '../../local/emulator/seed';
import type { AuditRecord } from '../../src/store/audit-store';
import { buttonIn, e2eUsers, formState, readableText, useE2eHarness } from '../support/e2e-harness';
import { blockActionsBody, signedEvent } from '../support/slack-requests';

const auditChannel = 'C0AUDIT';
// The bot's clock, moved forward to let a preview expire.
let offsetMs = 0;
const harness = useE2eHarness({ env: { VCR_AUDIT_CHANNEL: auditChannel }, now: () => Date.now() + offsetMs });

afterEach(() => {
  offsetMs = 0;
});
const { paymentsApi, sandboxTmp } = seedIds.repositories;

/** Every audit item in the table, by a scan (the test's view; the bot itself only queries). */
async function auditItems(): Promise<(AuditRecord & Record<string, unknown>)[]> {
  const documents = DynamoDBDocumentClient.from(harness.dynamo.client);
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await documents.send(new ScanCommand({ TableName: harness.table, ExclusiveStartKey: start }));
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items.filter((item) => item.sk === 'audit') as (AuditRecord & Record<string, unknown>)[];
}

/** Runs `work` and returns the audit records and audit channel lines it added. */
async function recorded(work: () => Promise<unknown>): Promise<{ records: AuditRecord[]; lines: string[] }> {
  const before = new Set((await auditItems()).map((item) => item.id));
  const posts = harness.callsOf('chat.postMessage').length;
  await work();
  await harness.settle();
  const records = (await auditItems()).filter((item) => !before.has(item.id));
  const lines = harness
    .callsOf('chat.postMessage')
    .slice(posts)
    .filter((call) => call.channel === auditChannel)
    .map((call) => String(call.text));
  return { records, lines };
}

describe('audit records', () => {
  it('records a change that is done, with one line in the audit channel', async () => {
    // Act
    const { records, lines } = await recorded(() => harness.reply('repo quota payments-api 31', e2eUsers.operator));

    // Assess
    expect(records).toEqual([
      expect.objectContaining({
        outcome: 'done',
        command: 'repo.quota',
        requestedBy: e2eUsers.operator,
        channelId: 'C0CHANNEL',
        teamId: expect.stringMatching(/^T/),
        at: expect.any(Number),
        requestId: expect.any(String),
      }),
    ]);
    expect((records[0] as unknown as { expiresAtEpoch: number }).expiresAtEpoch).toBeGreaterThan(
      Date.now() / 1000 + 399 * 86_400,
    );
    expect(lines).toEqual([`<@${e2eUsers.operator}> set the quota of \`payments-api\` to 31 GB (was 20 GB)`]);
  });

  it('records a refusal at admission once with its reason, however often Slack retries it, and nothing runs', async () => {
    // Act
    const { records, lines } = await recorded(async () => {
      const { event } = await harness.command('repo quota payments-api 40', e2eUsers.viewer);
      await harness.retry(event);
    });

    // Assess
    expect(records).toEqual([
      expect.objectContaining({
        outcome: 'refused',
        command: 'repo.quota',
        requestedBy: e2eUsers.viewer,
        reason: expect.stringContaining('operator'),
      }),
    ]);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`<@${e2eUsers.viewer}> was refused \`/vcr repo quota\``);
    expect(harness.emulator.state.repositories.find((repo) => repo.uuid === paymentsApi)?.quotaLimit).not.toBe(40);
  });

  it('records a failure with vCR status and words', async () => {
    // Prepare
    harness.emulator.inject({
      method: 'PUT',
      path: /\/quotas$/,
      status: 400,
      body: { message: 'quota below usage' },
      times: 1,
    });

    // Act
    const { records, lines } = await recorded(() => harness.reply('repo quota payments-api 2', e2eUsers.operator));

    // Assess
    expect(records).toEqual([
      expect.objectContaining({
        outcome: 'failed',
        command: 'repo.quota',
        // Named as soon as the command resolved it, so the failure is listed under the repository too.
        target: { repoId: paymentsApi, repoName: 'payments-api' },
        vcr: { status: 400, message: 'quota below usage' },
        reason: expect.stringContaining('quota below usage'),
      }),
    ]);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('failed');
    expect(lines[0]).toContain('quota below usage');
  });

  it('records a failure part-way with what went and what stayed', async () => {
    // Prepare: vCR refuses the image for its artifacts, deletes them, then fails the image itself.
    const preview = await harness.reply('image delete payments-api/base/node-runtime', e2eUsers.operator);
    harness.emulator.inject({ method: 'DELETE', path: /\/images\/delete$/, status: 500, times: 2 });

    // Act
    const { records, lines } = await recorded(() => harness.click(buttonIn(preview, 'Delete'), e2eUsers.operator));

    // Assess
    expect(records).toEqual([
      expect.objectContaining({
        outcome: 'partial',
        command: 'image.delete',
        target: expect.objectContaining({ repoId: paymentsApi, imageName: 'base/node-runtime' }),
        planHash: expect.stringMatching(/^[0-9a-f]{16}$/),
        decidedBy: e2eUsers.operator,
        vcr: expect.objectContaining({ status: 500 }),
        partial: expect.objectContaining({
          changed: [expect.stringMatching(/^artifact `sha256:[0-9a-f]+` .*of `base\/node-runtime`$/)],
          unchanged: ['image `payments-api/base/node-runtime`'],
        }),
      }),
    ]);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('stopped part-way');
    expect(lines[0]).toMatch(/Deleted: artifact `sha256:/);
    expect(lines[0]).toContain('Still there: image `payments-api/base/node-runtime`');
  });

  it('names the requester in the line of a change someone else confirmed', async () => {
    // Prepare
    const preview = await harness.reply('artifact delete web-frontend/web/app:2025.02.14', e2eUsers.operator);

    // Act
    const { records, lines } = await recorded(() => harness.click(buttonIn(preview, 'Delete'), e2eUsers.admin));

    // Assess
    expect(records).toEqual([
      expect.objectContaining({ outcome: 'done', requestedBy: e2eUsers.operator, decidedBy: e2eUsers.admin }),
    ]);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^<@${e2eUsers.admin}> deleted artifact \`sha256:`));
    expect(lines[0]).toContain('2025.02.14');
    expect(lines[0]).toMatch(new RegExp(`, requested by <@${e2eUsers.operator}>$`));
  });

  it('records a cancelled request with who cancelled it', async () => {
    // Prepare
    const preview = await harness.reply('repo delete sandbox-tmp', e2eUsers.operator);

    // Act
    const { records, lines } = await recorded(() => harness.click(buttonIn(preview, 'Cancel'), e2eUsers.admin));

    // Assess
    expect(records).toEqual([
      expect.objectContaining({
        outcome: 'cancelled',
        command: 'repo.delete',
        requestedBy: e2eUsers.operator,
        decidedBy: e2eUsers.admin,
        target: expect.objectContaining({ repoId: sandboxTmp }),
      }),
    ]);
    expect(lines).toEqual([`<@${e2eUsers.admin}> cancelled delete repository \`sandbox-tmp\``]);
  });

  it('records a preview that expired unconfirmed, at the first click after its expiry', async () => {
    // Prepare
    const preview = await harness.reply('repo delete sandbox-tmp', e2eUsers.operator);
    offsetMs = 16 * 60_000;
    const responseUrl = harness.slack.responseUrl();
    // Signed at the bot's time, as Slack would sign a click made sixteen minutes later.
    const body = blockActionsBody({ userId: e2eUsers.operator, responseUrl, button: buttonIn(preview, 'Delete') });
    const event = signedEvent(body, harness.secrets.signingSecret, {
      base64: true,
      timestampSeconds: Math.floor((Date.now() + offsetMs) / 1000),
    });

    // Act
    const { records, lines } = await recorded(() => harness.send(event));

    // Assess
    expect(readableText(harness.posted(responseUrl).at(-1))).toContain('This request expired');
    expect(records).toEqual([
      expect.objectContaining({
        outcome: 'expired',
        command: 'repo.delete',
        requestedBy: e2eUsers.operator,
        target: expect.objectContaining({ repoId: sandboxTmp }),
      }),
    ]);
    expect(lines).toEqual([
      `<@${e2eUsers.operator}>'s delete repository \`sandbox-tmp\` expired before anyone confirmed it`,
    ]);
    expect(harness.emulator.state.repositories.some((repo) => repo.uuid === sandboxTmp)).toBe(true);
  });

  it('keeps no secret in any record of a scenario that creates a user and makes it a new secret', async () => {
    // Prepare
    const opened = harness.callsOf('views.open').length;
    await harness.command('user create', e2eUsers.operator);
    const view = harness.callsOf('views.open')[opened]!.view as Record<string, unknown>;

    // Act
    await harness.submit(
      view,
      e2eUsers.operator,
      formState(view, { name: 'audit-bot', days: '30', pull: [paymentsApi] }),
    );
    await harness.settle();
    const created = harness.emulator.state.users.find((user) => user.name === 'audit-bot')!;
    const first = harness.emulator.currentSecret(created.uuid)!;
    const preview = await harness.reply('user secret audit-bot', e2eUsers.operator);
    await harness.click(buttonIn(preview, 'New secret'), e2eUsers.operator);
    await harness.settle();
    const second = harness.emulator.currentSecret(created.uuid)!;

    // Assess
    const stored = JSON.stringify(await auditItems());
    expect(first).not.toBe(second);
    expect(stored).toContain('user.create');
    expect(stored).toContain('user.secret');
    for (const secret of [first, second, harness.secrets.vcrClientSecret, harness.secrets.botToken]) {
      expect(stored).not.toContain(secret);
    }
    const lines = JSON.stringify(harness.callsOf('chat.postMessage').filter((call) => call.channel === auditChannel));
    for (const secret of [first, second]) expect(lines).not.toContain(secret);
  });
});

describe('the audit command', () => {
  it('lists ten records a page, newest first, filtered by repository', async () => {
    // Prepare: eleven changes of one repository, one of another.
    for (let gb = 41; gb <= 51; gb += 1) await harness.reply(`repo quota payments-api ${gb}`, e2eUsers.operator);
    await harness.reply('repo quota web-frontend 22', e2eUsers.operator);

    // Act
    const first = await harness.reply('audit payments-api', e2eUsers.viewer);
    const second = await harness.reply('audit payments-api --page 2', e2eUsers.viewer);

    // Assess
    const firstText = readableText(first);
    expect(firstText).toContain('Audit of repository payments-api');
    expect(firstText.match(/✅ done: `\/vcr repo quota`/g)).toHaveLength(10);
    expect(firstText).not.toContain('web-frontend');
    // Newest first: the last change leads the first page; the first of the eleven is on the second.
    expect(firstText.indexOf('to 51 GB')).toBeLessThan(firstText.indexOf('to 50 GB'));
    expect(firstText).not.toContain('to 41 GB');
    expect(buttonIn(first, 'Older')).toBeDefined();
    expect(readableText(second)).toContain('Page 2');
    expect(readableText(second)).toContain('to 41 GB');
    // The stored line's mention of the requester is a mention again, not a raw id.
    expect(firstText).toContain(`<@${e2eUsers.operator}> set the quota`);
    expect(firstText).not.toMatch(new RegExp(`[^<]@${e2eUsers.operator} set the quota`));
    const older = await harness.click(buttonIn(first, 'Older'), e2eUsers.viewer);
    await harness.settle();
    expect(readableText(harness.posted(older.responseUrl).at(-1))).toContain('to 41 GB');
    expect(buttonIn(second, 'Newer')).toBeDefined();
  });

  it('filters by repository user', async () => {
    // Prepare
    await harness.reply('user disable ci-deployer', e2eUsers.operator);
    await harness.reply('user enable ci-deployer', e2eUsers.operator);

    // Act
    const answer = await harness.reply('audit ci-deployer', e2eUsers.viewer);

    // Assess
    const text = readableText(answer);
    expect(text).toContain('Audit of repository user ci-deployer');
    expect(text).toContain('user.disable');
    expect(text).toContain('user.enable');
    expect(text).not.toContain('repo.quota');
    expect(text).toContain('On user ci-deployer');
  });

  it('answers with a hint when the target is neither a repository nor a user', async () => {
    // Act
    const answer = await harness.reply('audit no-such-thing', e2eUsers.viewer);

    // Assess
    expect(readableText(answer)).toContain('No repository or repository user named `no-such-thing`');
  });
});
