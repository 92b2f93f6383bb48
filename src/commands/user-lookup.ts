/** Reading one repository user again by exact name or id: vCR has no get-user call, only a filtered list. */
import type { VcrClient } from '../vcr/client';
import { collect, paginate } from '../vcr/paginate';
import type { RepoUser } from '../vcr/types';

// vCR's `name` filter is a substring match, so a short name may list many others; this bounds one lookup.
const maxCandidates = 500;

/** Returns the repository user named exactly `name`, or undefined when the list has none. */
export async function findUserByName(vcr: Pick<VcrClient, 'users'>, name: string): Promise<RepoUser | undefined> {
  const users = await listByName(vcr, name);
  return users.find((user) => user.name === name);
}

/**
 * Returns the repository user `uuid` as vCR shows it now, searching by its name (names never change), or undefined
 * when it is gone.
 */
export async function reloadUser(
  vcr: Pick<VcrClient, 'users'>,
  user: { uuid: string; name: string },
): Promise<RepoUser | undefined> {
  const users = await listByName(vcr, user.name);
  return users.find((candidate) => candidate.uuid === user.uuid);
}

function listByName(vcr: Pick<VcrClient, 'users'>, name: string): Promise<RepoUser[]> {
  return collect(
    paginate((page, size) => vcr.users.list({ name, page, size }), { pageSize: 100, maxItems: maxCandidates }),
  );
}
