import { seedIds } from '../../local/emulator/seed';
import { addRepositoryWithUsage } from '../../local/emulator/watch-demo';
import type { FakeSlackCall } from '../../local/fakes/slack-api';
import {
  buttonIn,
  type E2eHarness,
  e2eUsers,
  formState,
  readableText,
  secretFingerprint,
  useE2eHarness,
} from '../support/e2e-harness';
import { buttonsIn, type FoundButton } from '../support/slack-requests';

const { operator, admin, viewer, grouped } = e2eUsers;
const { ciDeployer, qaReader } = seedIds.users;
const defaultApprovals = 'repo.delete,image.delete,user.delete,user.secret';
const ttlSeconds = 600;
const secondAdmin = 'U0ADMIN2';

/** One request waiting for approval: the requester's conversation, the card and its buttons. */
interface Waiting {
  operationId: string;
  /** The requester's confirm click, whose response_url shows the wait and then the outcome. */
  requesterUrl: string;
  waiting: Record<string, unknown>;
  card: FakeSlackCall | undefined;
  approve?: FoundButton;
  reject?: FoundButton;
}

/** Types `command` as `requester`, clicks its red button and reads the approval card the bot posted. */
async function requestApproval(harness: E2eHarness, command: string, requester: string, confirm = 'Delete') {
  const preview = await harness.reply(command, requester);
  const button = buttonIn(preview, confirm);
  const operationId = JSON.parse(button.value!).op as string;
  const click = await harness.click(button, requester);
  await harness.settle();
  const card = cardCalls(harness, operationId)[0];
  const buttons = buttonsIn(card?.body.blocks);
  const waiting: Waiting = {
    operationId,
    requesterUrl: click.responseUrl,
    waiting: harness.posted(click.responseUrl).at(-1)!,
    card,
    approve: buttons.find((found) => found.text.text === 'Approve'),
    reject: buttons.find((found) => found.text.text === 'Reject'),
  };
  return waiting;
}

/** The approval cards posted for `operationId` (their buttons name it). */
function cardCalls(harness: E2eHarness, operationId: string): FakeSlackCall[] {
  return harness.slack.calls.filter(
    (call) =>
      call.method === 'chat.postMessage' &&
      call.body.thread_ts === undefined &&
      buttonsIn(call.body.blocks).some((button) => button.value?.includes(`"op":"${operationId}"`)),
  );
}

/** How many artifacts the image `name` holds on the emulator. */
function artifactsOf(harness: E2eHarness, name: string): number {
  return harness.emulator.state.artifacts.filter((artifact) => artifact.imageName === name).length;
}

/** The text of the card as last posted or updated. */
function cardNow(harness: E2eHarness, waiting: Waiting): string {
  const ts = waiting.card?.answer?.ts;
  const updates = harness.callsOf('chat.update').filter((update) => update.ts === ts);
  return readableText(updates.at(-1) ?? waiting.card?.body);
}

/** The buttons of the card as last posted or updated. */
function cardButtons(harness: E2eHarness, waiting: Waiting): FoundButton[] {
  const ts = waiting.card?.answer?.ts;
  const updates = harness.callsOf('chat.update').filter((update) => update.ts === ts);
  return buttonsIn((updates.at(-1) ?? waiting.card?.body)?.blocks);
}

/** Replies in the card's thread. */
function threadOf(harness: E2eHarness, waiting: Waiting): string {
  const ts = waiting.card?.answer?.ts;
  return harness
    .callsOf('chat.postMessage')
    .filter((post) => post.thread_ts === ts)
    .map((post) => readableText(post))
    .join('\n');
}

describe('approvals, with the admins as approvers', () => {
  let shiftMs = 0;
  const harness = useE2eHarness({
    env: {
      VCR_APPROVAL_REQUIRED: defaultApprovals,
      VCR_APPROVAL_TTL_SECONDS: String(ttlSeconds),
      // A second admin, so that an admin's own request has an approver other than its requester.
      VCR_ADMINS: `${admin},${secondAdmin}`,
    },
    now: () => Date.now() + shiftMs,
  });
  afterEach(() => {
    shiftMs = 0;
  });
  const deletes = () => harness.emulator.requests.filter((request) => request.method === 'DELETE');
  const artifactDeletes = () => deletes().filter((request) => request.path.endsWith('/images/artifacts/delete'));
  const lastAnswer = (click: { responseUrl: string }) => readableText(harness.posted(click.responseUrl).at(-1));

  it('runs nothing on confirm, posts one card with Approve and Reject and tells the requester it waits', async () => {
    // Prepare
    const before = deletes().length;

    // Act
    const waiting = await requestApproval(harness, 'image delete web-frontend/nginx-edge', operator);

    // Assess
    expect(deletes().length).toBe(before);
    expect(cardCalls(harness, waiting.operationId)).toHaveLength(1);
    expect(waiting.card?.body.channel).toBe('C0CHANNEL');
    const card = readableText(waiting.card?.body);
    expect(card).toContain(`<@${operator}> asks to`);
    expect(card).toContain('nginx-edge');
    // The preview's words to its requester are not the approver's: the card leaves them out.
    expect(card).not.toContain('until you confirm');
    expect(card).toMatch(/expires <!date\^\d+\^/);
    expect(waiting.approve?.style).toBe('primary');
    expect(waiting.reject).toBeDefined();
    expect(readableText(waiting.waiting)).toContain(`Waiting for approval by <@${admin}>`);
    // One approver or many: the wording holds for both.
    expect(readableText(waiting.waiting)).toContain('Nothing runs until it is approved;');
    expect(waiting.waiting).toMatchObject({ replace_original: true });
    expect(buttonIn(waiting.waiting, 'Cancel request')).toBeDefined();
  });

  it('refuses an admin approving a request they confirmed for someone else, and a second admin approves it', async () => {
    // Prepare: the operator's preview, confirmed by an admin (admins may confirm other people's requests).
    addRepositoryWithUsage(harness.emulator.state, { name: 'four-eyes', quotaGb: 1, usedBytes: 0 });
    const before = deletes().length;
    const preview = await harness.reply('repo delete four-eyes --force', operator);
    const button = buttonIn(preview, 'Delete');
    const operationId = JSON.parse(button.value!).op as string;
    await harness.click(button, admin);
    await harness.settle();
    const card = cardCalls(harness, operationId)[0];
    const approveButton = buttonsIn(card?.body.blocks).find((found) => found.text.text === 'Approve')!;

    // Act
    const own = await harness.click(approveButton, admin);
    await harness.settle();
    const afterOwn = deletes().length;
    const other = await harness.click(approveButton, secondAdmin);
    await harness.settle();

    // Assess
    expect(lastAnswer(own)).toContain('You confirmed this request for');
    expect(afterOwn).toBe(before);
    expect(deletes().length).toBeGreaterThan(before);
    expect(harness.emulator.state.repositories.map((repo) => repo.name)).not.toContain('four-eyes');
    expect(other.ack.statusCode).toBe(200);
    const updates = harness.callsOf('chat.update').filter((update) => update.ts === card?.answer?.ts);
    expect(readableText(updates.at(-1))).toContain(`Approved by <@${secondAdmin}>; done.`);
  });

  it('refuses the requester approving their own request and changes nothing', async () => {
    // Prepare
    const waiting = await requestApproval(harness, 'image delete web-frontend/nginx-edge', admin);
    const before = deletes().length;

    // Act
    const click = await harness.click(waiting.approve!, admin);
    await harness.settle();

    // Assess
    expect(lastAnswer(click)).toContain('someone else must approve it');
    expect(harness.posted(click.responseUrl).at(-1)).toMatchObject({ response_type: 'ephemeral' });
    expect(deletes().length).toBe(before);
    expect(cardButtons(harness, waiting).map((button) => button.text.text)).toEqual(['Approve', 'Reject']);
  });

  it.each([
    ['a viewer', viewer],
    ['an operator', operator],
  ])("refuses %s's approval and changes nothing", async (_who, clicker) => {
    // Prepare
    const waiting = await requestApproval(harness, 'image delete web-frontend/nginx-edge', admin);
    const before = deletes().length;

    // Act
    const click = await harness.click(waiting.approve!, clicker);
    await harness.settle();

    // Assess
    expect(lastAnswer(click)).toContain('Only an approver can approve');
    expect(deletes().length).toBe(before);
    expect(cardNow(harness, waiting)).toContain('Waiting for an approver');
  });

  it.each([
    ['the requester', operator],
    ['a non-approver', viewer],
  ])('refuses in the worker too an approval job from %s, whatever the click claimed', async (_who, userId) => {
    // Prepare
    const waiting = await requestApproval(harness, 'image delete web-frontend/nginx-edge', operator);
    const responseUrl = harness.slack.responseUrl();
    const before = deletes().length;

    // Act
    await harness.handlers.worker({
      id: `forged-${userId}`,
      kind: 'decide',
      operationId: waiting.operationId,
      command: 'image.delete',
      choice: 'approve',
      actor: { userId, role: 'admin', channelId: 'C0CHANNEL', teamId: 'T0TEAM' },
      responseUrl,
    });
    await harness.settle();

    // Assess
    expect(readableText(harness.posted(responseUrl).at(-1))).toMatch(/someone else must approve|Only an approver/);
    expect(deletes().length).toBe(before);
    expect(cardNow(harness, waiting)).toContain('Waiting for an approver');
  });

  it('executes once when one approver clicks Approve twice at once, and updates the card and its thread', async () => {
    // Prepare
    const waiting = await requestApproval(harness, 'image delete web-frontend/web/app', operator);
    const before = artifactDeletes().length;
    // One artifact delete per artifact: a second execution would send them again.
    const artifacts = artifactsOf(harness, 'web/app');

    // Act
    const clicks = await Promise.all([harness.click(waiting.approve!, admin), harness.click(waiting.approve!, admin)]);
    await harness.settle();

    // Assess
    expect(artifactDeletes().length - before).toBe(artifacts);
    expect(artifactsOf(harness, 'web/app')).toBe(0);
    expect(clicks.map(lastAnswer).filter((text) => text.includes('already'))).toHaveLength(1);
    expect(cardNow(harness, waiting)).toContain(`Approved by <@${admin}>; done.`);
    expect(cardButtons(harness, waiting)).toEqual([]);
    expect(threadOf(harness, waiting)).toContain('running now');
    expect(threadOf(harness, waiting)).toContain('Deleted image `web-frontend/web/app`');
    expect(readableText(harness.posted(waiting.requesterUrl).at(-1))).toContain('Deleted image');
  });

  it('ends with one outcome when Approve races Cancel request', async () => {
    // Prepare
    const waiting = await requestApproval(harness, 'image delete ml-models/ml/trainer', operator);
    const before = artifactDeletes().length;
    const artifacts = artifactsOf(harness, 'ml/trainer');

    // Act
    const [approve, cancel] = await Promise.all([
      harness.click(waiting.approve!, admin),
      harness.click(buttonIn(waiting.waiting, 'Cancel request'), operator),
    ]);
    await harness.settle();

    // Assess
    const executed = artifactDeletes().length - before;
    const card = cardNow(harness, waiting);
    if (executed === 0) {
      expect(card).toContain('Cancelled by');
      expect(lastAnswer(cancel)).toContain('Nothing was changed');
      expect(lastAnswer(approve)).toMatch(/cancelled/);
    } else {
      expect(executed).toBe(artifacts);
      expect(card).toContain('done');
      expect(lastAnswer(cancel)).toMatch(/already|running/);
    }
    expect(cardButtons(harness, waiting)).toEqual([]);
  });

  it('aborts naming the new digest when a tag moved after the request', async () => {
    // Prepare
    const waiting = await requestApproval(harness, 'image delete payments-api/team/worker', operator);
    const artifacts = harness.emulator.state.artifacts;
    const tagged = artifacts.find((a) => a.imageName === 'team/worker' && a.tags.some((t) => t.name === 'v1.9.3'))!;
    const tag = tagged.tags.find((t) => t.name === 'v1.9.3')!;
    tagged.tags = tagged.tags.filter((t) => t !== tag);
    const digest = `sha256:${'7e57'.repeat(16)}`;
    artifacts.push({ ...tagged, id: 99001, digest, tags: [tag], pushTime: new Date().toISOString() });
    const before = deletes().length;

    // Act
    await harness.click(waiting.approve!, admin);
    await harness.settle();

    // Assess
    expect(deletes().length).toBe(before);
    const card = cardNow(harness, waiting);
    expect(card).toContain('failed');
    expect(card).toContain('sha256:7e577e577e57');
    expect(card).toContain('Nothing was deleted');
    expect(readableText(harness.posted(waiting.requesterUrl).at(-1))).toContain('sha256:7e577e577e57');
  });

  it.each([
    ['with a reason', 'not during the release freeze', 'not during the release freeze'],
    ['without a reason', '', 'no reason given'],
  ])('rejects %s: the card and the requester say who and why', async (_how, reason, shown) => {
    // Prepare
    const waiting = await requestApproval(harness, 'repo delete sandbox-tmp', operator);
    const before = deletes().length;

    // Act
    const click = await harness.click(waiting.reject!, admin);
    const view = harness.callsOf('views.open').at(-1)!.view as Record<string, unknown>;
    const submitted = await harness.submit(view, admin, formState(view, { reason }));
    await harness.settle();

    // Assess
    expect(click.ack.statusCode).toBe(200);
    expect(submitted.statusCode).toBe(200);
    expect(deletes().length).toBe(before);
    expect(cardNow(harness, waiting)).toContain(`Rejected by <@${admin}>`);
    expect(cardNow(harness, waiting)).toContain(shown);
    expect(cardButtons(harness, waiting)).toEqual([]);
    expect(readableText(harness.posted(waiting.requesterUrl).at(-1))).toContain(shown);
  });

  it('refuses an approval after the request expired and updates the card', async () => {
    // Prepare
    const waiting = await requestApproval(harness, 'repo delete sandbox-tmp', operator);
    shiftMs = (ttlSeconds + 1) * 1000;
    const before = deletes().length;

    // Act
    const click = await harness.click(waiting.approve!, admin);
    await harness.settle();

    // Assess
    expect(lastAnswer(click)).toContain('expired');
    expect(deletes().length).toBe(before);
    expect(cardNow(harness, waiting)).toContain('Expired');
    expect(cardButtons(harness, waiting)).toEqual([]);
    const told = readableText(harness.posted(waiting.requesterUrl).at(-1));
    expect(told).toContain('Your request expired');
    expect(told).toContain('sandbox-tmp');
  });

  it('sends the new secret to the requester only, after their DM was opened and told', async () => {
    // Prepare
    const waiting = await requestApproval(harness, 'user secret ci-deployer', operator, 'New secret');
    const from = harness.slack.calls.length;

    // Act
    await harness.click(waiting.approve!, admin);
    await harness.settle();

    // Assess
    const secret = harness.emulator.currentSecret(ciDeployer)!;
    const calls = harness.slack.calls.slice(from);
    expect(calls.filter((call) => call.method === 'conversations.open').map((call) => call.body.users)).toEqual([
      operator,
      operator,
    ]);
    const carrying = calls.filter((call) => JSON.stringify(call.body).includes(secret));
    expect(carrying.map((call) => [call.method, call.body.channel])).toEqual([['chat.postMessage', `D${operator}`]]);
    const told = calls.findIndex((call) => readableText(call.body).includes('Your new secret is coming'));
    const refresh = harness.emulator.requests.findIndex((request) => request.path.endsWith('/refresh'));
    expect(told).toBeGreaterThanOrEqual(0);
    expect(refresh).toBeGreaterThanOrEqual(0);
    expect(cardNow(harness, waiting)).not.toContain(secret);
    expect(threadOf(harness, waiting)).toContain(`sent to <@${operator}> alone`);
  });

  it('rotates nothing when the requester cannot get a DM, and the card and the requester say why', async () => {
    // Prepare
    const waiting = await requestApproval(harness, 'user secret qa-reader', operator, 'New secret');
    const before = secretFingerprint(harness.emulator.currentSecret(qaReader));
    const refreshes = () => harness.emulator.requests.filter((request) => request.path.endsWith('/refresh')).length;
    const refreshed = refreshes();
    harness.slack.failMethod('conversations.open', 'messages_tab_disabled', { users: operator });

    // Act
    await harness.click(waiting.approve!, admin);
    await harness.settle();

    // Assess
    expect(refreshes()).toBe(refreshed);
    expect(secretFingerprint(harness.emulator.currentSecret(qaReader))).toBe(before);
    expect(cardNow(harness, waiting)).toContain('nothing was rotated');
    expect(cardNow(harness, waiting)).toContain('messages_tab_disabled');
    expect(readableText(harness.posted(waiting.requesterUrl).at(-1))).toContain('nothing was rotated');
  });

  it('tells the requester to invite the bot when the card cannot be posted, and the request stays cancellable', async () => {
    // Prepare
    harness.slack.failMethod('chat.postMessage', 'not_in_channel', { channel: 'C0CHANNEL' });

    // Act
    const waiting = await requestApproval(harness, 'repo delete sandbox-tmp', operator);
    harness.slack.clearFailures();
    const cancel = await harness.click(buttonIn(waiting.waiting, 'Cancel request'), operator);
    await harness.settle();

    // Assess
    const told = readableText(waiting.waiting);
    expect(told).toContain('not_in_channel');
    expect(told).toContain('/invite');
    expect(lastAnswer(cancel)).toContain('Nothing was changed');
  });

  it('posts no card in a direct message, where no approver could see it, and says how to ask', async () => {
    // Prepare
    const { responseUrl } = await harness.command('repo delete sandbox-tmp', operator, { channelId: `D${operator}` });
    await harness.settle();
    const preview = harness.posted(responseUrl).at(-1);
    const cards = harness.callsOf('chat.postMessage').length;

    // Act
    const click = await harness.click(buttonIn(preview, 'Delete'), operator);
    await harness.settle();

    // Assess
    const told = harness.posted(click.responseUrl).at(-1);
    expect(harness.callsOf('chat.postMessage').length).toBe(cards);
    expect(readableText(told)).toContain('`VCR_APPROVAL_CHANNEL` is not set');
    expect(buttonIn(told, 'Cancel request')).toBeDefined();
  });
});

describe('approvals, with VCR_APPROVERS set', () => {
  const harness = useE2eHarness({
    env: {
      VCR_APPROVAL_REQUIRED: defaultApprovals,
      VCR_APPROVERS: `${grouped},${viewer}`,
      VCR_APPROVAL_CHANNEL: 'C0APPROVE',
    },
  });
  const deletes = () => harness.emulator.requests.filter((request) => request.method === 'DELETE');
  const artifactDeletes = () => deletes().filter((request) => request.path.endsWith('/images/artifacts/delete'));

  it('lists the waiting requests with links to their cards, and `approvals mine` only your own', async () => {
    // Prepare
    const mine = await requestApproval(harness, 'repo delete sandbox-tmp', operator);
    const theirs = await requestApproval(harness, 'image delete web-frontend/nginx-edge', admin);
    const link = (waiting: Waiting) =>
      `https://slack.com/archives/${waiting.card?.body.channel}/p${String(waiting.card?.answer?.ts).replace('.', '')}`;

    // Act
    const all = readableText(await harness.reply('approvals', grouped));
    const own = readableText(await harness.reply('approvals mine', operator));
    const refused = readableText(await harness.reply('approvals', operator));

    // Assess
    expect(all).toContain(link(mine));
    expect(all).toContain(link(theirs));
    expect(own).toContain(link(mine));
    expect(own).not.toContain(link(theirs));
    expect(refused).toContain('Only admins and approvers');
  });

  it('posts the card in VCR_APPROVAL_CHANNEL and tells the requester by DM once their response_url expired', async () => {
    // Prepare
    const waiting = await requestApproval(harness, 'image delete web-frontend/nginx-edge', operator);
    harness.slack.expireResponseUrls();
    const from = harness.slack.calls.length;

    // Act
    await harness.click(waiting.approve!, grouped);
    await harness.settle();

    // Assess
    expect(waiting.card?.body.channel).toBe('C0APPROVE');
    const dms = harness.slack.calls
      .slice(from)
      .filter((call) => call.method === 'chat.postMessage' && call.body.channel === `D${operator}`);
    expect(dms.map((call) => readableText(call.body)).join('\n')).toContain('Deleted image `web-frontend/nginx-edge`');
  });

  it('refuses an admin who is not an approver, and lets an approver approve', async () => {
    // Prepare
    const waiting = await requestApproval(harness, 'image delete ml-models/ml/serving', operator);
    const before = artifactDeletes().length;
    const artifacts = artifactsOf(harness, 'ml/serving');

    // Act
    const refused = await harness.click(waiting.approve!, admin);
    await harness.settle();
    const refusedDeletes = artifactDeletes().length;
    await harness.click(waiting.approve!, grouped);
    await harness.settle();

    // Assess
    expect(readableText(harness.posted(refused.responseUrl).at(-1))).toContain('Only an approver can approve');
    expect(refusedDeletes).toBe(before);
    expect(artifactDeletes().length - before).toBe(artifacts);
    expect(artifactsOf(harness, 'ml/serving')).toBe(0);
    expect(readableText(waiting.waiting)).toContain(`Waiting for approval by <@${grouped}>, <@${viewer}>`);
  });

  it('executes once when two approvers click Approve at the same time', async () => {
    // Prepare
    const waiting = await requestApproval(harness, 'image delete payments-api/team/api', operator);
    const before = artifactDeletes().length;
    const artifacts = artifactsOf(harness, 'team/api');

    // Act
    const clicks = await Promise.all([
      harness.click(waiting.approve!, grouped),
      harness.click(waiting.approve!, viewer),
    ]);
    await harness.settle();

    // Assess
    expect(artifactDeletes().length - before).toBe(artifacts);
    expect(artifactsOf(harness, 'team/api')).toBe(0);
    const answers = clicks.map((click) => readableText(harness.posted(click.responseUrl).at(-1)));
    expect(answers.filter((text) => text.includes('already'))).toHaveLength(1);
    expect(cardNow(harness, waiting)).toMatch(/Approved by <@U0(GROUPED|VIEWER)>; done\./);
  });
});

describe('approvals, with one admin as the only approver', () => {
  const harness = useE2eHarness({ env: { VCR_APPROVAL_REQUIRED: defaultApprovals } });
  const deletes = () => harness.emulator.requests.filter((request) => request.method === 'DELETE');
  const lastAnswer = (click: { responseUrl: string }) => readableText(harness.posted(click.responseUrl).at(-1));

  it('refuses up front a request only its own requester could approve: no card, says how to fix it, cancellable', async () => {
    // Prepare
    const posts = harness.callsOf('chat.postMessage').length;
    const before = deletes().length;

    // Act
    const waiting = await requestApproval(harness, 'repo delete sandbox-tmp', admin);
    const cancel = await harness.click(buttonIn(waiting.waiting, 'Cancel request'), admin);
    await harness.settle();

    // Assess
    const told = readableText(waiting.waiting);
    expect(told).toContain('Nobody else can approve this');
    expect(told).toContain('VCR_APPROVERS');
    expect(told).not.toContain('Waiting for approval by');
    expect(waiting.card).toBeUndefined();
    expect(harness.callsOf('chat.postMessage').length).toBe(posts);
    expect(lastAnswer(cancel)).toContain('Nothing was changed');
    expect(deletes().length).toBe(before);
  });

  it('refuses up front when the lone admin confirms an operator’s request, since they could not also approve it', async () => {
    // Prepare
    const posts = harness.callsOf('chat.postMessage').length;
    const preview = await harness.reply('repo delete sandbox-tmp', operator);

    // Act
    const click = await harness.click(buttonIn(preview, 'Delete'), admin);
    await harness.settle();

    // Assess
    const told = lastAnswer(click);
    expect(told).toContain('Nobody else can approve this');
    expect(told).toContain(`nobody but <@${operator}> or <@${admin}> is an approver`);
    expect(harness.callsOf('chat.postMessage').length).toBe(posts);
    expect(harness.emulator.state.repositories.map((repo) => repo.name)).toContain('sandbox-tmp');
  });
});

describe('approvals, with the requester among VCR_APPROVERS', () => {
  const leads = 'S0LEADS';
  const harness = useE2eHarness({
    env: { VCR_APPROVAL_REQUIRED: defaultApprovals, VCR_APPROVERS: `${admin},${operator}` },
    usergroups: { [leads]: [operator] },
  });

  it('never names the requester among the approvers it waits for', async () => {
    // Act
    const waiting = await requestApproval(harness, 'repo delete sandbox-tmp', operator);

    // Assess
    const told = readableText(waiting.waiting);
    expect(told).toContain(`Waiting for approval by <@${admin}>:`);
    expect(told).not.toContain(`<@${operator}>`);
    expect(waiting.card).toBeDefined();
  });
});

describe('approvals, with a user group of the requester alone as VCR_APPROVERS', () => {
  const leads = 'S0LEADS';
  const harness = useE2eHarness({
    env: { VCR_APPROVAL_REQUIRED: defaultApprovals, VCR_APPROVERS: leads },
    usergroups: { [leads]: [operator] },
  });

  it('refuses up front, resolving the group: nobody else can approve', async () => {
    // Act
    const waiting = await requestApproval(harness, 'repo delete sandbox-tmp', operator);

    // Assess
    expect(readableText(waiting.waiting)).toContain('Nobody else can approve this');
    expect(waiting.card).toBeUndefined();
    expect(buttonIn(waiting.waiting, 'Cancel request')).toBeDefined();
  });
});

describe('approvals, by an approver who holds no role, with an audit channel', () => {
  const approverOnly = 'U0APPRONLY';
  const harness = useE2eHarness({
    env: {
      VCR_APPROVAL_REQUIRED: defaultApprovals,
      VCR_APPROVERS: approverOnly,
      VCR_AUDIT_CHANNEL: 'C0AUDIT',
    },
  });
  const auditLines = () =>
    harness
      .callsOf('chat.postMessage')
      .filter((call) => call.channel === 'C0AUDIT')
      .map((call) => readableText(call));

  it('executes a request approved by someone on VCR_APPROVERS who has no role of their own', async () => {
    // Prepare
    const waiting = await requestApproval(harness, 'image delete web-frontend/nginx-edge', operator);

    // Act
    const click = await harness.click(waiting.approve!, approverOnly);
    await harness.settle();

    // Assess
    expect(harness.posted(click.responseUrl).map(readableText).join('\n')).not.toContain('You need');
    expect(harness.emulator.state.images.some((image) => image.name === 'nginx-edge')).toBe(false);
    expect(cardNow(harness, waiting)).toContain(`Approved by <@${approverOnly}>`);
  });

  it('still refuses someone with no role who is not an approver', async () => {
    // Prepare
    const waiting = await requestApproval(harness, 'repo delete sandbox-tmp', operator);

    // Act
    const click = await harness.click(waiting.approve!, e2eUsers.outsider);
    await harness.settle();

    // Assess
    expect(readableText(harness.posted(click.responseUrl).at(-1))).toContain('You need a *viewer* role');
    expect(harness.emulator.state.repositories.some((repo) => repo.name === 'sandbox-tmp')).toBe(true);
  });

  it('lists the waiting requests to an approver who holds no role, `approvals mine` too', async () => {
    // Prepare
    const waiting = await requestApproval(harness, 'repo delete sandbox-tmp', operator);
    const link = `https://slack.com/archives/${waiting.card?.body.channel}/p${String(waiting.card?.answer?.ts).replace('.', '')}`;

    // Act
    const all = readableText(await harness.reply('approvals', approverOnly));
    const own = readableText(await harness.reply('approvals mine', approverOnly));

    // Assess
    expect(all).not.toContain('You need');
    expect(all).toContain(link);
    expect(own).not.toContain('You need');
    expect(own).toContain('You have no request waiting for approval.');
  });

  it('records a rejection in the audit trail and its channel, with who and why', async () => {
    // Prepare
    const waiting = await requestApproval(harness, 'repo delete sandbox-tmp', operator);
    const linesBefore = auditLines().length;

    // Act
    await harness.click(waiting.reject!, approverOnly);
    const view = harness.callsOf('views.open').at(-1)!.view as Record<string, unknown>;
    await harness.submit(view, approverOnly, formState(view, { reason: 'not during the release' }));
    await harness.settle();
    const audit = await harness.reply('audit sandbox-tmp', operator);

    // Assess
    const lines = auditLines().slice(linesBefore);
    expect(lines).toEqual([expect.stringContaining(`<@${approverOnly}> rejected`)]);
    expect(lines[0]).toContain('not during the release');
    expect(readableText(audit)).toContain('rejected');
  });
});

describe('approvals, as metrics', () => {
  const harness = useE2eHarness({ env: { VCR_APPROVAL_REQUIRED: defaultApprovals } });

  it('counts the approval requested and then approved in the Approvals metric when an approver approves', async () => {
    // Prepare
    const before = harness.logs.length;
    const waiting = await requestApproval(harness, 'image delete web-frontend/nginx-edge', operator);

    // Act
    await harness.click(waiting.approve!, admin);
    await harness.settle();

    // Assess
    const events = harness.logs
      .slice(before)
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((entry) => '_aws' in entry && 'Approvals' in entry)
      .map((entry) => entry.event);
    expect(events).toEqual(['requested', 'approved']);
  });
});
