/** The query behind the repository-user picker, kept free of Slack so the options listener only bounds and renders it. */
import type { VcrReads } from '../../vcr/client';
import { truncate } from '../format';
import type { PickerOption } from '../reply';
import { userPickValue } from './user-args';

// Slack shows at most 100 options and cuts option texts at 75 characters (docs/slack-limits.md#block-kit-sizes); fifty
// users are plenty to pick from by a few letters and keep the one call fast.
const maxPageSize = 50;
const maxOptionText = 75;

/**
 * Lists at most `limit` (≤ 50) repository users whose name matches what the user `typed` (every user when it is
 * blank), with one vCR list call: `NAME@ID` as the value (see `userPickValue`), `name (backendName)` as the text.
 */
export async function searchUserOptions(
  vcr: Pick<VcrReads, 'users'>,
  typed: string | undefined,
  limit: number,
): Promise<PickerOption[]> {
  const name = typed?.trim();
  const size = Math.min(Math.max(1, Math.floor(limit)), maxPageSize);
  const page = await vcr.users.list({ page: 1, size, ...(name ? { name } : {}) });
  return (page.listData ?? [])
    .slice(0, size)
    .map((user) => ({ value: userPickValue(user), text: userOptionText(user) }));
}

/** The text a user is shown by in the picker: its name and its docker login name, cut to Slack's 75 characters. */
export function userOptionText(user: { name: string; backendName: string }): string {
  return truncate(`${user.name} (${user.backendName})`, maxOptionText);
}
