/**
 * Deterministic demo data: four repositories (one public, one on the HAN registry, one empty), images whose
 * names hold a `/`, artifacts with 0-3 tags, three repository users and their history. Only the users' secrets
 * are random, so no secret is ever written down.
 */
import { createHash } from 'node:crypto';
import { defaultRegistryUrl, hanRegistryUrl } from './defaults';
import { backendNameOf } from './dto-views';
import type { EmulatorState, StoredArtifact, StoredImage, StoredUser } from './emulator-state';
import { createRobotSecret } from './robot-secret';
import { appendHistory, daysAfter } from './state-queries';

function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Returns a UUID-shaped id derived from `label`, so seeded ids are the same on every run. */
export function seededUuid(label: string): string {
  const hex = sha256Hex(label);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** Returns the `sha256:<64 hex>` digest the seed gives to an artifact labelled `label`. */
export function seededDigest(label: string): string {
  return `sha256:${sha256Hex(label)}`;
}

/** Ids of seeded records, for tests and demos that need a known repository, user or policy. */
export const seedIds = {
  repositories: {
    paymentsApi: `repo-${seededUuid('repository/payments-api')}`,
    webFrontend: `repo-${seededUuid('repository/web-frontend')}`,
    mlModels: `repo-${seededUuid('repository/ml-models')}`,
    sandboxTmp: `repo-${seededUuid('repository/sandbox-tmp')}`,
  },
  users: {
    ciDeployer: `ra-${seededUuid('user/ci-deployer')}`,
    qaReader: `ra-${seededUuid('user/qa-reader')}`,
    legacyPuller: `ra-${seededUuid('user/legacy-puller')}`,
  },
  policies: {
    pull: seededUuid('policy/pull'),
    push: seededUuid('policy/push'),
    all: seededUuid('policy/all'),
  },
} as const;

interface SeedArtifact {
  tags: string[];
  size: number;
  pushTime: string;
  pullTime: string | null;
}

interface SeedImage {
  name: string;
  pullCount: number;
  artifacts: SeedArtifact[];
}

interface SeedRepository {
  uuid: string;
  name: string;
  isPublic: boolean;
  quotaLimit: number;
  registryUrl: string;
  createdAt: string;
  images: SeedImage[];
}

const repositories: SeedRepository[] = [
  {
    uuid: seedIds.repositories.paymentsApi,
    name: 'payments-api',
    isPublic: false,
    quotaLimit: 20,
    registryUrl: defaultRegistryUrl,
    createdAt: '2024-11-04T02:15:00.000Z',
    images: [
      {
        name: 'team/api',
        pullCount: 412,
        artifacts: [
          {
            tags: ['v1.4.2', 'latest'],
            size: 187_654_321,
            pushTime: '2025-02-20T09:12:44.000Z',
            pullTime: '2025-03-01T06:40:02.000Z',
          },
          {
            tags: ['v1.4.1'],
            size: 186_112_004,
            pushTime: '2025-02-10T14:03:19.000Z',
            pullTime: '2025-02-18T11:22:51.000Z',
          },
          { tags: [], size: 185_990_112, pushTime: '2025-01-28T08:47:05.000Z', pullTime: null },
        ],
      },
      {
        name: 'team/worker',
        pullCount: 158,
        artifacts: [
          {
            tags: ['v2.0.0', 'stable', 'latest'],
            size: 96_204_880,
            pushTime: '2025-02-22T03:30:11.000Z',
            pullTime: '2025-02-28T17:05:39.000Z',
          },
          { tags: ['v1.9.3'], size: 95_870_001, pushTime: '2025-01-15T10:11:12.000Z', pullTime: null },
        ],
      },
      {
        name: 'base/node-runtime',
        pullCount: 37,
        artifacts: [
          {
            tags: ['20-alpine'],
            size: 48_771_245,
            pushTime: '2024-12-02T07:00:00.000Z',
            pullTime: '2025-02-20T09:10:03.000Z',
          },
        ],
      },
    ],
  },
  {
    uuid: seedIds.repositories.webFrontend,
    name: 'web-frontend',
    isPublic: true,
    quotaLimit: 10,
    registryUrl: defaultRegistryUrl,
    createdAt: '2024-12-09T04:00:00.000Z',
    images: [
      {
        name: 'web/app',
        pullCount: 1290,
        artifacts: [
          {
            tags: ['2025.03.01', 'latest'],
            size: 62_005_776,
            pushTime: '2025-03-01T01:55:40.000Z',
            pullTime: '2025-03-02T08:00:15.000Z',
          },
          {
            tags: ['2025.02.14'],
            size: 61_430_918,
            pushTime: '2025-02-14T05:21:00.000Z',
            pullTime: '2025-02-20T13:45:27.000Z',
          },
        ],
      },
      {
        name: 'nginx-edge',
        pullCount: 88,
        artifacts: [
          {
            tags: ['1.27'],
            size: 19_884_302,
            pushTime: '2025-01-07T12:00:00.000Z',
            pullTime: '2025-02-26T21:14:09.000Z',
          },
        ],
      },
    ],
  },
  {
    uuid: seedIds.repositories.mlModels,
    name: 'ml-models',
    isPublic: false,
    quotaLimit: 50,
    registryUrl: hanRegistryUrl,
    createdAt: '2025-01-20T09:30:00.000Z',
    images: [
      {
        name: 'ml/trainer',
        pullCount: 23,
        artifacts: [
          {
            tags: ['cuda12-py311'],
            size: 4_812_334_017,
            pushTime: '2025-02-25T16:20:00.000Z',
            pullTime: '2025-02-26T02:11:45.000Z',
          },
          { tags: [], size: 4_790_001_223, pushTime: '2025-02-03T16:02:31.000Z', pullTime: null },
        ],
      },
      {
        name: 'ml/serving',
        pullCount: 61,
        artifacts: [
          {
            tags: ['v0.3.0', 'latest'],
            size: 2_104_556_909,
            pushTime: '2025-02-27T10:45:18.000Z',
            pullTime: '2025-03-02T04:30:00.000Z',
          },
        ],
      },
    ],
  },
  {
    uuid: seedIds.repositories.sandboxTmp,
    name: 'sandbox-tmp',
    isPublic: false,
    quotaLimit: 5,
    registryUrl: defaultRegistryUrl,
    createdAt: '2025-02-28T15:00:00.000Z',
    images: [],
  },
];

const { pull, push, all } = seedIds.policies;

const users: Omit<StoredUser, 'secret' | 'detachedRepoIds'>[] = [
  {
    uuid: seedIds.users.ciDeployer,
    userId: 1,
    name: 'ci-deployer',
    description: 'CI pipeline pushing release images',
    disable: false,
    expiredAt: null,
    createdAt: '2024-12-10T03:00:00.000Z',
    permissions: [
      { repoId: seedIds.repositories.paymentsApi, policyIds: [pull, push] },
      { repoId: seedIds.repositories.webFrontend, policyIds: [pull, push] },
    ],
  },
  {
    uuid: seedIds.users.qaReader,
    userId: 2,
    name: 'qa-reader',
    description: 'QA cluster pulls, 90 days',
    disable: false,
    expiredAt: daysAfter(Date.parse('2025-02-01T00:00:00.000Z'), 90),
    createdAt: '2025-02-01T00:00:00.000Z',
    permissions: [
      { repoId: seedIds.repositories.paymentsApi, policyIds: [pull] },
      { repoId: seedIds.repositories.mlModels, policyIds: [pull] },
    ],
  },
  {
    uuid: seedIds.users.legacyPuller,
    userId: 3,
    name: 'legacy-puller',
    description: null,
    disable: true,
    expiredAt: null,
    createdAt: '2024-12-15T08:30:00.000Z',
    permissions: [{ repoId: seedIds.repositories.webFrontend, policyIds: [pull] }],
  },
];

/** Fills `state` with the demo data; `accountId` prefixes the robot names that history shows. */
export function seedEmulatorState(state: EmulatorState, accountId: string): void {
  state.policies.push(
    { uuid: pull, action: 'pull', name: 'Pull Images' },
    { uuid: push, action: 'push', name: 'Push Images' },
    // Offered by the real list but reported broken; the emulator answers 500 when it is used.
    { uuid: all, name: 'All' },
  );
  const pusher = backendNameOf(accountId, 'ci-deployer');
  const puller = backendNameOf(accountId, 'qa-reader');
  let imageId = 0;
  let artifactId = 0;
  let tagId = 0;

  for (const repository of repositories) {
    const { images, ...stored } = repository;
    state.repositories.push(stored);
    const history = (resourceName: string, resourceType: 'Repository' | 'Image Artifact', action: string) => ({
      repoId: repository.uuid,
      // Pushes come from the CI robot; pulls of a public repository are anonymous, others come from the QA robot.
      userName:
        action === 'Create' ? 'demo-admin' : action === 'Push' ? pusher : repository.isPublic ? 'anonymous' : puller,
      resourceName,
      resourceType,
      action,
    });
    appendHistory(state, history(repository.name, 'Repository', 'Create'), repository.createdAt);

    for (const image of images) {
      imageId += 1;
      const storedImage: StoredImage = {
        id: imageId,
        repoId: repository.uuid,
        name: image.name,
        pullCount: image.pullCount,
        updateTime: image.artifacts.map((artifact) => artifact.pushTime).sort()[image.artifacts.length - 1],
      };
      state.images.push(storedImage);

      for (const [index, artifact] of image.artifacts.entries()) {
        artifactId += 1;
        const stored: StoredArtifact = {
          id: artifactId,
          repoId: repository.uuid,
          imageName: image.name,
          digest: seededDigest(`${repository.name}/${image.name}#${index}`),
          type: 'IMAGE',
          size: artifact.size,
          pushTime: artifact.pushTime,
          pullTime: artifact.pullTime,
          tags: artifact.tags.map((name) => {
            tagId += 1;
            return { id: tagId, name, pushTime: artifact.pushTime, pullTime: artifact.pullTime, immutable: false };
          }),
        };
        state.artifacts.push(stored);
        const reference = artifact.tags[0] ? `${image.name}:${artifact.tags[0]}` : `${image.name}@${stored.digest}`;
        appendHistory(state, history(reference, 'Image Artifact', 'Push'), artifact.pushTime);
        if (artifact.pullTime) appendHistory(state, history(reference, 'Image Artifact', 'Pull'), artifact.pullTime);
      }
    }
  }

  for (const user of users) {
    state.users.push({
      ...user,
      permissions: user.permissions.map((permission) => ({ ...permission, policyIds: [...permission.policyIds] })),
      secret: createRobotSecret(),
      detachedRepoIds: [],
    });
  }
}
