/**
 * The Home tab through the real handler (docs/decisions/0022-home-tab.md): a signed `app_home_opened` event, the view
 * published with `views.publish`, built from the state table only (the watcher's snapshots seeded through its store).
 */
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { seedIds } from '../../local/emulator/seed';
import { signSlackRequest } from '../../local/fakes/slack-signature';
import { createDynamoFreezeStore } from '../../src/store/freeze-store';
import { createDynamoWatchStore, type ExpiringUserRow, type QuotaWatchRow } from '../../src/store/watch-store';
import { viewLimitProblems } from '../support/block-limits';
import { buttonIn, e2eUsers, readableText, useE2eHarness } from '../support/e2e-harness';
import {
  apiGatewayEvent,
  blockActionsBody,
  buttonsIn,
  type FoundButton,
  payloadBody,
  signedEvent,
} from '../support/slack-requests';

const { operator, admin, viewer, outsider } = e2eUsers;
// The bot's clock, moved past the HTTP phase's 5 s freeze cache when a test changes the freeze. It starts more than
// 30 s ahead, so the receiver takes the requests' arrival times as unusable rather than late.
let offsetMs = 31_000;
const pastFreezeCache = () => {
  offsetMs += 6_000;
};
const harness = useE2eHarness({
  env: { VCR_APPROVAL_REQUIRED: 'repo.delete' },
  now: () => Date.now() + offsetMs,
});

const documents = () => DynamoDBDocumentClient.from(harness.dynamo.client);
const watchStore = () => createDynamoWatchStore({ client: documents(), table: harness.table });
const freezeStore = () => createDynamoFreezeStore({ client: documents(), table: harness.table });

/** Opens the Home tab as `userId` and returns the view the bot published for them, if any. */
async function openHome(userId: string, options: { teamId?: string; tab?: string } = {}) {
  const before = harness.callsOf('views.publish').length;
  const answer = await harness.event(
    { type: 'app_home_opened', user: userId, channel: 'D0HOME', tab: options.tab ?? 'home' },
    { teamId: options.teamId },
  );
  const published = harness.callsOf('views.publish').slice(before);
  const view = published.at(-1)?.view as Record<string, unknown> | undefined;
  return { answer, published, view };
}

/**
 * Clicks `button` on the Home tab as `userId`, as Slack sends it from a view: no channel, no message and no
 * `response_url`, the view in the container.
 */
async function clickOnHome(button: FoundButton, userId: string) {
  const payload = JSON.parse(
    new URLSearchParams(blockActionsBody({ userId, responseUrl: '', button })).get('payload')!,
  ) as Record<string, unknown>;
  for (const key of ['channel', 'message', 'response_url']) delete payload[key];
  payload.container = { type: 'view', view_id: 'V0HOME' };
  payload.view = { id: 'V0HOME', type: 'home', callback_id: '', private_metadata: '', blocks: [] };
  return harness.send(signedEvent(payloadBody(payload), harness.secrets.signingSecret, { base64: true }));
}

const buttonLabels = (view: Record<string, unknown> | undefined) =>
  buttonsIn(view?.blocks).map((button) => button.text.text);

function quotaRow(index: number, name = `repo-${index}`): QuotaWatchRow {
  return {
    repoId: `repo-${String(index).padStart(8, '0')}-0000-4000-8000-000000000000`,
    repoName: name,
    usedBytes: 9 * 1024 ** 3,
    quotaGb: 10,
    percent: 90 - (index % 10),
    threshold: 80,
    fullInDays: 3,
  };
}

function expiringRow(index: number, name = `robot-${index}`): ExpiringUserRow {
  return {
    repoUserId: `ra-${String(index).padStart(8, '0')}-0000-4000-8000-000000000000`,
    name,
    backendName: `1234-${name}`,
    // On the bot's clock: the Home tab counts the days left again when it opens.
    expiredAt: new Date(Date.now() + offsetMs + (index % 14) * 86_400_000).toISOString(),
    daysLeft: index % 14,
    disabled: false,
  };
}

describe('the Home tab before any watcher pass', () => {
  it('says the watcher has not run yet and reads nothing from vCR when a viewer opens it', async () => {
    // Prepare
    const vcrRequests = harness.emulator.requests.length;

    // Act
    const { answer, published, view } = await openHome(viewer);

    // Assess
    expect(answer.statusCode).toBe(200);
    expect(published).toEqual([expect.objectContaining({ user_id: viewer })]);
    expect(view).toMatchObject({ type: 'home' });
    expect(readableText(view)).toContain('The watcher has not run yet');
    expect(readableText(view)).toContain('Changes are not frozen.');
    expect(harness.emulator.requests.length).toBe(vcrRequests);
  });
});

describe('the Home tab with a waiting request and the watcher’s snapshots', () => {
  let operationId = '';

  beforeAll(async () => {
    const preview = await harness.reply('repo delete sandbox-tmp', operator);
    const confirm = buttonIn(preview, 'Delete');
    operationId = JSON.parse(confirm.value!).op as string;
    await harness.click(confirm, operator);
    await harness.settle();
    const at = Date.now();
    await watchStore().putSnapshot('quota', { at, complete: true, rows: [quotaRow(1, 'payments-api')] });
    await watchStore().putSnapshot('expiringUsers', { at, complete: false, rows: [expiringRow(3, 'qa-reader')] });
    await watchStore().putPass({
      startedAt: at,
      endedAt: at,
      repositoriesSeen: 1,
      repositoriesTotal: 1,
      usersSeen: 1,
      usersTotal: 3,
      stoppedEarly: 'its time ran out',
    });
  });

  it('shows an approver the waiting request with Approve and Reject for it', async () => {
    // Act
    const { view } = await openHome(admin);

    // Assess
    const text = readableText(view);
    expect(text).toContain('Waiting for your approval');
    expect(text).toContain('sandbox-tmp');
    const approve = buttonIn(view, 'Approve');
    expect(approve.value).toContain(operationId);
    expect(buttonIn(view, 'Reject').value).toContain(operationId);
  });

  it('shows the requester the request under their own open requests with Cancel request and no Approve', async () => {
    // Act
    const { view } = await openHome(operator);

    // Assess
    const text = readableText(view);
    expect(text).toContain('Your open requests');
    expect(text).not.toContain('Waiting for your approval');
    expect(text).toContain('sandbox-tmp');
    expect(buttonIn(view, 'Cancel request').value).toContain(operationId);
    expect(buttonLabels(view)).not.toContain('Approve');
  });

  it('approves the request when an approver clicks Approve on the Home tab', async () => {
    // Prepare
    const { view } = await openHome(admin);
    const deletes = () => harness.emulator.requests.filter((request) => request.method === 'DELETE').length;
    const before = deletes();

    // Act
    const ack = await clickOnHome(buttonIn(view, 'Approve'), admin);
    await harness.settle();

    // Assess
    expect(ack.statusCode).toBe(200);
    expect(deletes()).toBe(before + 1);
    expect(harness.emulator.state.repositories.map((repo) => repo.uuid)).not.toContain(seedIds.repositories.sandboxTmp);
    expect(readableText((await openHome(admin)).view)).toContain('No request is waiting for your approval.');
  });

  it('shows a viewer the freeze, the quota rows and the expiring users with their buttons', async () => {
    // Prepare
    await freezeStore().set({ by: admin, since: Date.now(), reason: 'release 4.2' });
    pastFreezeCache();

    // Act
    const { view } = await openHome(viewer);
    await freezeStore().clear(admin);
    pastFreezeCache();

    // Assess
    const text = readableText(view);
    expect(text).toContain('Changes are frozen');
    expect(text).toContain('release 4.2');
    expect(text).toContain('*payments-api* 89% of 10 GB');
    expect(text).toContain('full in about 3 days');
    expect(text).toContain('*qa-reader* `1234-qa-reader`');
    expect(text).toContain('Expires in 3 days');
    expect(text).toContain('stopped early (its time ran out)');
    expect(buttonLabels(view)).toEqual([
      'Raise quota',
      'Largest and oldest',
      'Plan cleanup',
      'Extend',
      'New secret',
      'Disable',
    ]);
    expect(buttonIn(view, 'Raise quota').value).toContain(quotaRow(1).repoId);
    expect(buttonIn(view, 'Extend').value).toContain(expiringRow(3).repoUserId);
  });

  it('answers a viewer’s refused click on the Home tab by direct message', async () => {
    // Prepare
    const { view } = await openHome(viewer);
    const before = harness.callsOf('chat.postMessage').length;

    // Act
    const ack = await clickOnHome(buttonIn(view, 'Raise quota'), viewer);
    await harness.settle();

    // Assess
    expect(ack.statusCode).toBe(200);
    const dms = harness.callsOf('chat.postMessage').slice(before);
    expect(dms.map((call) => call.channel)).toEqual([expect.stringMatching(/^D/)]);
    expect(readableText(dms[0])).toContain('operator');
  });

  it('shows a person with no role only that they have no access', async () => {
    // Act
    const { view } = await openHome(outsider);

    // Assess
    const text = readableText(view);
    expect(text).toContain('You have no access');
    expect(text).not.toContain('sandbox-tmp');
    expect(text).not.toContain('payments-api');
    expect(buttonsIn(view?.blocks)).toEqual([]);
  });
});

describe('the Home tab within Slack’s limits', () => {
  afterAll(async () => {
    await watchStore().putSnapshot('quota', { at: Date.now(), complete: true, rows: [] });
    await watchStore().putSnapshot('expiringUsers', { at: Date.now(), complete: true, rows: [] });
  });

  it('keeps 500 rows of each snapshot within the Home limits and counts the rest when a viewer opens it', async () => {
    // Prepare
    const many = Array.from({ length: 500 }, (_, index) => index);
    await watchStore().putSnapshot('quota', { at: Date.now(), complete: true, rows: many.map((i) => quotaRow(i)) });
    await watchStore().putSnapshot('expiringUsers', {
      at: Date.now(),
      complete: true,
      rows: many.map((i) => expiringRow(i)),
    });

    // Act
    const { view } = await openHome(viewer);

    // Assess
    expect(viewLimitProblems(view!)).toEqual([]);
    const text = readableText(view);
    expect(text).toContain('…and 495 more — run `/vcr repos`');
    expect(text).toContain('more — run `/vcr users --report`');
  });

  it('renders a repository name like <!channel> as inert text', async () => {
    // Prepare
    await watchStore().putSnapshot('quota', {
      at: Date.now(),
      complete: true,
      rows: [quotaRow(1, '<!channel> <@U0EVIL> *bold*')],
    });

    // Act
    const { view } = await openHome(viewer);

    // Assess
    const text = readableText(view);
    expect(text).toContain('&lt;!channel&gt; &lt;@U0EVIL&gt;');
    expect(text).not.toContain('<!channel>');
    expect(text).not.toContain('<@U0EVIL>');
  });
});

describe('Events API deliveries', () => {
  it('answers the url_verification challenge Slack sends when the Events URL is set', async () => {
    // Prepare
    const body = JSON.stringify({ token: 'unused', challenge: 'c4allenge-123', type: 'url_verification' });
    const event = apiGatewayEvent(body, {
      'content-type': 'application/json',
      ...signSlackRequest(body, harness.secrets.signingSecret),
    });

    // Act
    const answer = await harness.send(event);

    // Assess
    expect(answer.statusCode).toBe(200);
    expect(answer.json).toEqual({ challenge: 'c4allenge-123' });
  });

  it('publishes nothing when the event comes from another workspace', async () => {
    // Act
    const { answer, published } = await openHome(viewer, { teamId: 'T0OTHER' });

    // Assess
    expect(answer.statusCode).toBe(200);
    expect(published).toEqual([]);
  });

  it('publishes nothing when the Messages tab is opened', async () => {
    // Act
    const { answer, published } = await openHome(viewer, { tab: 'messages' });

    // Assess
    expect(answer.statusCode).toBe(200);
    expect(published).toEqual([]);
  });

  it('refuses with 400 an event the bot does not subscribe to', async () => {
    // Act
    const answer = await harness.event({ type: 'message', user: viewer, channel: 'C0CHANNEL', text: 'hi' });

    // Assess
    expect(answer.statusCode).toBe(400);
  });

  it('logs the failure with a ref and still answers 200 when Slack refuses views.publish', async () => {
    // Prepare
    harness.slack.failMethod('views.publish', 'invalid_blocks');
    const logged = harness.logs.length;

    // Act
    const { answer } = await openHome(viewer);

    // Assess
    expect(answer.statusCode).toBe(200);
    const lines = harness.logs.slice(logged).filter((line) => line.includes('Could not publish the Home tab'));
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ ref: expect.any(String), userId: viewer });
  });
});
