/** The pending action behind an impact preview, and its confirm and Cancel buttons cut to Slack's sizes. */
import type { NewPendingAction } from '../store/pending-store';
import type { CommandContext } from './command';
import { truncate } from './format';
import type { Part } from './reply';

/** What a preview asks to run on the confirming click: the command, its args, what it pinned and one summary line. */
export type ConfirmRequest = Pick<NewPendingAction, 'command' | 'args' | 'pin' | 'summary'>;

/** What the confirm button and its dialog say. */
export interface ConfirmWording {
  /** The button, e.g. `Delete team/api`. */
  label: string;
  /** The dialog title, e.g. `Delete image team/api?`. */
  title: string;
  /** The dialog body: what goes, e.g. `This deletes … It cannot be undone.` */
  text: string;
  /** The dialog's confirm button; `Delete` unless told. */
  confirm?: string;
  /** The dialog's button that backs out; `Keep it` unless told. */
  deny?: string;
}

/**
 * Creates the pending action `request` for the actor and returns the actions part of its preview: the danger button
 * confirms it after Slack's dialog, Cancel drops it. Sizes follow docs/slack-limits.md#block-kit-sizes (button 75,
 * title 100, text 300 characters).
 */
export async function confirmActions(
  ctx: CommandContext,
  request: ConfirmRequest,
  wording: ConfirmWording,
): Promise<Part> {
  const pending = await ctx.pending.create({
    ...request,
    requestedBy: ctx.actor.userId,
    channelId: ctx.actor.channelId,
  });
  return {
    type: 'actions',
    actions: [
      {
        label: truncate(wording.label, 75),
        style: 'danger',
        pending: { id: pending.id, decision: 'confirm' },
        confirm: {
          title: truncate(wording.title, 100),
          text: truncate(wording.text, 300),
          confirm: wording.confirm ?? 'Delete',
          deny: wording.deny ?? 'Keep it',
        },
      },
      { label: 'Cancel', pending: { id: pending.id, decision: 'cancel' } },
    ],
  };
}
