/**
 * The freeze switch through the real handler: every change refused at admission and again at execution, reads
 * untouched, `--until` lifting itself, and the switch itself audited (docs/decisions/0016-audit-and-freeze.md).
 */
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { seedIds } from '../../local/emulator/seed';
import { createDynamoFreezeStore } from '../../src/store/freeze-store';
import { buttonIn, e2eUsers, formState, readableText, useE2eHarness } from '../support/e2e-harness';

const auditChannel = 'C0AUDIT';
// The bot's clock: moved forward past the HTTP phase's 5 s freeze cache, or held still so that cache holds. It starts
// more than 30 s ahead, so the receiver takes the requests' arrival times as unusable rather than late, and stays
// within the 5 minutes the signature check allows.
let offsetMs = 31_000;
let heldAt: number | undefined;
const harness = useE2eHarness({
  env: { VCR_AUDIT_CHANNEL: auditChannel },
  now: () => heldAt ?? Date.now() + offsetMs,
});
const { paymentsApi, sandboxTmp } = seedIds.repositories;

/** Moves the bot's clock past the HTTP phase's freeze cache, as if a few seconds went by. */
const pastCache = () => {
  offsetMs += 6_000;
};
const freezeStore = () =>
  createDynamoFreezeStore({ client: DynamoDBDocumentClient.from(harness.dynamo.client), table: harness.table });
const auditLines = (from: number) =>
  harness
    .callsOf('chat.postMessage')
    .slice(from)
    .filter((call) => call.channel === auditChannel)
    .map((call) => String(call.text));
/** The ids of the refusals recorded for `requestId`, by a scan (the test's view). */
const refusalsOf = async (requestId: string) => {
  const documents = DynamoDBDocumentClient.from(harness.dynamo.client);
  const { Items = [] } = await documents.send(new ScanCommand({ TableName: harness.table }));
  return Items.filter((item) => item.sk === 'audit' && item.requestId === requestId && item.outcome === 'refused').map(
    (item) => String(item.id),
  );
};
const quotaOf = (repoId: string) =>
  harness.emulator.state.repositories.find((repo) => repo.uuid === repoId)?.quotaLimit;

afterEach(async () => {
  heldAt = undefined;
  await freezeStore().clear('U0CLEANUP');
  pastCache();
});

describe('while frozen', () => {
  it('refuses typed, clicked, submitted and confirmed changes with the reason, who and since when; reads work', async () => {
    // Prepare: a preview and a form from before the freeze.
    const preview = await harness.reply('repo delete sandbox-tmp', e2eUsers.operator);
    const opened = harness.callsOf('views.open').length;
    await harness.command('user create', e2eUsers.operator);
    const view = harness.callsOf('views.open')[opened]!.view as Record<string, unknown>;
    const posts = harness.callsOf('chat.postMessage').length;
    const frozen = await harness.reply('freeze release 4.2 in progress', e2eUsers.admin);
    pastCache();

    // Act
    const typed = await harness.command('repo quota payments-api 60', e2eUsers.operator);
    const modal = await harness.command('user create', e2eUsers.operator);
    const confirmed = await harness.click(buttonIn(preview, 'Delete'), e2eUsers.operator);
    const submitted = await harness.submit(
      view,
      e2eUsers.operator,
      formState(view, { name: 'frozen-bot', days: '30', pull: [paymentsApi] }),
    );
    await harness.settle();
    const read = await harness.reply('repos', e2eUsers.viewer);
    const ping = await harness.reply('ping', e2eUsers.viewer);
    const help = await harness.command('help', e2eUsers.viewer);

    // Assess
    expect(readableText(frozen)).toContain('Changes are frozen until someone runs `/vcr unfreeze`: release 4.2');
    const refusal = `Not now: Changes are frozen by <@${e2eUsers.admin}> since <!date^`;
    expect(readableText(typed.ack.json)).toContain(refusal);
    expect(readableText(typed.ack.json)).toContain('release 4.2 in progress');
    expect(readableText(modal.ack.json)).toContain(refusal);
    expect(harness.callsOf('views.open')).toHaveLength(opened + 1);
    const clickAnswer = [confirmed.ack.json, ...harness.posted(confirmed.responseUrl)].map(readableText).join('\n');
    expect(clickAnswer).toContain(refusal);
    expect(JSON.stringify(submitted.json ?? {}) + JSON.stringify(harness.slack.calls)).toContain(
      'Not now: Changes are frozen',
    );
    expect(quotaOf(paymentsApi)).not.toBe(60);
    expect(harness.emulator.state.repositories.some((repo) => repo.uuid === sandboxTmp)).toBe(true);
    expect(harness.emulator.state.users.some((user) => user.name === 'frozen-bot')).toBe(false);
    expect(readableText(read)).toContain('payments-api');
    expect(readableText(ping)).toContain(`🧊 Changes are frozen by <@${e2eUsers.admin}>`);
    expect(readableText(help.ack.json)).toContain(`🧊 Changes are frozen by <@${e2eUsers.admin}>`);
    const lines = auditLines(posts);
    expect(lines[0]).toBe(
      `<@${e2eUsers.admin}> froze every change until someone runs \`/vcr unfreeze\`: release 4.2 in progress`,
    );
    expect(lines.filter((line) => line.includes('was refused'))).toHaveLength(4);
  });

  it('works again after unfreeze, which is announced', async () => {
    // Prepare
    await harness.reply('freeze', e2eUsers.admin);
    pastCache();
    const refused = await harness.command('repo quota payments-api 61', e2eUsers.operator);
    const posts = harness.callsOf('chat.postMessage').length;

    // Act
    const lifted = await harness.reply('unfreeze', e2eUsers.admin);
    pastCache();
    const done = await harness.reply('repo quota payments-api 61', e2eUsers.operator);

    // Assess
    expect(readableText(refused.ack.json)).toContain('Not now: Changes are frozen');
    expect(readableText(lifted)).toContain('Changes work again');
    expect(readableText(done)).toContain('61 GB');
    expect(quotaOf(paymentsApi)).toBe(61);
    expect(auditLines(posts)[0]).toBe(
      `<@${e2eUsers.admin}> lifted the freeze <@${e2eUsers.admin}> set; changes work again`,
    );
  });

  it('refuses a confirmation at execution when the freeze came after the preview', async () => {
    // Prepare: the clock held still, so the HTTP phase keeps the "not frozen" it read for the preview.
    heldAt = Date.now() + offsetMs;
    const preview = await harness.reply('repo delete sandbox-tmp', e2eUsers.operator);
    await freezeStore().set({ by: e2eUsers.admin, since: heldAt, reason: 'incident 42' });

    // Act
    const click = await harness.click(buttonIn(preview, 'Delete'), e2eUsers.operator);
    await harness.settle();

    // Assess
    expect(readableText(click.ack.json)).not.toContain('frozen');
    const answer = readableText(harness.posted(click.responseUrl).at(-1));
    expect(answer).toContain(`Not now: Changes are frozen by <@${e2eUsers.admin}>`);
    expect(answer).toContain('incident 42');
    expect(harness.emulator.state.repositories.some((repo) => repo.uuid === sandboxTmp)).toBe(true);
    // Refused by the worker, which read the table itself; the HTTP phase had let the click through.
    const operationId = JSON.parse(String(buttonIn(preview, 'Delete').value)).op as string;
    expect(await refusalsOf(operationId)).toEqual([`${operationId}.refused.job.${e2eUsers.operator}`]);
  });

  it('lets the requester cancel a waiting request', async () => {
    // Prepare
    const preview = await harness.reply('repo delete sandbox-tmp', e2eUsers.operator);
    await harness.reply('freeze', e2eUsers.admin);
    pastCache();

    // Act
    const cancel = await harness.click(buttonIn(preview, 'Cancel'), e2eUsers.operator);
    await harness.settle();

    // Assess
    expect(readableText(harness.posted(cancel.responseUrl).at(-1))).toContain('Cancelled by');
  });
});

describe('freeze --until', () => {
  it('lifts itself once the time has passed', async () => {
    // Prepare
    await harness.reply('freeze deploy window --until 2m', e2eUsers.admin);
    pastCache();
    const refused = await harness.command('repo quota payments-api 62', e2eUsers.operator);

    // Act
    offsetMs += 2 * 60_000;
    const done = await harness.reply('repo quota payments-api 62', e2eUsers.operator);
    const ping = await harness.reply('ping', e2eUsers.viewer);

    // Assess
    expect(readableText(refused.ack.json)).toContain('deploy window. It lifts itself <!date^');
    expect(readableText(done)).toContain('62 GB');
    expect(readableText(ping)).toContain('Changes are not frozen.');
  });

  it('records and announces once that the freeze lifted itself', async () => {
    // Prepare
    await harness.reply('freeze release 4.2 --until 2m', e2eUsers.admin);
    pastCache();
    const from = harness.callsOf('chat.postMessage').length;

    // Act
    offsetMs += 2 * 60_000;
    await harness.reply('repo quota payments-api 63', e2eUsers.operator);
    pastCache();
    await harness.reply('repo quota payments-api 64', e2eUsers.operator);
    await harness.reply('ping', e2eUsers.viewer);
    const audit = await harness.reply('audit', e2eUsers.viewer);

    // Assess
    const lifted = auditLines(from).filter((line) => line.includes('lifted itself'));
    expect(lifted).toHaveLength(1);
    expect(lifted[0]).toContain(`<@${e2eUsers.admin}>`);
    expect(lifted[0]).toContain('release 4.2');
    expect(readableText(audit)).toContain('lifted itself');
  });

  it('answers with the accepted forms when --until is not a time', async () => {
    // Act
    const { ack } = await harness.command('freeze --until tomorrow', e2eUsers.admin);

    // Assess
    expect(readableText(ack.json)).toContain('`tomorrow` is not a time.');
    expect(readableText(ack.json)).toContain('`2h` or `3d`');
  });

  it('refuses freeze to anyone but an admin', async () => {
    // Act
    const { ack } = await harness.command('freeze', e2eUsers.operator);

    // Assess
    expect(readableText(ack.json)).toContain('admin');
    expect(await freezeStore().read({ consistent: true })).toBeUndefined();
  });
});
