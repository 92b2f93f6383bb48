/**
 * The Home tab: when a person opens it, their Home is built from the state table and published with `views.publish`
 * (docs/decisions/0022-home-tab.md). Bolt acks an event before its listener runs, but on Lambda the answer leaves
 * only when the listener ends, so every step shares the request's deadline; nobody waits for an answer, so a failure
 * is only logged, with a ref.
 */
import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import { admitHomeViewer } from '../../commands/authorize';
import { buildHome } from '../../commands/home/build-home';
import { toPlainText } from '../../rich-text';
import { newErrorRef } from '../failure-reply';
import type { ListenerDeps } from '../listener-deps';
import { renderHomeView } from '../render';
import { slackContext } from '../run-job';
import { explainSlackFailure, readSlackFailure } from '../slack-api-errors';
import { createDeadline, DeadlineError, groupReadsWithin, withDeadline } from '../with-deadline';

// Kept from the reads' share of the deadline for `views.publish`, which must follow them.
const publishReserveMs = 800;

/** Creates the listener of `app_home_opened`; the Messages tab and other tabs are left alone. */
export function onAppHomeOpened(deps: ListenerDeps) {
  return async ({ event, body, context }: SlackEventMiddlewareArgs<'app_home_opened'> & AllMiddlewareArgs) => {
    if (event.tab !== 'home') return;
    const deadline = createDeadline(deps.budgetMs, context);
    const logger = deps.logger.child({ surface: 'home', userId: event.user });
    try {
      const viewer = await admitHomeViewer(deps, {
        userId: event.user,
        teamId: body.team_id,
        lookup: groupReadsWithin(deadline),
      });
      if (!viewer) {
        logger.info('Left the Home tab of a workspace the bot does not serve unpublished', { teamId: body.team_id });
        return;
      }
      // Only the context's reads are used (approvals waiting, the freeze); nothing is run as this actor.
      const ctx = deps.commandContext(
        { userId: viewer.userId, role: viewer.role ?? 'viewer', ...(viewer.teamId ? { teamId: viewer.teamId } : {}) },
        logger,
      );
      const reply = await buildHome(
        {
          approvals: ctx.approvals,
          freeze: ctx.freeze,
          now: ctx.now,
          slashCommand: ctx.slashCommand,
          logger,
          watch: deps.watch,
          bound: (read, step) =>
            withDeadline(
              read,
              Math.max(0, deadline.remainingMs() - publishReserveMs),
              () => new DeadlineError('DynamoDB', step),
            ),
        },
        viewer,
      );
      await deadline.race(
        deps.slack.views.publish({ user_id: viewer.userId, view: renderHomeView(reply) }),
        'Slack',
        'publishing the Home tab',
      );
    } catch (error) {
      const ref = newErrorRef();
      const failure = readSlackFailure(error);
      const meaning = failure ? explainSlackFailure(failure, slackContext(deps.config)) : undefined;
      const fields = {
        ref,
        ...(meaning ? { problem: toPlainText(meaning.problem), fix: toPlainText(meaning.fix) } : {}),
        error: error instanceof Error ? error : String(error),
      };
      if (meaning?.misconfigured) logger.error('Could not publish the Home tab', fields);
      else logger.warn('Could not publish the Home tab', fields);
    }
  };
}
