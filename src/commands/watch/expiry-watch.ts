/**
 * Expiry reminders of one repository user: at 14, 7 and 1 days before its expiry and on the day, once each per
 * expiry, and its row of the Home tab's snapshot (docs/decisions/0021-scheduled-watcher.md).
 */
import { rich } from '../../rich-text';
import type { ExpiringUserRow, WatchStore } from '../../store/watch-store';
import type { RepoUser } from '../../vcr/types';
import { slackDate } from '../format';
import type { Reply } from '../reply';
import { userRepositoriesLine } from '../user/user-fields';
import { expiryNoticeActions, extendByDays } from './notice-actions';

const dayMs = 86_400_000;
/** Days before an expiry when a reminder is due, the last one on the day itself. */
export const reminderSteps = [14, 7, 1, 0] as const;
/** How far ahead the Home tab lists users that expire. */
const listedWithinDays = 14;
/**
 * How long after an expiry a reminder missed on the day (no pass ran) is still sent. Older expiries get none: the
 * first pass after install would post one per long-expired user, and again each time their marks' TTL ran out.
 */
const lateReminderDays = 14;

/** What the expiry watch of one user needs. */
export interface ExpiryWatchDeps {
  store: WatchStore;
  /** Posts a reminder; absent when there is no alert channel, and then nothing is marked sent either. */
  post?: (reply: Reply) => Promise<boolean>;
  now: () => number;
}

/** What the expiry watch of one user found. */
export interface ExpiryWatchResult {
  row?: ExpiringUserRow;
  /** The step whose reminder was posted, if one was. */
  reminded?: number;
}

/** Returns the whole UTC calendar days from `now` to `expiredAt`: 0 on the day, negative once past; undefined if unreadable. */
export function daysLeft(expiredAt: string | null, now: number): number | undefined {
  const expiry = expiredAt ? Date.parse(expiredAt) : Number.NaN;
  if (!Number.isFinite(expiry)) return undefined;
  return Math.floor(expiry / dayMs) - Math.floor(now / dayMs);
}

/** Returns the notice key of one reminder step of one expiry, e.g. `expiry#<repoUserId>#<expiredAt>#7`. */
export function expiryNoticeKey(repoUserId: string, expiredAt: string, step: number): string {
  return `expiry#${repoUserId}#${expiredAt}#${step}`;
}

/**
 * Marks every reminder step `user` has reached and posts one reminder, for the most urgent step newly reached, so a
 * first pass three days before sends one reminder, not two. A moved expiry has other keys, so its reminders start
 * over; a disabled user gets none, nor one expired over two weeks ago. A reminder Slack did not take is unmarked, so
 * the next pass tries again.
 */
export async function watchUserExpiry(deps: ExpiryWatchDeps, user: RepoUser): Promise<ExpiryWatchResult> {
  const left = daysLeft(user.expiredAt, deps.now());
  if (left === undefined || !user.expiredAt) return {};
  const disabled = user.disable === true;
  const listed = left <= listedWithinDays && !(disabled && left < 0);
  const row: ExpiringUserRow | undefined = listed
    ? {
        repoUserId: user.uuid,
        name: user.name,
        backendName: user.backendName,
        expiredAt: user.expiredAt,
        daysLeft: left,
        disabled,
      }
    : undefined;
  if (disabled || !deps.post) return { row };

  const reached = left >= -lateReminderDays ? reminderSteps.filter((step) => left <= step) : [];
  const marked: number[] = [];
  for (const step of reached) {
    if (await deps.store.markSent(expiryNoticeKey(user.uuid, user.expiredAt, step))) marked.push(step);
  }
  const step = marked.at(-1);
  if (step === undefined) return { row };
  if (await deps.post(expiryReminder(user, left))) return { row, reminded: step };
  for (const unsent of marked) await deps.store.clearSent(expiryNoticeKey(user.uuid, user.expiredAt, unsent));
  return { row };
}

/** Returns the reminder of a user `left` days before its expiry (0 on the day, negative after), with its buttons. */
export function expiryReminder(user: RepoUser, left: number): Reply {
  const when = whenText(left);
  const expiry = Date.parse(user.expiredAt ?? '');
  const date = Number.isFinite(expiry) ? slackDate(expiry) : 'unknown';
  const text = `Repository user ${user.name} ${when}`;
  return {
    text,
    parts: [
      { type: 'header', text: `Repository user ${user.name} ${when}` },
      {
        type: 'text',
        text: rich`\`${user.name}\` (\`${user.backendName}\`) ${left < 0 ? 'expired' : 'expires'} ${date}${left < 0 ? ' and can no longer log in' : ''}. It has access to ${userRepositoriesLine(user)}.`,
      },
      {
        type: 'context',
        text: `Extend opens the expiry form with ${extendByDays} more days filled in; New secret sends a new secret by DM to whoever asks; Disable stops it now.`,
      },
      { type: 'actions', actions: expiryNoticeActions(user) },
    ],
  };
}

function whenText(left: number): string {
  if (left < 0) return `expired ${-left === 1 ? 'yesterday' : `${-left} days ago`}`;
  if (left === 0) return 'expires today';
  if (left === 1) return 'expires tomorrow';
  return `expires in ${left} days`;
}
