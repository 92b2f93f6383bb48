/**
 * What every picker does with an options request, within Slack's 3 s: admit the actor, check they may run the
 * command of the form the picker sits in, then make one bounded vCR search. On any failure the picker shows no
 * options and the reason is logged; an options request has no other way to tell the user.
 */
import type { BlockSuggestion } from '@slack/bolt';
import type { Actor } from '../../commands/command';
import { findCommandById } from '../../commands/registry';
import type { PickerOption } from '../../commands/reply';
import { UserError } from '../../errors';
import { requireRole } from '../../policy/role-rank';
import { admitActor } from '../admit-actor';
import { decodeFormMetadata } from '../form-metadata';
import type { ListenerDeps } from '../listener-deps';
import { renderOptions } from '../render';
import { withDeadline } from '../with-deadline';

/** One picker's search, run only once the request is authorized. */
export interface OptionsSearch {
  /** Names the picker in log lines, e.g. `Repository`. */
  label: string;
  /** What it lists, for the deadline message, e.g. `repositories`. */
  what: string;
  /** The one bounded vCR call; `typed` is what the user typed so far. */
  search(typed: string): Promise<PickerOption[]>;
}

/** Returns the rendered options for `body`, or none when the request is refused, fails or runs past the deadline. */
export async function answerOptions(
  deps: ListenerDeps,
  body: BlockSuggestion,
  picker: OptionsSearch,
): Promise<ReturnType<typeof renderOptions>> {
  const logger = deps.logger.child({ surface: 'options', userId: body.user.id, actionId: body.action_id });
  try {
    const actor = await admitActor(deps, { teamId: body.team?.id, userId: body.user.id, checkChannel: false });
    authorizeForm(deps, actor, body.view?.private_metadata);
    const found = await withDeadline(
      picker.search(body.value ?? ''),
      deps.optionsDeadlineMs,
      () => new Error(`vCR did not list ${picker.what} within ${deps.optionsDeadlineMs} ms`),
    );
    return renderOptions(found);
  } catch (error) {
    if (error instanceof UserError) logger.info('Options refused', { reason: error.message });
    else logger.warn(`${picker.label} options failed`, { error: error instanceof Error ? error : String(error) });
    return [];
  }
}

/**
 * Pickers live only in the bot's own form modals, whose metadata names the command the form runs: whoever asks for
 * options must be allowed to run that command, so a viewer learns nothing from an operator's form.
 */
function authorizeForm(deps: ListenerDeps, actor: Actor, privateMetadata: string | undefined): void {
  const metadata = decodeFormMetadata(privateMetadata);
  const spec = findCommandById(metadata.command);
  if (!spec) throw new UserError(`Unknown command \`${metadata.command}\`.`);
  requireRole(actor.role, spec.role, `run \`${deps.config.slack.command} ${spec.words.join(' ')}\``);
}
