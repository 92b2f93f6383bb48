/**
 * Issue 8 §6: vCR answers that are not what docs/vcr-api.md says, through the real handler. A 2xx on a write is
 * success whatever its body; a 2xx read of another shape is an answer the bot could not read, never an empty list;
 * a user's permission list that cannot stand for every grant is never used to replace them all; a secret refresh
 * whose answer is lost says the old secret may have stopped working.
 */
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { seedIds } from '../../local/emulator/seed';
import { createDynamoOperationStore } from '../../src/store/dynamo-operation-store';
import { buttonIn, type E2eHarness, e2eUsers, readableText, useE2eHarness } from '../support/e2e-harness';

const { operator } = e2eUsers;
const { paymentsApi } = seedIds.repositories;
const { ciDeployer } = seedIds.users;
const notifyChannel = 'C0AUDIT';

const storeOf = (harness: E2eHarness) =>
  createDynamoOperationStore({ client: DynamoDBDocumentClient.from(harness.dynamo.client), table: harness.table });
const notifications = (harness: E2eHarness) =>
  harness
    .callsOf('chat.postMessage')
    .filter((call) => call.channel === notifyChannel)
    .map((call) => String(call.text));
const writes = (harness: E2eHarness) =>
  harness.emulator.requests.filter((request) => request.method !== 'GET' && request.path.startsWith('/v1/'));

describe('a write vCR carried out but answered oddly', () => {
  const harness = useE2eHarness({ env: { VCR_NOTIFY_CHANNEL: notifyChannel } });

  it('reports the delete done, records it done and notifies when vCR answers 202 with HTML', async () => {
    // Prepare
    const preview = await harness.reply('repo delete sandbox-tmp', operator);
    const operationId = JSON.parse(buttonIn(preview, 'Delete').value!).op as string;
    harness.emulator.inject({
      method: 'DELETE',
      path: /^\/v1\/repository\/[^/]+$/,
      handled: true,
      status: 202,
      body: '<html><body><h1>202 Accepted</h1></body></html>',
      contentType: 'text/html',
    });

    // Act
    const click = await harness.click(buttonIn(preview, 'Delete'), operator);
    await harness.settle();

    // Assess
    const answer = readableText(harness.posted(click.responseUrl).at(-1));
    expect(answer).toContain('Deleted repository `sandbox-tmp`');
    expect(answer).not.toMatch(/refused|not JSON|html/i);
    expect((await storeOf(harness).get(operationId))?.status).toBe('done');
    expect(notifications(harness).at(-1)).toContain('deleted repository `sandbox-tmp`');
    expect(harness.emulator.state.repositories.some((repo) => repo.name === 'sandbox-tmp')).toBe(false);
  });

  it.each([
    ['text that is not JSON', 'not json{'],
    ['an empty body', ''],
  ])('reports the new quota and notifies when vCR answers the quota change with %s', async (_, body) => {
    // Prepare
    const before = notifications(harness).length;
    const repo = harness.emulator.state.repositories.find((candidate) => candidate.uuid === paymentsApi)!;
    const quota = repo.quotaLimit + 1;
    harness.emulator.inject({ method: 'PUT', path: /\/quotas$/, handled: true, status: 200, body, times: 1 });

    // Act
    const reply = await harness.reply(`repo quota payments-api ${quota}`, operator);

    // Assess
    expect(readableText(reply)).toContain(`Quota of \`payments-api\`: ${quota - 1} GB → ${quota} GB.`);
    expect(repo.quotaLimit).toBe(quota);
    expect(notifications(harness).slice(before)).toEqual([expect.stringContaining(`to ${quota} GB`)]);
  });

  it('shows the new repository read back by name when vCR answers the create 202 with truncated JSON', async () => {
    // Prepare
    harness.emulator.inject({
      method: 'POST',
      path: '/v1/repository',
      handled: true,
      status: 202,
      body: '{"uuid":"repo-1234","name":"odd-answ',
      times: 1,
    });

    // Act
    const reply = await harness.reply('repo create odd-answer-1', operator);

    // Assess
    const created = harness.emulator.state.repositories.find((repo) => repo.name === 'odd-answer-1');
    expect(created).toBeDefined();
    expect(readableText(reply)).toContain('Created repository `odd-answer-1`: private, 20 GB quota.');
    expect(readableText(reply)).toContain(created!.uuid);
    expect(writes(harness).filter((request) => request.method === 'POST')).toHaveLength(1);
    expect(notifications(harness).at(-1)).toContain('created repository `odd-answer-1`');
  });
});

describe('a read vCR answered with another shape', () => {
  const harness = useE2eHarness();

  it.each([
    ['an empty object', {}, undefined],
    ['a JSON string', '"busy"', undefined],
    ['an error object', { error: 'busy' }, undefined],
    ['HTML', '<html><body>Upstream says: try later</body></html>', 'text/html'],
  ])('says it could not read the answer, with a ref, when repos gets %s', async (_, body, contentType) => {
    // Prepare
    harness.emulator.inject({
      method: 'GET',
      path: '/v1/repository',
      status: 200,
      body,
      ...(contentType ? { contentType } : {}),
    });

    // Act
    const reply = await harness.reply('repos', operator);

    // Assess
    const text = readableText(reply);
    expect(text).toMatch(/^vCR sent an answer I could not read \(ref `[0-9a-f]{8}`\)/);
    expect(text).not.toMatch(/no repositories|busy|Upstream|html/i);
    const ref = /ref `([0-9a-f]{8})`/.exec(text)?.[1];
    const logged = harness.logs.find((line) => line.includes(`"ref":"${ref}"`));
    expect(logged).toContain('/v1/repository answered 200 with a page of repository records');
  });

  it('says it could not read the answer, never that no user is attached, when repo users gets an empty object', async () => {
    // Prepare
    harness.emulator.inject({ method: 'GET', path: `/v1/repository/${paymentsApi}/user`, status: 200, body: {} });

    // Act
    const reply = await harness.reply('repo users payments-api', operator);

    // Assess
    expect(readableText(reply)).toContain('vCR sent an answer I could not read');
    expect(readableText(reply)).not.toContain('No user is attached');
  });

  it('changes nothing when the user list leaves out the permission list an attach would rebuild', async () => {
    // Prepare
    const before = structuredClone(harness.emulator.state.users.find((user) => user.uuid === ciDeployer)?.permissions);
    harness.emulator.inject({
      method: 'GET',
      path: '/v1/user',
      rewrite: (page) => {
        const paged = page as { listData: Record<string, unknown>[] };
        return { ...paged, listData: paged.listData.map((user) => ({ ...user, repoPermissionList: null })) };
      },
    });
    const writesBefore = writes(harness).length;

    // Act
    const reply = await harness.reply('repo attach ml-models ci-deployer pull', operator);

    // Assess
    expect(readableText(reply)).toContain(
      "vCR's answer about `ci-deployer` does not hold all of its access (it sent no list of its repositories), so nothing was changed",
    );
    expect(writes(harness).length).toBe(writesBefore);
    expect(harness.emulator.state.users.find((user) => user.uuid === ciDeployer)?.permissions).toEqual(before);
  });
});

describe('a secret refresh whose answer is lost', () => {
  const harness = useE2eHarness({ env: { VCR_TIMEOUT_MS: '300' } });

  it('says the old secret may have stopped working and to run user secret again, and records it unknown', async () => {
    // Prepare
    const preview = await harness.reply('user secret ci-deployer', operator);
    const operationId = JSON.parse(buttonIn(preview, 'New secret').value!).op as string;
    harness.emulator.inject({ path: `/v1/user/${ciDeployer}/refresh`, delayMs: 600, times: 1 });

    // Act
    const click = await harness.click(buttonIn(preview, 'New secret'), operator);
    await harness.settle();

    // Assess
    const answer = readableText(harness.posted(click.responseUrl).at(-1));
    expect(answer).toContain('so the old secret may already have stopped working');
    expect(answer).toContain('Run `/vcr user secret ci-deployer` again to make a new secret you can use.');
    expect(answer).not.toMatch(/not answering|Try again in a minute/);
    expect((await storeOf(harness).get(operationId))?.status).toBe('outcome_unknown');
    expect(harness.callsOf('conversations.open')).toEqual([]);
  });
});
