/** A repository user's access per repository, and the permission list vCR takes for a wanted set of access. */
import { newErrorRef, UserError } from '../../errors';
import type { Logger } from '../../logger';
import type { PermissionRequest, RepoUser } from '../../vcr/types';
import { accessOf, MissingPolicyError, type PolicyResolver } from '../policies';

/** What a user may do on one repository. */
export interface RepoGrant {
  repoId: string;
  repoName: string;
  access: 'push' | 'pull' | 'none';
}

/** How an access level reads in replies. */
export const accessText = { push: 'pull and push', pull: 'pull only', none: 'no access' } as const;

/** Returns the user's access on each repository it is attached to, sorted by repository name. */
export function grantsOf(user: RepoUser): RepoGrant[] {
  return (user.repoPermissionList ?? [])
    .map((permission) => ({
      repoId: permission.repoId,
      repoName: permission.repoName || permission.repoId,
      access: accessOf(permission.policyDtoList),
    }))
    .sort((a, b) => a.repoName.localeCompare(b.repoName) || a.repoId.localeCompare(b.repoId));
}

/**
 * What makes the user's permission list unfit to stand for every grant, or undefined when it can: a list vCR sent
 * missing, null, with an entry it cannot read, without its own `numberOfRepo` to check it against, or shorter or
 * longer than that count (docs/vcr-api.md#errors).
 */
export function grantListProblem(user: RepoUser): string | undefined {
  const list: unknown = user.repoPermissionList;
  const count: unknown = user.numberOfRepo;
  if (!Array.isArray(list)) return 'it sent no list of its repositories';
  if (list.some((entry) => !isReadableGrant(entry))) return 'an entry of its list names no repository or access';
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 0) {
    return 'it does not say how many repositories it has, so its list cannot be checked';
  }
  if (count !== list.length) {
    return `it says ${count} ${count === 1 ? 'repository' : 'repositories'} but lists ${list.length}`;
  }
  return undefined;
}

/** Why a change needs every grant of the user, as the refusal says it. */
const needs = {
  replace:
    'its permissions are replaced as a whole, and rebuilding them from that answer could remove its access elsewhere',
  read: 'what it has here and keeps elsewhere cannot be told from that answer',
} as const;

/**
 * Returns the user's grants for a change that needs all of them: `replace` for one that sends back the whole
 * permission list (vCR's update replaces it, docs/vcr-api.md#permissions), `read` for one that says what the user has
 * and keeps (`repo detach`). A list with a `grantListProblem` cannot stand for every grant: this throws a `UserError`
 * saying nothing was changed, and logs what vCR sent under a ref.
 */
export function replaceableGrantsOf(user: RepoUser, logger: Logger, need: keyof typeof needs = 'replace'): RepoGrant[] {
  const problem = grantListProblem(user);
  if (problem === undefined) return grantsOf(user);
  const list: unknown = user.repoPermissionList;
  const ref = newErrorRef();
  logger.warn('permission list of a repository user is incomplete', {
    ref,
    user: user.name,
    numberOfRepo: user.numberOfRepo,
    listed: Array.isArray(list) ? list.length : String(list),
  });
  throw new UserError(
    `vCR's answer about \`${user.name}\` does not hold all of its access (${problem}), so nothing was changed: ` +
      `${needs[need]}. Try again in a minute (ref \`${ref}\`); if it keeps happening, change its access in the vCR ` +
      `console.`,
  );
}

function isReadableGrant(entry: unknown): boolean {
  if (typeof entry !== 'object' || entry === null) return false;
  const grant = entry as Record<string, unknown>;
  return typeof grant.repoId === 'string' && grant.repoId !== '' && Array.isArray(grant.policyDtoList);
}

/** Returns the grants as sorted `repoId=access` strings: what a preview pins and a confirm compares. */
export function grantKeys(grants: readonly RepoGrant[]): string[] {
  return grants.map((grant) => `${grant.repoId}=${grant.access}`).sort();
}

/** Returns e.g. `` `payments-api` (push), `ml-models` (pull) ``, at most `max` named, or `none`. */
export function grantsLine(grants: readonly RepoGrant[], max = 10): string {
  if (grants.length === 0) return 'none';
  const shown = grants.slice(0, max).map((grant) => `\`${grant.repoName}\` (${grant.access})`);
  const more = grants.length > max ? ` and ${grants.length - max} more` : '';
  return `${shown.join(', ')}${more}`;
}

/**
 * Builds the permission list for pull on `pull` and push on `push` (push sends the pull and the push policy ids, as
 * vCR needs both); throws `UserError` when vCR offers no policy for an access level.
 */
export async function permissionRequestsOf(
  policies: PolicyResolver,
  pull: readonly string[],
  push: readonly string[],
): Promise<PermissionRequest[]> {
  try {
    const pullIds = pull.length > 0 ? await policies.resolve('pull') : [];
    const pushIds = push.length > 0 ? await policies.resolve('push') : [];
    return [
      ...pull.map((repoId) => ({ repoId, policyIdList: pullIds })),
      ...push.map((repoId) => ({ repoId, policyIdList: pushIds })),
    ];
  } catch (error) {
    if (error instanceof MissingPolicyError) throw new UserError(error.message, { cause: error });
    throw error;
  }
}
