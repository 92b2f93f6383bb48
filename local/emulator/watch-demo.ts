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

// The demo's build-cache history besides its oldest artifact: label, tags, pushed and last pulled (days before now,
// null: never), size in GB. With the oldest (0.4 GB) they use 1.8 GB of the 2 GB quota, and a cleanup has something
// to plan: `cleanup build-cache --keep 2 --untagged-older 14` removes the two old untagged ones.
const buildCacheHistory: [label: string, tags: string[], pushed: number, pulled: number | null, gb: number][] = [
  ['latest', ['latest', 'build-43'], 1, 0, 0.3],
  ['build-42', ['build-42'], 20, 10, 0.3],
  ['untagged-30', [], 30, null, 0.4],
  ['build-41', ['build-41'], 40, null, 0.4],
];

function nextTagId(state: EmulatorState): number {
  return state.artifacts.reduce((max, artifact) => Math.max(max, ...artifact.tags.map((tag) => tag.id)), 0) + 1;
}

/**
 * Adds the watcher's demo: `build-cache` at 90% of its 2 GB, five artifacts of one image pushed over the last year,
 * and `release-bot` expiring five days after `now`.
 */
export function seedWatchDemo(state: EmulatorState, now: number): void {
  const oldestGb = 1.8 - buildCacheHistory.reduce((sum, [, , , , gb]) => sum + gb, 0);
  const repoId = addRepositoryWithUsage(state, {
    name: 'build-cache',
    quotaGb: 2,
    usedBytes: Math.round(oldestGb * bytesPerGb),
  });
  const iso = (days: number) => new Date(now - days * 86_400_000).toISOString();
  for (const [label, tags, pushed, pulled, gb] of buildCacheHistory) {
    const id = nextNumericId(state.artifacts);
    state.artifacts.push({
      id,
      repoId,
      imageName,
      digest: seededDigest(`watch/build-cache/${label}`),
      type: 'IMAGE',
      size: Math.round(gb * bytesPerGb),
      pushTime: iso(pushed),
      pullTime: pulled === null ? null : iso(pulled),
      tags: tags.map((name) => ({
        id: nextTagId(state),
        name,
        pushTime: iso(pushed),
        pullTime: pulled === null ? null : iso(pulled),
        immutable: false,
      })),
    });
  }
  addUserExpiringAt(state, 'release-bot', daysAfter(now, 5.5), [repoId]);
}
