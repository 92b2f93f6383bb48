/**
 * The buttons of the watcher's notices, shared by its channel alerts and the Home tab. Each runs an ordinary command,
 * so whoever clicks is admitted by their own role like any other request (docs/decisions/0017-watch-state.md).
 */
import { commandIds } from '../command-ids';
import type { Action } from '../reply';
import { userArgs } from '../user/user-args';

/** Raise quota (the quota form, prefilled), Largest and oldest, and Plan cleanup, for one repository. */
export function quotaNoticeActions(repo: { uuid: string }): Action[] {
  const args = { repo: repo.uuid };
  return [
    { label: 'Raise quota', style: 'primary', invocation: { command: commandIds.repoQuota, args } },
    { label: 'Largest and oldest', invocation: { command: commandIds.repoLargest, args } },
    { label: 'Plan cleanup', invocation: { command: commandIds.cleanup, args } },
  ];
}

/** Days that Extend adds to what is left, in the form it opens. */
export const extendByDays = 90;

/** Extend (the update form, prefilled), New secret (through approval) and Disable, for one repository user. */
export function expiryNoticeActions(user: { uuid: string; name: string }): Action[] {
  const args = userArgs(user);
  return [
    {
      label: 'Extend',
      style: 'primary',
      // The form adds these days to what is left when it opens, so a late click still extends from the real expiry.
      invocation: { command: commandIds.userUpdate, args: { ...args, extendBy: extendByDays } },
    },
    { label: 'New secret', invocation: { command: commandIds.userSecret, args } },
    {
      label: 'Disable',
      style: 'danger',
      invocation: { command: commandIds.userDisable, args },
      // A notice sits in a shared channel: one stray click must not stop a robot account that CI logs in with.
      confirm: {
        title: 'Disable this repository user?',
        text: `${user.name} stops logging in at once, until someone enables it again.`,
        confirm: 'Disable',
        deny: 'Keep it',
      },
    },
  ];
}
