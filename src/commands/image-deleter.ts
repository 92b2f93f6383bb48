/**
 * Deleting whole images, for `image delete` and `repo delete --force`. vCR may refuse to delete an image that still
 * has artifacts (../shared/vcr-api.md), so its artifacts then go first, one by one.
 */
import { UserError } from '../errors';
import { VcrApiError } from '../vcr/errors';
import type { Artifact, Repository } from '../vcr/types';
import type { CommandContext } from './command';
import { shortDigest } from './format';
import { refText } from './image-args';
import { isNotFound, listAllArtifacts } from './image-lookup';
import { rethrowAsUserError } from './rethrow-as-user-error';

// Bounds reading the artifacts of an image (a thousand pages of a hundred), should vCR never stop listing them.
const maxReadArtifacts = 100_000;

/** Deletes images of one repository; once vCR refuses one for its artifacts, the next have theirs deleted first. */
export interface ImageDeleter {
  /**
   * Deletes image `imageName` and returns how many artifacts it deleted first, or undefined when the image was
   * already gone. `artifacts` are the ones to delete if vCR refuses the image with them; absent, they are read then.
   */
  deleteImage(imageName: string, artifacts?: readonly Artifact[]): Promise<number | undefined>;
}

/** Creates an image deleter for `repo`; it tries a direct delete until vCR first refuses one with artifacts. */
export function createImageDeleter(ctx: CommandContext, repo: Repository): ImageDeleter {
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
    const inventory = await listAllArtifacts(ctx, repo, imageName, maxReadArtifacts);
    if (inventory.tooMany) {
      throw new UserError(
        `\`${refText(repo.name, imageName)}\` has more than ${maxReadArtifacts} artifacts, more than one delete ` +
          `handles. Delete some first (\`${ctx.slashCommand} artifact delete\` or the vCR console), then run this again.`,
      );
    }
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

function isRefusal(error: unknown): boolean {
  return error instanceof VcrApiError && error.status >= 400 && error.status < 500;
}
