/**
 * The emulator's in-memory records. They hold only primary facts; counts and usage (`imageCount`,
 * `quotaUsed`, `numberOfRepo`...) are derived when a response is built, so tests may edit the arrays freely
 * and every answer stays consistent.
 */

/** A repository as stored; `quotaLimit` is in GB. */
export interface StoredRepository {
  uuid: string;
  name: string;
  isPublic: boolean;
  quotaLimit: number;
  registryUrl: string;
  createdAt: string;
}

/** An image (a docker repository) inside a repository; `name` may contain `/`. */
export interface StoredImage {
  id: number;
  repoId: string;
  name: string;
  pullCount: number;
  updateTime: string;
}

/** A tag on an artifact. */
export interface StoredTag {
  id: number;
  name: string;
  pushTime: string;
  pullTime: string | null;
  immutable: boolean;
}

/** An artifact (one manifest digest) of an image; `size` is in bytes. */
export interface StoredArtifact {
  id: number;
  repoId: string;
  imageName: string;
  digest: string;
  type: string;
  size: number;
  pushTime: string;
  pullTime: string | null;
  tags: StoredTag[];
}

/** The policies a repository user holds on one repository. */
export interface StoredPermission {
  repoId: string;
  policyIds: string[];
}

/** A repository user (robot account) with its current secret. */
export interface StoredUser {
  uuid: string;
  userId: number;
  name: string;
  description: string | null;
  disable: boolean;
  expiredAt: string | null;
  createdAt: string;
  secret: string;
  permissions: StoredPermission[];
  /** Repositories this user was detached from; attaching it there again answers 500, as seen live. */
  detachedRepoIds: string[];
}

/** A permission policy offered by `GET /v1/user/permissions`. */
export interface StoredPolicy {
  uuid: string;
  action?: string;
  name?: string;
}

/** The resource kinds the console shows in a repository's history. */
export type HistoryResourceType = 'Repository' | 'Image' | 'Image Artifact';

/** One usage-history line of a repository. */
export interface StoredHistoryEntry {
  id: number;
  repoId: string;
  userName: string;
  resourceName: string;
  resourceType: HistoryResourceType;
  action: string;
  actionTime: string;
}

/** Everything the emulator knows; tests may read and change it between requests. */
export interface EmulatorState {
  repositories: StoredRepository[];
  images: StoredImage[];
  artifacts: StoredArtifact[];
  users: StoredUser[];
  policies: StoredPolicy[];
  history: StoredHistoryEntry[];
}

/** Returns a state with no records at all. */
export function createEmptyState(): EmulatorState {
  return { repositories: [], images: [], artifacts: [], users: [], policies: [], history: [] };
}
