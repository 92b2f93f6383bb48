/** Repository operations #1-#7, #13 and #14 of docs/vcr-api.md#operations. */
import { randomUUID } from 'node:crypto';
import { defaultRegistryUrl } from './defaults';
import { toHistoryDto, toRepositoryDto, toRepoUserWithActionsDto } from './dto-views';
import { EmulatorHttpError } from './emulator-http-error';
import type { StoredRepository } from './emulator-state';
import { assertRepositoryName } from './naming-rules';
import { matchesNameFilter, parsePageRequest, toPaging } from './paging';
import { requirePolicyIds } from './permission-requests';
import {
  requireArray,
  requireBodyObject,
  requireBoolean,
  requireMatchingId,
  requirePositiveInteger,
  requireString,
} from './request-validation';
import type { EmulatorContext, Route } from './router';
import {
  appendHistory,
  bytesPerGb,
  findRepository,
  findUser,
  imagesOf,
  quotaUsedBytes,
  usersAttachedTo,
} from './state-queries';

const accessLevels: Record<string, (repository: StoredRepository) => boolean> = {
  all: () => true,
  public: (repository) => repository.isPublic,
  private: (repository) => !repository.isPublic,
};

/** Returns the repository routes bound to `context`. */
export function createRepositoryRoutes(context: EmulatorContext): Route[] {
  const { state, accountId } = context;
  const nowIso = () => new Date(context.now()).toISOString();
  const dto = (repository: StoredRepository) => toRepositoryDto(state, accountId, repository);

  return [
    {
      method: 'GET',
      pattern: '/v1/repository',
      handle: ({ query }) => {
        const paging = parsePageRequest(query);
        const accessFilter = accessLevels[(query.accessLevel || 'all').toLowerCase()];
        if (!accessFilter) throw new EmulatorHttpError(400, 'accessLevel must be ALL, PUBLIC or PRIVATE');
        const repositories = state.repositories
          .filter((repository) => accessFilter(repository) && matchesNameFilter(repository.name, query.name))
          .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || a.name.localeCompare(b.name));
        return { status: 200, json: toPaging(repositories.map(dto), paging) };
      },
    },
    {
      method: 'POST',
      pattern: '/v1/repository',
      jsonBody: true,
      handle: ({ body }) => {
        const fields = requireBodyObject(body);
        const repoName = requireString(fields, 'repoName');
        const isPublic = requireBoolean(fields, 'isPublic');
        if (fields.quotaLimit === undefined) throw new EmulatorHttpError(400, 'quotaLimit is required');
        const quotaLimit = requirePositiveInteger(fields.quotaLimit, 'quotaLimit (GB)');
        assertRepositoryName(repoName);
        if (state.repositories.some((repository) => repository.name === repoName)) {
          throw new EmulatorHttpError(400, `Repository ${repoName} already exists`);
        }
        const repository: StoredRepository = {
          uuid: `repo-${randomUUID()}`,
          name: repoName,
          isPublic,
          quotaLimit,
          registryUrl: defaultRegistryUrl,
          createdAt: nowIso(),
        };
        state.repositories.push(repository);
        appendHistory(
          state,
          {
            repoId: repository.uuid,
            userName: context.actorName,
            resourceName: repoName,
            resourceType: 'Repository',
            action: 'Create',
          },
          repository.createdAt,
        );
        return { status: 202, json: dto(repository) };
      },
    },
    {
      method: 'GET',
      pattern: '/v1/repository/:repoId',
      handle: ({ params }) => ({ status: 200, json: dto(findRepository(state, params.repoId)) }),
    },
    {
      method: 'DELETE',
      pattern: '/v1/repository/:repoId',
      handle: ({ params }) => {
        const repository = findRepository(state, params.repoId);
        const imageCount = imagesOf(state, repository.uuid).length;
        if (imageCount > 0) {
          throw new EmulatorHttpError(
            400,
            `Repository ${repository.name} still holds ${imageCount} image(s): delete them before the repository`,
          );
        }
        const answer = dto(repository);
        state.repositories.splice(state.repositories.indexOf(repository), 1);
        appendHistory(
          state,
          {
            repoId: repository.uuid,
            userName: context.actorName,
            resourceName: repository.name,
            resourceType: 'Repository',
            action: 'Delete',
          },
          nowIso(),
        );
        for (const user of state.users) {
          user.permissions = user.permissions.filter((permission) => permission.repoId !== repository.uuid);
          user.detachedRepoIds = user.detachedRepoIds.filter((repoId) => repoId !== repository.uuid);
        }
        return { status: 202, json: answer };
      },
    },
    {
      method: 'PUT',
      pattern: '/v1/repository/:repoId/attach',
      jsonBody: true,
      handle: ({ params, body }) => {
        const fields = requireBodyObject(body);
        requireMatchingId(fields, 'repoId', params.repoId);
        const repoUserList = requireArray(fields, 'repoUserList');
        if (repoUserList.length === 0) throw new EmulatorHttpError(400, 'repoUserList must name at least one user');
        const repository = findRepository(state, params.repoId);
        // Everything is checked before anything changes, so a refused attach leaves no partial state.
        const grants = repoUserList.map((entry) => {
          const { repoUserId, policyIdList } = (entry ?? {}) as { repoUserId?: unknown; policyIdList?: unknown };
          if (typeof repoUserId !== 'string' || repoUserId === '') {
            throw new EmulatorHttpError(400, 'repoUserList entries need repoUserId and policyIdList');
          }
          const user = findUser(state, repoUserId);
          const policyIds = requirePolicyIds(state, policyIdList);
          if (user.detachedRepoIds.includes(repository.uuid)) {
            // Seen live: attaching a user again after a detach fails; update-permissions is the working route.
            throw new EmulatorHttpError(500, 'Internal Server Error');
          }
          return { user, policyIds };
        });
        for (const { user, policyIds } of grants) {
          user.permissions = [
            ...user.permissions.filter((permission) => permission.repoId !== repository.uuid),
            { repoId: repository.uuid, policyIds },
          ];
        }
        return { status: 200 };
      },
    },
    {
      method: 'PUT',
      pattern: '/v1/repository/:repoId/detach',
      jsonBody: true,
      handle: ({ params, body }) => {
        const fields = requireBodyObject(body);
        requireMatchingId(fields, 'repoId', params.repoId);
        const uuids = requireArray(fields, 'repoUserUuidList');
        if (uuids.length === 0) throw new EmulatorHttpError(400, 'repoUserUuidList must name at least one user');
        const repository = findRepository(state, params.repoId);
        const users = uuids.map((uuid) => {
          if (typeof uuid !== 'string') throw new EmulatorHttpError(400, 'repoUserUuidList holds user ids');
          const user = findUser(state, uuid);
          if (!user.permissions.some((permission) => permission.repoId === repository.uuid)) {
            throw new EmulatorHttpError(400, `Repository user ${user.name} is not attached to ${repository.name}`);
          }
          return user;
        });
        for (const user of users) {
          user.permissions = user.permissions.filter((permission) => permission.repoId !== repository.uuid);
          if (!user.detachedRepoIds.includes(repository.uuid)) user.detachedRepoIds.push(repository.uuid);
        }
        return { status: 200 };
      },
    },
    {
      method: 'GET',
      pattern: '/v1/repository/:repoId/history',
      handle: ({ params, query }) => {
        const paging = parsePageRequest(query);
        const repository = findRepository(state, params.repoId);
        const entries = state.history
          .filter((entry) => entry.repoId === repository.uuid)
          .sort((a, b) => b.actionTime.localeCompare(a.actionTime) || b.id - a.id);
        return { status: 200, json: toPaging(entries.map(toHistoryDto), paging) };
      },
    },
    {
      method: 'PUT',
      pattern: '/v1/repository/:repoId/quotas',
      jsonBody: true,
      handle: ({ params, body }) => {
        const fields = requireBodyObject(body);
        requireMatchingId(fields, 'repoId', params.repoId);
        if (fields.quotaLimit === undefined) throw new EmulatorHttpError(400, 'quotaLimit is required');
        const quotaLimit = requirePositiveInteger(fields.quotaLimit, 'quotaLimit (GB)');
        const repository = findRepository(state, params.repoId);
        const used = quotaUsedBytes(state, repository.uuid);
        if (quotaLimit * bytesPerGb < used) {
          throw new EmulatorHttpError(
            400,
            `Quota limit ${quotaLimit} GB (${quotaLimit * bytesPerGb} bytes) is below the ${used} bytes already used`,
          );
        }
        const previous = repository.quotaLimit;
        repository.quotaLimit = quotaLimit;
        appendHistory(
          state,
          {
            repoId: repository.uuid,
            userName: context.actorName,
            resourceName: repository.name,
            resourceType: 'Repository',
            action: `Update quota ${previous} GB to ${quotaLimit} GB`,
          },
          nowIso(),
        );
        return { status: 200, json: dto(repository) };
      },
    },
    {
      method: 'GET',
      pattern: '/v1/repository/:repoId/user',
      handle: ({ params, query }) => {
        const paging = parsePageRequest(query);
        const repository = findRepository(state, params.repoId);
        const users = usersAttachedTo(state, repository.uuid)
          .filter((user) => matchesNameFilter(user.name, query.name))
          .sort((a, b) => a.name.localeCompare(b.name));
        const rows = users.map((user) => toRepoUserWithActionsDto(state, accountId, user, repository.uuid));
        return { status: 200, json: toPaging(rows, paging) };
      },
    },
  ];
}
