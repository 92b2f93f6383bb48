/**
 * `cleanup REPO [IMAGE] [rules]`: a dry run of a retention rule set, whose preview IS the plan (nothing is deleted);
 * its Request cleanup button turns the exact plan, digests pinned, into one approval request, and the approved
 * execution deletes exactly those digests whose tags did not change (docs/decisions/0019-cleanup-plans.md).
 */
import { UserError } from '../../errors';
import { mention, rich } from '../../rich-text';
import type { CleanupRules } from '../../store/cleanup-rules-store';
import type { Operation } from '../../store/operation-store';
import { paginate } from '../../vcr/paginate';
import type { Artifact, Repository } from '../../vcr/types';
import type { Args, CommandContext, DestructiveSpec, FormContext, Plan, ReadContext, Settled } from '../command';
import { commandIds } from '../command-ids';
import { formatBytes, formatDate, shortDigest, truncate } from '../format';
import { counted, quotedList, tagNamesOf } from '../image/artifact-fields';
import { refText } from '../image/image-args';
import {
  isNotFound,
  listAllArtifacts,
  maxScannedArtifacts,
  missingImage,
  readImage,
  reloadRepository,
} from '../image/image-lookup';
import { createProgress } from '../partial-failure';
import type { Form, ListItem, Part, Reply } from '../reply';
import { repoOf } from '../repository/repository-args';
import { quotaOf } from '../repository/repository-fields';
import { resolveRepository } from '../repository/resolve-repository';
import {
  cleanupFlags,
  hasRemovalRule,
  parseCleanupWords,
  ruleFlagsText,
  rulesOf,
  rulesText,
  validateCleanupArgs,
} from './cleanup-args';
import { type CleanupPlan, type ImageArtifacts, planCleanup, type ResolvedCleanupRules } from './plan-cleanup';

/** One pinned candidate: its digest and every tag it carried when planned. */
interface PinnedCandidate {
  digest: string;
  tags: string[];
  size: number;
}

/** What the plan pinned: the repository, the rules, and per image the exact digests with their tags. */
interface CleanupPin extends Record<string, unknown> {
  repoId: string;
  repoName: string;
  protect: string[];
  plannedAt: number;
  bytesUpperBound: number;
  images: { image: string; candidates: PinnedCandidate[] }[];
}

// The plan is stored in the operation record (DynamoDB items hold 400 KB at most, src/store/operation-store.ts):
// this many candidates, and this many characters of digests and tags, keep it far below.
const maxPlannedCandidates = 300;
const maxPlannedChars = 100_000;
// Images whose artifacts are read at once.
const readConcurrency = 4;
// A repository with more images than this is planned on the first ones listed.
const maxImages = 500;
// The preview lists this many images, and this many candidates of each (docs/slack-limits.md).
const shownImages = 10;
const shownCandidates = 3;
// Progress lines posted in the approval card's thread, at most: one per image (chat.postMessage is ~1/s per channel).
const maxProgressPosts = 10;

/** Plans a cleanup of a repository as a dry run, and deletes exactly the approved plan. */
export const cleanup: DestructiveSpec = {
  id: commandIds.cleanup,
  words: ['cleanup'],
  usage: 'cleanup REPO [IMAGE] [--keep N] [--untagged-older DAYS] [--unpulled DAYS] [--protect PATTERN,…]',
  summary:
    'Shows, deleting nothing, which artifacts a retention rule set would remove; Request cleanup asks an approver.',
  details: [
    'Rules add up: an artifact goes when any of `--untagged-older` or `--unpulled` selects it. `--keep N` keeps the newest N of each image; alone, it removes every older one.',
    'Keep always wins: a digest carrying a protected tag (`--protect`, by default `VCR_CLEANUP_PROTECT`) or an immutable tag is never removed. `*` in a pattern stands for any characters: `latest,v*,prod-*`.',
    'Deleting a digest removes all its tags, so the plan lists every tag of every candidate. Space freed is an upper bound: layers may be shared.',
    'Without rules, the rules saved with `cleanup REPO --save …` are used. A cleanup always waits for an approver, and skips a digest whose tags changed since the plan.',
  ],
  role: 'viewer',
  confirmRole: 'operator',
  kind: 'destructive',
  flags: cleanupFlags,
  parse: parseCleanupWords,
  validate: validateCleanupArgs,
  form: async (ctx, args) => rulesForm(ctx, args),
  plan: async (ctx, args) => plan(ctx, args),
  execute: async (ctx, operation) => execute(ctx, operation),
  settle: async (ctx, operation) => settle(ctx, operation),
};

// What the rules form suggests for a repository with no saved rules: conservative, and every field can be changed.
const suggestedRules = { keep: 10, untaggedOlderDays: 14, unpulledDays: 90 };

/**
 * The rules form, for a cleanup asked for with no rules (a quota alert's Plan cleanup, or `cleanup REPO` typed bare)
 * when none are saved for the repository: the fields prefilled with suggestions, whose submit plans the dry run.
 * None when rules were given or saved, or when the settings are not at hand: the plan then says what is missing.
 */
async function rulesForm(ctx: FormContext, args: Args): Promise<Form | undefined> {
  if (!ctx.cleanup || hasRemovalRule(rulesOf(args))) return undefined;
  const repo = await resolveRepository(ctx.vcr, repoOf(args));
  if (await ctx.cleanup.rules.read(repo.uuid)) return undefined;
  const image = typeof args.image === 'string' ? args.image : undefined;
  return {
    title: 'Plan a cleanup',
    submit: 'Show the plan',
    command: commandIds.cleanup,
    fixedArgs: { repo: repo.uuid, ...(image ? { image } : {}) },
    fields: [
      {
        kind: 'number',
        name: 'keep',
        label: 'Keep the newest, per image',
        hint: 'These many newest artifacts of each image are never removed. Blank: no such rule.',
        initial: suggestedRules.keep,
        optional: true,
        min: 1,
      },
      {
        kind: 'number',
        name: 'untaggedOlderDays',
        label: 'Remove untagged artifacts older than (days)',
        initial: suggestedRules.untaggedOlderDays,
        optional: true,
        min: 1,
      },
      {
        kind: 'number',
        name: 'unpulledDays',
        label: 'Remove artifacts not pulled for (days)',
        hint: 'Never pulled counts from the push.',
        initial: suggestedRules.unpulledDays,
        optional: true,
        min: 1,
      },
      {
        kind: 'text',
        name: 'protect',
        label: 'Protected tags',
        hint: 'Comma-separated; `*` stands for any characters. Immutable tags are always protected.',
        initial: ctx.cleanup.protect.join(','),
        optional: true,
      },
    ],
  };
}

/** The rules a cleanup of `repo` runs with: the typed ones, else the saved ones; a `UserError` when there are none. */
async function rulesFor(ctx: ReadContext, repo: Repository, typed: CleanupRules): Promise<ResolvedCleanupRules> {
  let rules = typed;
  if (!hasRemovalRule(typed)) {
    const saved = await ctx.cleanup.rules.read(repo.uuid);
    if (!saved) {
      throw new UserError(
        `Say what to clean up in \`${repo.name}\`: ${ruleFlagsText}. No rules are saved for it; \`${ctx.slashCommand} cleanup ${repo.name} --save --keep 10\` saves some.`,
      );
    }
    rules = { ...saved.rules, ...(typed.protect ? { protect: typed.protect } : {}) };
  }
  return { ...rules, protect: [...(rules.protect ?? ctx.cleanup.protect)] };
}

/** Reads the artifacts of `repo`'s images (or of `image` alone), every page, a few images at a time. */
async function readInventory(
  ctx: ReadContext,
  repo: Repository,
  image: string | undefined,
): Promise<{ images: ImageArtifacts[]; cut: string[]; moreImages: boolean }> {
  let names: string[];
  if (image !== undefined) {
    if (!(await readImage(ctx, repo, image))) throw missingImage(ctx, repo, image);
    names = [image];
  } else {
    names = [];
    const pages = paginate((page, size) => ctx.vcr.images.list(repo.uuid, { name: '', page, size }), {
      maxItems: maxImages + 1,
    });
    for await (const listed of pages) names.push(listed.name);
  }
  const moreImages = names.length > maxImages;
  names = names.slice(0, maxImages);
  const images: ImageArtifacts[] = [];
  const cut: string[] = [];
  // A plan of many images can outrun its request (or the watcher's pass): each page read checks the deadline first,
  // and the plan stops there and says so.
  const stopAtDeadline = () => {
    if (ctx.deadlineAt === undefined || ctx.now() < ctx.deadlineAt) return;
    throw new UserError(
      `Reading the artifacts of \`${repo.name}\` ran out of time after ${counted(images.length, 'image')} of ${names.length}. Plan one image at a time: \`${ctx.slashCommand} cleanup ${repo.name} IMAGE\`.`,
    );
  };
  const artifacts = ctx.vcr.artifacts;
  const timed: ReadContext = {
    ...ctx,
    vcr: {
      ...ctx.vcr,
      artifacts: {
        ...artifacts,
        list: async (...call) => {
          stopAtDeadline();
          return artifacts.list(...call);
        },
      },
    },
  };
  for (let at = 0; at < names.length; at += readConcurrency) {
    const batch = names.slice(at, at + readConcurrency);
    const read = await Promise.all(batch.map((name) => listAllArtifacts(timed, repo, name, maxScannedArtifacts)));
    read.forEach((inventory, i) => {
      const name = batch[i] ?? '';
      images.push({ image: name, artifacts: inventory.artifacts });
      if (inventory.tooMany) cut.push(name);
    });
  }
  return { images, cut, moreImages };
}

/** Plans the cleanup of `args.repo` (or one image of it): the preview, or a plain reply when nothing would go. */
export async function plan(ctx: ReadContext, args: Args): Promise<Plan | Reply> {
  const repo = await resolveRepository(ctx.vcr, String(args.repo), { slashCommand: ctx.slashCommand });
  const image = typeof args.image === 'string' ? args.image : undefined;
  const rules = await rulesFor(ctx, repo, rulesOf(args));
  const { images, cut, moreImages } = await readInventory(ctx, repo, image);
  const plannedAt = ctx.now();
  const planned = planCleanup(images, rules, {
    now: plannedAt,
    maxCandidates: maxPlannedCandidates,
    maxChars: maxPlannedChars,
  });
  const where = image === undefined ? repo.name : refText(repo.name, image);
  const notes = inventoryNotes(planned, cut, moreImages);
  if (planned.candidateCount === 0) {
    const text = `Nothing to clean up in \`${where}\`: the rules select nothing (${rulesText(rules)}).`;
    return { text, parts: [{ type: 'text', text }, { type: 'context', text: keptLine(planned) }, ...notes] };
  }
  const pin: CleanupPin = {
    repoId: repo.uuid,
    repoName: repo.name,
    protect: rules.protect,
    plannedAt,
    bytesUpperBound: planned.bytesUpperBound,
    images: planned.byImage.map((entry) => ({
      image: entry.image,
      candidates: entry.candidates.map(({ digest, tags, size }) => ({ digest, tags, size })),
    })),
  };
  const artifacts = counted(planned.candidateCount, 'artifact');
  const summary = `clean up \`${where}\` (${artifacts} in ${counted(planned.byImage.length, 'image')}, up to ${formatBytes(planned.bytesUpperBound)})`;
  const { protect, ...ruleArgs } = rules;
  return {
    args: { repo: repo.uuid, ...(image ? { image } : {}), ...ruleArgs, protect },
    pin,
    summary,
    target: { repoId: repo.uuid, repoName: repo.name, ...(image ? { imageName: image } : {}) },
    wording: {
      label: 'Request cleanup',
      title: 'Request this cleanup?',
      text: `This asks an approver to delete exactly these ${artifacts} of ${where}, with all their tags. Nothing is deleted until someone approves; a digest whose tags change meanwhile is skipped.`,
      confirm: 'Request',
      deny: 'Not now',
    },
    preview: {
      text: `Dry run: ${summary}. Nothing is deleted.`,
      parts: [
        { type: 'header', text: `Cleanup plan for ${truncate(where, 120)}` },
        {
          type: 'text',
          text: `*Dry run:* nothing is deleted unless someone requests this cleanup and an approver approves it. Removes ${rulesText(rules)}. Planned ${formatDate(new Date(plannedAt).toISOString())}.`,
        },
        {
          type: 'fields',
          fields: [
            { label: 'Candidates', value: `${artifacts} in ${counted(planned.byImage.length, 'image')}` },
            { label: 'Tags that go', value: String(tagCount(planned)) },
            { label: 'Space freed', value: `up to ${formatBytes(planned.bytesUpperBound)} (layers may be shared)` },
            { label: 'Kept', value: keptLine(planned) },
          ],
        },
        { type: 'list', items: imageItems(planned), empty: 'No candidates.' },
        ...notes,
        {
          type: 'context',
          text: 'Request cleanup asks an approver to delete exactly these digests; each is checked again first, and one whose tags changed is skipped.',
          forRequester: true,
        },
      ],
    },
  };
}

/** One row per image, oldest candidates first, a few of each, then how many more. */
function imageItems(planned: CleanupPlan): ListItem[] {
  const items: ListItem[] = planned.byImage.slice(0, shownImages).map((entry) => {
    const bytes = entry.candidates.reduce((sum, candidate) => sum + candidate.size, 0);
    const lines = entry.candidates.slice(0, shownCandidates).map((candidate) => {
      const tags = candidate.tags.length === 0 ? '_untagged_' : quotedList(candidate.tags, 20);
      return `\`${shortDigest(candidate.digest)}\` ${tags} · ${formatBytes(candidate.size)} · pushed ${formatDate(candidate.pushTime, 'unknown')} · pulled ${formatDate(candidate.pullTime)}`;
    });
    const more = entry.candidates.length - shownCandidates;
    return {
      title: `*${entry.image}*: ${counted(entry.candidates.length, 'artifact')}, ${formatBytes(bytes)}`,
      lines: more > 0 ? [...lines, `and ${more} more`] : lines,
    };
  });
  const moreImages = planned.byImage.length - shownImages;
  if (moreImages > 0) items.push({ title: `and ${counted(moreImages, 'more image')}` });
  return items;
}

function keptLine(planned: CleanupPlan): string {
  return `${counted(planned.artifactCount, 'artifact')} read; ${planned.protectedCount} kept by a protected or immutable tag, ${planned.keptNewestCount} kept as the newest`;
}

/** Says what the plan could not hold: the candidates past its size, the images with too many artifacts to read. */
function inventoryNotes(planned: CleanupPlan, cut: readonly string[], moreImages: boolean): Part[] {
  const notes: Part[] = [];
  if (moreImages) {
    notes.push({ type: 'context', text: `Only the first ${maxImages} images vCR lists were planned.` });
  }
  if (planned.leftOut > 0) {
    notes.push({
      type: 'context',
      text: `This plan holds the first ${planned.candidateCount} candidates; ${planned.leftOut} more match. Run again after this cleanup for the rest.`,
    });
  }
  if (cut.length > 0) {
    notes.push({
      type: 'context',
      text: `Only the first ${maxScannedArtifacts} artifacts vCR lists were read of ${quotedList(cut, 5)}.`,
    });
  }
  return notes;
}

/** What execution found for one pinned digest. */
type Found =
  | { kind: 'delete'; artifact: Artifact }
  | { kind: 'skip'; why: string; unchecked?: boolean }
  | { kind: 'gone' };

async function execute(ctx: CommandContext, operation: Operation): Promise<Reply> {
  const pin = operation.pin as CleanupPin;
  const repo = await reloadRepository(ctx, pin);
  const card = operation.approval?.card;
  const found = new Map<string, Found>();
  for (let at = 0; at < pin.images.length; at += readConcurrency) {
    const batch = pin.images.slice(at, at + readConcurrency);
    await Promise.all(
      batch.map(async (planned) => {
        const current = await currentArtifacts(ctx, repo, planned.image);
        for (const candidate of planned.candidates) {
          found.set(keyOf(planned.image, candidate.digest), check(candidate, current));
        }
      }),
    );
  }
  const item = (image: string, digest: string) => `\`${image}@${shortDigest(digest)}\``;
  const toDelete = pin.images.flatMap((planned) =>
    planned.candidates
      .filter((candidate) => found.get(keyOf(planned.image, candidate.digest))?.kind === 'delete')
      .map((candidate) => item(planned.image, candidate.digest)),
  );
  const progress = createProgress(`clean up \`${pin.repoName}\``, toDelete);
  const deleted: { image: string; candidate: PinnedCandidate }[] = [];
  const skipped: string[] = [];
  let unchecked = 0;
  let gone = 0;
  let posts = 0;
  for (const planned of pin.images) {
    let deletedHere = 0;
    for (const candidate of planned.candidates) {
      const what = item(planned.image, candidate.digest);
      const state = found.get(keyOf(planned.image, candidate.digest));
      if (state?.kind === 'skip') skipped.push(`${what}: ${state.why}`);
      if (state?.kind === 'skip' && state.unchecked) unchecked += 1;
      if (state?.kind === 'gone') gone += 1;
      if (state?.kind !== 'delete') continue;
      try {
        await ctx.vcr.artifacts.delete(repo.uuid, planned.image, candidate.digest);
        deleted.push({ image: planned.image, candidate });
        deletedHere += 1;
      } catch (error) {
        if (!isNotFound(error)) progress.fail(what, error);
        gone += 1;
      }
      progress.done(what);
    }
    if (card && ctx.cards && posts < maxProgressPosts) {
      posts += 1;
      const line = `\`${planned.image}\`: deleted ${deletedHere} of ${planned.candidates.length} planned (${deleted.length} of ${toDelete.length} so far).`;
      await ctx.cards.thread(card, { text: line, parts: [{ type: 'context', text: line }] });
    }
  }
  return outcome(ctx, pin, repo, { deleted, skipped, unchecked, gone });
}

/**
 * Tells whether a cleanup whose outcome was lost ran: every planned digest gone is done, every one still there is not
 * done, anything between (some skipped, or stopped part-way) cannot be told.
 */
async function settle(ctx: ReadContext, operation: Operation): Promise<Settled> {
  const pin = operation.pin as CleanupPin;
  const repo = await reloadRepository(ctx, pin);
  let planned = 0;
  let present = 0;
  let unseen = false;
  for (const entry of pin.images) {
    const current = await currentArtifacts(ctx, repo, entry.image);
    planned += entry.candidates.length;
    present += entry.candidates.filter((candidate) => current.byDigest.has(candidate.digest)).length;
    // A digest missing from a list that was cut may still be there: whether it was deleted cannot be told.
    if (current.cut && present < planned) unseen = true;
  }
  if (unseen) return 'unknown';
  if (present === 0) return 'done';
  return present === planned ? 'not_done' : 'unknown';
}

/** Compares a pinned digest with what vCR holds now: unchanged is deleted, a changed or protected one skipped. */
function check(candidate: PinnedCandidate, current: CurrentArtifacts): Found {
  const artifact = current.byDigest.get(candidate.digest);
  // Not in a list that stopped at its cap is not gone: it may be further down, its tags unchecked.
  if (!artifact && current.cut) {
    return {
      kind: 'skip',
      why: `it is not among the first ${maxScannedArtifacts} artifacts vCR lists now`,
      unchecked: true,
    };
  }
  if (!artifact) return { kind: 'gone' };
  const tags = tagNamesOf(artifact);
  const added = tags.filter((tag) => !candidate.tags.includes(tag));
  const removed = candidate.tags.filter((tag) => !tags.includes(tag));
  if (added.length > 0 || removed.length > 0) {
    const changes = [
      ...(added.length > 0 ? [`now also tagged ${quotedList(added, 5)}`] : []),
      ...(removed.length > 0 ? [`no longer tagged ${quotedList(removed, 5)}`] : []),
    ];
    return { kind: 'skip', why: `its tags changed since the plan (${changes.join('; ')})` };
  }
  if ((artifact.tags ?? []).some((tag) => tag?.immutable === true)) {
    return { kind: 'skip', why: 'it now carries an immutable tag' };
  }
  return { kind: 'delete', artifact };
}

/** The artifacts of one image as read now, by digest, and whether the list stopped at its cap. */
interface CurrentArtifacts {
  byDigest: Map<string, Artifact>;
  cut: boolean;
}

/** The artifacts of one image now, by digest; none when the image itself is gone. */
async function currentArtifacts(ctx: ReadContext, repo: Repository, image: string): Promise<CurrentArtifacts> {
  if (!(await readImage(ctx, repo, image))) return { byDigest: new Map(), cut: false };
  const { artifacts, tooMany } = await listAllArtifacts(ctx, repo, image, maxScannedArtifacts);
  return { byDigest: new Map(artifacts.map((artifact) => [artifact.digest, artifact])), cut: tooMany };
}

async function outcome(
  ctx: CommandContext,
  pin: CleanupPin,
  before: Repository,
  done: {
    deleted: { image: string; candidate: PinnedCandidate }[];
    skipped: string[];
    unchecked: number;
    gone: number;
  },
): Promise<Reply> {
  const { deleted, skipped, unchecked, gone } = done;
  const tags = deleted.reduce((sum, entry) => sum + entry.candidate.tags.length, 0);
  const images = new Set(deleted.map((entry) => entry.image)).size;
  let quota = 'I could not read the quota again to say what was really freed.';
  try {
    const [from, to] = [quotaOf(before), quotaOf(await ctx.vcr.repositories.get(pin.repoId))];
    if (from && to) {
      const freed = Math.max(0, from.usedBytes - to.usedBytes);
      quota = `Quota used went from ${formatBytes(from.usedBytes)} to ${formatBytes(to.usedBytes)}: ${formatBytes(freed)} really freed (the plan's upper bound was ${formatBytes(pin.bytesUpperBound)}).`;
    }
  } catch {
    // The cleanup is done whatever the read says; the line above tells the quota was not read.
  }
  // A digest whose tags could not be read again is not one whose tags changed: the count says which it holds.
  const why =
    unchecked > 0 ? 'that changed since the plan or could not be checked' : 'whose tags changed since the plan';
  const skippedText = skipped.length > 0 ? `; skipped ${skipped.length} ${why}` : '';
  const goneText = gone > 0 ? `; ${gone} were already gone` : '';
  const text = `Cleaned up \`${pin.repoName}\`: deleted ${counted(deleted.length, 'artifact')} (${counted(tags, 'tag')}) in ${counted(images, 'image')}${skippedText}${goneText}.`;
  const parts: Part[] = [{ type: 'text', text }];
  if (skipped.length > 0) {
    parts.push({
      type: 'list',
      items: [
        ...skipped.slice(0, 10).map((line) => ({ title: `Skipped ${line}` })),
        ...(skipped.length > 10 ? [{ title: `and ${skipped.length - 10} more skipped` }] : []),
      ],
      empty: 'None skipped.',
    });
  }
  parts.push({ type: 'context', text: quota });
  return {
    text,
    parts,
    notify: rich`${mention(ctx.actor.userId)} cleaned up \`${pin.repoName}\`: deleted ${counted(deleted.length, 'artifact')}${skippedText}`,
  };
}

function keyOf(image: string, digest: string): string {
  return `${image}@${digest}`;
}

function tagCount(planned: CleanupPlan): number {
  return planned.byImage.reduce(
    (sum, entry) => sum + entry.candidates.reduce((count, candidate) => count + candidate.tags.length, 0),
    0,
  );
}
