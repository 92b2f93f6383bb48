/**
 * `image delete REF`: previews what deleting an image takes away (artifacts, tags, bytes) and, on the confirming
 * click, deletes it. vCR may refuse to delete an image that still has artifacts, so they then go first.
 */

import { UserError } from '../../errors';
import { mention, rich } from '../../rich-text';
import type { Operation } from '../../store/operation-store';
import type { Artifact } from '../../vcr/types';
import type { Args, CommandContext, DestructiveSpec, Plan, ReadContext } from '../command';
import { commandIds } from '../command-ids';
import { formatBytes, shortDigest, truncate } from '../format';
import { createProgress } from '../partial-failure';
import { describeNameChange, type PinnedNames, pinNames } from '../pinned-names';
import type { Reply } from '../reply';
import { counted, quotedList, tagNamesOf } from './artifact-fields';
import { parseImageRefOrRepositoryWord, refText, validatePickedImageRef, wholeImageRefOf } from './image-args';
import { createImageDeleter } from './image-deleter';
import { listAllArtifacts, readImage, reloadRepository, resolveImage } from './image-lookup';
import { imagePickerForm } from './image-picker-form';

// The confirmation runs in one worker job, one artifact delete after another; past this many it could outlive the
// worker, so such an image is thinned out first (`artifact delete` or the vCR console).
const maxImageArtifacts = 500;
const shownTags = 20;

const whyWholeImage = 'this deletes a whole image; `artifact delete REPO/IMAGE:TAG` deletes one artifact.';
const wholeImageOf = (args: Args) => wholeImageRefOf(args, whyWholeImage);

/** What the preview pinned: the image, and its artifacts and tags as they were shown. */
interface ImageDeletePin extends Record<string, unknown> {
  repoId: string;
  repoName: string;
  imageName: string;
  digests: PinnedNames;
  tags: PinnedNames;
  size: number;
}

/** Previews deleting an image with all its artifacts and tags, and deletes it when the preview is confirmed. */
export const deleteImage: DestructiveSpec = {
  id: commandIds.imageDelete,
  words: ['image', 'delete'],
  usage: 'image delete REF|REPO',
  summary: 'Deletes an image with every artifact and tag, after a preview and a confirming click.',
  details: [
    'REF is `REPO/IMAGE`; a `:TAG` or `@DIGEST` is refused here: `artifact delete` removes one artifact.',
    `When vCR refuses to delete an image that still has artifacts, its artifacts are deleted first (up to ${maxImageArtifacts}).`,
    '`image delete REPO` opens a form to pick one of its images; the preview follows the pick.',
  ],
  role: 'operator',
  kind: 'destructive',
  parse: (input) => parseImageRefOrRepositoryWord(input, wholeImageOf),
  validate: (args) => validatePickedImageRef(args, wholeImageOf, 'image delete REPO/IMAGE'),
  // The form only picks the image: its submit runs the preview, and only the preview's button deletes.
  form: (ctx, args) =>
    imagePickerForm(ctx, args, {
      title: 'Delete an image',
      submit: 'Preview',
      command: commandIds.imageDelete,
      hint: 'Nothing is deleted yet: the next step shows what goes, with a Delete button.',
    }),
  plan: async (ctx, args) => plan(ctx, wholeImageOf(args)),
  execute: async (ctx, operation) => execute(ctx, operation),
  settle: async (ctx, operation) => {
    const pin = operation.pin as ImageDeletePin;
    const repo = await reloadRepository(ctx, pin);
    return (await readImage(ctx, repo, pin.imageName)) ? 'not_done' : 'done';
  },
};

async function plan(ctx: ReadContext, ref: { repo: string; image: string }): Promise<Plan> {
  const { repo } = await resolveImage(ctx, ref);
  const imageName = ref.image;
  const inventory = await listAllArtifacts(ctx, repo, imageName, maxImageArtifacts);
  if (inventory.tooMany) {
    throw new UserError(
      `\`${refText(repo.name, imageName)}\` has more than ${maxImageArtifacts} artifacts, more than one delete ` +
        `handles. Delete some first (\`${ctx.slashCommand} artifact delete\` or the vCR console), then run this again.`,
    );
  }
  const { artifacts } = inventory;
  const tags = artifacts.flatMap(tagNamesOf);
  const size = sizeOf(artifacts);
  const untagged = artifacts.filter((artifact) => tagNamesOf(artifact).length === 0).length;
  const shown = refText(repo.name, imageName);
  const pin: ImageDeletePin = {
    repoId: repo.uuid,
    repoName: repo.name,
    imageName,
    digests: pinNames(artifacts.map((artifact) => artifact.digest)),
    tags: pinNames(tags),
    size,
  };
  const summary = `delete image \`${shown}\` (${counted(artifacts.length, 'artifact')}, ${counted(tags.length, 'tag')})`;
  const goes =
    artifacts.length === 0
      ? 'It has no artifacts: only the empty image goes.'
      : [
          `Tags that go: ${tags.length === 0 ? 'none' : quotedList(tags, shownTags)}`,
          ...(untagged > 0 ? [`Also ${counted(untagged, 'untagged artifact')}.`] : []),
        ].join('\n');
  return {
    args: { ref: refText(repo.uuid, imageName) },
    pin,
    summary,
    target: { repoId: repo.uuid, repoName: repo.name, imageName },
    wording: {
      label: `Delete ${imageName}`,
      title: `Delete image ${imageName}?`,
      text: `This deletes ${shown} with its ${counted(artifacts.length, 'artifact')} and ${counted(tags.length, 'tag')} (${formatBytes(size)}). It cannot be undone.`,
    },
    preview: {
      text: `Preview: ${summary}. Nothing is deleted until you confirm.`,
      parts: [
        { type: 'header', text: truncate(`Delete image ${imageName}?`, 150) },
        {
          type: 'fields',
          fields: [
            { label: 'Repository', value: `${repo.name} (\`${repo.backendName}\`)` },
            { label: 'Image', value: `\`${imageName}\`` },
            { label: 'Artifacts', value: String(artifacts.length) },
            { label: 'Tags', value: String(tags.length) },
            { label: 'Size freed', value: formatBytes(size) },
          ],
        },
        { type: 'text', text: goes },
        { type: 'context', text: 'Nothing is deleted until you confirm. This cannot be undone.', forRequester: true },
      ],
    },
  };
}

async function execute(ctx: CommandContext, operation: Operation): Promise<Reply> {
  const pin = operation.pin as ImageDeletePin;
  const shown = refText(pin.repoName, pin.imageName);
  const repo = await reloadRepository(ctx, pin);
  if (!(await readImage(ctx, repo, pin.imageName))) {
    throw new UserError(`The image \`${shown}\` no longer exists; nothing was deleted.`);
  }
  const inventory = await listAllArtifacts(ctx, repo, pin.imageName, maxImageArtifacts);
  const { artifacts } = inventory;
  const tags = artifacts.flatMap(tagNamesOf);
  const changes = [
    inventory.tooMany ? `Artifacts: now more than ${maxImageArtifacts} (was ${pin.digests.count}).` : undefined,
    labelled(
      'Artifacts',
      describeNameChange(
        pin.digests,
        artifacts.map((artifact) => artifact.digest),
        shortDigest,
      ),
    ),
    labelled('Tags', describeNameChange(pin.tags, tags)),
  ].filter((change): change is string => change !== undefined);
  if (changes.length > 0) {
    throw new UserError(
      `\`${shown}\` changed since the preview. ${changes.join(' ')} Nothing was deleted; run the command again for a fresh preview.`,
    );
  }

  // Each artifact and the image are steps of one progress: a failure after the first says what went and what stayed.
  const progress = createProgress(`delete image \`${shown}\``, []);
  const deleter = createImageDeleter(ctx, repo, progress, { withRepository: true });
  const deletedFirst = await deleter.deleteImage(pin.imageName, artifacts);
  if (deletedFirst === undefined) {
    throw new UserError(`The image \`${shown}\` was deleted by someone else just now.`);
  }
  const size = sizeOf(artifacts);
  const text = `Deleted image \`${shown}\`: ${counted(artifacts.length, 'artifact')} and ${counted(tags.length, 'tag')}, ${formatBytes(size)} freed.`;
  return {
    text,
    parts: [
      { type: 'text', text },
      ...(deletedFirst > 0
        ? [{ type: 'context' as const, text: `vCR deletes only empty images, so its artifacts were deleted first.` }]
        : []),
    ],
    notify: rich`${mention(ctx.actor.userId)} deleted image \`${shown}\` (${counted(artifacts.length, 'artifact')}; tags ${quotedList(tags, 5)})`,
  };
}

function labelled(label: string, change: string | undefined): string | undefined {
  return change === undefined ? undefined : `${label}: ${change}.`;
}

function sizeOf(artifacts: Artifact[]): number {
  return artifacts.reduce((sum, artifact) => sum + (Number(artifact.size) || 0), 0);
}
