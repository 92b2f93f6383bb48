import { seedIds } from '../../local/emulator/seed';
import { signSlackRequest } from '../../local/fakes/slack-signature';
import type { Job } from '../../src/jobs/job';
import { buttonIn, type E2eHarness, e2eUsers, formState, readableText, useE2eHarness } from '../support/e2e-harness';
import { apiGatewayEvent, type FoundButton, slashCommandBody } from '../support/slack-requests';

const { operator } = e2eUsers;
const { webFrontend } = seedIds.repositories;

/** The vCR calls that change something (a POST mints IAM tokens too, but changes nothing on vCR). */
const writesOf = (harness: E2eHarness, match: (method: string, path: string) => boolean) =>
  harness.emulator.requests.filter(
    (request) => !request.path.startsWith('/accounts-api/') && match(request.method, request.path),
  ).length;

/** Sends one slash command body as Slack does, then the very same body again as Slack's retry of it. */
async function slashTwice(harness: E2eHarness, text: string): Promise<{ responseUrl: string; acks: number[] }> {
  const responseUrl = harness.slack.responseUrl();
  const body = slashCommandBody({ text, userId: operator, responseUrl });
  const first = await harness.send(
    apiGatewayEvent(
      body,
      { 'content-type': 'application/x-www-form-urlencoded', ...signSlackRequest(body, harness.secrets.signingSecret) },
      { base64: true },
    ),
  );
  // Slack re-signs a retry (a new timestamp) but sends the same body, trigger_id and response_url included.
  const retry = await harness.send(
    apiGatewayEvent(
      body,
      {
        'content-type': 'application/x-www-form-urlencoded',
        'x-slack-retry-num': '1',
        'x-slack-retry-reason': 'http_timeout',
        ...signSlackRequest(body, harness.secrets.signingSecret),
      },
      { base64: true },
    ),
  );
  await harness.settle();
  return { responseUrl, acks: [first.statusCode, retry.statusCode] };
}

/** Types a command that opens a modal and returns the view sent to views.open. */
async function openModal(harness: E2eHarness, text: string): Promise<Record<string, unknown>> {
  const before = harness.callsOf('views.open').length;
  await harness.command(text, operator);
  const calls = harness.callsOf('views.open');
  expect(calls).toHaveLength(before + 1);
  return calls.at(-1)!.view as Record<string, unknown>;
}

describe('exactly once, whatever Slack repeats', () => {
  const harness = useE2eHarness();

  describe.each([
    [
      'repo create',
      'repo create once-only-a --quota 5',
      (m: string, p: string) => m === 'POST' && p === '/v1/repository',
    ],
    ['repo quota', 'repo quota web-frontend 44', (m: string, p: string) => m === 'PUT' && p.endsWith('/quotas')],
    [
      'repo attach',
      'repo attach ml-models legacy-puller pull',
      (m: string, p: string) => m === 'PUT' && p.endsWith('/permission'),
    ],
    ['user disable', 'user disable qa-reader', (m: string, p: string) => m === 'PUT' && p.endsWith('/disable')],
  ])('%s', (_name, text, isWrite) => {
    it('writes to vCR once and answers the retry with the first outcome when Slack retries the slash command', async () => {
      // Prepare
      const before = writesOf(harness, isWrite);

      // Act
      const { responseUrl, acks } = await slashTwice(harness, text);

      // Assess
      expect(acks).toEqual([200, 200]);
      expect(writesOf(harness, isWrite) - before).toBe(1);
      const answers = harness.posted(responseUrl).map(readableText);
      expect(answers).toHaveLength(2);
      expect(answers.filter((answer) => /already (done|running)/.test(answer))).toHaveLength(1);
    });
  });

  it('shows one preview with one confirm, and deletes once, when Slack retries a destructive slash command', async () => {
    // Prepare
    const isDelete = (method: string, path: string) => method === 'DELETE' && path.endsWith('/images/artifacts/delete');
    const before = writesOf(harness, isDelete);

    // Act
    const { responseUrl } = await slashTwice(harness, 'image delete payments-api/base/node-runtime');
    const [first, second] = harness.posted(responseUrl);
    await Promise.all([
      harness.click(buttonIn(first, 'Delete'), operator),
      harness.click(buttonIn(second, 'Delete'), operator),
    ]);
    await harness.settle();

    // Assess
    expect(buttonIn(first, 'Delete').value).toBe(buttonIn(second, 'Delete').value);
    expect(writesOf(harness, isDelete) - before).toBe(1);
  });

  it.each([
    [
      'repo create',
      'repo create',
      { name: 'from-twice', quota: '3' },
      (m: string, p: string) => m === 'POST' && p === '/v1/repository',
    ],
    [
      'user create',
      'user create',
      { name: 'twice-robot', pull: [webFrontend] },
      (m: string, p: string) => m === 'POST' && p === '/v1/user',
    ],
    [
      'user update',
      'user update qa-reader',
      { description: 'submitted twice' },
      (m: string, p: string) => m === 'PUT' && /^\/v1\/user\/[^/]+$/.test(p),
    ],
  ])('writes to vCR once when the %s form is submitted twice', async (_name, text, answers, isWrite) => {
    // Prepare
    const view = await openModal(harness, text);
    const values = formState(view, answers);
    const before = writesOf(harness, isWrite);

    // Act
    const acks = await Promise.all([harness.submit(view, operator, values), harness.submit(view, operator, values)]);
    await harness.settle();

    // Assess
    expect(acks.map((ack) => ack.statusCode)).toEqual([200, 200]);
    expect(writesOf(harness, isWrite) - before).toBe(1);
  });

  it('answers one preview and writes to vCR once when the user permissions form is submitted twice', async () => {
    // Prepare
    const { responseUrl } = await harness.command('user permissions qa-reader', operator);
    const view = harness.callsOf('views.open').at(-1)!.view as Record<string, unknown>;
    const values = formState(view, { pull: [webFrontend] });
    const isWrite = (m: string, p: string) => m === 'PUT' && p.endsWith('/permission');
    const before = writesOf(harness, isWrite);

    // Act
    await Promise.all([harness.submit(view, operator, values), harness.submit(view, operator, values)]);
    await harness.settle();
    const previews = harness.posted(responseUrl);
    await Promise.all(previews.map((preview) => harness.click(buttonIn(preview, 'Apply'), operator)));
    await harness.settle();

    // Assess
    expect(previews).toHaveLength(2);
    expect(buttonIn(previews[0], 'Apply').value).toBe(buttonIn(previews[1], 'Apply').value);
    expect(writesOf(harness, isWrite) - before).toBe(1);
  });

  it('enables once when the Enable button of one card is clicked 20 times at once', async () => {
    // Prepare
    const card = await harness.reply('user legacy-puller', operator);
    const enable = buttonIn(card, 'Enable');
    const isWrite = (method: string, path: string) => method === 'PUT' && path.endsWith('/enable');
    const before = writesOf(harness, isWrite);

    // Act
    const clicks = await Promise.all(Array.from({ length: 20 }, () => harness.click(enable, operator)));
    await harness.settle();

    // Assess
    expect(clicks.every(({ ack }) => ack.statusCode === 200)).toBe(true);
    expect(writesOf(harness, isWrite) - before).toBe(1);
  });

  it('deletes once when the confirm button is clicked 20 times at once', async () => {
    // Prepare
    const preview = await harness.reply('artifact delete web-frontend/web/app:2025.02.14', operator);
    const confirm: FoundButton = buttonIn(preview, 'Delete');
    const isDelete = (method: string, path: string) => method === 'DELETE' && path.endsWith('/images/artifacts/delete');
    const before = writesOf(harness, isDelete);

    // Act
    const clicks = await Promise.all(Array.from({ length: 20 }, () => harness.click(confirm, operator)));
    await harness.settle();

    // Assess
    expect(writesOf(harness, isDelete) - before).toBe(1);
    const answers = clicks.map(({ responseUrl }) => readableText(harness.posted(responseUrl).at(-1)));
    expect(answers.filter((answer) => answer.includes('Deleted artifact'))).toHaveLength(1);
    expect(answers.filter((answer) => /already (done|running)|already started/.test(answer))).toHaveLength(19);
  });
});

describe('exactly once, whatever Lambda redelivers', () => {
  const harness = useE2eHarness({ jobMode: 'lambda' });

  const redeliverLast = async () => {
    const payload = harness.lambda!.invocations.at(-1)!.payload as Job;
    await harness.handlers.worker(structuredClone(payload));
    await harness.settle();
  };

  it('disables once and posts nothing more when the same change job is delivered twice', async () => {
    // Prepare
    const isWrite = (method: string, path: string) => method === 'PUT' && path.endsWith('/disable');
    const before = writesOf(harness, isWrite);
    const { responseUrl } = await harness.command('user disable ci-deployer', operator);
    await harness.settle();
    const posted = harness.posted(responseUrl).length;

    // Act
    await redeliverLast();

    // Assess
    expect(writesOf(harness, isWrite) - before).toBe(1);
    expect(harness.posted(responseUrl)).toHaveLength(posted);
  });

  it('deletes once and posts nothing more when the same confirm job is delivered twice', async () => {
    // Prepare
    const isDelete = (method: string, path: string) => method === 'DELETE' && path.endsWith('/images/artifacts/delete');
    const preview = await harness.reply('artifact delete payments-api/team/worker:stable', operator);
    const before = writesOf(harness, isDelete);
    const click = await harness.click(buttonIn(preview, 'Delete'), operator);
    await harness.settle();
    const posted = harness.posted(click.responseUrl).length;

    // Act
    await redeliverLast();

    // Assess
    expect(writesOf(harness, isDelete) - before).toBe(1);
    expect(harness.posted(click.responseUrl)).toHaveLength(posted);
    expect(readableText(harness.posted(click.responseUrl).at(-1))).toContain('Deleted artifact');
  });
});

describe('exactly once, whatever DynamoDB and the Lambda endpoint drop', () => {
  const harness = useE2eHarness({ jobMode: 'lambda', dynamoFaults: true });
  const isDelete = (method: string, path: string) => method === 'DELETE' && path.endsWith('/images/artifacts/delete');

  it('still deletes exactly once when the answer of the confirm claim is lost after DynamoDB applied it', async () => {
    // Prepare
    const preview = await harness.reply('artifact delete payments-api/team/api:v1.4.1', operator);
    const proxy = harness.dynamoProxy!;
    // The claim is the UpdateItem that moves the record to executing: applied, then its answer lost.
    proxy.dropResponseOnce({ operation: 'UpdateItem', where: (body) => JSON.stringify(body).includes('executing') });
    const before = writesOf(harness, isDelete);

    // Act
    const click = await harness.click(buttonIn(preview, 'Delete'), operator);
    await harness.settle();
    const again = await harness.click(buttonIn(preview, 'Delete'), operator);
    await harness.settle();

    // Assess
    expect(proxy.operations.some((seen) => seen.fault === 'dropResponse')).toBe(true);
    expect(writesOf(harness, isDelete) - before).toBe(1);
    expect(readableText(harness.posted(click.responseUrl).at(-1))).toContain('Deleted artifact');
    expect(readableText(harness.posted(again.responseUrl).at(-1))).toContain('already done');
  });

  it('still creates exactly once when the answer of the record create is lost after DynamoDB applied it', async () => {
    // Prepare
    const proxy = harness.dynamoProxy!;
    proxy.dropResponseOnce({ operation: 'PutItem' });
    const isCreate = (method: string, path: string) => method === 'POST' && path === '/v1/repository';
    const before = writesOf(harness, isCreate);

    // Act
    const { responseUrl } = await harness.command('repo create lost-answer1', operator);
    await harness.settle();

    // Assess
    expect(proxy.operations.some((seen) => seen.fault === 'dropResponse')).toBe(true);
    expect(writesOf(harness, isCreate) - before).toBe(1);
    expect(readableText(harness.posted(responseUrl).at(-1))).toContain('Created repository');
  });

  it('still delivers a new secret by DM when the record of its outcome cannot be written', async () => {
    // Prepare
    const preview = await harness.reply('user secret legacy-puller', operator);
    const isDone = (body: Record<string, unknown>) => JSON.stringify(body).includes('"done"');
    // Every attempt of the write that ends the operation fails before DynamoDB sees it: the record cannot say done.
    for (let attempt = 0; attempt < 3; attempt += 1) {
      harness.dynamoProxy!.failBeforeForwardOnce({ operation: 'UpdateItem', where: isDone });
    }
    const refreshes = () => writesOf(harness, (method, path) => method === 'GET' && path.endsWith('/refresh'));
    const before = refreshes();

    // Act
    const click = await harness.click(buttonIn(preview, 'New secret'), operator);
    await harness.settle();

    // Assess
    const secret = harness.emulator.currentSecret(seedIds.users.legacyPuller)!;
    expect(refreshes() - before).toBe(1);
    const dms = harness.callsOf('chat.postMessage').filter((call) => JSON.stringify(call).includes(secret));
    expect(dms).toHaveLength(1);
    expect(readableText(harness.posted(click.responseUrl).at(-1))).toContain('Made a new secret');
    expect(harness.logs.join('\n')).toContain('Could not record how an operation ended');
  });

  it('runs the job once when the first dispatch after an idle gap meets a reset keep-alive socket', async () => {
    // Prepare
    await harness.reply('repos', operator);
    harness.lambda!.resetNextRequestOnReusedSocket();
    const invoked = harness.lambda!.invocations.length;

    // Act
    const { ack, responseUrl } = await harness.command('user disable legacy-puller', operator);
    await harness.settle();

    // Assess
    expect(harness.lambda!.attempts.some((attempt) => attempt.outcome === 'reset')).toBe(true);
    expect(ack.statusCode).toBe(200);
    expect(readableText({ text: ack.text })).not.toContain('Something went wrong');
    expect(harness.lambda!.invocations.length - invoked).toBe(1);
    expect(readableText(harness.posted(responseUrl).at(-1))).toMatch(/already disabled|Disabled/);
  });
});
