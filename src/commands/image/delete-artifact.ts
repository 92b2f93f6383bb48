/**
 * `artifact delete REF` (`:TAG` or `@sha256:DIGEST`): previews deleting one artifact and, on the confirming click,
 * deletes it. Deleting by digest removes every tag on it, so the preview names the other tags that go too.
 */

import { UserError } from '../../errors';
import { mention, rich } from '../../rich-text';
import type { Operation } from '../../store/operation-store';
import type { Artifact, Repository } from '../../vcr/types';
import type { Args, CommandContext, DestructiveSpec, Plan, ReadContext } from '../command';
import { commandIds } from '../command-ids';
import { formatBytes, formatDate, shortDigest, truncate } from '../format';
import { describeNameChange, type PinnedNames, pinNames } from '../pinned-names';
import type { Reply } from '../reply';
import { resolveRepository } from '../repository/resolve-repository';
import { rethrowAsUserError } from '../rethrow-as-user-error';
import { quotedList, tagNamesOf } from './artifact-fields';
import { imageRefOf, parseImageRefWord, refText, validateImageRef } from './image-args';
import { findArtifactByDigest, findArtifactByTag, isNotFound, readImage, reloadRepository } from './image-lookup';
import type { ImageRef } from './parse-image-ref';

/** What the preview pinned: the artifact's digest and the tags it carried, and the tag it was asked by. */
interface ArtifactDeletePin extends Record<string, unknown> {
  repoId: string;
  repoName: string;
  imageName: string;
  digest: string;
  tags: PinnedNames;
  /** The tag the user named, when they named one rather than the digest. */
  tag?: string;
}

/** Previews deleting one artifact, named by a tag or a digest, and deletes it when the preview is confirmed. */
export const deleteArtifact: DestructiveSpec = {
  id: commandIds.artifactDelete,
  words: ['artifact', 'delete'],
  usage: 'artifact delete REF',
  summary: 'Deletes one artifact, named by `:TAG` or `@sha256:DIGEST`, after a preview and a confirming click.',
  details: [
    'REF is `REPO/IMAGE:TAG` or `REPO/IMAGE@sha256:DIGEST`; DIGEST may be its first 12 hex digits, as replies show it.',
    'A tag is resolved to its artifact: deleting it removes every other tag on that artifact too, and the preview names them.',
  ],
  role: 'operator',
  kind: 'destructive',
  parse: (input) => parseImageRefWord(input, artifactRefOf),
  validate: (args) => validateImageRef(args, artifactRefOf),
  plan: async (ctx, args) => plan(ctx, artifactRefOf(args)),
  execute: async (ctx, operation) => execute(ctx, operation),
  settle: async (ctx, operation) => {
    const pin = operation.pin as ArtifactDeletePin;
    const repo = await reloadRepository(ctx, pin);
    return (await findArtifactByDigest(ctx, repo, pin.imageName, pin.digest)) ? 'not_done' : 'done';
  },
};

/** Parses `args.ref`, which must name one artifact by tag or digest. */
function artifactRefOf(args: Args): ImageRef {
  const ref = imageRefOf(args);
  if (!ref.tag && !ref.digest) {
    throw new UserError(
      `\`${refText(ref.repo, ref.image)}\` names a whole image: add \`:TAG\` or \`@sha256:DIGEST\` to name one artifact (\`image delete\` deletes the whole image).`,
      { field: 'ref' },
    );
  }
  return ref;
}

async function plan(ctx: ReadContext, ref: ImageRef): Promise<Plan> {
  const repo = await resolveRepository(ctx.vcr, ref.repo, { slashCommand: ctx.slashCommand });
  const imageShown = refText(repo.name, ref.image);
  const artifact = ref.tag
    ? await findArtifactByTag(ctx, repo, ref.image, ref.tag)
    : await findArtifactByDigest(ctx, repo, ref.image, ref.digest ?? '');
  if (!artifact) {
    const what = ref.tag ? `tag \`${ref.tag}\`` : `artifact \`${shortDigest(ref.digest ?? '')}\``;
    throw new UserError(`No ${what} in \`${imageShown}\`. Try \`${ctx.slashCommand} tags ${imageShown}\`.`);
  }
  const tags = tagNamesOf(artifact);
  const digest = shortDigest(artifact.digest);
  const pin: ArtifactDeletePin = {
    repoId: repo.uuid,
    repoName: repo.name,
    imageName: ref.image,
    digest: artifact.digest,
    tags: pinNames(tags),
    ...(ref.tag ? { tag: ref.tag } : {}),
  };
  const summary = `delete artifact \`${digest}\` of \`${imageShown}\` (${tagsPhrase(tags)})`;
  return {
    args: { ref: refText(repo.uuid, ref.image, ref.tag ? { tag: ref.tag } : { digest: artifact.digest }) },
    pin,
    summary,
    target: { repoId: repo.uuid, repoName: repo.name, imageName: ref.image, digest: artifact.digest },
    wording: {
      label: `Delete ${ref.tag ? `${ref.image}:${ref.tag}` : digest}`,
      title: `Delete artifact ${digest}?`,
      text: `This deletes artifact ${digest} of ${imageShown} (${formatBytes(artifact.size)}) with ${tags.length === 0 ? 'no tags' : `its tags ${tags.join(', ')}`}. It cannot be undone.`,
    },
    preview: {
      text: `Preview: ${summary}. Nothing is deleted until you confirm.`,
      parts: [
        {
          type: 'header',
          text: truncate(`Delete ${ref.tag ? `tag ${ref.tag}` : `artifact ${digest}`} of ${ref.image}?`, 150),
        },
        {
          type: 'fields',
          fields: [
            { label: 'Repository', value: `${repo.name} (\`${repo.backendName}\`)` },
            { label: 'Image', value: `\`${ref.image}\`` },
            { label: 'Digest', value: `\`${digest}\`` },
            { label: 'Size freed', value: formatBytes(artifact.size) },
            { label: 'Pushed', value: formatDate(artifact.pushTime, 'unknown') },
            { label: 'Last pulled', value: formatDate(artifact.pullTime) },
            { label: 'Tags that go', value: tags.length === 0 ? 'none (untagged)' : quotedList(tags, 20) },
          ],
        },
        { type: 'text', text: impactText(ref.tag, artifact) },
        { type: 'context', text: 'Nothing is deleted until you confirm. This cannot be undone.', forRequester: true },
      ],
    },
  };
}

/** Says what naming a tag really deletes: the whole artifact, with every other tag on it. */
function impactText(tag: string | undefined, artifact: Artifact): string {
  const digest = `\`${shortDigest(artifact.digest)}\``;
  const tags = tagNamesOf(artifact);
  if (tag) {
    const others = tags.filter((name) => name !== tag);
    if (others.length === 0) return `\`${tag}\` is on artifact ${digest}, which carries no other tag.`;
    return (
      `\`${tag}\` is on artifact ${digest}. vCR deletes the whole artifact, so every tag on it goes with it: ` +
      `also ${quotedList(others, 20)}.`
    );
  }
  if (tags.length === 0) return `Artifact ${digest} carries no tags.`;
  return `Every tag on artifact ${digest} goes with it: ${quotedList(tags, 20)}.`;
}

async function execute(ctx: CommandContext, operation: Operation): Promise<Reply> {
  const pin = operation.pin as ArtifactDeletePin;
  const imageShown = refText(pin.repoName, pin.imageName);
  const digest = shortDigest(pin.digest);
  const repo = await reloadRepository(ctx, pin);
  if (!(await readImage(ctx, repo, pin.imageName))) {
    throw new UserError(`The image \`${imageShown}\` no longer exists; nothing was deleted.`);
  }
  const artifact = await currentArtifact(ctx, repo, pin);
  const tags = tagNamesOf(artifact);
  const change = describeNameChange(pin.tags, tags);
  if (change) {
    throw new UserError(
      `The tags on artifact \`${digest}\` of \`${imageShown}\` changed since the preview: ${change}. ` +
        'Nothing was deleted; run the command again for a fresh preview.',
    );
  }

  try {
    await ctx.vcr.artifacts.delete(repo.uuid, pin.imageName, pin.digest);
  } catch (error) {
    if (isNotFound(error)) {
      throw new UserError(`The artifact \`${digest}\` of \`${imageShown}\` was deleted by someone else just now.`);
    }
    rethrowAsUserError(error, `delete artifact \`${digest}\` of \`${imageShown}\``);
  }
  const text = `Deleted artifact \`${digest}\` of \`${imageShown}\` (${tagsPhrase(tags)}); ${formatBytes(artifact.size)} freed.`;
  return {
    text,
    parts: [{ type: 'text', text }],
    notify: rich`${mention(ctx.actor.userId)} deleted artifact \`${digest}\` of \`${imageShown}\` (${tagsPhrase(tags)})`,
  };
}

/**
 * Finds the pinned artifact again. Asked by tag, the tag must still point at the pinned digest: a tag moved to
 * another artifact is refused with where it points now, since the user meant what the preview showed.
 */
async function currentArtifact(ctx: CommandContext, repo: Repository, pin: ArtifactDeletePin): Promise<Artifact> {
  const imageShown = refText(pin.repoName, pin.imageName);
  const digest = shortDigest(pin.digest);
  if (pin.tag) {
    const tagged = await findArtifactByTag(ctx, repo, pin.imageName, pin.tag);
    if (!tagged) {
      throw new UserError(
        `The tag \`${pin.tag}\` is no longer in \`${imageShown}\`; nothing was deleted. ` +
          `Try \`${ctx.slashCommand} tags ${imageShown}\`.`,
      );
    }
    if (tagged.digest !== pin.digest) {
      throw new UserError(
        `The tag \`${pin.tag}\` moved since the preview: it now points to artifact \`${shortDigest(tagged.digest)}\` ` +
          `(${tagsPhrase(tagNamesOf(tagged))}), not \`${digest}\`. Nothing was deleted; run the command again for a fresh preview.`,
      );
    }
    return tagged;
  }
  const found = await findArtifactByDigest(ctx, repo, pin.imageName, pin.digest);
  if (!found)
    throw new UserError(`The artifact \`${digest}\` of \`${imageShown}\` no longer exists; nothing was deleted.`);
  return found;
}

function tagsPhrase(tags: readonly string[]): string {
  if (tags.length === 0) return 'untagged';
  return `${tags.length === 1 ? 'tag' : 'tags'} ${quotedList(tags, 10)}`;
}
