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
import { notePartialChange } from '../partial-change';
import { rethrowAsUserError } from '../rethrow-as-user-error';
import { refText } from './image-args';
import { isNotFound, listAllArtifacts } from './image-lookup';

// Bounds reading artifacts (a thousand pages of a hundred), should vCR never stop listing them.
const defaultMaxReadArtifacts = 100_000;

/** Deletes images of one repository; once vCR refuses one for its artifacts, the next have theirs deleted first. */
export interface ImageDeleter {
  /**
   * Deletes image `imageName` and returns how many artifacts it deleted first, or undefined when the image was
   * already gone. `artifacts` are the ones to delete if vCR refuses the image with them; absent, they are read then.
   */
  deleteImage(imageName: string, artifacts?: readonly Artifact[]): Promise<number | undefined>;
}

/** Options of `createImageDeleter`. */
export interface ImageDeleterOptions {
  /** How many artifacts it may read in all, over every image it deletes; 100,000 by default. */
  maxReadArtifacts?: number;
}

/** Creates an image deleter for `repo`; it tries a direct delete until vCR first refuses one with artifacts. */
export function createImageDeleter(
  ctx: CommandContext,
  repo: Repository,
  options: ImageDeleterOptions = {},
): ImageDeleter {
  const maxReadArtifacts = options.maxReadArtifacts ?? defaultMaxReadArtifacts;
  let readArtifactCount = 0;
  // Once vCR refused one image for its artifacts, it refuses the others too: their artifacts go first straight away.
  let artifactsFirst = false;

  const deleteArtifacts = async (imageName: string, artifacts: readonly Artifact[]): Promise<void> => {
    const shown = refText(repo.name, imageName);
    let deleted = 0;
    for (const artifact of artifacts) {
      try {
        await ctx.vcr.artifacts.delete(repo.uuid, imageName, artifact.digest);
      } catch (error) {
        // Someone else deleting the same artifact in the meantime leaves the same outcome.
        if (!isNotFound(error)) {
          // The confirmation ran part-way; the log and the message say how far, so an operator can tell what is left.
          ctx.logger.warn('image delete stopped', { image: shown, deletedArtifacts: deleted, of: artifacts.length });
          notePartialChange(error, {
            changed: artifacts.slice(0, deleted).map((gone) => `artifact ${shortDigest(gone.digest)} of ${shown}`),
            unchanged: [
              `image ${shown}`,
              ...artifacts.slice(deleted).map((kept) => `artifact ${shortDigest(kept.digest)}`),
            ],
          });
          rethrowAsUserError(
            error,
            `delete artifact \`${shortDigest(artifact.digest)}\` of \`${shown}\` (${deleted} of its ${artifacts.length} artifacts were deleted before this)`,
          );
        }
      }
      deleted += 1;
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
      const shown = refText(repo.name, imageName);
      if (!artifactsFirst) {
        try {
          await ctx.vcr.images.delete(repo.uuid, imageName);
          return 0;
        } catch (error) {
          if (isNotFound(error)) return undefined;
          if (known?.length === 0 || !isRefusal(error)) rethrowAsUserError(error, `delete image \`${shown}\``);
          artifactsFirst = true;
        }
      }
      const artifacts = known ?? (await readArtifacts(imageName));
      await deleteArtifacts(imageName, artifacts);
      try {
        await ctx.vcr.images.delete(repo.uuid, imageName);
      } catch (error) {
        if (!isNotFound(error)) {
          notePartialChange(error, {
            changed: artifacts.map((gone) => `artifact ${shortDigest(gone.digest)} of ${shown}`),
            unchanged: [`image ${shown}`],
          });
          rethrowAsUserError(
            error,
            `delete image \`${shown}\` (its ${artifacts.length} artifacts were deleted before this)`,
          );
        }
      }
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
