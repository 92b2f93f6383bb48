/** Validation of the policy lists sent by attach, create-user and update-permissions. */
import { EmulatorHttpError } from './emulator-http-error';
import type { EmulatorState, StoredPermission } from './emulator-state';
import { findRepository } from './state-queries';

/**
 * Returns `policyIdList` as known policy ids. An unknown id is a 400; the "All" policy answers 500 because it is
 * reported broken live (docs/vcr-api.md#permissions), which also catches a client that picks it.
 */
export function requirePolicyIds(state: EmulatorState, policyIdList: unknown): string[] {
  if (!Array.isArray(policyIdList) || policyIdList.length === 0) {
    throw new EmulatorHttpError(400, 'policyIdList is required and must name at least one policy');
  }
  return policyIdList.map((policyId) => {
    const policy = state.policies.find((candidate) => candidate.uuid === policyId);
    if (typeof policyId !== 'string' || !policy) throw new EmulatorHttpError(400, `Policy ${policyId} not found`);
    if (policy.action === undefined && policy.name?.toLowerCase() === 'all') {
      throw new EmulatorHttpError(500, 'Internal Server Error');
    }
    return policyId;
  });
}

/** Returns `permissionRequestList` as stored permissions, checking every repository exists and appears once. */
export function requirePermissionRequestList(state: EmulatorState, list: unknown[]): StoredPermission[] {
  const permissions: StoredPermission[] = [];
  for (const entry of list) {
    if (typeof entry !== 'object' || entry === null || typeof (entry as { repoId?: unknown }).repoId !== 'string') {
      throw new EmulatorHttpError(400, 'permissionRequestList entries need repoId and policyIdList');
    }
    const { repoId, policyIdList } = entry as { repoId: string; policyIdList?: unknown };
    findRepository(state, repoId);
    if (permissions.some((permission) => permission.repoId === repoId)) {
      throw new EmulatorHttpError(400, `Repository ${repoId} appears more than once in permissionRequestList`);
    }
    permissions.push({ repoId, policyIds: requirePolicyIds(state, policyIdList) });
  }
  return permissions;
}
