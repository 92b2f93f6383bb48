/**
 * `repo delete REPO [--force]`: previews what a repository delete takes away and, on the confirming click, deletes
 * it. vCR deletes only empty repositories, so `--force` plans deleting every image first.
 */
import { createHash } from 'node:crypto';
import { UserError } from '../errors';
import type { PendingAction } from '../store/pending-store';
import type { VcrClient } from '../vcr/client';
import { VcrApiError } from '../vcr/errors';
import { collect, paginate } from '../vcr/paginate';
import { resolveRepository } from '../vcr/resolve-repository';
import type { Image, Repository, RepoUserWithActions } from '../vcr/types';
import type { CommandContext, CommandSpec } from './command';
import { formatBytes, truncate } from './format';
import type { Field, Reply } from './reply';
import { repoUserAccess } from './repo-user-access';
import { parseRepositoryWords, repoOf } from './repository-args';
import { rethrowAsUserError } from './vcr-failure';

// A forced delete runs in one worker job, one image after another; past this many images it could outlive the
// worker, so such a repository is emptied in smaller steps (the console or `image delete`) first.
const maxForcedImages = 200;
// Up to this many image names are pinned as they are; more are pinned as a count and a hash, keeping the record small.
const maxPinnedNames = 50;
const shownNames = 10;
const shownUsers = 10;
// Artifacts are listed and deleted a page at a time; this bounds the rounds if vCR keeps listing deleted ones.
const artifactPageSize = 100;
const maxArtifactRounds = 1000;

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

/** Previews deleting a repository (with every image under `--force`), and deletes it when the preview is confirmed. */
export const deleteRepository: CommandSpec = {
  id: 'repo.delete',
  words: ['repo', 'delete'],
  usage: 'repo delete REPO [--force]',
  summary: 'Deletes a repository after a preview and a confirming click; `--force` deletes its images first.',
  details: [
    'vCR deletes only empty repositories: without `--force` a repository that still holds images is not deleted.',
    `\`--force\` deletes every image (up to ${maxForcedImages}) and then the repository.`,
  ],
  role: 'operator',
  kind: 'destructive',
  flags: { force: 'boolean' },
  parse: (input) => {
    const [repo] = parseRepositoryWords(input, ['REPO']);
    return { repo, force: input.flags.force === true };
  },
  validate: (args) => ({ ...args, repo: repoOf(args), force: args.force === true || args.force === 'true' }),
  run: async (ctx, args) => preview(ctx, repoOf(args), args.force === true),
  execute: async (ctx, action) => execute(ctx, action),
};

async function preview(ctx: CommandContext, ref: string, force: boolean): Promise<Reply> {
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
      `\`${repo.name}\` still holds ${imageCount} ${plural(imageCount, 'image')}, and vCR deletes only empty ` +
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
        { type: 'text', text: `Images: ${namesLine(names, imageCount)}` },
        { type: 'text', text },
        {
          type: 'actions',
          actions: [
            {
              label: 'Plan with --force',
              invocation: { command: 'repo.delete', args: { repo: repo.uuid, force: true } },
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
  const names = inventory.images.map((image) => image.name);
  const artifactCount = listedArtifacts(inventory.images, inventory.images.length) ?? 0;
  const pin = pinOf(repo, inventory.images);
  const steps =
    names.length === 0
      ? [`Delete the empty repository \`${repo.name}\`.`]
      : [
          `1. Delete ${names.length} ${plural(names.length, 'image')} with their ${artifactCount} ${plural(artifactCount, 'artifact')}: ${namesLine(names, names.length)}`,
          `2. Delete the repository \`${repo.name}\`.`,
        ];
  const summary =
    names.length === 0
      ? `delete repository \`${repo.name}\``
      : `delete repository \`${repo.name}\` and its ${names.length} ${plural(names.length, 'image')}`;
  const pending = await ctx.pending.create({
    command: deleteRepository.id,
    args: { repo: repo.uuid, force },
    pin,
    summary,
    requestedBy: ctx.actor.userId,
    channelId: ctx.actor.channelId,
  });
  const confirmText =
    names.length === 0
      ? `This deletes the repository ${repo.name} and frees its ${repo.quotaLimit} GB quota.`
      : `This deletes ${names.length} ${plural(names.length, 'image')} (${artifactCount} ${plural(artifactCount, 'artifact')}, ${formatBytes(repo.quotaUsed)}) and then the repository ${repo.name}.`;
  return {
    text: `Preview: ${summary}. Nothing is deleted until you confirm.`,
    parts: [
      { type: 'header', text: `Delete repository ${repo.name}?` },
      { type: 'fields', fields: baseFields(repo, names.length, artifactCount, userLine) },
      { type: 'text', text: steps.join('\n') },
      { type: 'context', text: 'Nothing is deleted until you confirm. This cannot be undone.' },
      {
        type: 'actions',
        actions: [
          {
            label: truncate(`Delete ${repo.name}`, 75),
            style: 'danger',
            pending: { id: pending.id, decision: 'confirm' },
            confirm: {
              title: truncate(`Delete repository ${repo.name}?`, 100),
              text: truncate(`${confirmText} It cannot be undone.`, 300),
              confirm: 'Delete',
              deny: 'Keep it',
            },
          },
          { label: 'Cancel', pending: { id: pending.id, decision: 'cancel' } },
        ],
      },
    ],
  };
}

async function execute(ctx: CommandContext, action: PendingAction): Promise<Reply> {
  const pin = action.pin as RepositoryDeletePin;
  const repo = await currentRepository(ctx, pin);
  const inventory = await listAllImages(ctx.vcr, repo.uuid);
  const change = describeChange(pin, inventory);
  if (change) {
    throw new UserError(
      `\`${pin.repoName}\` changed since the preview: ${change}. Nothing was deleted; run the command again for a fresh preview.`,
    );
  }

  const deleting = { artifactsFirst: false, images: 0, artifacts: 0 };
  for (const image of inventory.images) {
    try {
      deleting.artifacts += await deleteImage(ctx.vcr, repo, image.name, deleting);
      deleting.images += 1;
    } catch (error) {
      // The confirmation ran part-way; the log says how far, so an operator can tell what is left.
      ctx.logger.warn('repository delete stopped', {
        repository: repo.name,
        image: image.name,
        deletedImages: deleting.images,
        deletedArtifacts: deleting.artifacts,
      });
      throw error;
    }
  }
  try {
    await ctx.vcr.repositories.delete(repo.uuid);
  } catch (error) {
    rethrowAsUserError(
      error,
      `delete repository \`${repo.name}\` (${deleting.images} of its images were deleted before this)`,
    );
  }

  const images = deleting.images > 0 ? ` and its ${deleting.images} ${plural(deleting.images, 'image')}` : '';
  const text = `Deleted repository \`${repo.name}\`${images}; ${repo.quotaLimit} GB of quota freed.`;
  return {
    text,
    parts: [
      { type: 'text', text },
      ...(deleting.artifacts > 0
        ? [{ type: 'context' as const, text: `${deleting.artifacts} artifacts were deleted first.` }]
        : []),
    ],
    notify: `<@${ctx.actor.userId}> deleted repository \`${repo.name}\`${images}`,
  };
}

/** Reads the pinned repository again; gone means someone else deleted it. */
async function currentRepository(ctx: CommandContext, pin: RepositoryDeletePin): Promise<Repository> {
  try {
    return await ctx.vcr.repositories.get(pin.repoId);
  } catch (error) {
    if (error instanceof VcrApiError && error.notFound) {
      throw new UserError(`The repository \`${pin.repoName}\` no longer exists; nothing was deleted.`);
    }
    throw error;
  }
}

/** Lists every image of a repository, a hundred per call, stopping after `maxForcedImages`. */
async function listAllImages(vcr: VcrClient, repoId: string): Promise<ImageInventory> {
  const images = await collect(
    paginate((page, size) => vcr.images.list(repoId, { name: '', page, size }), {
      pageSize: 100,
      maxItems: maxForcedImages + 1,
    }),
  );
  return { images: images.slice(0, maxForcedImages), tooMany: images.length > maxForcedImages };
}

function pinOf(repo: Repository, images: Image[]): RepositoryDeletePin {
  const names = images.map((image) => image.name).sort();
  const artifactCount = images.reduce((sum, image) => sum + (Number(image.artifactCount) || 0), 0);
  const base = { repoId: repo.uuid, repoName: repo.name, imageCount: names.length, artifactCount };
  return names.length <= maxPinnedNames ? { ...base, imageNames: names } : { ...base, imageNamesHash: hashOf(names) };
}

/** Says how the images differ from the pin, or returns undefined when they are as previewed. */
function describeChange(pin: RepositoryDeletePin, inventory: ImageInventory): string | undefined {
  if (inventory.tooMany) return `it now holds more than ${maxForcedImages} images (was ${pin.imageCount})`;
  const now = pinOf({ uuid: pin.repoId, name: pin.repoName } as Repository, inventory.images);
  const names = now.imageNames ?? [];
  if (pin.imageNames && now.imageNames) {
    const added = names.filter((name) => !pin.imageNames?.includes(name));
    const removed = pin.imageNames.filter((name) => !names.includes(name));
    if (added.length > 0 || removed.length > 0) {
      const parts = [`it now holds ${now.imageCount} ${plural(now.imageCount, 'image')} (was ${pin.imageCount})`];
      if (added.length > 0) parts.push(`new: ${namesLine(added, added.length)}`);
      if (removed.length > 0) parts.push(`gone: ${namesLine(removed, removed.length)}`);
      return parts.join('; ');
    }
  } else if (now.imageCount !== pin.imageCount || now.imageNamesHash !== pin.imageNamesHash) {
    return `it now holds ${now.imageCount} ${plural(now.imageCount, 'image')} (was ${pin.imageCount}), with other names`;
  }
  if (now.artifactCount !== pin.artifactCount) {
    return `its images now hold ${now.artifactCount} ${plural(now.artifactCount, 'artifact')} (was ${pin.artifactCount})`;
  }
  return undefined;
}

/**
 * Deletes one image and returns how many artifacts it deleted first. The image is deleted directly until vCR refuses
 * that for an image with artifacts; from then on (`state.artifactsFirst`) artifacts go first (../shared/vcr-api.md).
 */
async function deleteImage(
  vcr: VcrClient,
  repo: Repository,
  imageName: string,
  state: { artifactsFirst: boolean },
): Promise<number> {
  if (!state.artifactsFirst) {
    try {
      await vcr.images.delete(repo.uuid, imageName);
      return 0;
    } catch (error) {
      if (isNotFound(error)) return 0;
      if (!isRefusal(error)) throw error;
      state.artifactsFirst = true;
    }
  }
  const deleted = await deleteArtifacts(vcr, repo, imageName);
  try {
    await vcr.images.delete(repo.uuid, imageName);
  } catch (error) {
    if (!isNotFound(error)) rethrowAsUserError(error, `delete image \`${imageName}\` of \`${repo.name}\``);
  }
  return deleted;
}

/** Deletes every artifact of one image, a page at a time, and returns how many it deleted. */
async function deleteArtifacts(vcr: VcrClient, repo: Repository, imageName: string): Promise<number> {
  const deleted = new Set<string>();
  for (let round = 0; round < maxArtifactRounds; round += 1) {
    const page = await vcr.artifacts.list(repo.uuid, imageName, { name: '', page: 1, size: artifactPageSize });
    const left = (page.listData ?? []).filter((artifact) => !deleted.has(artifact.digest));
    if (left.length === 0) return deleted.size;
    for (const artifact of left) {
      try {
        await vcr.artifacts.delete(repo.uuid, imageName, artifact.digest);
      } catch (error) {
        if (!isNotFound(error)) rethrowAsUserError(error, `delete artifact \`${artifact.digest}\` of \`${imageName}\``);
      }
      deleted.add(artifact.digest);
    }
  }
  throw new Error(`vCR still lists artifacts of ${imageName} after ${maxArtifactRounds} rounds of deletes`);
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

/** Sums the artifacts of the images listed, when they are all of them; else they were not counted. */
function listedArtifacts(images: Image[], imageCount: number): number | undefined {
  if (images.length < imageCount) return undefined;
  return images.reduce((sum, image) => sum + (Number(image.artifactCount) || 0), 0);
}

function namesLine(names: string[], total: number): string {
  const shown = names.slice(0, shownNames).map((name) => `\`${name}\``);
  const more = total > shown.length ? ` and ${total - shown.length} more` : '';
  return `${shown.join(', ')}${more}`;
}

function hashOf(names: string[]): string {
  return createHash('sha256').update(names.join('\n')).digest('hex');
}

function plural(count: number, word: string): string {
  return count === 1 ? word : `${word}s`;
}

function isNotFound(error: unknown): boolean {
  return error instanceof VcrApiError && error.notFound;
}

function isRefusal(error: unknown): boolean {
  return error instanceof VcrApiError && error.status >= 400 && error.status < 500;
}
