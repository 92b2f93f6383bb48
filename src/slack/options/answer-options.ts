/**
 * What every picker does with an options request, within Slack's 3 s: admit the actor, check they may run the
 * command of the form the picker sits in, then make one vCR search in what is left of the request's deadline. On any
 * failure the picker shows no options and the reason is logged; an options request has no other way to tell the user.
 */
import type { BlockSuggestion } from '@slack/bolt';
import { authorize } from '../../commands/authorize';
import type { PickerOption } from '../../commands/reply';
import { UserError } from '../../errors';
import { decodeFormMetadata } from '../form-metadata';
import type { ListenerDeps } from '../listener-deps';
import { renderOptions } from '../render';
import { createDeadline, DeadlineError, groupReadsWithin, type RequestArrival } from '../with-deadline';

/** One picker's search, run only once the request is authorized. */
export interface OptionsSearch {
  /** Names the picker in log lines, e.g. `Repository`. */
  label: string;
  /** What it lists, for the deadline's log line, e.g. `repositories`. */
  what: string;
  /** The one bounded vCR call; `typed` is what the user typed so far. */
  search(typed: string): Promise<PickerOption[]>;
}

/**
 * Returns the rendered options for `body`, or none when the request is refused, fails or runs past the deadline that
 * counts from `arrival` (the listener's Bolt context).
 */
export async function answerOptions(
  deps: ListenerDeps,
  body: BlockSuggestion,
  arrival: RequestArrival,
  picker: OptionsSearch,
): Promise<ReturnType<typeof renderOptions>> {
  const deadline = createDeadline(deps.budgetMs, arrival);
  const logger = deps.logger.child({ surface: 'options', userId: body.user.id, actionId: body.action_id });
  try {
    // Pickers live only in the bot's own forms, whose metadata names the command the form runs: whoever asks for
    // options must be allowed to run it, so a viewer learns nothing from an operator's form.
    await authorize(deps, {
      userId: body.user.id,
      userTeamId: body.user.team_id,
      teamId: body.team?.id,
      surface: 'options',
      commandId: decodeFormMetadata(body.view?.private_metadata).command,
      lookup: groupReadsWithin(deadline),
    });
    const found = await deadline.race(picker.search(body.value ?? ''), 'vCR', `listing ${picker.what}`);
    return renderOptions(found);
  } catch (error) {
    // An empty list is all a picker can show; Slack reads it as "no results", so the log says why.
    if (error instanceof UserError) logger.info('Options refused', { reason: error.message });
    else if (error instanceof DeadlineError) logger.warn(`${picker.label} options ran out of time`, { error });
    else logger.warn(`${picker.label} options failed`, { error: error instanceof Error ? error : String(error) });
    return [];
  }
}
