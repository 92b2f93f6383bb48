/** Options of the repository picker: one vCR list call filtered by what the user typed, bounded by a deadline. */
import type { AllMiddlewareArgs, SlackOptionsMiddlewareArgs } from '@slack/bolt';
import { searchRepositoryOptions } from '../../commands/repository/repository-options';
import type { ListenerDeps } from '../listener-deps';
import { answerOptions } from './answer-options';

// Enough to find a repository by a few letters; fifty keeps the call fast.
const pageSize = 50;

/** Creates the listener of repository options requests. */
export function onRepositoryOptions(deps: ListenerDeps) {
  return async ({
    body,
    ack,
    context,
  }: SlackOptionsMiddlewareArgs<'block_suggestion'> & AllMiddlewareArgs): Promise<void> => {
    const options = await answerOptions(deps, body, context, {
      label: 'Repository',
      what: 'repositories',
      search: (typed) => searchRepositoryOptions(deps.vcr, typed, pageSize),
    });
    await ack({ options });
  };
}
