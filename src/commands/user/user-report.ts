/**
 * `users --report`: every repository user read (all pages), grouped into what needs a look: users that never expire,
 * expired or disabled users still attached to repositories, and users attached to no repository (issue 11).
 */

import { collect, paginate } from '../../vcr/paginate';
import type { RepoUser } from '../../vcr/types';
import type { ReadContext } from '../command';
import { commandIds } from '../command-ids';
import { counted } from '../image/artifact-fields';
import type { ListItem, Part, Reply } from '../reply';
import { userArgs } from './user-args';
import { userRepositoriesLine, userStatus, userStatusLine } from './user-fields';

/** Users the report reads at most: fifty calls of a hundred, which a job has time for. */
export const maxReportUsers = 5_000;

/** Rows shown per group; the rest are counted (three groups stay within a message's 50 blocks). */
export const reportRowsPerGroup = 10;

/**
 * Builds the report: each group with its count and its first users by name, each with a button opening the user.
 * A user may be in two groups (a disabled user that never expires and is still attached).
 */
export async function userReport(ctx: ReadContext): Promise<Reply> {
  let totalItem = 0;
  const users = await collect(
    paginate(
      async (page, size) => {
        const answer = await ctx.vcr.users.list({ page, size });
        if (page === 1) totalItem = Number(answer.totalItem) || 0;
        return answer;
      },
      { pageSize: 100, maxItems: maxReportUsers },
    ),
  );
  const now = ctx.now();
  const byName = [...users].sort((a, b) => a.name.localeCompare(b.name, 'en', { sensitivity: 'base' }));
  const groups = [
    {
      title: 'Never expire',
      users: byName.filter((user) => !user.expiredAt),
      empty: 'Every repository user has an expiry.',
    },
    {
      title: 'Expired or disabled, still attached to repositories',
      users: byName.filter((user) => userStatus(user, now) !== 'enabled' && attachment(user) === 'attached'),
      empty: 'No expired or disabled user is attached to a repository.',
    },
    {
      title: 'Attached to no repository',
      users: byName.filter((user) => attachment(user) === 'none'),
      empty: 'Every repository user is attached to a repository.',
    },
  ];
  const untold = byName.filter((user) => attachment(user) === 'unknown').length;
  const partial = totalItem > users.length ? ` (the first ${users.length} of ${totalItem})` : '';
  const counts = groups.map((group) => `${group.title.toLowerCase()}: ${group.users.length}`).join('; ');
  return {
    text: `Repository users report${partial}: ${counts}`,
    parts: [
      { type: 'header', text: 'Repository users report' },
      {
        type: 'context',
        text: `${users.length} repository users read${partial}. A user may be in two groups.${untold > 0 ? ` ${counted(untold, 'user')} left out of the attachment groups: vCR did not say which repositories ${untold === 1 ? 'it is' : 'they are'} attached to.` : ''}`,
      },
      ...groups.flatMap((group): Part[] => {
        const shown = group.users.slice(0, reportRowsPerGroup);
        const more = group.users.length - shown.length;
        return [
          { type: 'header', text: `${group.title} (${group.users.length})` },
          {
            type: 'list',
            items: shown.map((user) => userItem(user, now)),
            empty: group.empty,
            ...(more > 0 ? { more: { count: more } } : {}),
          },
        ];
      }),
    ],
  };
}

/**
 * Whether `user` is attached to a repository: `attached` when `numberOfRepo` or `repoPermissionList` says so, either
 * one, since neither is documented as the one to trust; `none` only when both say none; `unknown` when a field left
 * out (or null) leaves it untold, so a missing field never reports an attached user as idle (docs/vcr-api.md#behaviour).
 */
function attachment(user: RepoUser): 'attached' | 'none' | 'unknown' {
  const raw: unknown = user.numberOfRepo;
  const count = typeof raw === 'number' || (typeof raw === 'string' && raw.trim() !== '') ? Number(raw) : Number.NaN;
  const list: unknown = user.repoPermissionList;
  const listed = Array.isArray(list) ? list.length : undefined;
  if (count > 0 || (listed ?? 0) > 0) return 'attached';
  return count === 0 && listed === 0 ? 'none' : 'unknown';
}

function userItem(user: RepoUser, now: number): ListItem {
  return {
    title: `*${user.name}* \`${user.backendName}\``,
    lines: [userStatusLine(user, now), userRepositoriesLine(user)],
    action: { label: 'Open', invocation: { command: commandIds.userShow, args: userArgs(user) } },
  };
}
