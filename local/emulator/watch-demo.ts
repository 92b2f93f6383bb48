/**
 * Records that give the scheduled watcher something to say: a repository of a given usage against its quota and a
 * repository user of a given expiry, added to an emulator's state, and the demo both `npm run watch-once` and the
 * console show (a repository near its quota, a user that expires within a week). Never part of the default seed, whose
 * four repositories the other tests count on.
 */
import { defaultRegistryUrl } from './defaults';
import type { EmulatorState } from './emulator-state';
import { createRobotSecret } from './robot-secret';
import { seededDigest, seededUuid, seedIds } from './seed';
import { bytesPerGb, daysAfter, nextNumericId } from './state-queries';

const imageName = 'cache/layers';

/** Adds repository `name` of `quotaGb` holding one artifact of `usedBytes`; returns its id. */
export function addRepositoryWithUsage(
  state: EmulatorState,
  repository: { name: string; quotaGb: number; usedBytes: number },
): string {
  const uuid = `repo-${seededUuid(`watch/${repository.name}`)}`;
  const pushTime = '2025-03-01T00:00:00.000Z';
  state.repositories.push({
    uuid,
    name: repository.name,
    isPublic: false,
    quotaLimit: repository.quotaGb,
    registryUrl: defaultRegistryUrl,
    createdAt: pushTime,
  });
  state.images.push({
    id: nextNumericId(state.images),
    repoId: uuid,
    name: imageName,
    pullCount: 0,
    updateTime: pushTime,
  });
  state.artifacts.push({
    id: nextNumericId(state.artifacts),
    repoId: uuid,
    imageName,
    digest: seededDigest(`watch/${repository.name}`),
    type: 'IMAGE',
    size: repository.usedBytes,
    pushTime,
    pullTime: null,
    tags: [],
  });
  return uuid;
}

/** Sets the usage of a repository added by `addRepositoryWithUsage` to `usedBytes`. */
export function setRepositoryUsage(state: EmulatorState, repoId: string, usedBytes: number): void {
  const artifact = state.artifacts.find((candidate) => candidate.repoId === repoId);
  if (!artifact) throw new Error(`Repository ${repoId} has no artifact to size`);
  artifact.size = usedBytes;
}

/** Adds an enabled repository user `name` that expires at `expiredAt`, with pull access to `repoIds`; returns its id. */
export function addUserExpiringAt(
  state: EmulatorState,
  name: string,
  expiredAt: string,
  repoIds: readonly string[] = [],
): string {
  const uuid = `ra-${seededUuid(`watch/${name}`)}`;
  state.users.push({
    uuid,
    userId: state.users.reduce((max, user) => Math.max(max, user.userId), 0) + 1,
    name,
    description: 'Watcher demo',
    disable: false,
    expiredAt,
    createdAt: '2025-03-01T00:00:00.000Z',
    secret: createRobotSecret(),
    permissions: repoIds.map((repoId) => ({ repoId, policyIds: [seedIds.policies.pull] })),
    detachedRepoIds: [],
  });
  return uuid;
}

/** Adds the watcher's demo: `build-cache` at 90% of its 2 GB and `release-bot` expiring five days after `now`. */
export function seedWatchDemo(state: EmulatorState, now: number): void {
  const repoId = addRepositoryWithUsage(state, {
    name: 'build-cache',
    quotaGb: 2,
    usedBytes: Math.round(1.8 * bytesPerGb),
  });
  addUserExpiringAt(state, 'release-bot', daysAfter(now, 5.5), [repoId]);
}
