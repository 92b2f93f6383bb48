/** A repository user's access on one repository, read from whichever list vCR filled. */

import type { RepoUser, RepoUserWithActions } from '../../vcr/types';
import { accessOf } from '../policies';

/** Access on one repository, with the policy ids behind it (sorted, so two reads compare equal). */
export interface RepoUserAccess {
  access: 'push' | 'pull' | 'none';
  policyIds: string[];
}

/**
 * Returns what `user` may do on `repoId`: from `policyActionList` when vCR listed the user under that repository,
 * else from the matching entry of `repoPermissionList`.
 */
export function repoUserAccess(user: RepoUser | RepoUserWithActions, repoId: string): RepoUserAccess {
  const entry = (user.repoPermissionList ?? []).find((permission) => permission.repoId === repoId);
  const policies = entry?.policyDtoList ?? [];
  const policyIds = policies.map((policy) => policy.uuid).filter((id): id is string => typeof id === 'string');
  const actions = (user as RepoUserWithActions).policyActionList;
  const access = accessOf(Array.isArray(actions) && actions.length > 0 ? actions : policies);
  return { access, policyIds: [...policyIds].sort() };
}

/** Returns the user's other repositories with its access there, e.g. `` `web-frontend` (push) ``, or `none`. */
export function otherAccessLine(user: RepoUser, repoId: string, max = 10): string {
  const others = (user.repoPermissionList ?? []).filter((permission) => permission.repoId !== repoId);
  if (others.length === 0) return 'none';
  const shown = others
    .slice(0, max)
    .map((permission) => `\`${permission.repoName || permission.repoId}\` (${accessOf(permission.policyDtoList)})`);
  const more = others.length > max ? ` and ${others.length - max} more` : '';
  return `${shown.join(', ')}${more}`;
}
