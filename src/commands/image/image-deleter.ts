/**
 * Deleting whole images, for `image delete` and `repo delete --force`. vCR may refuse to delete an image that still has
 * artifacts (docs/vcr-api.md#repositories-images-and-quotas), with a 4xx or a 500, so its artifacts then go first, one
 * by one.
 */
import { UserError } from '../../errors';
import { VcrApiError } from '../../vcr/errors';
import type { Artifact, Repository } from '../../vcr/types';
import type { CommandContext } from '../command';
import { shortDigest } from '../format';
import type { Progress } from '../partial-failure';
import { quotedList, tagNamesOf } from './artifact-fields';
import { refText } from './image-args';
import { isNotFound, listAllArtifacts } from './image-lookup';

// Bounds reading artifacts (a thousand pages of a hundred), should vCR never stop listing them.
const defaultMaxReadArtifacts = 100_000;

/** Deletes images of one repository; once vCR refuses one for its artifacts, the next have theirs deleted first. */
export interface ImageDeleter {
  /**
   * Deletes image `imageName` and returns how many artifacts it deleted first, or undefined when the image was
   * already gone. `artifacts` are the ones to delete if vCR refuses the image with them; absent, they are read then.
   * Every call it makes is a step of the deleter's progress: a failure after an earlier step changed something is a
   * `PartialFailureError` naming what went and what is still there.
   */
  deleteImage(imageName: string, artifacts?: readonly Artifact[]): Promise<number | undefined>;
}

/** Options of `createImageDeleter`. */
export interface ImageDeleterOptions {
  /** How many artifacts it may read in all, over every image it deletes; 100,000 by default. */
  maxReadArtifacts?: number;
  /** Names images in steps with their repository (`repo/image`), for a delete of one image rather than of a repository. */
  withRepository?: boolean;
}

/** Names an image as a step of a delete, e.g. ``image `team/api` ``. */
export function imageStep(repo: Repository, imageName: string, withRepository = false): string {
  return `image \`${withRepository ? refText(repo.name, imageName) : imageName}\``;
}

/** Names an artifact as a step of a delete, e.g. ``artifact `sha256:0f8e487a89e4` (`v1`) of `team/api` ``. */
export function artifactStep(imageName: string, artifact: Artifact): string {
  const tags = tagNamesOf(artifact);
  return `artifact \`${shortDigest(artifact.digest)}\` (${tags.length === 0 ? 'untagged' : quotedList(tags, 3)}) of \`${imageName}\``;
}

/**
 * Creates an image deleter for `repo` whose steps go to `progress`; it tries a direct delete until vCR first refuses one
 * with artifacts.
 */
export function createImageDeleter(
  ctx: CommandContext,
  repo: Repository,
  progress: Progress,
  options: ImageDeleterOptions = {},
): ImageDeleter {
  const maxReadArtifacts = options.maxReadArtifacts ?? defaultMaxReadArtifacts;
  let readArtifactCount = 0;
  // Once vCR refused one image for its artifacts, it refuses the others too: their artifacts go first straight away.
  let artifactsFirst = false;
  const imageItem = (imageName: string) => imageStep(repo, imageName, options.withRepository);

  const deleteArtifacts = async (imageName: string, artifacts: readonly Artifact[]): Promise<void> => {
    const steps = artifacts.map((artifact) => artifactStep(imageName, artifact));
    progress.plan(steps, imageItem(imageName));
    for (const [index, artifact] of artifacts.entries()) {
      const step = steps[index]!;
      try {
        await ctx.vcr.artifacts.delete(repo.uuid, imageName, artifact.digest);
      } catch (error) {
        // A 404 counts as deleted: deletes are taken as idempotent, so someone else deleting the same artifact in the
        // meantime leaves the same outcome (docs/vcr-api.md#repositories-images-and-quotas).
        if (!isNotFound(error)) progress.fail(step, error);
      }
      progress.done(step);
    }
  };

  const readArtifacts = async (imageName: string): Promise<Artifact[]> => {
    const inventory = await listAllArtifacts(ctx, repo, imageName, maxReadArtifacts - readArtifactCount);
    if (inventory.tooMany) {
      throw new UserError(
        `\`${refText(repo.name, imageName)}\` has more artifacts than the ${maxReadArtifacts} in all one delete ` +
          `handles. Delete some first (\`${ctx.slashCommand} artifact delete\` or the vCR console), then run this again.`,
      );
    }
    readArtifactCount += inventory.artifacts.length;
    return inventory.artifacts;
  };

  return {
    async deleteImage(imageName, known) {
      const item = imageItem(imageName);
      progress.plan([item]);
      if (!artifactsFirst) {
        try {
          await ctx.vcr.images.delete(repo.uuid, imageName);
          progress.done(item);
          return 0;
        } catch (error) {
          if (isNotFound(error)) {
            progress.done(item);
            return undefined;
          }
          if (known?.length === 0 || !isRefusal(error)) progress.fail(item, error);
          artifactsFirst = true;
        }
      }
      let artifacts: readonly Artifact[];
      try {
        artifacts = known ?? (await readArtifacts(imageName));
      } catch (error) {
        progress.fail(item, error);
      }
      await deleteArtifacts(imageName, artifacts);
      try {
        await ctx.vcr.images.delete(repo.uuid, imageName);
      } catch (error) {
        if (!isNotFound(error)) progress.fail(item, error);
      }
      progress.done(
        item,
        artifacts.map((artifact) => artifactStep(imageName, artifact)),
      );
      return artifacts.length;
    },
  };
}

/**
 * True when vCR may have refused the image for its artifacts. It documents no status for that refusal, and only 401
 * and 500 at all (docs/vcr-api.md#errors), so a 500 counts too: deleting the artifacts first stays within the confirmed
 * delete of the whole image. Credentials, permission and rate limits are not about the artifacts.
 */
function isRefusal(error: unknown): boolean {
  if (!(error instanceof VcrApiError)) return false;
  const { status } = error;
  return status === 500 || (status >= 400 && status < 500 && status !== 401 && status !== 403 && status !== 429);
}
