/** Reading one repository user again by exact name or id: vCR has no get-user call, only a filtered list. */
import type { VcrReads } from '../../vcr/client';
import { collect, paginate } from '../../vcr/paginate';
import type { RepoUser } from '../../vcr/types';
import type { Args } from '../command';
import { resolveRepoUser } from './resolve-repo-user';
import { userNameOf, userRefOf } from './user-args';

// vCR's `name` filter is a substring match (docs/vcr-api.md#still-unknown), so a short name may list many others;
// this bounds one lookup.
const maxCandidates = 500;

/** Returns the repository user named exactly `name`, or undefined when the list has none. */
export async function findUserByName(vcr: Pick<VcrReads, 'users'>, name: string): Promise<RepoUser | undefined> {
  const users = await listByName(vcr, name);
  return users.find((user) => user.name === name);
}

/**
 * Returns the repository user `uuid` as vCR shows it now, searching by its name (names never change), or undefined
 * when it is gone.
 */
export async function reloadUser(
  vcr: Pick<VcrReads, 'users'>,
  user: { uuid: string; name: string },
): Promise<RepoUser | undefined> {
  const users = await listByName(vcr, user.name);
  return users.find((candidate) => candidate.uuid === user.uuid);
}

/**
 * Returns the repository user `args` names: typed as a name, backend name or id, or an id with the name a button or a
 * picker carried, which finds it in one filtered list. Throws `UserError` when none or several match.
 */
export function resolveUserArgs(
  vcr: Pick<VcrReads, 'users'>,
  args: Args,
  options: { slashCommand?: string } = {},
): Promise<RepoUser> {
  return resolveRepoUser(vcr, userRefOf(args), { ...options, name: userNameOf(args) });
}

function listByName(vcr: Pick<VcrReads, 'users'>, name: string): Promise<RepoUser[]> {
  return collect(
    paginate((page, size) => vcr.users.list({ name, page, size }), { pageSize: 100, maxItems: maxCandidates }),
  );
}
