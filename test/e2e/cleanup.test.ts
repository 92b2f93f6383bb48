import { defaultRegistryUrl } from '../../local/emulator/defaults';
import type { StoredArtifact } from '../../local/emulator/emulator-state';
import { seededDigest, seededUuid } from '../../local/emulator/seed';
import type { FakeSlackCall } from '../../local/fakes/slack-api';
import { buttonIn, type E2eHarness, e2eUsers, readableText, useE2eHarness } from '../support/e2e-harness';
import { buttonsIn } from '../support/slack-requests';

const { operator, admin, viewer } = e2eUsers;
const secondAdmin = 'U0ADMIN2';
const dayMs = 86_400_000;
const rules = '--keep 3 --untagged-older 14 --unpulled 30 --protect latest,prod-*';

/** One seeded artifact: its label (its digest derives from it), tags, age in days, last pull in days (or never). */
type Seed = [label: string, tags: string[], pushedDaysAgo: number, pulledDaysAgo: number | null, extra?: Extra];
interface Extra {
  size?: number;
  immutable?: boolean;
}

// The repository of the hand-computed plan (test/commands/cleanup/plan-cleanup.test.ts has the same layout):
// team/api newest first a1 a2 a7 | a3 a4 a5 a6, team/worker w2 w4 w5 | w3 w1 w6. The plan is a6 and a4 of team/api
// and w6 of team/worker; a5 carries `prod-5`, w3 carries `latest` beside `build-1`, w1 an immutable tag.
const layout: Record<string, Seed[]> = {
  'team/api': [
    ['a1', ['latest'], 1, 1],
    ['a2', ['v1.2'], 10, null],
    ['a7', [], 15, null],
    ['a3', ['build-7'], 20, 2],
    ['a4', [], 31, null, { size: 300_000_000 }],
    ['a5', ['build-5', 'prod-5'], 40, null],
    ['a6', ['build-3'], 50, 45, { size: 500_000_000 }],
  ],
  'team/worker': [
    ['w2', [], 3, null],
    ['w4', [], 60, null],
    ['w5', ['nightly'], 70, null],
    ['w3', ['build-1', 'latest'], 90, null],
    ['w1', ['build-9'], 100, null, { immutable: true }],
    ['w6', ['build-0', 'rc-0'], 120, 95, { size: 2_000_000_000 }],
  ],
};
const planned = ['a6', 'a4', 'w6'];

let seeded = 0;

/** Adds a fresh repository with the layout above to the emulator, and returns its name and the digest of a label. */
function seedRepository(harness: E2eHarness): { name: string; digest: (label: string) => string } {
  seeded += 1;
  const name = `cleanup-demo-${seeded}`;
  const uuid = `repo-${seededUuid(`repository/${name}`)}`;
  const { state } = harness.emulator;
  const now = Date.now();
  const iso = (days: number) => new Date(now - days * dayMs).toISOString();
  state.repositories.push({
    uuid,
    name,
    isPublic: false,
    quotaLimit: 50,
    registryUrl: defaultRegistryUrl,
    createdAt: iso(400),
  });
  let last = 90_000 + seeded * 100;
  const nextId = () => {
    last += 1;
    return last;
  };
  for (const [image, artifacts] of Object.entries(layout)) {
    state.images.push({ id: nextId(), repoId: uuid, name: image, pullCount: 3, updateTime: iso(1) });
    for (const [label, tags, pushed, pulled, extra = {}] of artifacts) {
      const artifact: StoredArtifact = {
        id: nextId(),
        repoId: uuid,
        imageName: image,
        digest: seededDigest(`${name}/${label}`),
        type: 'IMAGE',
        size: extra.size ?? 1_000_000,
        pushTime: iso(pushed),
        pullTime: pulled === null ? null : iso(pulled),
        tags: tags.map((tag, i) => ({
          id: nextId(),
          name: tag,
          pushTime: iso(pushed),
          pullTime: pulled === null ? null : iso(pulled),
          immutable: extra.immutable === true && i === 0,
        })),
      };
      state.artifacts.push(artifact);
    }
  }
  return { name, digest: (label) => seededDigest(`${name}/${label}`) };
}

const short = (digest: string) => digest.slice(0, 'sha256:'.length + 12);

describe('cleanup plans', () => {
  const harness = useE2eHarness({ env: { VCR_ADMINS: `${admin},${secondAdmin}` } });
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
    const repo = seedRepository(harness);
    const before = harness.emulator.requests.filter((request) => request.method === 'DELETE').length;

    // Act
    const preview = await harness.reply(`cleanup ${repo.name} ${rules}`, operator);

    // Assess
    const text = readableText(preview);
    expect(text).toContain('Dry run: nothing is deleted');
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

  it('deletes exactly the planned digests once a second admin approves the request', async () => {
    // Prepare
    const repo = seedRepository(harness);
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
    const repo = seedRepository(harness);
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

  it('plans with the saved rules when cleanup is run without rules', async () => {
    // Prepare
    const repo = seedRepository(harness);
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
    const repo = seedRepository(harness);
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
    ['no rule is given and none is saved', '', '`--keep N`'],
    ['--keep is not a number', '--keep ten', 'must be a whole number'],
    ['an age is beyond ten years', '--unpulled 99999', 'at most 3650'],
    ['a protect pattern holds a character no tag has', '--keep 2 --protect "v(1)"', '`--protect` takes tag names'],
    ['an option is unknown', '--older 3', 'Unknown option `--older`'],
  ])('answers clearly and deletes nothing when %s', async (_case, flags, expected) => {
    // Prepare
    const repo = seedRepository(harness);

    // Act
    const { ack, responseUrl } = await harness.command(`cleanup ${repo.name} ${flags}`, operator);
    await harness.settle();

    // Assess
    const answer = [readableText(ack.json), ...harness.posted(responseUrl).map(readableText)].join('\n');
    expect(answer).toContain(expected);
    expect(deletesOf(repo.name)).toHaveLength(0);
  });
});
