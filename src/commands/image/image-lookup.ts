/**
 * Finding the image and the artifact a user means. vCR has no get-artifact call and filters artifacts only by tag
 * name (a substring), so a tag is found through that filter and matched exactly, and a digest by reading pages.
 */
import { UserError } from '../../errors';
import { VcrApiError } from '../../vcr/errors';
import { paginate } from '../../vcr/paginate';
import type { Artifact, Image, Repository } from '../../vcr/types';
import type { ReadContext } from '../command';
import { shortDigest } from '../format';
import { resolveRepository } from '../repository/resolve-repository';
import { tagNamesOf } from './artifact-fields';
import { refText } from './image-args';
import type { ImageRef } from './parse-image-ref';

/** Artifacts asked per page when reading many; a hundred keeps each answer small. */
const artifactPageSize = 100;

/** How many artifacts one lookup or inventory reads at most: ten calls of a hundred. */
export const maxScannedArtifacts = 1000;

/** An image and the repository it is in. */
export interface ResolvedImage {
  repo: Repository;
  image: Image;
}

/** The artifacts of one image as read now; `tooMany` when there were more than asked and the list stops there. */
export interface ArtifactInventory {
  artifacts: Artifact[];
  tooMany: boolean;
}

/** Resolves the repository of `ref`, then reads its image; a missing one is a `UserError` naming both. */
export async function resolveImage(ctx: ReadContext, ref: Pick<ImageRef, 'repo' | 'image'>): Promise<ResolvedImage> {
  const repo = await resolveRepository(ctx.vcr, ref.repo, { slashCommand: ctx.slashCommand });
  const image = await readImage(ctx, repo, ref.image);
  if (!image) throw missingImage(ctx, repo, ref.image);
  return { repo, image };
}

/** Reads one image, or returns undefined when vCR says it is not there. */
export async function readImage(ctx: ReadContext, repo: Repository, imageName: string): Promise<Image | undefined> {
  try {
    return await ctx.vcr.images.get(repo.uuid, imageName);
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/** Reads a pinned repository again at confirmation; gone means someone else deleted it, and nothing is done. */
export async function reloadRepository(
  ctx: ReadContext,
  pin: { repoId: string; repoName: string },
): Promise<Repository> {
  try {
    return await ctx.vcr.repositories.get(pin.repoId);
  } catch (error) {
    if (isNotFound(error)) {
      throw new UserError(`The repository \`${pin.repoName}\` no longer exists; nothing was deleted.`);
    }
    throw error;
  }
}

/** Returns the error for an image that is not in the repository, pointing at the list of its images. */
export function missingImage(ctx: ReadContext, repo: Repository, imageName: string): UserError {
  return new UserError(
    `No image \`${imageName}\` in repository \`${repo.name}\`. Try \`${ctx.slashCommand} images ${repo.name}\`.`,
  );
}

/** Returns the artifact that carries exactly `tag`, or undefined when no artifact of the image does. */
export async function findArtifactByTag(
  ctx: ReadContext,
  repo: Repository,
  imageName: string,
  tag: string,
): Promise<Artifact | undefined> {
  // The filter is a substring match (`v1` lists `v1.2` too), so the exact tag is picked here.
  for await (const artifact of listArtifacts(ctx, repo, imageName, tag, maxScannedArtifacts)) {
    if (tagNamesOf(artifact).includes(tag)) return artifact;
  }
  return undefined;
}

/**
 * Returns the artifact with `digest`, reading pages until it shows up; undefined when the image has no such artifact.
 * `digest` may be a prefix of at least 12 hex digits, as replies show digests: the one artifact it starts is returned,
 * and a prefix several artifacts share is a `UserError` listing them. An image with more than `maxScannedArtifacts`
 * artifacts is a `UserError` rather than an unbounded read.
 */
export async function findArtifactByDigest(
  ctx: ReadContext,
  repo: Repository,
  imageName: string,
  digest: string,
): Promise<Artifact | undefined> {
  const whole = /^sha256:[0-9a-f]{64}$/.test(digest);
  const matches: Artifact[] = [];
  let read = 0;
  for await (const artifact of listArtifacts(ctx, repo, imageName, '', maxScannedArtifacts + 1)) {
    if (artifact.digest === digest) return artifact;
    if (!whole && artifact.digest.startsWith(digest)) matches.push(artifact);
    read += 1;
  }
  if (read > maxScannedArtifacts) {
    throw new UserError(
      `\`${imageName}\` has more than ${maxScannedArtifacts} artifacts and \`${shortDigest(digest)}\` is not among the ` +
        `first ${maxScannedArtifacts} vCR lists; name it by a tag instead (\`${refText(repo.name, imageName, { tag: 'TAG' })}\`).`,
    );
  }
  if (matches.length > 1) {
    const listed = matches.map((artifact) => {
      const tags = tagNamesOf(artifact);
      return `\`${artifact.digest}\` (${tags.length === 0 ? 'untagged' : tags.join(', ')})`;
    });
    throw new UserError(
      `\`${digest}\` starts ${matches.length} artifacts of \`${refText(repo.name, imageName)}\`: ${listed.join(', ')}. ` +
        'Type more of the digest, or name the artifact by a tag.',
    );
  }
  return matches[0];
}

/** Reads every artifact of an image, up to `max`, saying whether there were more. */
export async function listAllArtifacts(
  ctx: ReadContext,
  repo: Repository,
  imageName: string,
  max: number,
): Promise<ArtifactInventory> {
  const artifacts: Artifact[] = [];
  for await (const artifact of listArtifacts(ctx, repo, imageName, '', max + 1)) artifacts.push(artifact);
  return { artifacts: artifacts.slice(0, max), tooMany: artifacts.length > max };
}

/** Pages through the artifacts of an image whose tag names contain `filter`; a missing image is a `UserError`. */
async function* listArtifacts(
  ctx: ReadContext,
  repo: Repository,
  imageName: string,
  filter: string,
  maxItems: number,
): AsyncIterable<Artifact> {
  const pages = paginate((page, size) => ctx.vcr.artifacts.list(repo.uuid, imageName, { name: filter, page, size }), {
    pageSize: artifactPageSize,
    maxItems,
  });
  try {
    for await (const artifact of pages) yield artifact;
  } catch (error) {
    if (isNotFound(error)) throw missingImage(ctx, repo, imageName);
    throw error;
  }
}

/** True when vCR said that what a call looked up is not there. */
export function isNotFound(error: unknown): boolean {
  return error instanceof VcrApiError && error.notFound;
}
