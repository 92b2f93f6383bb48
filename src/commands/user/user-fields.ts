/** How a repository user reads in replies: status, expiry, repositories, and the fields of its card. */
import type { RepoUser } from '../../vcr/types';
import { formatDate, truncate } from '../format';
import type { Field } from '../reply';

/** Returns `disabled`, `expired` or `enabled`; a disabled user reads as disabled whatever its expiry. */
export function userStatus(user: RepoUser, now: number): 'enabled' | 'disabled' | 'expired' {
  if (user.disable) return 'disabled';
  const expiry = user.expiredAt ? Date.parse(user.expiredAt) : Number.NaN;
  return Number.isFinite(expiry) && expiry <= now ? 'expired' : 'enabled';
}

/** Returns `never expires`, `expires <date>` or `expired <date>`. */
export function userExpiry(user: RepoUser, now: number): string {
  if (!user.expiredAt) return 'never expires';
  const expiry = Date.parse(user.expiredAt);
  return `${Number.isFinite(expiry) && expiry <= now ? 'expired' : 'expires'} ${formatDate(user.expiredAt)}`;
}

/**
 * Says why a user given access still cannot log in (it is disabled or expired) and what makes it work, or undefined
 * when it can log in.
 */
export function loginWarning(user: RepoUser, now: number, slashCommand: string): string | undefined {
  const status = userStatus(user, now);
  if (status === 'disabled') {
    return `\`${user.name}\` is disabled, so it cannot log in with this access until \`${slashCommand} user enable ${user.name}\`.`;
  }
  if (status === 'expired') {
    return `\`${user.name}\` ${userExpiry(user, now)}, so it cannot log in with this access until its expiry is moved with \`${slashCommand} user update ${user.name}\`.`;
  }
  return undefined;
}

/** Returns e.g. `enabled · never expires`, `disabled · expires <date>` or `expired <date>`. */
export function userStatusLine(user: RepoUser, now: number): string {
  const status = userStatus(user, now);
  return status === 'expired' ? userExpiry(user, now) : `${status} · ${userExpiry(user, now)}`;
}

/** Returns e.g. `2 repositories: payments-api, web-frontend`, naming at most `max`. */
export function userRepositoriesLine(user: RepoUser, max = 3): string {
  const permissions = user.repoPermissionList ?? [];
  const count = permissions.length > 0 ? permissions.length : Number(user.numberOfRepo) || 0;
  if (count === 0) return 'no repositories';
  const names = permissions.slice(0, max).map((permission) => permission.repoName || permission.repoId);
  const more = count > names.length ? `, and ${count - names.length} more` : '';
  const label = count === 1 ? 'repository' : 'repositories';
  return names.length > 0 ? `${count} ${label}: ${names.join(', ')}${more}` : `${count} ${label}`;
}

/** Returns every field of a user card, in reading order (eight, under Slack's ten per section). */
export function userFields(user: RepoUser, now: number): Field[] {
  return [
    { label: 'Name', value: user.name },
    { label: 'Login user', value: `\`${user.backendName}\`` },
    { label: 'ID', value: `\`${user.uuid}\`` },
    { label: 'Status', value: userStatus(user, now) },
    { label: 'Expiry', value: userExpiry(user, now) },
    { label: 'Created', value: formatDate(user.createdAt, 'unknown') },
    { label: 'Repositories', value: String((user.repoPermissionList ?? []).length || Number(user.numberOfRepo) || 0) },
    { label: 'Description', value: user.description ? truncate(user.description, 500) : 'none' },
  ];
}
