/** The typed vCR management client: all 23 operations of ../shared/vcr-api.md, grouped by resource noun. */
import type {
  Artifact,
  CreateRepositoryRequest,
  CreateUserRequest,
  CreateUserResponse,
  HistoryEntry,
  Image,
  PageQuery,
  Paging,
  PermissionRequest,
  Policy,
  Repository,
  RepoUser,
  RepoUserWithActions,
  RobotAccount,
  UpdateUserRequest,
} from './types';

/** Repository operations (#1-#6, #13, #14). */
export interface RepositoriesApi {
  list(query?: PageQuery & { name?: string; accessLevel?: string }): Promise<Paging<Repository>>;
  get(repoId: string): Promise<Repository>;
  create(body: CreateRepositoryRequest): Promise<Repository>;
  delete(repoId: string): Promise<Repository>;
  updateQuota(repoId: string, quotaLimit: number): Promise<Repository>;
  attachUsers(repoId: string, repoUserList: { repoUserId: string; policyIdList: string[] }[]): Promise<void>;
  detachUsers(repoId: string, repoUserUuidList: string[]): Promise<void>;
  listUsers(repoId: string, query?: PageQuery & { name?: string }): Promise<Paging<RepoUserWithActions>>;
}

/** Image operations (#8, #11, #12); image names may contain `/`. */
export interface ImagesApi {
  list(repoId: string, query?: PageQuery & { name?: string }): Promise<Paging<Image>>;
  get(repoId: string, imageName: string): Promise<Image>;
  delete(repoId: string, imageName: string): Promise<void>;
}

/** Artifact operations (#9, #10); deleting a digest removes every tag on it. */
export interface ArtifactsApi {
  list(repoId: string, imageName: string, query?: PageQuery & { name?: string }): Promise<Paging<Artifact>>;
  delete(repoId: string, imageName: string, digest: string): Promise<void>;
}

/** Repository-user (robot account) operations (#15, #16, #18-#23). */
export interface UsersApi {
  list(query?: PageQuery & { name?: string }): Promise<Paging<RepoUser>>;
  /** Creates a user; vCR answers only the one-time secret, never retried. */
  create(body: CreateUserRequest): Promise<CreateUserResponse>;
  update(repoUserId: string, body: UpdateUserRequest): Promise<RobotAccount>;
  delete(repoUserId: string): Promise<void>;
  disable(repoUserId: string): Promise<RobotAccount>;
  enable(repoUserId: string): Promise<RobotAccount>;
  /** Replaces the user's whole permission list with `permissionRequestList`. */
  updatePermissions(repoUserId: string, permissionRequestList: PermissionRequest[]): Promise<RobotAccount>;
  /** Regenerates the secret (a GET that changes state); never retried. Returns the new secret. */
  refreshSecret(repoUserId: string): Promise<string>;
}

/** Permission policies (#17): a bare array, not paged. */
export interface PermissionsApi {
  list(): Promise<Policy[]>;
}

/** Usage history of one repository (#7). */
export interface HistoryApi {
  list(repoId: string, query?: PageQuery): Promise<Paging<HistoryEntry>>;
}

/** The whole vCR client. */
export interface VcrClient {
  repositories: RepositoriesApi;
  images: ImagesApi;
  artifacts: ArtifactsApi;
  users: UsersApi;
  permissions: PermissionsApi;
  history: HistoryApi;
}
