/**
 * Registers every Slack listener of the bot on a Bolt app, one per surface (commands, actions, views, options, events).
 */
import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { onDecisionClick } from './actions/on-decision-click';
import { onInvocationClick } from './actions/on-invocation-click';
import { onUnknownAction } from './actions/on-unknown-action';
import { onUnknownCommand } from './commands/on-unknown-command';
import { onVcrCommand } from './commands/on-vcr-command';
import { onAppHomeOpened } from './events/on-app-home-opened';
import { actionIdPattern, actionIds, callbackIds, imagePickerPattern } from './ids';
import type { ListenerDeps } from './listener-deps';
import { onImageOptions } from './options/on-image-options';
import { onRepositoryOptions } from './options/on-repository-options';
import { onUnknownOptions } from './options/on-unknown-options';
import { onUserOptions } from './options/on-user-options';
import { logRequestSummary } from './request-summary';
import { onFormSubmit } from './views/on-form-submit';
import { onRejectSubmit } from './views/on-reject-submit';
import { onUnknownView } from './views/on-unknown-view';

type ButtonClick = BlockAction<ButtonAction>;

/** Adds the bot's listeners to `app`. */
export function registerListeners(app: App, deps: ListenerDeps): void {
  app.use(logRequestSummary(deps.logger));
  app.command(deps.config.slack.command, onVcrCommand(deps));
  // Only the bot's own buttons carry these action ids, and all of them are buttons.
  const buttons = {
    run: actionIdPattern(actionIds.run),
    page: actionIdPattern(actionIds.page),
    decide: actionIdPattern(actionIds.decide),
  };
  app.action<ButtonClick>(buttons.run, onInvocationClick(deps, { replaceOriginal: false }));
  app.action<ButtonClick>(buttons.page, onInvocationClick(deps, { replaceOriginal: true }));
  app.action<ButtonClick>(buttons.decide, onDecisionClick(deps));
  app.view({ type: 'view_submission', callback_id: callbackIds.form }, onFormSubmit(deps));
  app.view({ type: 'view_submission', callback_id: callbackIds.reject }, onRejectSubmit(deps));
  const pickers = [actionIds.pickRepositories, actionIds.pickUser, imagePickerPattern];
  app.options({ type: 'block_suggestion', action_id: actionIds.pickRepositories }, onRepositoryOptions(deps));
  app.options({ type: 'block_suggestion', action_id: actionIds.pickUser }, onUserOptions(deps));
  app.options({ type: 'block_suggestion', action_id: imagePickerPattern }, onImageOptions(deps));
  // The one event subscribed to; the payload check refuses every other (docs/decisions/0011-payload-shapes.md).
  app.event('app_home_opened', onAppHomeOpened(deps));

  // Everything else of a kind Slack sends (an old message's button, another version's modal) is answered too, since
  // Bolt would answer 404 and Slack would show the user an error (docs/decisions/0011-payload-shapes.md).
  app.command(/.*/, onUnknownCommand(deps));
  app.action({ type: 'block_actions' }, onUnknownAction(deps, matchesAny(Object.values(buttons))));
  app.view({ type: 'view_submission' }, onUnknownView(deps, matchesAny([callbackIds.form, callbackIds.reject])));
  app.view(
    { type: 'view_closed' },
    onUnknownView(deps, () => false),
  );
  app.options({ type: 'block_suggestion' }, onUnknownOptions(deps, matchesAny(pickers)));
}

function matchesAny(patterns: (string | RegExp)[]): (id: string) => boolean {
  return (id) => patterns.some((pattern) => (typeof pattern === 'string' ? pattern === id : pattern.test(id)));
}
