/**
 * `repo delete REPO [--force]`: previews what a repository delete takes away and, on the confirming click, deletes
 * it. vCR deletes only empty repositories, so `--force` plans deleting every image first.
 */

import { UserError } from '../../errors';
import { mention, rich } from '../../rich-text';
import type { Operation } from '../../store/operation-store';
import type { VcrReads } from '../../vcr/client';
import { collect, paginate } from '../../vcr/paginate';
import type { Image, Repository, RepoUserWithActions } from '../../vcr/types';
import { parsePositionals } from '../args';
import type { CommandContext, DestructiveSpec, Plan, ReadContext } from '../command';
import { commandIds } from '../command-ids';
import { formatBytes } from '../format';
import { counted, quotedList } from '../image/artifact-fields';
import { createImageDeleter, imageStep } from '../image/image-deleter';
import { isNotFound, listAllArtifacts, reloadRepository } from '../image/image-lookup';
import { createProgress } from '../partial-failure';
import { pinNames } from '../pinned-names';
import type { Field, Reply } from '../reply';
import { repoUserAccess } from './repo-user-access';
import { repoOf } from './repository-args';
import { resolveRepository } from './resolve-repository';

// A forced delete runs in one worker job, one image after another; past this many images it could outlive the
// worker, so such a repository is emptied in smaller steps (the console or `image delete`) first.
const maxForcedImages = 200;
// Once vCR refuses an image for its artifacts, they are deleted one call each: the same bound as `image delete`.
const maxForcedArtifacts = 500;
const shownNames = 10;
const shownUsers = 10;

/** What the preview pinned: the repository, and its images as they were shown. */
interface RepositoryDeletePin extends Record<string, unknown> {
  repoId: string;
  repoName: string;
  imageCount: number;
  artifactCount: number;
  imageNames?: string[];
  imageNamesHash?: string;
}

/** The images of a repository as a forced delete sees them. */
interface ImageInventory {
  images: Image[];
  /** True when there are more than `maxForcedImages` and the list stops there. */
  tooMany: boolean;
}

/** How many artifacts the images hold in all, counted up to just past `maxForcedArtifacts`. */
interface ArtifactTotal {
  count: number;
  /** True when there are more than `maxForcedArtifacts` and the count stops there. */
  tooMany: boolean;
}

/** Previews deleting a repository (with every image under `--force`), and deletes it when the preview is confirmed. */
export const deleteRepository: DestructiveSpec = {
  id: commandIds.repoDelete,
  words: ['repo', 'delete'],
  usage: 'repo delete REPO [--force]',
  summary: 'Deletes a repository after a preview and a confirming click; `--force` deletes its images first.',
  details: [
    'vCR deletes only empty repositories: without `--force` a repository that still holds images is not deleted.',
    `\`--force\` deletes every image (up to ${maxForcedImages} images with ${maxForcedArtifacts} artifacts in all) and then the repository.`,
  ],
  role: 'operator',
  kind: 'destructive',
  flags: { force: 'boolean' },
  parse: (input) => {
    const [repo] = parsePositionals(input, ['REPO']);
    return { repo, force: input.flags.force === true };
  },
  validate: (args) => ({ ...args, repo: repoOf(args), force: args.force === true || args.force === 'true' }),
  plan: async (ctx, args) => plan(ctx, repoOf(args), args.force === true),
  execute: async (ctx, operation) => execute(ctx, operation),
  settle: async (ctx, operation) => {
    const pin = operation.pin as RepositoryDeletePin;
    try {
      await ctx.vcr.repositories.get(pin.repoId);
      return 'not_done';
    } catch (error) {
      if (isNotFound(error)) return 'done';
      throw error;
    }
  },
};

async function plan(ctx: ReadContext, ref: string, force: boolean): Promise<Plan | Reply> {
  const repo = await resolveRepository(ctx.vcr, ref, { slashCommand: ctx.slashCommand });
  const [firstPage, users] = await Promise.all([
    ctx.vcr.images.list(repo.uuid, { name: '', page: 1, size: shownNames }),
    ctx.vcr.repositories.listUsers(repo.uuid, { page: 1, size: shownUsers }),
  ]);
  const imageCount = firstPage.totalItem ?? (firstPage.listData ?? []).length;
  const userLine = attachedUsersLine(users.listData ?? [], users.totalItem, repo.uuid);

  if (imageCount > 0 && !force) {
    const names = (firstPage.listData ?? []).map((image) => image.name);
    const text =
      `\`${repo.name}\` still holds ${counted(imageCount, 'image')}, and vCR deletes only empty ` +
      `repositories, so nothing can be confirmed. Run \`${ctx.slashCommand} repo delete ${repo.name} --force\` ` +
      'to plan deleting every image first, or delete the images one by one.';
    return {
      text,
      parts: [
        { type: 'header', text: `Delete repository ${repo.name}?` },
        {
          type: 'fields',
          fields: baseFields(repo, imageCount, listedArtifacts(firstPage.listData ?? [], imageCount), userLine),
        },
        { type: 'text', text: `Images: ${quotedList(names, shownNames, imageCount)}` },
        { type: 'text', text },
        {
          type: 'actions',
          actions: [
            {
              label: 'Plan with --force',
              invocation: { command: commandIds.repoDelete, args: { repo: repo.uuid, force: true } },
            },
          ],
        },
      ],
    };
  }

  // With images, the whole inventory is read (bounded): the plan lists and pins exactly what the click deletes.
  const inventory: ImageInventory =
    imageCount === 0 ? { images: [], tooMany: false } : await listAllImages(ctx.vcr, repo.uuid);
  if (inventory.tooMany) {
    throw new UserError(
      `\`${repo.name}\` holds ${imageCount} images, more than the ${maxForcedImages} a forced delete handles. ` +
        `Delete some images first (\`${ctx.slashCommand} image delete\` or the vCR console), then run this again.`,
    );
  }
  const total = await countArtifacts(ctx, repo, inventory.images);
  if (total.tooMany) {
    throw new UserError(
      `The images of \`${repo.name}\` hold more than ${maxForcedArtifacts} artifacts, more than a forced delete ` +
        `handles. Delete some images first (\`${ctx.slashCommand} image delete\` or the vCR console), then run this again.`,
    );
  }
  const names = inventory.images.map((image) => image.name);
  const artifactCount = total.count;
  const pin = pinOf(repo, inventory.images, artifactCount);
  const steps =
    names.length === 0
      ? [`Delete the empty repository \`${repo.name}\`.`]
      : [
          `1. Delete ${counted(names.length, 'image')} with their ${counted(artifactCount, 'artifact')}: ${quotedList(names, shownNames, names.length)}`,
          `2. Delete the repository \`${repo.name}\`.`,
        ];
  const summary =
    names.length === 0
      ? `delete repository \`${repo.name}\``
      : `delete repository \`${repo.name}\` and its ${counted(names.length, 'image')}`;
  const confirmText =
    names.length === 0
      ? `This deletes the repository ${repo.name} and frees its ${repo.quotaLimit} GB quota.`
      : `This deletes ${counted(names.length, 'image')} (${counted(artifactCount, 'artifact')}, ${formatBytes(repo.quotaUsed)}) and then the repository ${repo.name}.`;
  return {
    args: { repo: repo.uuid, force },
    pin,
    summary,
    target: { repoId: repo.uuid, repoName: repo.name },
    wording: {
      label: `Delete ${repo.name}`,
      title: `Delete repository ${repo.name}?`,
      text: `${confirmText} It cannot be undone.`,
    },
    preview: {
      text: `Preview: ${summary}. Nothing is deleted until you confirm.`,
      parts: [
        { type: 'header', text: `Delete repository ${repo.name}?` },
        { type: 'fields', fields: baseFields(repo, names.length, artifactCount, userLine) },
        { type: 'text', text: steps.join('\n') },
        { type: 'context', text: 'Nothing is deleted until you confirm. This cannot be undone.', forRequester: true },
      ],
    },
  };
}

async function execute(ctx: CommandContext, operation: Operation): Promise<Reply> {
  const pin = operation.pin as RepositoryDeletePin;
  const repo = await reloadRepository(ctx, pin);
  const inventory = await listAllImages(ctx.vcr, repo.uuid);
  const total = inventory.tooMany ? { count: 0, tooMany: false } : await countArtifacts(ctx, repo, inventory.images);
  const change = describeChange(pin, inventory, total);
  if (change) {
    throw new UserError(
      `\`${pin.repoName}\` changed since the preview: ${change}. Nothing was deleted; run the command again for a fresh preview.`,
    );
  }

  // Every image (with its artifacts when vCR wants them first) and then the repository are steps of one progress: a
  // failure after the first step says what went and what is still there (src/commands/partial-failure.ts).
  const repoItem = `repository \`${repo.name}\``;
  const action =
    inventory.images.length === 0
      ? `delete repository \`${repo.name}\``
      : `delete repository \`${repo.name}\` and its ${counted(inventory.images.length, 'image')}`;
  const progress = createProgress(action, [...inventory.images.map((image) => imageStep(repo, image.name)), repoItem]);
  // The count above may come from vCR's own per-image figures: the deleter bounds what it actually reads as well.
  const deleter = createImageDeleter(ctx, repo, progress, { maxReadArtifacts: maxForcedArtifacts });
  const deleting = { images: 0, artifacts: 0 };
  for (const image of inventory.images) {
    // An image someone else deleted meanwhile is gone all the same.
    deleting.artifacts += (await deleter.deleteImage(image.name)) ?? 0;
    deleting.images += 1;
  }
  try {
    await ctx.vcr.repositories.delete(repo.uuid);
  } catch (error) {
    progress.fail(repoItem, error);
  }

  const images = deleting.images > 0 ? ` and its ${counted(deleting.images, 'image')}` : '';
  const text = `Deleted repository \`${repo.name}\`${images}; ${repo.quotaLimit} GB of quota freed.`;
  return {
    text,
    parts: [
      { type: 'text', text },
      ...(deleting.artifacts > 0
        ? [{ type: 'context' as const, text: `${deleting.artifacts} artifacts were deleted first.` }]
        : []),
    ],
    notify: rich`${mention(ctx.actor.userId)} deleted repository \`${repo.name}\`${images}`,
  };
}

/** Lists every image of a repository, a hundred per call, stopping after `maxForcedImages`. */
async function listAllImages(vcr: VcrReads, repoId: string): Promise<ImageInventory> {
  const images = await collect(
    paginate((page, size) => vcr.images.list(repoId, { name: '', page, size }), {
      pageSize: 100,
      maxItems: maxForcedImages + 1,
    }),
  );
  return { images: images.slice(0, maxForcedImages), tooMany: images.length > maxForcedImages };
}

function pinOf(repo: Repository, images: Image[], artifactCount: number): RepositoryDeletePin {
  const { names, hash } = pinNames(images.map((image) => image.name));
  const base = { repoId: repo.uuid, repoName: repo.name, imageCount: images.length, artifactCount };
  return names ? { ...base, imageNames: names } : { ...base, imageNamesHash: hash };
}

/** Says how the images differ from the pin, or returns undefined when they are as previewed. */
function describeChange(pin: RepositoryDeletePin, inventory: ImageInventory, total: ArtifactTotal): string | undefined {
  if (inventory.tooMany) return `it now holds more than ${maxForcedImages} images (was ${pin.imageCount})`;
  if (total.tooMany) {
    return `its images now hold more than ${maxForcedArtifacts} artifacts (was ${pin.artifactCount})`;
  }
  const now = pinOf({ uuid: pin.repoId, name: pin.repoName } as Repository, inventory.images, total.count);
  const names = now.imageNames ?? [];
  if (pin.imageNames && now.imageNames) {
    const added = names.filter((name) => !pin.imageNames?.includes(name));
    const removed = pin.imageNames.filter((name) => !names.includes(name));
    if (added.length > 0 || removed.length > 0) {
      const parts = [`it now holds ${counted(now.imageCount, 'image')} (was ${pin.imageCount})`];
      if (added.length > 0) parts.push(`new: ${quotedList(added, shownNames, added.length)}`);
      if (removed.length > 0) parts.push(`gone: ${quotedList(removed, shownNames, removed.length)}`);
      return parts.join('; ');
    }
  } else if (now.imageCount !== pin.imageCount || now.imageNamesHash !== pin.imageNamesHash) {
    return `it now holds ${counted(now.imageCount, 'image')} (was ${pin.imageCount}), with other names`;
  }
  if (now.artifactCount !== pin.artifactCount) {
    return `its images now hold ${counted(now.artifactCount, 'artifact')} (was ${pin.artifactCount})`;
  }
  return undefined;
}

function baseFields(repo: Repository, imageCount: number, artifactCount: number | undefined, users: string): Field[] {
  return [
    { label: 'Repository', value: `${repo.name} (\`${repo.backendName}\`)` },
    { label: 'Images', value: String(imageCount) },
    { label: 'Artifacts', value: artifactCount === undefined ? 'not counted' : String(artifactCount) },
    { label: 'Size', value: formatBytes(repo.quotaUsed) },
    { label: 'Attached users (lose access)', value: users },
    { label: 'Quota freed', value: `${repo.quotaLimit} GB` },
  ];
}

function attachedUsersLine(users: RepoUserWithActions[], total: number, repoId: string): string {
  if (users.length === 0) return 'none';
  const named = users.map((user) => `\`${user.name}\` (${repoUserAccess(user, repoId).access})`);
  const more = total > users.length ? ` and ${total - users.length} more` : '';
  return `${named.join(', ')}${more}`;
}

/** Sums the artifacts of the images listed, when they are all of them and each says; else they were not counted. */
function listedArtifacts(images: Image[], imageCount: number): number | undefined {
  if (images.length < imageCount) return undefined;
  const counts = images.map((image) => listedCountOf(image));
  return counts.every((count) => count !== undefined) ? counts.reduce((sum, count) => sum + count, 0) : undefined;
}

/**
 * Counts the artifacts of `images`, stopping once there are more than `maxForcedArtifacts`: an image's own
 * `artifactCount` where vCR gives one, else its artifacts read (bounded by what is left of the cap).
 */
async function countArtifacts(ctx: ReadContext, repo: Repository, images: readonly Image[]): Promise<ArtifactTotal> {
  let count = 0;
  for (const image of images) {
    const listed = listedCountOf(image);
    if (listed === undefined) {
      const read = await listAllArtifacts(ctx, repo, image.name, maxForcedArtifacts - count);
      count += read.artifacts.length + (read.tooMany ? 1 : 0);
    } else {
      count += listed;
    }
    if (count > maxForcedArtifacts) return { count, tooMany: true };
  }
  return { count, tooMany: false };
}

/** The artifact count vCR gave for an image, or undefined when it gave none usable. */
function listedCountOf(image: Image): number | undefined {
  const count = image.artifactCount;
  return typeof count === 'number' && Number.isInteger(count) && count >= 0 ? count : undefined;
}
