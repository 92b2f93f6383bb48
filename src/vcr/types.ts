/**
 * vCR management API shapes, with the API's own field names (docs/vcr-api.md#shapes).
 * Every object may carry extra fields the docs do not name; lists may arrive as `null`.
 */

/** One page of a list, as vCR returns it; `page` is 1-based. */
export interface Paging<T> {
  listData: T[] | null;
  page: number;
  pageSize: number;
  totalPage: number;
  totalItem: number;
}

/** Page and size of a list request; both are 1-based positive integers. */
export interface PageQuery {
  page?: number;
  size?: number;
}

/** A repository (a "project" in the console). `quotaLimit` is in GB. */
export interface Repository {
  uuid: string;
  name: string;
  backendName: string;
  accessLevel: string;
  imageCount: number;
  attachedUser: number;
  quotaLimit: number;
  /** Unit undocumented; the emulator and the bot treat it as bytes (docs/decisions/0003). */
  quotaUsed: number;
  registryUrl: string;
  createdAt: string;
  [extra: string]: unknown;
}

/** An image (a docker repository inside a vCR repository); `name` may contain `/`. */
export interface Image {
  name: string;
  artifactCount: number;
  pullCount: number;
  updateTime: string;
  [extra: string]: unknown;
}

/** A tag on an artifact. */
export interface Tag {
  id: number | string;
  name: string;
  pushTime: string;
  pullTime: string | null;
  artifactId: number | string;
  repositoryId: number | string;
  immutable: boolean;
  [extra: string]: unknown;
}

/** An artifact: one manifest digest with its tags; `size` is in bytes. */
export interface Artifact {
  digest: string;
  type: string;
  size: number;
  pushTime: string;
  pullTime: string | null;
  tags: Tag[] | null;
  [extra: string]: unknown;
}

/** A permission policy offered by `GET /v1/user/permissions`. */
export interface Policy {
  uuid: string;
  action?: string;
  name?: string;
  [extra: string]: unknown;
}

/** A repository user's access to one repository. */
export interface RepoPermission {
  repoId: string;
  repoName: string;
  backendRepoName: string;
  policyDtoList: Policy[] | null;
  [extra: string]: unknown;
}

/** A repository user (robot account for `docker login`). `backendName` is the login user. */
export interface RepoUser {
  uuid: string;
  name: string;
  backendName: string;
  description: string | null;
  disable: boolean;
  expiredAt: string | null;
  createdAt: string;
  userId: number;
  numberOfRepo: number;
  repoPermissionList: RepoPermission[] | null;
  [extra: string]: unknown;
}

/** A repository user as listed under one repository, with its actions there. */
export interface RepoUserWithActions extends RepoUser {
  policyActionList?: string[] | Policy[] | null;
}

/** A usage-history entry; its field names are unpublished, so it is kept as an open record. */
export type HistoryEntry = Record<string, unknown>;

/** Policies granted on one repository, as sent in create-user and update-permissions. */
export interface PermissionRequest {
  repoId: string;
  policyIdList: string[];
}

/** Body of `POST /v1/repository`. */
export interface CreateRepositoryRequest {
  repoName: string;
  isPublic: boolean;
  quotaLimit: number;
}

/** Body of `POST /v1/user` (`duration` in days; omitted means no expiry). */
export interface CreateUserRequest {
  name: string;
  permissionRequestList: PermissionRequest[];
  duration?: number;
  description?: string;
}

/** Answer of `POST /v1/user`: only the one-time secret, no id. */
export interface CreateUserResponse {
  secretKey: string;
}

/** Body fields of `PUT /v1/user/{repoUserId}` besides the id. */
export interface UpdateUserRequest {
  duration?: number;
  description?: string;
}

/** The robot-account object returned by update, enable, disable and permission; unpublished, kept opaque. */
export type RobotAccount = Record<string, unknown>;
