/** `image REF`: one image's card with its figures, the docker pull line and buttons for its tags and its delete. */

import type { Args, CommandSpec } from '../command';
import { commandIds } from '../command-ids';
import { formatDate, truncate } from '../format';
import type { Reply } from '../reply';
import { counted, dockerPullHint } from './artifact-fields';
import { parseImageRefOrRepositoryWord, refText, validatePickedImageRef, wholeImageRefOf } from './image-args';
import { resolveImage } from './image-lookup';
import { imagePickerForm } from './image-picker-form';

const whyWholeImage = 'this shows a whole image; `tags REPO/IMAGE:TAG` shows one artifact.';
const wholeImageOf = (args: Args) => wholeImageRefOf(args, whyWholeImage);

/** Shows one image with Tags and Delete buttons. */
export const showImage: CommandSpec = {
  id: commandIds.imageShow,
  words: ['image'],
  usage: 'image REF|REPO',
  summary: 'Shows an image: artifacts, pulls, last update and how to pull it.',
  details: [
    'REF is `REPO/IMAGE`; a `:TAG` or `@DIGEST` is refused here (see `tags`).',
    '`image REPO` opens a form to pick one of its images.',
  ],
  role: 'viewer',
  kind: 'read',
  parse: (input) => parseImageRefOrRepositoryWord(input, wholeImageOf),
  validate: (args) => validatePickedImageRef(args, wholeImageOf, 'image REPO/IMAGE'),
  form: (ctx, args) =>
    imagePickerForm(ctx, args, { title: 'Show an image', submit: 'Show', command: commandIds.imageShow }),
  run: async (ctx, args): Promise<Reply> => {
    const ref = wholeImageOf(args);
    const { repo, image } = await resolveImage(ctx, ref);
    const target = { ref: refText(repo.uuid, ref.image) };
    return {
      text: `Image ${ref.image} in ${repo.name}`,
      parts: [
        { type: 'header', text: truncate(`Image ${ref.image}`, 150) },
        {
          type: 'fields',
          fields: [
            { label: 'Repository', value: `${repo.name} (\`${repo.backendName}\`)` },
            { label: 'Image', value: `\`${ref.image}\`` },
            { label: 'Artifacts', value: counted(image.artifactCount, 'artifact') },
            { label: 'Pulls', value: String(image.pullCount ?? 'unknown') },
            { label: 'Last update', value: formatDate(image.updateTime, 'unknown') },
          ],
        },
        { type: 'context', text: dockerPullHint(repo, ref.image) },
        {
          type: 'actions',
          actions: [
            { label: 'Tags', invocation: { command: commandIds.tagsList, args: target } },
            // Only runs the impact preview; the delete itself waits for the confirming click there.
            { label: 'Delete', style: 'danger', invocation: { command: commandIds.imageDelete, args: target } },
          ],
        },
      ],
    };
  },
};
