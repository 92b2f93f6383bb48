/**
 * Options of the image picker: one vCR list call over the images of the repository named in the picker's own
 * `action_id` (set by the renderer from the form, sent back by Slack), filtered by what the user typed.
 */
import type { AllMiddlewareArgs, SlackOptionsMiddlewareArgs } from '@slack/bolt';
import { searchImageOptions } from '../../commands/image/image-options';
import { UserError } from '../../errors';
import { repoIdOfImagePicker } from '../ids';
import type { ListenerDeps } from '../listener-deps';
import { answerOptions } from './answer-options';

// Enough to find an image by a few letters; fifty keeps the call fast.
const pageSize = 50;

/** Creates the listener of image options requests. */
export function onImageOptions(deps: ListenerDeps) {
  return async ({
    body,
    ack,
    context,
  }: SlackOptionsMiddlewareArgs<'block_suggestion'> & AllMiddlewareArgs): Promise<void> => {
    const options = await answerOptions(deps, body, context, {
      label: 'Image',
      what: 'images',
      search: async (typed) => {
        const repoId = repoIdOfImagePicker(body.action_id);
        if (!repoId) throw new UserError('This image picker names no repository.');
        return searchImageOptions(deps.vcr, repoId, typed, pageSize);
      },
    });
    await ack({ options });
  };
}
