/** Registers every Slack listener of the bot on a Bolt app, one per surface (commands, actions, views, options). */
import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { onDecisionClick } from './actions/on-decision-click';
import { onInvocationClick } from './actions/on-invocation-click';
import { onVcrCommand } from './commands/on-vcr-command';
import { actionIdPattern, actionIds, callbackIds, imagePickerPattern } from './ids';
import type { ListenerDeps } from './listener-deps';
import { onImageOptions } from './options/on-image-options';
import { onRepositoryOptions } from './options/on-repository-options';
import { onUserOptions } from './options/on-user-options';
import { onFormSubmit } from './views/on-form-submit';

type ButtonClick = BlockAction<ButtonAction>;

/** Adds the bot's listeners to `app`. */
export function registerListeners(app: App, deps: ListenerDeps): void {
  app.command(deps.config.slack.command, onVcrCommand(deps));
  // Only the bot's own buttons carry these action ids, and all of them are buttons.
  app.action<ButtonClick>(actionIdPattern(actionIds.run), onInvocationClick(deps, { replaceOriginal: false }));
  app.action<ButtonClick>(actionIdPattern(actionIds.page), onInvocationClick(deps, { replaceOriginal: true }));
  app.action<ButtonClick>(actionIdPattern(actionIds.decide), onDecisionClick(deps));
  app.view({ type: 'view_submission', callback_id: callbackIds.form }, onFormSubmit(deps));
  app.options({ type: 'block_suggestion', action_id: actionIds.pickRepositories }, onRepositoryOptions(deps));
  app.options({ type: 'block_suggestion', action_id: actionIds.pickUser }, onUserOptions(deps));
  app.options({ type: 'block_suggestion', action_id: imagePickerPattern }, onImageOptions(deps));
}
