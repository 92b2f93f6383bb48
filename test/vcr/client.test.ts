import { randomBytes, randomUUID } from 'node:crypto';
import crossFetch from 'cross-fetch';
import fc from 'fast-check';
import { type EmulatorState, startVcrEmulator, type VcrEmulator } from '../../local/emulator/vcr-emulator';
import { UserError } from '../../src/errors';
import { createLogger } from '../../src/logger';
import { createVcrClient, type VcrClient, type VcrClientOptions } from '../../src/vcr/client';
import {
  VcrApiError,
  VcrMissingSecretError,
  VcrNetworkError,
  VcrTimeoutError,
  VcrUnreadableAnswerError,
} from '../../src/vcr/errors';
import { createTokenProvider, type TokenProvider } from '../../src/vcr/token';

type StoredRepository = EmulatorState['repositories'][number];
type StoredUser = EmulatorState['users'][number];

const accountId = '10009999';
const created = '2026-01-02T03:04:05.000Z';
const digestA = `sha256:${'a'.repeat(64)}`;
const digestB = `sha256:${'b'.repeat(64)}`;

describe('createVcrClient', () => {
  let emulator: VcrEmulator;
  let tokens: TokenProvider;
  let client: VcrClient;
  const sleeps: number[] = [];
  const urls: string[] = [];

  /** Records every URL the client asks for, then fetches it for real. */
  const recordingFetch = ((url: string, init?: RequestInit) => {
    urls.push(String(url));
    return crossFetch(url, init);
  }) as typeof fetch;

  const makeClient = (overrides: Partial<VcrClientOptions> = {}) =>
    createVcrClient({
      baseUrl: emulator.url,
      tokens,
      fetch: recordingFetch,
      timeoutMs: 2000,
      backoffMs: 10,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
      ...overrides,
    });

  /** The vCR requests received, without the IAM token requests. */
  const sent = () =>
    emulator.requests
      .filter((request) => request.path.startsWith('/v1'))
      .map(({ method, path, query, body }) => ({ method, path, query, body }));
  const mints = () => emulator.requests.filter((request) => request.path === '/accounts-api/v2/auth/token');

  const addRepository = (name: string, extra: Partial<StoredRepository> = {}): StoredRepository => {
    const repository: StoredRepository = {
      uuid: `repo-${randomUUID()}`,
      name,
      isPublic: false,
      quotaLimit: 20,
      registryUrl: 'vcr.vngcloud.vn',
      createdAt: created,
      ...extra,
    };
    emulator.state.repositories.push(repository);
    return repository;
  };
  const addImage = (repoId: string, name: string) => {
    emulator.state.images.push({
      id: emulator.state.images.length + 1,
      repoId,
      name,
      pullCount: 7,
      updateTime: created,
    });
  };
  const addArtifact = (repoId: string, imageName: string, digest: string, tags: string[]) => {
    const id = emulator.state.artifacts.length + 1;
    emulator.state.artifacts.push({
      id,
      repoId,
      imageName,
      digest,
      type: 'IMAGE',
      size: 1024,
      pushTime: created,
      pullTime: null,
      tags: tags.map((name, index) => ({
        id: id * 100 + index,
        name,
        pushTime: created,
        pullTime: null,
        immutable: false,
      })),
    });
  };
  const addUser = (name: string, permissions: StoredUser['permissions'] = []): StoredUser => {
    const user: StoredUser = {
      uuid: `ra-${randomUUID()}`,
      userId: emulator.state.users.length + 1,
      name,
      description: null,
      disable: false,
      expiredAt: null,
      createdAt: created,
      secret: randomBytes(16).toString('hex'),
      permissions,
      detachedRepoIds: [],
    };
    emulator.state.users.push(user);
    return user;
  };

  beforeAll(async () => {
    const clientId = `client-${randomBytes(4).toString('hex')}`;
    const clientSecret = randomBytes(18).toString('base64url');
    emulator = await startVcrEmulator({ seed: false, accountId, clientId, clientSecret });
    tokens = createTokenProvider({ iamUrl: emulator.iamUrl, credentials: async () => ({ clientId, clientSecret }) });
    client = makeClient();
  });

  beforeEach(() => {
    for (const records of Object.values(emulator.state)) records.length = 0;
    emulator.state.policies.push({ uuid: 'pol-pull', action: 'pull', name: 'Pull' });
    emulator.state.policies.push({ uuid: 'pol-push', action: 'push', name: 'Push' });
    emulator.clearFaults();
    emulator.clearRequests();
    sleeps.length = 0;
    urls.length = 0;
  });

  afterAll(async () => {
    await emulator.close();
  });

  describe('repositories', () => {
    it('lists repositories with every filter in the query when all are given', async () => {
      // Prepare
      const web = addRepository('webapp1');
      addRepository('other-repo');

      // Act
      const page = await client.repositories.list({ accessLevel: 'PRIVATE', name: 'web', page: 1, size: 5 });

      // Assess
      expect(sent()).toEqual([
        {
          method: 'GET',
          path: '/v1/repository',
          query: { accessLevel: 'PRIVATE', name: 'web', page: '1', size: '5' },
          body: undefined,
        },
      ]);
      expect(page).toEqual({
        listData: [
          {
            uuid: web.uuid,
            name: 'webapp1',
            backendName: `${accountId}-webapp1`,
            accessLevel: 'PRIVATE',
            imageCount: 0,
            attachedUser: 0,
            quotaLimit: 20,
            quotaUsed: 0,
            registryUrl: 'vcr.vngcloud.vn',
            createdAt: created,
          },
        ],
        page: 1,
        pageSize: 5,
        totalPage: 1,
        totalItem: 1,
      });
    });

    it('sends no query when listing without options', async () => {
      // Act
      await client.repositories.list();

      // Assess
      expect(urls).toEqual([`${emulator.url}/v1/repository`]);
    });

    it('creates a repository with exactly the documented body when asked', async () => {
      // Act
      const repository = await client.repositories.create({ repoName: 'newrepo1', isPublic: true, quotaLimit: 30 });

      // Assess
      expect(sent()).toEqual([
        {
          method: 'POST',
          path: '/v1/repository',
          query: {},
          body: { repoName: 'newrepo1', isPublic: true, quotaLimit: 30 },
        },
      ]);
      expect(repository).toMatchObject({
        name: 'newrepo1',
        backendName: `${accountId}-newrepo1`,
        accessLevel: 'PUBLIC',
      });
      expect(repository?.uuid).toBe(emulator.state.repositories[0]?.uuid);
    });

    it('gets one repository by id when it exists', async () => {
      // Prepare
      const web = addRepository('webapp1');

      // Act
      const repository = await client.repositories.get(web.uuid);

      // Assess
      expect(sent()).toEqual([{ method: 'GET', path: `/v1/repository/${web.uuid}`, query: {}, body: undefined }]);
      expect(repository).toMatchObject({ uuid: web.uuid, name: 'webapp1', quotaLimit: 20 });
    });

    it('deletes a repository and returns it when it is empty', async () => {
      // Prepare
      const web = addRepository('webapp1');

      // Act
      const repository = await client.repositories.delete(web.uuid);

      // Assess
      expect(sent()).toEqual([{ method: 'DELETE', path: `/v1/repository/${web.uuid}`, query: {}, body: undefined }]);
      expect(repository).toMatchObject({ uuid: web.uuid, name: 'webapp1' });
      expect(emulator.state.repositories).toEqual([]);
    });

    it('sends the id in path and body when it updates the quota', async () => {
      // Prepare
      const web = addRepository('webapp1');

      // Act
      const repository = await client.repositories.updateQuota(web.uuid, 50);

      // Assess
      expect(sent()).toEqual([
        {
          method: 'PUT',
          path: `/v1/repository/${web.uuid}/quotas`,
          query: {},
          body: { repoId: web.uuid, quotaLimit: 50 },
        },
      ]);
      expect(repository).toMatchObject({ uuid: web.uuid, quotaLimit: 50 });
    });

    it('sends the id in path and body when it attaches users with their policies', async () => {
      // Prepare
      const web = addRepository('webapp1');
      const robot = addUser('robot-one');

      // Act
      const result = await client.repositories.attachUsers(web.uuid, [
        { repoUserId: robot.uuid, policyIdList: ['pol-pull'] },
      ]);

      // Assess
      expect(result).toBeUndefined();
      expect(sent()).toEqual([
        {
          method: 'PUT',
          path: `/v1/repository/${web.uuid}/attach`,
          query: {},
          body: { repoId: web.uuid, repoUserList: [{ repoUserId: robot.uuid, policyIdList: ['pol-pull'] }] },
        },
      ]);
      expect(robot.permissions).toEqual([{ repoId: web.uuid, policyIds: ['pol-pull'] }]);
    });

    it('sends the id in path and body when it detaches users', async () => {
      // Prepare
      const web = addRepository('webapp1');
      const robot = addUser('robot-one', [{ repoId: web.uuid, policyIds: ['pol-pull'] }]);

      // Act
      await client.repositories.detachUsers(web.uuid, [robot.uuid]);

      // Assess
      expect(sent()).toEqual([
        {
          method: 'PUT',
          path: `/v1/repository/${web.uuid}/detach`,
          query: {},
          body: { repoId: web.uuid, repoUserUuidList: [robot.uuid] },
        },
      ]);
      expect(robot.permissions).toEqual([]);
    });

    it('returns the actions of each user when it lists the users of a repository', async () => {
      // Prepare
      const web = addRepository('webapp1');
      const robot = addUser('robot-one', [{ repoId: web.uuid, policyIds: ['pol-pull', 'pol-push'] }]);

      // Act
      const page = await client.repositories.listUsers(web.uuid, { name: 'robot', page: 1, size: 10 });

      // Assess
      expect(sent()).toEqual([
        {
          method: 'GET',
          path: `/v1/repository/${web.uuid}/user`,
          query: { name: 'robot', page: '1', size: '10' },
          body: undefined,
        },
      ]);
      expect(page.listData).toEqual([
        expect.objectContaining({ uuid: robot.uuid, name: 'robot-one', policyActionList: ['pull', 'push'] }),
      ]);
    });
  });

  describe('history', () => {
    it('sends page and size when it lists the history of a repository', async () => {
      // Prepare
      const web = addRepository('webapp1');
      emulator.state.history.push({
        id: 1,
        repoId: web.uuid,
        userName: 'someone',
        resourceName: 'webapp1',
        resourceType: 'Repository',
        action: 'Create',
        actionTime: created,
      });

      // Act
      const page = await client.history.list(web.uuid, { page: 1, size: 20 });

      // Assess
      expect(sent()).toEqual([
        {
          method: 'GET',
          path: `/v1/repository/${web.uuid}/history`,
          query: { page: '1', size: '20' },
          body: undefined,
        },
      ]);
      expect(page.listData).toEqual([
        {
          id: 1,
          userName: 'someone',
          resourceName: 'webapp1',
          resourceType: 'Repository',
          action: 'Create',
          actionTime: created,
        },
      ]);
    });
  });

  describe('images', () => {
    it('sends an empty name filter when listing images without one', async () => {
      // Prepare
      const web = addRepository('webapp1');
      addImage(web.uuid, 'team/app');
      addArtifact(web.uuid, 'team/app', digestA, ['v1']);

      // Act
      const page = await client.images.list(web.uuid, { page: 2, size: 1 });

      // Assess
      expect(sent()).toEqual([
        {
          method: 'GET',
          path: `/v1/repository/${web.uuid}/images`,
          query: { name: '', page: '2', size: '1' },
          body: undefined,
        },
      ]);
      expect(page).toEqual({ listData: [], page: 2, pageSize: 1, totalPage: 1, totalItem: 1 });
    });

    it('lists images by name when a filter is given', async () => {
      // Prepare
      const web = addRepository('webapp1');
      addImage(web.uuid, 'team/app');
      addArtifact(web.uuid, 'team/app', digestA, ['v1']);

      // Act
      const page = await client.images.list(web.uuid, { name: 'team/' });

      // Assess
      expect(urls).toEqual([`${emulator.url}/v1/repository/${web.uuid}/images?name=team%2F`]);
      expect(page.listData).toEqual([{ name: 'team/app', artifactCount: 1, pullCount: 7, updateTime: created }]);
    });

    it('gets one image with its name URL-encoded when the name contains a slash', async () => {
      // Prepare
      const web = addRepository('webapp1');
      addImage(web.uuid, 'team/app');

      // Act
      const image = await client.images.get(web.uuid, 'team/app');

      // Assess
      expect(urls).toEqual([`${emulator.url}/v1/repository/${web.uuid}/images/detail?imageName=team%2Fapp`]);
      expect(sent()).toEqual([
        {
          method: 'GET',
          path: `/v1/repository/${web.uuid}/images/detail`,
          query: { imageName: 'team/app' },
          body: undefined,
        },
      ]);
      expect(image).toEqual({ name: 'team/app', artifactCount: 0, pullCount: 7, updateTime: created });
    });

    it('sends the image name in the query when it deletes an image', async () => {
      // Prepare
      const web = addRepository('webapp1');
      addImage(web.uuid, 'team/app');

      // Act
      const result = await client.images.delete(web.uuid, 'team/app');

      // Assess
      expect(result).toBeUndefined();
      expect(urls).toEqual([`${emulator.url}/v1/repository/${web.uuid}/images/delete?imageName=team%2Fapp`]);
      expect(sent()).toEqual([
        {
          method: 'DELETE',
          path: `/v1/repository/${web.uuid}/images/delete`,
          query: { imageName: 'team/app' },
          body: undefined,
        },
      ]);
      expect(emulator.state.images).toEqual([]);
    });
  });

  describe('artifacts', () => {
    it('sends the image name and an empty name filter when it lists artifacts', async () => {
      // Prepare
      const web = addRepository('webapp1');
      addImage(web.uuid, 'team/app');
      addArtifact(web.uuid, 'team/app', digestA, ['v1', 'latest']);
      addArtifact(web.uuid, 'team/app', digestB, []);

      // Act
      const page = await client.artifacts.list(web.uuid, 'team/app', { page: 1, size: 10 });

      // Assess
      expect(urls).toEqual([
        `${emulator.url}/v1/repository/${web.uuid}/images/artifacts?imageName=team%2Fapp&name=&page=1&size=10`,
      ]);
      expect(page.listData).toEqual([
        expect.objectContaining({ digest: digestB, size: 1024, tags: null }),
        expect.objectContaining({
          digest: digestA,
          tags: [expect.objectContaining({ name: 'v1' }), expect.objectContaining({ name: 'latest' })],
        }),
      ]);
    });

    it('sends digest and image name in the query when it deletes an artifact', async () => {
      // Prepare
      const web = addRepository('webapp1');
      addImage(web.uuid, 'team/app');
      addArtifact(web.uuid, 'team/app', digestA, ['v1']);

      // Act
      const result = await client.artifacts.delete(web.uuid, 'team/app', digestA);

      // Assess
      expect(result).toBeUndefined();
      expect(urls).toEqual([
        `${emulator.url}/v1/repository/${web.uuid}/images/artifacts/delete?digest=sha256%3A${'a'.repeat(64)}&imageName=team%2Fapp`,
      ]);
      expect(sent()).toEqual([
        {
          method: 'DELETE',
          path: `/v1/repository/${web.uuid}/images/artifacts/delete`,
          query: { digest: digestA, imageName: 'team/app' },
          body: undefined,
        },
      ]);
      expect(emulator.state.artifacts).toEqual([]);
    });
  });

  describe('users', () => {
    it('returns typed users when it lists repository users by name', async () => {
      // Prepare
      const web = addRepository('webapp1');
      const robot = addUser('robot-one', [{ repoId: web.uuid, policyIds: ['pol-pull'] }]);

      // Act
      const page = await client.users.list({ name: 'robot', page: 1, size: 10 });

      // Assess
      expect(sent()).toEqual([
        { method: 'GET', path: '/v1/user', query: { name: 'robot', page: '1', size: '10' }, body: undefined },
      ]);
      expect(page.listData).toEqual([
        {
          uuid: robot.uuid,
          name: 'robot-one',
          backendName: `${accountId}-robot-one`,
          description: null,
          disable: false,
          expiredAt: null,
          createdAt: created,
          userId: 1,
          numberOfRepo: 1,
          repoPermissionList: [
            {
              repoId: web.uuid,
              repoName: 'webapp1',
              backendRepoName: `${accountId}-webapp1`,
              policyDtoList: [{ uuid: 'pol-pull', action: 'pull', name: 'Pull' }],
            },
          ],
        },
      ]);
    });

    it('returns the one-time secret when it creates a user', async () => {
      // Prepare
      const web = addRepository('webapp1');

      // Act
      const answer = await client.users.create({
        name: 'robot-new',
        permissionRequestList: [{ repoId: web.uuid, policyIdList: ['pol-pull', 'pol-push'] }],
        duration: 30,
        description: 'CI pushes',
      });

      // Assess
      expect(sent()).toEqual([
        {
          method: 'POST',
          path: '/v1/user',
          query: {},
          body: {
            name: 'robot-new',
            permissionRequestList: [{ repoId: web.uuid, policyIdList: ['pol-pull', 'pol-push'] }],
            duration: 30,
            description: 'CI pushes',
          },
        },
      ]);
      const user = emulator.state.users[0]!;
      expect(answer).toEqual({ secretKey: emulator.currentSecret(user.uuid) });
    });

    it('leaves out optional fields when creating a user without them', async () => {
      // Prepare
      const web = addRepository('webapp1');

      // Act
      await client.users.create({
        name: 'robot-new',
        permissionRequestList: [{ repoId: web.uuid, policyIdList: ['pol-pull'] }],
      });

      // Assess
      expect(sent()[0]?.body).toEqual({
        name: 'robot-new',
        permissionRequestList: [{ repoId: web.uuid, policyIdList: ['pol-pull'] }],
      });
    });

    it('sends the id in path and body when it updates a user', async () => {
      // Prepare
      const robot = addUser('robot-one');

      // Act
      const answer = await client.users.update(robot.uuid, { duration: 10, description: 'nightly' });

      // Assess
      expect(sent()).toEqual([
        {
          method: 'PUT',
          path: `/v1/user/${robot.uuid}`,
          query: {},
          body: { repoUserId: robot.uuid, duration: 10, description: 'nightly' },
        },
      ]);
      expect(answer).toMatchObject({ description: 'nightly' });
      expect(robot.description).toBe('nightly');
    });

    it('sends the id in the path when it deletes a user', async () => {
      // Prepare
      const robot = addUser('robot-one');

      // Act
      const result = await client.users.delete(robot.uuid);

      // Assess
      expect(result).toBeUndefined();
      expect(sent()).toEqual([{ method: 'DELETE', path: `/v1/user/${robot.uuid}`, query: {}, body: undefined }]);
      expect(emulator.state.users).toEqual([]);
    });

    it('sends no body when it disables a user', async () => {
      // Prepare
      const robot = addUser('robot-one');

      // Act
      const answer = await client.users.disable(robot.uuid);

      // Assess
      expect(sent()).toEqual([{ method: 'PUT', path: `/v1/user/${robot.uuid}/disable`, query: {}, body: undefined }]);
      expect(answer).toMatchObject({ disable: true });
      expect(robot.disable).toBe(true);
    });

    it('sends no body when it enables a user', async () => {
      // Prepare
      const robot = addUser('robot-one');
      robot.disable = true;

      // Act
      const answer = await client.users.enable(robot.uuid);

      // Assess
      expect(sent()).toEqual([{ method: 'PUT', path: `/v1/user/${robot.uuid}/enable`, query: {}, body: undefined }]);
      expect(answer).toMatchObject({ disable: false });
      expect(robot.disable).toBe(false);
    });

    it('sends the id in path and body when it replaces the permissions of a user', async () => {
      // Prepare
      const web = addRepository('webapp1');
      const api = addRepository('apirepo1');
      const robot = addUser('robot-one', [{ repoId: web.uuid, policyIds: ['pol-pull'] }]);

      // Act
      await client.users.updatePermissions(robot.uuid, [{ repoId: api.uuid, policyIdList: ['pol-pull', 'pol-push'] }]);

      // Assess
      expect(sent()).toEqual([
        {
          method: 'PUT',
          path: `/v1/user/${robot.uuid}/permission`,
          query: {},
          body: {
            repoUserId: robot.uuid,
            permissionRequestList: [{ repoId: api.uuid, policyIdList: ['pol-pull', 'pol-push'] }],
          },
        },
      ]);
      expect(robot.permissions).toEqual([{ repoId: api.uuid, policyIds: ['pol-pull', 'pol-push'] }]);
    });

    it('returns the new plain-text secret when it refreshes a secret', async () => {
      // Prepare
      const robot = addUser('robot-one');
      const before = robot.secret;

      // Act
      const secret = await client.users.refreshSecret(robot.uuid);

      // Assess
      expect(sent()).toEqual([{ method: 'GET', path: `/v1/user/${robot.uuid}/refresh`, query: {}, body: undefined }]);
      expect(secret).toBe(emulator.currentSecret(robot.uuid));
      expect(secret).not.toBe(before);
    });

    it('reads the secret when refresh answers it as a JSON string', async () => {
      // Prepare
      const secretValue = randomBytes(12).toString('hex');
      emulator.inject({ path: '/v1/user/ra-1/refresh', status: 200, body: JSON.stringify(secretValue) });

      // Act
      const secret = await client.users.refreshSecret('ra-1');

      // Assess
      expect(secret).toBe(secretValue);
    });

    it.each([
      ['creates a user', (vcr: VcrClient) => vcr.users.create({ name: 'robot-new', permissionRequestList: [] })],
      ['refreshes a secret', (vcr: VcrClient) => vcr.users.refreshSecret('ra-1')],
    ])('throws a VcrMissingSecretError when it %s and vCR answers success without a secret', async (_, call) => {
      // Prepare
      emulator.inject({ path: /^\/v1\/user(\/ra-1\/refresh)?$/, status: 200, body: {}, times: 1 });

      // Act
      const error = await call(client).catch((caught: unknown) => caught);

      // Assess
      expect(error).toBeInstanceOf(VcrMissingSecretError);
      expect(error).toMatchObject({
        name: 'VcrMissingSecretError',
        method: expect.any(String),
        path: expect.any(String),
      });
    });

    it.each([
      [
        'creates a repository',
        true,
        (vcr: VcrClient) => vcr.repositories.create({ repoName: 'gw-made', isPublic: false, quotaLimit: 1 }),
      ],
      ['creates a user', true, (vcr: VcrClient) => vcr.users.create({ name: 'robot-gw', permissionRequestList: [] })],
      ['refreshes a secret', true, (vcr: VcrClient) => vcr.users.refreshSecret('ra-1')],
      ['sets a quota', false, (vcr: VcrClient) => vcr.repositories.updateQuota('repo-1', 5)],
    ])('marks a 502 outcome unknown only for a call that makes something new: %s (%s)', async (_, unknown, call) => {
      // Prepare
      emulator.inject({ path: /^\/v1\//, status: 502, body: '<html>Bad gateway</html>', contentType: 'text/html' });

      // Act
      const error = await call(client).catch((caught: unknown) => caught);

      // Assess
      expect(error).toBeInstanceOf(VcrApiError);
      expect(error).toMatchObject({ status: 502, outcomeUnknown: unknown });
    });

    it('keeps new secrets out of log lines when it creates a user or refreshes a secret', async () => {
      // Prepare
      const lines: string[] = [];
      const logger = createLogger({ level: 'debug', sink: (line) => lines.push(line) });
      const logged = makeClient({ logger });
      const web = addRepository('webapp1');
      const robot = addUser('robot-one');

      // Act
      const { secretKey } = await logged.users.create({
        name: 'robot-new',
        permissionRequestList: [{ repoId: web.uuid, policyIdList: ['pol-pull'] }],
      });
      const refreshed = await logged.users.refreshSecret(robot.uuid);
      logger.info('careless', { secretKey, refreshed });

      // Assess
      const output = lines.join('\n');
      expect(output).toContain('careless');
      expect(output).not.toContain(secretKey);
      expect(output).not.toContain(refreshed);
    });
  });

  describe('permissions', () => {
    it('returns the bare array when it lists the policies', async () => {
      // Act
      const policies = await client.permissions.list();

      // Assess
      expect(sent()).toEqual([{ method: 'GET', path: '/v1/user/permissions', query: {}, body: undefined }]);
      expect(policies).toEqual([
        { uuid: 'pol-pull', action: 'pull', name: 'Pull' },
        { uuid: 'pol-push', action: 'push', name: 'Push' },
      ]);
    });

    it('accepts the answer when policies come paged or as a null list', async () => {
      // Prepare
      emulator.inject({
        path: '/v1/user/permissions',
        status: 200,
        body: { listData: [{ uuid: 'p1', name: 'Pull Images' }] },
        times: 1,
      });
      emulator.inject({ path: '/v1/user/permissions', status: 200, body: { listData: null }, times: 1 });

      // Act
      const paged = await client.permissions.list();
      const empty = await client.permissions.list();

      // Assess
      expect(paged).toEqual([{ uuid: 'p1', name: 'Pull Images' }]);
      expect(empty).toEqual([]);
    });
  });

  describe('answers', () => {
    it('returns an empty list and keeps unknown fields when listData is null', async () => {
      // Prepare
      emulator.inject({
        path: '/v1/repository',
        status: 200,
        body: { listData: null, page: 1, pageSize: 10, totalPage: 0, totalItem: 0, extraField: 'kept' },
      });

      // Act
      const page = await client.repositories.list();

      // Assess
      expect(page).toEqual({ listData: [], page: 1, pageSize: 10, totalPage: 0, totalItem: 0, extraField: 'kept' });
    });

    it('keeps unknown fields when a repository carries them', async () => {
      // Prepare
      emulator.inject({
        path: '/v1/repository/r-1',
        status: 200,
        body: { uuid: 'r-1', name: 'webapp1', region: 'HAN' },
      });

      // Act
      const repository = await client.repositories.get('r-1');

      // Assess
      expect(repository).toEqual({ uuid: 'r-1', name: 'webapp1', region: 'HAN' });
    });

    it('returns an empty robot account when enable answers a body that is not JSON', async () => {
      // Prepare
      emulator.inject({ method: 'PUT', path: '/v1/user/ra-1/enable', status: 200, body: 'OK' });

      // Act
      const answer = await client.users.enable('ra-1');

      // Assess
      expect(answer).toEqual({});
    });

    it('encodes every path id when it contains reserved characters', async () => {
      // Act
      const error = await client.repositories.get('a/b?c#d').catch((caught: unknown) => caught);

      // Assess
      expect(urls).toEqual([`${emulator.url}/v1/repository/a%2Fb%3Fc%23d`]);
      expect(emulator.requests.map((request) => request.rawPath)).toEqual(['/v1/repository/a%2Fb%3Fc%23d']);
      expect(error).toMatchObject({ name: 'VcrApiError', status: 404, notFound: true });
    });

    it('throws UserError without calling vCR when the page is below 1', async () => {
      // Act
      const error = await client.repositories.list({ page: 0 }).catch((caught: unknown) => caught);

      // Assess
      expect(error).toBeInstanceOf(UserError);
      expect((error as Error).message).toBe('Pages are numbered from 1; `0` is not a page number.');
      expect(sent()).toEqual([]);
    });

    it('throws UserError without calling vCR when the page size is below 1', async () => {
      // Act
      const error = await client.images.list('r-1', { size: 0 }).catch((caught: unknown) => caught);

      // Assess
      expect(error).toBeInstanceOf(UserError);
      expect(sent()).toEqual([]);
    });

    it('throws TypeError without calling vCR when an id is empty', async () => {
      // Act
      const error = await client.repositories.delete('').catch((caught: unknown) => caught);

      // Assess
      expect(error).toBeInstanceOf(TypeError);
      expect(sent()).toEqual([]);
    });
  });

  describe('a 2xx answer that is not what the table says', () => {
    // What gateways and a busy vCR were seen to send with a success status (docs/vcr-api.md#errors).
    // Every row has its three values: with fewer, jest would pass its `done` callback as the content type.
    const oddBodies: [string, unknown, string | undefined][] = [
      ['an empty object', {}, undefined],
      ['a JSON string', 'busy', undefined],
      ['an error object', { error: 'busy' }, undefined],
      ['HTML', '<html><body>502 Bad Gateway</body></html>', 'text/html'],
      ['truncated JSON', '{"listData":[{"uuid":"r-1","na', undefined],
      ['null', null, undefined],
      ['a number', 42, undefined],
    ];
    const inject = (path: string | RegExp, body: unknown, contentType?: string) =>
      emulator.inject({
        method: 'GET',
        path,
        status: 200,
        // A JSON string must reach the client quoted; a raw string (HTML, cut JSON) as it is.
        body:
          typeof body === 'string' && contentType === undefined && !body.startsWith('{') ? JSON.stringify(body) : body,
        ...(contentType ? { contentType } : {}),
      });

    it.each(oddBodies)('refuses %s as a page of repositories instead of reading it as none', async (_, body, type) => {
      // Prepare
      addRepository('webapp1');
      inject('/v1/repository', body, type);

      // Act
      const error = await client.repositories.list().catch((caught: unknown) => caught);

      // Assess
      expect(error).toBeInstanceOf(VcrUnreadableAnswerError);
      expect(error).toMatchObject({ status: 200, method: 'GET', path: '/v1/repository' });
      expect((error as Error).message).toMatch(/^vCR GET \/v1\/repository answered 200 with a page of repository/);
    });

    it.each(oddBodies)('refuses %s as one repository, an image or a policy list', async (_, body, type) => {
      // Prepare
      const web = addRepository('webapp1');
      addImage(web.uuid, 'team/app');
      inject(/./, body, type);

      // Act
      const errors = await Promise.all([
        client.repositories.get(web.uuid).catch((caught: unknown) => caught),
        client.images.get(web.uuid, 'team/app').catch((caught: unknown) => caught),
        client.permissions.list().catch((caught: unknown) => caught),
      ]);

      // Assess
      expect(errors.map((error) => (error as Error).name)).toEqual([
        'VcrUnreadableAnswerError',
        'VcrUnreadableAnswerError',
        'VcrUnreadableAnswerError',
      ]);
    });

    it('refuses a page whose items lack the ids the bot acts on', async () => {
      // Prepare
      inject('/v1/user', { listData: [{ name: 'ci-robot' }], page: 1, pageSize: 10, totalPage: 1, totalItem: 1 });

      // Act
      const error = await client.users.list().catch((caught: unknown) => caught);

      // Assess
      expect(error).toBeInstanceOf(VcrUnreadableAnswerError);
      expect((error as VcrUnreadableAnswerError).reason).toBe(
        'a page of repository user records holding a repository user without uuid',
      );
    });

    it('logs the start of the body but blanks the bearer token when an unreadable answer echoes it', async () => {
      // Prepare
      const token = await tokens.getToken();
      inject('/v1/user', `<html>denied for Bearer ${token}</html>`, 'text/html');

      // Act
      const error = (await client.users.list().catch((caught: unknown) => caught)) as Error;

      // Assess
      expect(error.message).toContain('<html>denied for Bearer [redacted]</html>');
      expect(error.message).not.toContain(token);
    });

    it('throws a VcrUnreadableAnswerError, never "no image", when the image detail answers 200 with an empty body', async () => {
      // Prepare
      const web = addRepository('webapp1');
      emulator.inject({ method: 'GET', path: `/v1/repository/${web.uuid}/images/detail`, status: 200, body: '' });

      // Act
      const error = await client.images.get(web.uuid, 'team/app').catch((caught: unknown) => caught);

      // Assess
      expect(error).toBeInstanceOf(VcrUnreadableAnswerError);
    });

    it('resolves a create whose 202 answer is truncated JSON, and the repository exists', async () => {
      // Prepare
      emulator.inject({ method: 'POST', path: '/v1/repository', handled: true, status: 202, body: '{"uuid":"repo-' });

      // Act
      const created = await client.repositories.create({ repoName: 'newrepo1', isPublic: false, quotaLimit: 5 });

      // Assess
      expect(created).toBeUndefined();
      expect(emulator.state.repositories.map((repository) => repository.name)).toEqual(['newrepo1']);
      expect(sent().filter((request) => request.method === 'POST')).toHaveLength(1);
    });

    it.each([
      ['HTML', '<html><body>Accepted</body></html>'],
      ['an empty body', ''],
      ['an error object', { error: 'busy' }],
    ])('resolves a delete whose 202 answer is %s, and the repository is gone', async (_, body) => {
      // Prepare
      const web = addRepository('webapp1');
      emulator.inject({ method: 'DELETE', path: `/v1/repository/${web.uuid}`, handled: true, status: 202, body });

      // Act
      const deleted = await client.repositories.delete(web.uuid);

      // Assess
      expect(deleted).toBeUndefined();
      expect(emulator.state.repositories).toEqual([]);
    });

    it('resolves a quota change whose 200 answer is not JSON, and the quota is changed', async () => {
      // Prepare
      const web = addRepository('webapp1');
      emulator.inject({ method: 'PUT', path: /\/quotas$/, handled: true, status: 200, body: 'not json{' });

      // Act
      const updated = await client.repositories.updateQuota(web.uuid, 30);

      // Assess
      expect(updated).toBeUndefined();
      expect(web.quotaLimit).toBe(30);
    });

    it('never reads a success answer that is not a page as an empty page, whatever JSON it holds', async () => {
      // Prepare: the real client, with a fetch that answers every read with one generated body.
      let body = '';
      const answering = createVcrClient({
        baseUrl: 'http://vcr.invalid',
        tokens: { getToken: async () => 'token', invalidate: () => {} },
        fetch: (async () => new Response(body, { status: 200 })) as typeof fetch,
      });
      const notAPage = fc
        .jsonValue()
        .filter(
          (value) =>
            !Array.isArray(value) &&
            !(
              value !== null &&
              typeof value === 'object' &&
              'listData' in value &&
              (value as Record<string, unknown>).listData === null
            ) &&
            !(
              value !== null &&
              typeof value === 'object' &&
              Array.isArray((value as Record<string, unknown>).listData)
            ),
        );

      // Act and assess
      await fc.assert(
        fc.asyncProperty(notAPage, async (value) => {
          body = JSON.stringify(value);
          const outcome = await answering.repositories.list().then(
            (page) => page,
            (error: unknown) => error,
          );
          expect(outcome).toBeInstanceOf(VcrUnreadableAnswerError);
        }),
        { numRuns: 1000 },
      );
    });
  });

  describe('errors', () => {
    it.each([
      [
        'message first',
        { message: 'from message', error: 'from error', detail: 'from detail', errors: [{ message: 'from errors' }] },
        'from message',
      ],
      [
        'error second',
        { error: 'from error', detail: 'from detail', errors: [{ message: 'from errors' }] },
        'from error',
      ],
      ['detail third', { detail: 'from detail', errors: [{ message: 'from errors' }] }, 'from detail'],
      ['errors[0].message fourth', { errors: [{ code: 'X', message: 'from errors' }] }, 'from errors'],
      ['the raw body last', 'plain text from a gateway', 'plain text from a gateway'],
      [
        'no quote of an error page',
        '<!DOCTYPE html><html><body>502 Bad Gateway</body></html>',
        'a web page instead of a message',
      ],
      ['the raw JSON when no field is known', { unexpected: true }, '{"unexpected":true}'],
    ])('takes the server message from %s when the body has it', async (_, body, expected) => {
      // Prepare
      emulator.inject({ path: '/v1/repository', status: 400, body });

      // Act
      const error = await client.repositories.list({ name: 'x' }).catch((caught: unknown) => caught);

      // Assess
      expect(error).toBeInstanceOf(VcrApiError);
      expect(error).toMatchObject({
        status: 400,
        method: 'GET',
        path: '/v1/repository',
        serverMessage: expected,
        notFound: false,
      });
      expect((error as Error).message).toBe(`vCR GET /v1/repository answered 400: ${expected}`);
    });

    it('cuts the message to 300 characters when the raw body is long', async () => {
      // Prepare
      emulator.inject({ path: '/v1/repository', status: 400, body: 'x'.repeat(1000) });

      // Act
      const error = (await client.repositories.list().catch((caught: unknown) => caught)) as VcrApiError;

      // Assess
      expect(error.serverMessage).toHaveLength(300);
      expect(error.serverMessage).toBe(`${'x'.repeat(299)}…`);
    });

    it('keeps the query and the token out of the error when vCR echoes the token', async () => {
      // Prepare
      const web = addRepository('webapp1');
      const token = await tokens.getToken();
      emulator.inject({
        path: `/v1/repository/${web.uuid}/images/detail`,
        status: 400,
        body: `rejected Bearer ${token}`,
      });

      // Act
      const error = (await client.images.get(web.uuid, 'team/app').catch((caught: unknown) => caught)) as VcrApiError;

      // Assess
      expect(error.path).toBe(`/v1/repository/${web.uuid}/images/detail`);
      expect(error.serverMessage).toBe('rejected Bearer [redacted]');
      expect(JSON.stringify({ ...error, message: error.message })).not.toContain(token);
    });

    it('marks a 404 as not found when a repository id is missing', async () => {
      // Act
      const error = await client.repositories.get('repo-missing').catch((caught: unknown) => caught);

      // Assess
      expect(error).toMatchObject({ name: 'VcrApiError', status: 404, notFound: true });
    });

    it('marks a 500 saying not found as not found without retrying when a user id is missing', async () => {
      // Act
      const error = await client.users.disable('ra-missing').catch((caught: unknown) => caught);

      // Assess
      expect(error).toMatchObject({ name: 'VcrApiError', status: 500, notFound: true });
      expect(sent()).toHaveLength(1);
    });

    it('marks an injected 500 not-found as not found and does not retry it when a read looks up an id', async () => {
      // Prepare
      emulator.inject({
        path: '/v1/repository/r-1/images/detail',
        status: 500,
        body: { message: 'Image does not exist' },
      });

      // Act
      const error = await client.images.get('r-1', 'app').catch((caught: unknown) => caught);

      // Assess
      expect(error).toMatchObject({ status: 500, notFound: true, serverMessage: 'Image does not exist' });
      expect(sent()).toHaveLength(1);
    });

    it('leaves notFound false when a 500 does not say not found', async () => {
      // Prepare
      emulator.inject({
        method: 'DELETE',
        path: '/v1/repository/r-1',
        status: 500,
        body: { message: 'Internal Server Error' },
      });

      // Act
      const error = await client.repositories.delete('r-1').catch((caught: unknown) => caught);

      // Assess
      expect(error).toMatchObject({ status: 500, notFound: false });
    });

    it('leaves notFound false when a list answers 404', async () => {
      // Prepare
      emulator.inject({ path: '/v1/user', status: 404, body: { message: 'No route' } });

      // Act
      const error = await client.users.list().catch((caught: unknown) => caught);

      // Assess
      expect(error).toMatchObject({ status: 404, notFound: false });
    });

    it('throws VcrNetworkError when vCR cannot be reached', async () => {
      // Prepare
      const closed = await startVcrEmulator({ seed: false });
      const url = closed.url;
      await closed.close();
      const offline = makeClient({ baseUrl: url, retries: 0 });

      // Act
      const error = await offline.repositories.list().catch((caught: unknown) => caught);

      // Assess
      expect(error).toBeInstanceOf(VcrNetworkError);
      expect((error as Error).message).toBe('vCR GET /v1/repository could not be reached');
    });
  });

  describe('retries', () => {
    it('retries a read after a 500 and returns the answer when the next attempt succeeds', async () => {
      // Prepare
      const web = addRepository('webapp1');
      emulator.inject({
        path: `/v1/repository/${web.uuid}`,
        status: 500,
        body: { message: 'Internal Server Error' },
        times: 1,
      });

      // Act
      const repository = await client.repositories.get(web.uuid);

      // Assess
      expect(repository.uuid).toBe(web.uuid);
      expect(sent().map((request) => request.method)).toEqual(['GET', 'GET']);
      expect(sleeps).toHaveLength(1);
    });

    it('retries a read when vCR answers 429 or drops the connection', async () => {
      // Prepare
      emulator.inject({ path: '/v1/user', status: 429, body: { message: 'Too many requests' }, times: 1 });
      emulator.inject({ path: '/v1/user', dropConnection: true, times: 1 });

      // Act
      const page = await client.users.list();

      // Assess
      expect(page.listData).toEqual([]);
      expect(sent()).toHaveLength(3);
    });

    it('gives up after `retries` extra attempts with jittered exponential backoff when a read keeps failing', async () => {
      // Prepare
      emulator.inject({ path: '/v1/repository', status: 503, body: { message: 'Unavailable' } });

      // Act
      const error = await client.repositories.list().catch((caught: unknown) => caught);

      // Assess
      expect(error).toMatchObject({ name: 'VcrApiError', status: 503, serverMessage: 'Unavailable' });
      expect(sent()).toHaveLength(3);
      expect(sleeps).toHaveLength(2);
      expect(sleeps[0]).toBeGreaterThanOrEqual(5);
      expect(sleeps[0]).toBeLessThanOrEqual(10);
      expect(sleeps[1]).toBeGreaterThanOrEqual(10);
      expect(sleeps[1]).toBeLessThanOrEqual(20);
    });

    it('does not retry a read when vCR answers 400', async () => {
      // Prepare
      emulator.inject({ path: '/v1/repository', status: 400, body: { message: 'Page or size invalid' } });

      // Act
      await client.repositories.list().catch(() => undefined);

      // Assess
      expect(sent()).toHaveLength(1);
    });

    it('does not retry a DELETE when vCR answers 500', async () => {
      // Prepare
      const web = addRepository('webapp1');
      emulator.inject({
        method: 'DELETE',
        path: `/v1/repository/${web.uuid}`,
        status: 500,
        body: { message: 'Internal Server Error' },
      });

      // Act
      const error = await client.repositories.delete(web.uuid).catch((caught: unknown) => caught);

      // Assess
      expect(error).toMatchObject({ name: 'VcrApiError', status: 500, method: 'DELETE' });
      expect(sent()).toHaveLength(1);
      expect(sleeps).toEqual([]);
    });

    it('does not retry refresh when vCR answers 502 or drops the connection', async () => {
      // Prepare
      const robot = addUser('robot-one');
      emulator.inject({ path: `/v1/user/${robot.uuid}/refresh`, status: 502, body: 'Bad Gateway', times: 1 });
      emulator.inject({ path: `/v1/user/${robot.uuid}/refresh`, dropConnection: true, times: 1 });

      // Act
      const first = await client.users.refreshSecret(robot.uuid).catch((caught: unknown) => caught);
      const second = await client.users.refreshSecret(robot.uuid).catch((caught: unknown) => caught);

      // Assess
      expect(first).toMatchObject({ name: 'VcrApiError', status: 502 });
      expect(second).toBeInstanceOf(VcrNetworkError);
      expect(sent()).toHaveLength(2);
    });

    it('does not retry create when it times out', async () => {
      // Prepare
      const hasty = makeClient({ timeoutMs: 100 });
      emulator.inject({ method: 'POST', path: '/v1/repository', delayMs: 1000, status: 202, body: {} });

      // Act
      const error = await hasty.repositories
        .create({ repoName: 'newrepo1', isPublic: false, quotaLimit: 10 })
        .catch((caught: unknown) => caught);

      // Assess
      expect(error).toBeInstanceOf(VcrTimeoutError);
      expect(sent().filter((request) => request.method === 'POST')).toHaveLength(1);
    });

    it('does not retry create-user when vCR answers 500', async () => {
      // Prepare
      emulator.inject({ method: 'POST', path: '/v1/user', status: 500, body: { message: 'Internal Server Error' } });

      // Act
      const error = await client.users
        .create({ name: 'robot-new', permissionRequestList: [] })
        .catch((caught: unknown) => caught);

      // Assess
      expect(error).toMatchObject({ status: 500 });
      expect(sent()).toHaveLength(1);
    });
  });

  describe('timeouts', () => {
    it('throws VcrTimeoutError naming the call when vCR answers too late', async () => {
      // Prepare
      const hasty = makeClient({ timeoutMs: 100 });
      emulator.inject({ path: '/v1/repository/r-1', delayMs: 1000, status: 200, body: {} });

      // Act
      const error = await hasty.repositories.get('r-1').catch((caught: unknown) => caught);

      // Assess
      expect(error).toBeInstanceOf(VcrTimeoutError);
      expect(error).toMatchObject({ method: 'GET', path: '/v1/repository/r-1', timeoutMs: 100 });
      expect((error as Error).message).toBe('vCR GET /v1/repository/r-1 timed out after 100 ms');
      expect(sent()).toHaveLength(1);
    });
  });

  describe('authentication', () => {
    it('sends the bearer token when it calls vCR', async () => {
      // Act
      await client.repositories.list();

      // Assess
      expect(emulator.requests.at(-1)?.authorization).toBe(`Bearer ${await tokens.getToken()}`);
    });

    it('mints a new token and resends once when vCR answers 401 to a read', async () => {
      // Prepare
      await client.repositories.list();
      emulator.clearRequests();
      emulator.expireTokens();

      // Act
      const page = await client.repositories.list();

      // Assess
      expect(page.listData).toEqual([]);
      expect(emulator.requests.map((request) => `${request.method} ${request.path}`)).toEqual([
        'GET /v1/repository',
        'POST /accounts-api/v2/auth/token',
        'GET /v1/repository',
      ]);
      const [rejected, , accepted] = emulator.requests;
      expect(accepted?.authorization).not.toBe(rejected?.authorization);
    });

    it('mints a new token and resends a create once when vCR answers 401', async () => {
      // Prepare
      await client.repositories.list();
      emulator.clearRequests();
      emulator.expireTokens();

      // Act
      const repository = await client.repositories.create({ repoName: 'newrepo1', isPublic: false, quotaLimit: 10 });

      // Assess
      expect(repository?.name).toBe('newrepo1');
      expect(sent().map((request) => request.method)).toEqual(['POST', 'POST']);
      expect(mints()).toHaveLength(1);
      expect(emulator.state.repositories).toHaveLength(1);
    });

    it('throws the 401 when vCR still refuses the fresh token', async () => {
      // Prepare
      await tokens.getToken();
      emulator.clearRequests();
      emulator.inject({ path: '/v1/user/ra-1/refresh', status: 401, body: { message: 'Unauthorized' } });

      // Act
      const error = await client.users.refreshSecret('ra-1').catch((caught: unknown) => caught);

      // Assess
      expect(error).toMatchObject({ name: 'VcrApiError', status: 401 });
      expect(sent()).toHaveLength(2);
      expect(mints()).toHaveLength(1);
    });
  });
});
