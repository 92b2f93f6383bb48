import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { seededDigest, seededUuid } from '../../local/emulator/seed';
import type { FakeSlackCall } from '../../local/fakes/slack-api';
import { createDynamoCleanupRulesStore } from '../../src/store/cleanup-rules-store';
import { addCleanupRepository, plannedLabels as planned, seedCleanupRepository } from '../support/cleanup-seed';
import { buttonIn, e2eUsers, formState, readableText, useE2eHarness } from '../support/e2e-harness';
import { buttonsIn } from '../support/slack-requests';

const { operator, admin, viewer } = e2eUsers;
const secondAdmin = 'U0ADMIN2';
const rules = '--keep 3 --untagged-older 14 --unpulled 30 --protect latest,prod-*';

const short = (digest: string) => digest.slice(0, 'sha256:'.length + 12);

describe('cleanup plans', () => {
  // VCR_APPROVAL_REQUIRED is `none` for everything else: a cleanup waits for an approver all the same.
  const alertChannel = 'C0ALERTS';
  const harness = useE2eHarness({
    env: { VCR_ADMINS: `${admin},${secondAdmin}`, VCR_APPROVAL_REQUIRED: 'none', VCR_ALERT_CHANNEL: alertChannel },
  });
  const deletesOf = (name: string) =>
    harness.emulator.requests.filter(
      (request) => request.method === 'DELETE' && request.path.includes(seededUuid(`repository/${name}`)),
    );
  const digestsLeft = (name: string) =>
    harness.emulator.state.artifacts
      .filter((artifact) => artifact.repoId === `repo-${seededUuid(`repository/${name}`)}`)
      .map((artifact) => artifact.digest);

  /** Types the plan as `requester`, clicks Request cleanup and returns the approval card with its Approve button. */
  async function requestCleanup(command: string, requester: string) {
    const preview = await harness.reply(command, requester);
    const click = await harness.click(buttonIn(preview, 'Request cleanup'), requester);
    await harness.settle();
    const operationId = JSON.parse(buttonIn(preview, 'Request cleanup').value!).op as string;
    const card = harness.slack.calls.find(
      (call) =>
        call.method === 'chat.postMessage' &&
        call.body.thread_ts === undefined &&
        buttonsIn(call.body.blocks).some((button) => button.value?.includes(`"op":"${operationId}"`)),
    );
    return { preview, click, card, approve: buttonIn(card?.body, 'Approve') };
  }

  const threadOf = (card: FakeSlackCall | undefined) =>
    harness
      .callsOf('chat.postMessage')
      .filter((post) => post.thread_ts === card?.answer?.ts)
      .map((post) => readableText(post))
      .join('\n');

  it('lists the hand-computed plan grouped by image and deletes nothing when run as a dry run', async () => {
    // Prepare
    const repo = seedCleanupRepository(harness.emulator);
    const before = harness.emulator.requests.filter((request) => request.method === 'DELETE').length;

    // Act
    const preview = await harness.reply(`cleanup ${repo.name} ${rules}`, operator);

    // Assess
    const text = readableText(preview);
    expect(text).toContain('Dry run:* nothing is deleted unless someone requests this cleanup');
    expect(text).toContain('3 artifacts in 2 images');
    expect(text).toContain('team/api*: 2 artifacts');
    expect(text).toContain('team/worker*: 1 artifact');
    for (const label of planned) expect(text).toContain(short(repo.digest(label)));
    for (const label of ['a1', 'a2', 'a3', 'a5', 'a7', 'w1', 'w2', 'w3', 'w4', 'w5']) {
      expect(text).not.toContain(short(repo.digest(label)));
    }
    // Every tag of every candidate is listed: w6 goes with both its tags.
    expect(text).toContain('`build-0`, `rc-0`');
    expect(text).toContain('3 kept by a protected or immutable tag, 3 kept as the newest');
    expect(buttonIn(preview, 'Request cleanup').style).toBe('danger');
    expect(harness.emulator.requests.filter((request) => request.method === 'DELETE')).toHaveLength(before);
  });

  it('waits for an approver even with approvals off, and deletes exactly the planned digests once one approves', async () => {
    // Prepare
    const repo = seedCleanupRepository(harness.emulator);
    const { card, approve, click } = await requestCleanup(`cleanup ${repo.name} ${rules}`, operator);
    expect(deletesOf(repo.name)).toHaveLength(0);
    expect(readableText(harness.posted(click.responseUrl).at(-1))).toContain('Waiting for approval');

    // Act
    await harness.click(approve, secondAdmin);
    await harness.settle();

    // Assess
    const deleted = deletesOf(repo.name).map((request) => request.query.digest);
    expect(deleted.sort()).toEqual(planned.map(repo.digest).sort());
    expect(digestsLeft(repo.name)).toHaveLength(13 - 3);
    const thread = threadOf(card);
    expect(thread).toContain('`team/api`: deleted 2 of 2 planned');
    expect(thread).toContain('deleted 3 artifacts (3 tags) in 2 images');
    expect(thread).toMatch(/Quota used went from .* really freed/);
    expect(readableText(harness.posted(click.responseUrl).at(-1))).toContain('Cleaned up');
  });

  it('skips and reports a digest whose tags changed between the plan and the approval', async () => {
    // Prepare
    const repo = seedCleanupRepository(harness.emulator);
    const { card, approve } = await requestCleanup(`cleanup ${repo.name} ${rules}`, operator);
    const moved = harness.emulator.state.artifacts.find((artifact) => artifact.digest === repo.digest('a6'))!;
    moved.tags.push({
      id: 99_999,
      name: 'hotfix',
      pushTime: new Date().toISOString(),
      pullTime: null,
      immutable: false,
    });

    // Act
    await harness.click(approve, secondAdmin);
    await harness.settle();

    // Assess
    const deleted = deletesOf(repo.name).map((request) => request.query.digest);
    expect(deleted.sort()).toEqual([repo.digest('a4'), repo.digest('w6')].sort());
    expect(digestsLeft(repo.name)).toContain(repo.digest('a6'));
    const thread = threadOf(card);
    expect(thread).toContain('skipped 1 whose tags changed since the plan');
    expect(thread).toContain(`Skipped \`team/api@${short(repo.digest('a6'))}\``);
    expect(thread).toContain('now also tagged `hotfix`');
  });

  it('stops part-way and says in the thread what went and what is still there when vCR refuses a delete', async () => {
    // Prepare
    const repo = seedCleanupRepository(harness.emulator);
    const { card, approve } = await requestCleanup(`cleanup ${repo.name} ${rules}`, operator);
    harness.emulator.inject({
      method: 'DELETE',
      path: /\/images\/artifacts\/delete$/,
      query: { digest: repo.digest('w6') },
      status: 400,
      body: { message: 'artifact is locked' },
      times: 1,
    });

    // Act
    await harness.click(approve, secondAdmin);
    await harness.settle();

    // Assess
    const deleted = deletesOf(repo.name).map((request) => request.query.digest);
    expect(deleted.sort()).toEqual(planned.map(repo.digest).sort());
    expect(digestsLeft(repo.name)).toContain(repo.digest('w6'));
    const thread = threadOf(card);
    expect(thread).toContain(`clean up \`${repo.name}\` stopped part-way`);
    expect(thread).toContain('artifact is locked');
    expect(thread).toContain(
      `Deleted: \`team/api@${short(repo.digest('a6'))}\`, \`team/api@${short(repo.digest('a4'))}\``,
    );
    expect(thread).toContain(`Still there: \`team/worker@${short(repo.digest('w6'))}\``);
  });

  it('skips and says why, instead of calling it already gone, a planned digest pushed past the 1000 artifacts the approval reads', async () => {
    // Prepare: one image of 1000 artifacts, all of which the plan reads; its five oldest go.
    const name = 'cleanup-crowded';
    const state = harness.emulator.state;
    const dayAgo = Date.now() - 86_400_000;
    const repoId = addCleanupRepository(harness.emulator, name, new Date(dayAgo).toISOString());
    state.images.push({
      id: 700_000,
      repoId,
      name: 'crowded',
      pullCount: 0,
      updateTime: new Date(dayAgo).toISOString(),
    });
    const push = (index: number) =>
      state.artifacts.push({
        id: 700_001 + index,
        repoId,
        imageName: 'crowded',
        digest: seededDigest(`${name}/${index}`),
        type: 'IMAGE',
        size: 1000,
        pushTime: new Date(dayAgo + index * 1000).toISOString(),
        pullTime: null,
        tags: [],
      });
    for (let index = 0; index < 1000; index += 1) push(index);
    const { card, approve } = await requestCleanup(`cleanup ${name} --keep 995`, operator);
    for (let index = 1000; index < 1010; index += 1) push(index);

    // Act
    await harness.click(approve, secondAdmin);
    await harness.settle();

    // Assess
    expect(deletesOf(name)).toHaveLength(0);
    const thread = threadOf(card);
    expect(thread).toContain('skipped 5 that changed since the plan or could not be checked');
    expect(thread).not.toContain('whose tags changed');
    expect(thread).toContain('not among the first 1000 artifacts vCR lists now');
    expect(thread).not.toContain('already gone');
  });

  it('plans with the saved rules when cleanup is run without rules', async () => {
    // Prepare
    const repo = seedCleanupRepository(harness.emulator);
    const saved = await harness.reply(`cleanup ${repo.name} --save ${rules}`, operator);

    // Act
    const preview = await harness.reply(`cleanup ${repo.name}`, viewer);

    // Assess
    expect(readableText(saved)).toContain(`Saved the cleanup rules of \`${repo.name}\``);
    const text = readableText(preview);
    expect(text).toContain('3 artifacts in 2 images');
    for (const label of planned) expect(text).toContain(short(repo.digest(label)));
    expect(deletesOf(repo.name)).toHaveLength(0);
  });

  it('shows a viewer the dry run but refuses their Request cleanup click', async () => {
    // Prepare
    const repo = seedCleanupRepository(harness.emulator);
    const preview = await harness.reply(`cleanup ${repo.name} ${rules}`, viewer);

    // Act
    const { ack, responseUrl } = await harness.click(buttonIn(preview, 'Request cleanup'), viewer);
    await harness.settle();

    // Assess
    expect(readableText(preview)).toContain('3 artifacts in 2 images');
    const refusal = [readableText(ack.json), ...harness.posted(responseUrl).map(readableText)].join('\n');
    expect(refusal).toContain('*operator*');
    expect(deletesOf(repo.name)).toHaveLength(0);
  });

  it.each([
    ['--keep is not a number', '--keep ten', 'must be a whole number'],
    ['an age is beyond ten years', '--unpulled 99999', 'at most 3650'],
    ['a protect pattern holds a character no tag has', '--keep 2 --protect "v(1)"', '`--protect` takes tag names'],
    ['an option is unknown', '--older 3', 'Unknown option `--older`'],
  ])('answers clearly and deletes nothing when %s', async (_case, flags, expected) => {
    // Prepare
    const repo = seedCleanupRepository(harness.emulator);

    // Act
    const { ack, responseUrl } = await harness.command(`cleanup ${repo.name} ${flags}`, operator);
    await harness.settle();

    // Assess
    const answer = [readableText(ack.json), ...harness.posted(responseUrl).map(readableText)].join('\n');
    expect(answer).toContain(expected);
    expect(deletesOf(repo.name)).toHaveLength(0);
  });
  it('posts the weekly plan of saved rules once a week, deleting nothing, with a button that plans again', async () => {
    // Prepare
    const repo = seedCleanupRepository(harness.emulator);
    await harness.reply(`cleanup ${repo.name} --save ${rules}`, operator);
    const plansOf = () =>
      harness
        .callsOf('chat.postMessage')
        .filter((call) => call.channel === alertChannel && readableText(call).includes(repo.name))
        .filter((call) => readableText(call).includes('Weekly cleanup plan'));

    // Act
    const first = await harness.schedule();
    const second = await harness.schedule();
    const posted = plansOf();
    const review = await harness.click(buttonIn(posted[0], 'Review and request cleanup'), operator);
    await harness.settle();

    // Assess
    expect(first.cleanupPlansPosted).toBeGreaterThanOrEqual(1);
    expect(second.cleanupPlansPosted).toBe(0);
    expect(posted).toHaveLength(1);
    const text = readableText(posted[0]);
    for (const label of planned) expect(text).toContain(short(repo.digest(label)));
    expect(text).toContain('Nothing is deleted unless someone requests it and an approver agrees.');
    const replan = harness.posted(review.responseUrl).at(-1);
    expect(buttonIn(replan, 'Request cleanup')).toBeDefined();
    expect(deletesOf(repo.name)).toHaveLength(0);
    expect(digestsLeft(repo.name)).toHaveLength(13);
  });
  it("gives an operator a plan of their own to request when a viewer clicked the weekly plan's button first", async () => {
    // Prepare
    const repo = seedCleanupRepository(harness.emulator);
    await harness.reply(`cleanup ${repo.name} --save ${rules}`, operator);
    await harness.schedule();
    const weekly = harness
      .callsOf('chat.postMessage')
      .filter((call) => call.channel === alertChannel && readableText(call).includes('Weekly cleanup plan'))
      .find((call) => readableText(call).includes(repo.name));
    const review = buttonIn(weekly, 'Review and request cleanup');
    const byViewer = await harness.click(review, viewer);
    await harness.settle();

    // Act
    const byOperator = await harness.click(review, operator);
    await harness.settle();
    const request = buttonIn(harness.posted(byOperator.responseUrl).at(-1), 'Request cleanup');
    const requested = await harness.click(request, operator);
    await harness.settle();

    // Assess
    expect(request.value).not.toBe(buttonIn(harness.posted(byViewer.responseUrl).at(-1), 'Request cleanup').value);
    expect(readableText(harness.posted(requested.responseUrl).at(-1))).toContain('Waiting for approval');
    expect(deletesOf(repo.name)).toHaveLength(0);
  });

  it('keeps its passes complete and plans once a week when the repository of saved rules was deleted', async () => {
    // Prepare
    const repo = seedCleanupRepository(harness.emulator);
    await harness.reply(`cleanup ${repo.name} --save ${rules}`, operator);
    const state = harness.emulator.state;
    const repoId = `repo-${seededUuid(`repository/${repo.name}`)}`;
    state.repositories = state.repositories.filter((candidate) => candidate.uuid !== repoId);
    const reads = () => harness.emulator.requests.filter((request) => request.path.includes(repoId)).length;

    // Act
    const first = await harness.schedule();
    const readsAfterFirst = reads();
    const second = await harness.schedule();

    // Assess
    expect([first.stoppedEarly, second.stoppedEarly]).toEqual([undefined, undefined]);
    expect(readsAfterFirst).toBeGreaterThan(0);
    expect(reads()).toBe(readsAfterFirst);
  });

  it('opens the rules form, prefilled, when a cleanup is asked for with no rules and none saved', async () => {
    // Prepare: typed bare, as a quota alert's Plan cleanup button runs it (with the repository alone).
    const repo = seedCleanupRepository(harness.emulator);
    const typed = await harness.command(`cleanup ${repo.name}`, operator);
    const view = harness.callsOf('views.open').at(-1)!.view as Record<string, unknown>;

    // Act
    const submitted = await harness.submit(view, operator, formState(view, { keep: '3', unpulledDays: '30' }));
    await harness.settle();

    // Assess
    expect(typed.ack.statusCode).toBe(200);
    const initial = JSON.stringify(view.blocks);
    for (const value of ['"10"', '"14"', '"90"', '"latest"']) expect(initial).toContain(`"initial_value":${value}`);
    expect(submitted.statusCode).toBe(200);
    const preview = harness.posted(typed.responseUrl).at(-1);
    expect(readableText(preview)).toContain('*Dry run:*');
    expect(buttonIn(preview, 'Request cleanup')).toBeDefined();
    expect(deletesOf(repo.name)).toHaveLength(0);
  });
  it('says which rules exist when the rules form is submitted with every rule blank', async () => {
    // Prepare
    const repo = seedCleanupRepository(harness.emulator);
    const typed = await harness.command(`cleanup ${repo.name}`, operator);
    const view = harness.callsOf('views.open').at(-1)!.view as Record<string, unknown>;

    // Act
    const blank = { keep: '', untaggedOlderDays: '', unpulledDays: '', protect: '' };
    const submitted = await harness.submit(view, operator, formState(view, blank));
    await harness.settle();

    // Assess
    const answer = [readableText(submitted.json), ...harness.posted(typed.responseUrl).map(readableText)].join('\n');
    expect(answer).toContain('`--keep N`');
    expect(deletesOf(repo.name)).toHaveLength(0);
  });
});

describe('weekly cleanup plans near the end of a pass', () => {
  // The bot's clock: moved on by the emulator when the plan lists images, as a slow vCR would.
  let clock = Date.now();
  const harness = useE2eHarness({ env: { VCR_ALERT_CHANNEL: 'C0ALERTS' }, now: () => clock });

  it('stops the plan at the pass deadline, records the pass as cut short, and plans again next pass', async () => {
    // Prepare
    const repo = seedCleanupRepository(harness.emulator);
    const repoId = `repo-${seededUuid(`repository/${repo.name}`)}`;
    await createDynamoCleanupRulesStore({
      client: DynamoDBDocumentClient.from(harness.dynamo.client),
      table: harness.table,
    }).save({ repoId, repoName: repo.name, rules: { keep: 3 }, savedBy: operator, savedAt: clock });
    harness.emulator.inject({
      method: 'GET',
      path: `/v1/repository/${repoId}/images`,
      rewrite: (body) => {
        clock += 10 * 60_000;
        return body;
      },
      times: 1,
    });
    const artifactReads = () =>
      harness.emulator.requests.filter((request) => request.path.includes(`${repoId}/images/artifacts`)).length;

    // Act: Lambda says two minutes are left, of which a pass keeps 10 s.
    const cut = await harness.schedule({ remainingMs: 120_000 });
    const readsWhenCut = artifactReads();
    clock += 60_000;
    const next = await harness.schedule({ remainingMs: 120_000 });

    // Assess
    expect(cut.stoppedEarly).toContain('its time ran out');
    expect(cut.cleanupPlansPosted).toBe(0);
    expect(readsWhenCut).toBe(0);
    expect(next.cleanupPlansPosted).toBe(1);
    expect(next.stoppedEarly).toBeUndefined();
  });

  it('stops between two pages of one image when the pass deadline passes while it reads them', async () => {
    // Prepare: one image of 250 artifacts, three pages; the first page read takes ten minutes.
    const name = 'cleanup-paged';
    const state = harness.emulator.state;
    const at = new Date(clock - 86_400_000).toISOString();
    const repoId = addCleanupRepository(harness.emulator, name, at);
    state.images.push({ id: 800_000, repoId, name: 'paged', pullCount: 0, updateTime: at });
    for (let index = 0; index < 250; index += 1) {
      state.artifacts.push({
        id: 800_001 + index,
        repoId,
        imageName: 'paged',
        digest: seededDigest(`${name}/${index}`),
        type: 'IMAGE',
        size: 1000,
        pushTime: at,
        pullTime: null,
        tags: [],
      });
    }
    await createDynamoCleanupRulesStore({
      client: DynamoDBDocumentClient.from(harness.dynamo.client),
      table: harness.table,
    }).save({ repoId, repoName: name, rules: { keep: 3 }, savedBy: operator, savedAt: clock });
    harness.emulator.inject({
      method: 'GET',
      path: `/v1/repository/${repoId}/images/artifacts`,
      rewrite: (body) => {
        clock += 10 * 60_000;
        return body;
      },
      times: 1,
    });
    const pagesRead = () =>
      harness.emulator.requests.filter((request) => request.path === `/v1/repository/${repoId}/images/artifacts`)
        .length;

    // Act
    const cut = await harness.schedule({ remainingMs: 120_000 });

    // Assess
    expect(cut.stoppedEarly).toContain('its time ran out');
    expect(cut.cleanupPlansPosted).toBe(0);
    expect(pagesRead()).toBe(1);
  });
});
