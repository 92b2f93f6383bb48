/** Options of the repository-user picker: one vCR list call filtered by what the user typed, bounded by a deadline. */
import type { AllMiddlewareArgs, SlackOptionsMiddlewareArgs } from '@slack/bolt';
import { searchUserOptions } from '../../commands/user/user-options';
import type { ListenerDeps } from '../listener-deps';
import { answerOptions } from './answer-options';

// Enough to find a user by a few letters; fifty keeps the call fast.
const pageSize = 50;

/** Creates the listener of repository-user options requests. */
export function onUserOptions(deps: ListenerDeps) {
  return async ({
    body,
    ack,
    context,
  }: SlackOptionsMiddlewareArgs<'block_suggestion'> & AllMiddlewareArgs): Promise<void> => {
    const options = await answerOptions(deps, body, context, {
      label: 'User',
      what: 'repository users',
      search: (typed) => searchUserOptions(deps.vcr, typed, pageSize),
    });
    await ack({ options });
  };
}
