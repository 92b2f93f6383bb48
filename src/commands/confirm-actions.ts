/** The red confirm button and the Cancel button under an impact preview, cut to Slack's sizes. */
import { truncate } from './format';
import type { Part } from './reply';

/** What the confirm button and its dialog say. */
export interface ConfirmWording {
  /** The button, e.g. `Delete team/api`. */
  label: string;
  /** The dialog title, e.g. `Delete image team/api?`. */
  title: string;
  /** The dialog body: what goes. */
  text: string;
}

/**
 * Returns the actions part of a preview: the danger button confirms pending action `pendingId` after Slack's dialog,
 * Cancel drops it. Sizes follow ../shared/slack-limits.md (button 75, title 100, text 300 characters).
 */
export function confirmActions(pendingId: string, wording: ConfirmWording): Part {
  return {
    type: 'actions',
    actions: [
      {
        label: truncate(wording.label, 75),
        style: 'danger',
        pending: { id: pendingId, decision: 'confirm' },
        confirm: {
          title: truncate(wording.title, 100),
          text: truncate(`${wording.text} It cannot be undone.`, 300),
          confirm: 'Delete',
          deny: 'Keep it',
        },
      },
      { label: 'Cancel', pending: { id: pendingId, decision: 'cancel' } },
    ],
  };
}
