import { seedIds } from '../../../local/emulator/seed';
import { type EmulatorSession, startEmulatorSession } from '../../support/emulator-session';

const { paymentsApi, webFrontend, mlModels, sandboxTmp } = seedIds.repositories;
const { pull, push } = seedIds.policies;

describe('emulator repository routes', () => {
  let session: EmulatorSession;

  beforeEach(async () => {
    session = await startEmulatorSession({ now: () => Date.parse('2025-03-03T08:00:00.000Z') });
  });

  afterEach(() => session.close());

  it('answers 1-based pages with totals when page and size are given', async () => {
    // Act
    const first = await session.call('GET', '/v1/repository?page=1&size=3');
    const second = await session.call('GET', '/v1/repository?page=2&size=3');

    // Assess
    expect(first.status).toBe(200);
    expect(first.json()).toMatchObject({ page: 1, pageSize: 3, totalPage: 2, totalItem: 4 });
    expect((first.json() as { listData: unknown[] }).listData).toHaveLength(3);
    expect((second.json() as { listData: unknown[] }).listData).toHaveLength(1);
  });

  it.each(['page=0', 'size=0', 'page=-1', 'page=abc'])(
    'answers 400 "Page or size invalid" when given %s',
    async (q) => {
      // Act
      const answer = await session.call('GET', `/v1/repository?${q}`);

      // Assess
      expect(answer.status).toBe(400);
      expect(answer.json()).toEqual({ message: 'Page or size invalid' });
    },
  );

  it('filters by name as a case-insensitive substring', async () => {
    // Act
    const answer = await session.call('GET', '/v1/repository?name=PAY');

    // Assess
    expect((answer.json() as { listData: { name: string }[] }).listData.map((r) => r.name)).toEqual(['payments-api']);
  });

  it('keeps only public repositories when accessLevel is PUBLIC', async () => {
    // Act
    const answer = await session.call('GET', '/v1/repository?accessLevel=PUBLIC');

    // Assess
    const rows = (answer.json() as { listData: { uuid: string; accessLevel: string }[] }).listData;
    expect(rows).toEqual([expect.objectContaining({ uuid: webFrontend, accessLevel: 'PUBLIC' })]);
  });

  it('reports quotaUsed in bytes as the sum of artifact sizes, with counts kept consistent', async () => {
    // Prepare
    const expectedBytes = session.emulator.state.artifacts
      .filter((artifact) => artifact.repoId === paymentsApi)
      .reduce((sum, artifact) => sum + artifact.size, 0);

    // Act
    const answer = await session.call('GET', `/v1/repository/${paymentsApi}`);

    // Assess
    expect(answer.json()).toMatchObject({
      uuid: paymentsApi,
      name: 'payments-api',
      backendName: `${session.emulator.accountId}-payments-api`,
      accessLevel: 'PRIVATE',
      imageCount: 3,
      attachedUser: 2,
      quotaLimit: 20,
      quotaUsed: expectedBytes,
      registryUrl: 'vcr.vngcloud.vn',
    });
  });

  it('answers 404 "Repository not found" when the id is unknown', async () => {
    // Act
    const answer = await session.call('GET', '/v1/repository/repo-missing');

    // Assess
    expect(answer.status).toBe(404);
    expect(answer.json()).toEqual({ message: 'Repository not found' });
  });

  it('creates a repository with 202 and the Repository body, visible by GET right after', async () => {
    // Act
    const created = await session.call('POST', '/v1/repository', {
      json: { repoName: 'billing_v2', isPublic: false, quotaLimit: 15 },
    });

    // Assess
    expect(created.status).toBe(202);
    const repository = created.json() as { uuid: string };
    expect(repository).toMatchObject({
      name: 'billing_v2',
      backendName: `${session.emulator.accountId}-billing_v2`,
      accessLevel: 'PRIVATE',
      imageCount: 0,
      attachedUser: 0,
      quotaLimit: 15,
      quotaUsed: 0,
      createdAt: '2025-03-03T08:00:00.000Z',
    });
    expect((await session.call('GET', `/v1/repository/${repository.uuid}`)).status).toBe(200);
    const history = await session.call('GET', `/v1/repository/${repository.uuid}/history`);
    expect((history.json() as { listData: unknown[] }).listData).toEqual([
      expect.objectContaining({ resourceName: 'billing_v2', resourceType: 'Repository', action: 'Create' }),
    ]);
  });

  it.each([
    ['repoName', { isPublic: true, quotaLimit: 5 }],
    ['isPublic', { repoName: 'new-repo', quotaLimit: 5 }],
    ['quotaLimit', { repoName: 'new-repo', isPublic: true }],
  ])('answers 400 naming %s when it is missing from the create body', async (field, body) => {
    // Act
    const answer = await session.call('POST', '/v1/repository', { json: body });

    // Assess
    expect(answer.status).toBe(400);
    expect((answer.json() as { message: string }).message).toContain(field);
  });

  it.each(['short', 'a'.repeat(21), 'Upper-case', '-dash-first', 'has.dot.in'])(
    'answers 400 with the naming rule when the repository name is %s',
    async (repoName) => {
      // Act
      const answer = await session.call('POST', '/v1/repository', {
        json: { repoName, isPublic: true, quotaLimit: 1 },
      });

      // Assess
      expect(answer.status).toBe(400);
      expect((answer.json() as { message: string }).message).toContain('6 to 20 characters');
    },
  );

  it('accepts a repository name of exactly 6 and 20 characters', async () => {
    // Act
    const six = await session.call('POST', '/v1/repository', {
      json: { repoName: '0a_b-c', isPublic: true, quotaLimit: 1 },
    });
    const twenty = await session.call('POST', '/v1/repository', {
      json: { repoName: 'a'.repeat(20), isPublic: true, quotaLimit: 1 },
    });

    // Assess
    expect([six.status, twenty.status]).toEqual([202, 202]);
  });

  it('answers 400 "already exists" when the repository name is taken', async () => {
    // Act
    const answer = await session.call('POST', '/v1/repository', {
      json: { repoName: 'payments-api', isPublic: false, quotaLimit: 5 },
    });

    // Assess
    expect(answer.status).toBe(400);
    expect(answer.json()).toEqual({ message: 'Repository payments-api already exists' });
  });

  it.each([0, -3, 1.5, '10'])('answers 400 when quotaLimit is %p', async (quotaLimit) => {
    // Act
    const answer = await session.call('POST', '/v1/repository', {
      json: { repoName: 'quota-test', isPublic: false, quotaLimit },
    });

    // Assess
    expect(answer.status).toBe(400);
  });

  it('answers 415 when a JSON route gets a form body', async () => {
    // Act
    const answer = await session.call('POST', '/v1/repository', {
      rawBody: 'repoName=form-repo&isPublic=true&quotaLimit=1',
      contentType: 'application/x-www-form-urlencoded',
    });

    // Assess
    expect(answer.status).toBe(415);
  });

  it('refuses with 400 to delete a repository that still holds images', async () => {
    // Act
    const answer = await session.call('DELETE', `/v1/repository/${paymentsApi}`);

    // Assess
    expect(answer.status).toBe(400);
    expect((answer.json() as { message: string }).message).toContain('3 image(s)');
    expect(session.emulator.state.repositories.some((r) => r.uuid === paymentsApi)).toBe(true);
  });

  it('deletes an empty repository with 202 and the Repository body', async () => {
    // Act
    const answer = await session.call('DELETE', `/v1/repository/${sandboxTmp}`);

    // Assess
    expect(answer.status).toBe(202);
    expect(answer.json()).toMatchObject({ uuid: sandboxTmp, name: 'sandbox-tmp' });
    expect((await session.call('GET', `/v1/repository/${sandboxTmp}`)).status).toBe(404);
  });

  it('raises the quota and records it in the history, newest first', async () => {
    // Act
    const answer = await session.call('PUT', `/v1/repository/${mlModels}/quotas`, {
      json: { repoId: mlModels, quotaLimit: 80 },
    });

    // Assess
    expect(answer.status).toBe(200);
    expect(answer.json()).toMatchObject({ uuid: mlModels, quotaLimit: 80 });
    const history = await session.call('GET', `/v1/repository/${mlModels}/history?page=1&size=1`);
    expect((history.json() as { listData: unknown[] }).listData).toEqual([
      expect.objectContaining({
        userName: session.emulator.clientId,
        resourceName: 'ml-models',
        resourceType: 'Repository',
        actionTime: '2025-03-03T08:00:00.000Z',
      }),
    ]);
  });

  it('answers 400 with both figures when the quota would fall below the bytes used', async () => {
    // Act
    const answer = await session.call('PUT', `/v1/repository/${mlModels}/quotas`, {
      json: { repoId: mlModels, quotaLimit: 5 },
    });

    // Assess
    expect(answer.status).toBe(400);
    expect((answer.json() as { message: string }).message).toMatch(/5 GB \(5368709120 bytes\).*11706892149 bytes/);
    expect(session.emulator.state.repositories.find((r) => r.uuid === mlModels)?.quotaLimit).toBe(50);
  });

  it.each([
    ['quotas', { repoId: webFrontend, quotaLimit: 30 }],
    ['attach', { repoId: webFrontend, repoUserList: [] }],
    ['detach', { repoId: webFrontend, repoUserUuidList: [] }],
  ])('answers 400 on %s when the body id differs from the path id', async (route, body) => {
    // Act
    const answer = await session.call('PUT', `/v1/repository/${mlModels}/${route}`, { json: body });

    // Assess
    expect(answer.status).toBe(400);
    expect((answer.json() as { message: string }).message).toContain('does not match');
  });

  it('attaches a user with 200 and no body, and lists it with its actions', async () => {
    // Prepare
    const { legacyPuller } = seedIds.users;

    // Act
    const answer = await session.call('PUT', `/v1/repository/${mlModels}/attach`, {
      json: { repoId: mlModels, repoUserList: [{ repoUserId: legacyPuller, policyIdList: [pull, push] }] },
    });

    // Assess
    expect(answer.status).toBe(200);
    expect(answer.text).toBe('');
    const users = await session.call('GET', `/v1/repository/${mlModels}/user?name=legacy`);
    expect((users.json() as { listData: unknown[] }).listData).toEqual([
      expect.objectContaining({ uuid: legacyPuller, numberOfRepo: 2, policyActionList: ['pull', 'push'] }),
    ]);
    expect((await session.call('GET', `/v1/repository/${mlModels}`)).json()).toMatchObject({ attachedUser: 2 });
  });

  it('answers 400 on attach when a policy id is unknown', async () => {
    // Act
    const answer = await session.call('PUT', `/v1/repository/${mlModels}/attach`, {
      json: { repoId: mlModels, repoUserList: [{ repoUserId: seedIds.users.ciDeployer, policyIdList: ['nope'] }] },
    });

    // Assess
    expect(answer.status).toBe(400);
    expect(answer.json()).toEqual({ message: 'Policy nope not found' });
  });

  it('answers 500 "not found" on attach when the user id is unknown', async () => {
    // Act
    const answer = await session.call('PUT', `/v1/repository/${mlModels}/attach`, {
      json: { repoId: mlModels, repoUserList: [{ repoUserId: 'ra-missing', policyIdList: [pull] }] },
    });

    // Assess
    expect(answer.status).toBe(500);
    expect((answer.json() as { message: string }).message).toContain('not found');
  });

  it('answers 500 when a user is attached again after a detach, while update-permissions still works', async () => {
    // Prepare
    const { qaReader } = seedIds.users;
    const detached = await session.call('PUT', `/v1/repository/${paymentsApi}/detach`, {
      json: { repoId: paymentsApi, repoUserUuidList: [qaReader] },
    });

    // Act
    const reattached = await session.call('PUT', `/v1/repository/${paymentsApi}/attach`, {
      json: { repoId: paymentsApi, repoUserList: [{ repoUserId: qaReader, policyIdList: [pull] }] },
    });
    const viaPermissions = await session.call('PUT', `/v1/user/${qaReader}/permission`, {
      json: {
        repoUserId: qaReader,
        permissionRequestList: [
          { repoId: paymentsApi, policyIdList: [pull] },
          { repoId: mlModels, policyIdList: [pull] },
        ],
      },
    });

    // Assess
    expect(detached.status).toBe(200);
    expect(detached.text).toBe('');
    expect(reattached.status).toBe(500);
    expect(viaPermissions.status).toBe(200);
    const users = await session.call('GET', `/v1/repository/${paymentsApi}/user?name=qa`);
    expect((users.json() as { totalItem: number }).totalItem).toBe(1);
  });

  it('answers 400 on detach when the user is not attached to the repository', async () => {
    // Act
    const answer = await session.call('PUT', `/v1/repository/${mlModels}/detach`, {
      json: { repoId: mlModels, repoUserUuidList: [seedIds.users.ciDeployer] },
    });

    // Assess
    expect(answer.status).toBe(400);
  });

  it('answers 404 with a message when no route matches', async () => {
    // Act
    const answer = await session.call('GET', '/v2/repository');

    // Assess
    expect(answer.status).toBe(404);
    expect(answer.json()).toEqual({ message: expect.any(String) });
  });
});
