/**
 * Options of the repository picker: one vCR list call filtered by what the user typed, bounded so the answer
 * arrives within Slack's 3 s; on any failure the picker shows no options and the reason is logged.
 */
import type { AllMiddlewareArgs, SlackOptionsMiddlewareArgs } from '@slack/bolt';
import { searchRepositoryOptions } from '../../commands/repository-options';
import { UserError } from '../../errors';
import { admitActor } from '../admit-actor';
import type { ListenerDeps } from '../listener-deps';
import { renderOptions } from '../render';
import { withDeadline } from '../with-deadline';

// Enough to find a repository by a few letters; fifty keeps the call fast.
const pageSize = 50;

/** Creates the listener of repository options requests. */
export function onRepositoryOptions(deps: ListenerDeps) {
  return async ({ body, ack }: SlackOptionsMiddlewareArgs<'block_suggestion'> & AllMiddlewareArgs): Promise<void> => {
    const logger = deps.logger.child({ surface: 'options', userId: body.user.id });
    let options: ReturnType<typeof renderOptions> = [];
    try {
      await admitActor(deps, { teamId: body.team?.id, userId: body.user.id, checkChannel: false });
      const found = await withDeadline(
        searchRepositoryOptions(deps.vcr, body.value, pageSize),
        deps.optionsDeadlineMs,
        () => new Error(`vCR did not list repositories within ${deps.optionsDeadlineMs} ms`),
      );
      options = renderOptions(found);
    } catch (error) {
      if (error instanceof UserError) logger.info('Options refused', { reason: error.message });
      else logger.warn('Repository options failed', { error: error instanceof Error ? error : String(error) });
    }
    await ack({ options });
  };
}
