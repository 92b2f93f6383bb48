/** Repository-user (robot account) operations #15-#23 of docs/vcr-api.md#operations. */
import { randomUUID } from 'node:crypto';
import { toPolicyDto, toRepoUserDto, toRobotAccountDto } from './dto-views';
import { EmulatorHttpError } from './emulator-http-error';
import type { StoredUser } from './emulator-state';
import { assertUserName } from './naming-rules';
import { matchesNameFilter, parsePageRequest, toPaging } from './paging';
import { requirePermissionRequestList } from './permission-requests';
import {
  optionalPositiveInteger,
  optionalString,
  requireArray,
  requireBodyObject,
  requireMatchingId,
  requireString,
} from './request-validation';
import { createRobotSecret } from './robot-secret';
import type { EmulatorContext, Route } from './router';
import { daysAfter, findUser, removeWhere } from './state-queries';

/** Returns the repository-user routes bound to `context`. */
export function createUserRoutes(context: EmulatorContext): Route[] {
  const { state, accountId } = context;
  const robot = (user: StoredUser) => ({ status: 200, json: toRobotAccountDto(state, accountId, user) });

  return [
    {
      method: 'GET',
      pattern: '/v1/user',
      handle: ({ query }) => {
        const paging = parsePageRequest(query);
        const users = state.users
          .filter((user) => matchesNameFilter(user.name, query.name))
          .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || a.name.localeCompare(b.name));
        return {
          status: 200,
          json: toPaging(
            users.map((user) => toRepoUserDto(state, accountId, user)),
            paging,
          ),
        };
      },
    },
    {
      method: 'POST',
      pattern: '/v1/user',
      jsonBody: true,
      handle: ({ body }) => {
        const fields = requireBodyObject(body);
        const name = requireString(fields, 'name');
        const requests = requireArray(fields, 'permissionRequestList');
        assertUserName(name);
        if (state.users.some((user) => user.name.toLowerCase() === name.toLowerCase())) {
          throw new EmulatorHttpError(400, `Repository user ${name} already exists`);
        }
        const duration = optionalPositiveInteger(fields, 'duration');
        const description = optionalString(fields, 'description') ?? null;
        const permissions = requirePermissionRequestList(state, requests);
        const now = context.now();
        const user: StoredUser = {
          uuid: `ra-${randomUUID()}`,
          userId: state.users.reduce((max, candidate) => Math.max(max, candidate.userId), 0) + 1,
          name,
          description,
          disable: false,
          expiredAt: duration === undefined ? null : daysAfter(now, duration),
          createdAt: new Date(now).toISOString(),
          secret: createRobotSecret(),
          permissions,
          detachedRepoIds: [],
        };
        state.users.push(user);
        // vCR answers only the one-time secret: the caller finds the new user by listing with `name=`.
        return { status: 200, json: { secretKey: user.secret } };
      },
    },
    {
      method: 'GET',
      pattern: '/v1/user/permissions',
      handle: () => ({ status: 200, json: state.policies.map(toPolicyDto) }),
    },
    {
      method: 'PUT',
      pattern: '/v1/user/:repoUserId',
      jsonBody: true,
      handle: ({ params, body }) => {
        const fields = requireBodyObject(body);
        requireMatchingId(fields, 'repoUserId', params.repoUserId);
        const duration = optionalPositiveInteger(fields, 'duration');
        const description = optionalString(fields, 'description');
        const user = findUser(state, params.repoUserId);
        if (duration !== undefined) user.expiredAt = daysAfter(context.now(), duration);
        if (description !== undefined) user.description = description;
        return robot(user);
      },
    },
    {
      method: 'DELETE',
      pattern: '/v1/user/:repoUserId',
      handle: ({ params }) => {
        const user = findUser(state, params.repoUserId);
        removeWhere(state.users, (candidate) => candidate === user);
        return { status: 200 };
      },
    },
    {
      method: 'PUT',
      pattern: '/v1/user/:repoUserId/disable',
      handle: ({ params }) => {
        const user = findUser(state, params.repoUserId);
        user.disable = true;
        return robot(user);
      },
    },
    {
      method: 'PUT',
      pattern: '/v1/user/:repoUserId/enable',
      handle: ({ params }) => {
        const user = findUser(state, params.repoUserId);
        user.disable = false;
        return robot(user);
      },
    },
    {
      method: 'PUT',
      pattern: '/v1/user/:repoUserId/permission',
      jsonBody: true,
      handle: ({ params, body }) => {
        const fields = requireBodyObject(body);
        requireMatchingId(fields, 'repoUserId', params.repoUserId);
        const requests = requireArray(fields, 'permissionRequestList');
        const user = findUser(state, params.repoUserId);
        // The list replaces the user's whole set of permissions, as vCR does.
        user.permissions = requirePermissionRequestList(state, requests);
        return robot(user);
      },
    },
    {
      method: 'GET',
      pattern: '/v1/user/:repoUserId/refresh',
      handle: ({ params }) => {
        const user = findUser(state, params.repoUserId);
        user.secret = createRobotSecret();
        return { status: 200, text: user.secret };
      },
    },
  ];
}
