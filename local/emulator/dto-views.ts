/** Builds the JSON bodies vCR returns from stored records, deriving every count and usage figure on the spot. */
import type {
  EmulatorState,
  StoredArtifact,
  StoredHistoryEntry,
  StoredImage,
  StoredPolicy,
  StoredRepository,
  StoredUser,
} from './emulator-state';
import { artifactsOf, imagesOf, quotaUsedBytes, usersAttachedTo } from './state-queries';

/** Returns `<accountId>-<name>`, the name used in docker paths and as the docker login user. */
export function backendNameOf(accountId: string, name: string): string {
  return `${accountId}-${name}`;
}

/** Returns a Repository body; `quotaUsed` is in bytes while `quotaLimit` stays in GB. */
export function toRepositoryDto(state: EmulatorState, accountId: string, repository: StoredRepository) {
  return {
    uuid: repository.uuid,
    name: repository.name,
    backendName: backendNameOf(accountId, repository.name),
    accessLevel: repository.isPublic ? 'PUBLIC' : 'PRIVATE',
    imageCount: imagesOf(state, repository.uuid).length,
    attachedUser: usersAttachedTo(state, repository.uuid).length,
    quotaLimit: repository.quotaLimit,
    quotaUsed: quotaUsedBytes(state, repository.uuid),
    registryUrl: repository.registryUrl,
    createdAt: repository.createdAt,
  };
}

/** Returns an Image body. */
export function toImageDto(state: EmulatorState, image: StoredImage) {
  return {
    name: image.name,
    artifactCount: artifactsOf(state, image.repoId, image.name).length,
    pullCount: image.pullCount,
    updateTime: image.updateTime,
  };
}

/** Returns an Artifact body; an untagged artifact has `tags: null`, as Harbor-backed APIs answer. */
export function toArtifactDto(image: StoredImage, artifact: StoredArtifact) {
  const tags = artifact.tags.map((tag) => ({
    id: tag.id,
    name: tag.name,
    pushTime: tag.pushTime,
    pullTime: tag.pullTime,
    artifactId: artifact.id,
    repositoryId: image.id,
    immutable: tag.immutable,
  }));
  return {
    digest: artifact.digest,
    type: artifact.type,
    size: artifact.size,
    pushTime: artifact.pushTime,
    pullTime: artifact.pullTime,
    tags: tags.length > 0 ? tags : null,
  };
}

/** Returns a Policy body. */
export function toPolicyDto(policy: StoredPolicy) {
  return { uuid: policy.uuid, ...(policy.action === undefined ? {} : { action: policy.action }), name: policy.name };
}

function policiesOf(state: EmulatorState, policyIds: readonly string[]): StoredPolicy[] {
  return policyIds.flatMap((id) => state.policies.filter((policy) => policy.uuid === id));
}

/** Returns a RepoUser body with its per-repository permissions. */
export function toRepoUserDto(state: EmulatorState, accountId: string, user: StoredUser) {
  return {
    uuid: user.uuid,
    name: user.name,
    backendName: backendNameOf(accountId, user.name),
    description: user.description,
    disable: user.disable,
    expiredAt: user.expiredAt,
    createdAt: user.createdAt,
    userId: user.userId,
    numberOfRepo: user.permissions.length,
    repoPermissionList: user.permissions.map((permission) => {
      const repository = state.repositories.find((candidate) => candidate.uuid === permission.repoId);
      const repoName = repository?.name ?? '';
      return {
        repoId: permission.repoId,
        repoName,
        backendRepoName: backendNameOf(accountId, repoName),
        policyDtoList: policiesOf(state, permission.policyIds).map(toPolicyDto),
      };
    }),
  };
}

/** Returns a RepoUser body as listed under one repository, with the actions it holds there. */
export function toRepoUserWithActionsDto(state: EmulatorState, accountId: string, user: StoredUser, repoId: string) {
  const permission = user.permissions.find((candidate) => candidate.repoId === repoId);
  const policyActionList = policiesOf(state, permission?.policyIds ?? []).map(
    (policy) => policy.action ?? policy.name ?? policy.uuid,
  );
  return { ...toRepoUserDto(state, accountId, user), policyActionList };
}

/**
 * Returns the robot-account object of update, enable, disable and permission. vCR does not publish it; this one
 * follows Harbor's robot account on purpose so that a client treating it as a RepoUser is caught.
 */
export function toRobotAccountDto(state: EmulatorState, accountId: string, user: StoredUser) {
  return {
    id: user.userId,
    name: `robot$${backendNameOf(accountId, user.name)}`,
    description: user.description ?? '',
    disable: user.disable,
    level: 'system',
    expires_at: user.expiredAt === null ? -1 : Math.floor(Date.parse(user.expiredAt) / 1000),
    creation_time: user.createdAt,
    permissions: user.permissions.map((permission) => {
      const repository = state.repositories.find((candidate) => candidate.uuid === permission.repoId);
      return {
        kind: 'project',
        namespace: backendNameOf(accountId, repository?.name ?? ''),
        access: policiesOf(state, permission.policyIds).map((policy) => ({
          resource: 'repository',
          action: policy.action ?? policy.name ?? '',
        })),
      };
    }),
  };
}

/** Returns a history entry body, without the internal repository link. */
export function toHistoryDto(entry: StoredHistoryEntry) {
  return {
    id: entry.id,
    userName: entry.userName,
    resourceName: entry.resourceName,
    resourceType: entry.resourceType,
    action: entry.action,
    actionTime: entry.actionTime,
  };
}
