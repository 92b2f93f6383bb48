import { seedIds } from '../../../local/emulator/seed';
import { type EmulatorSession, startEmulatorSession } from '../../support/emulator-session';

const { paymentsApi, webFrontend, mlModels } = seedIds.repositories;
const { ciDeployer, qaReader, legacyPuller } = seedIds.users;
const { pull, push, all } = seedIds.policies;

interface UserRow {
  uuid: string;
  name: string;
  disable: boolean;
  expiredAt: string | null;
  numberOfRepo: number;
}

describe('emulator repository-user routes', () => {
  let session: EmulatorSession;

  beforeEach(async () => {
    session = await startEmulatorSession({ now: () => Date.parse('2025-03-03T08:00:00.000Z') });
  });

  afterEach(() => session.close());

  const findUser = async (name: string) => {
    const answer = await session.call('GET', `/v1/user?name=${encodeURIComponent(name)}`);
    return (answer.json() as { listData: UserRow[] }).listData.find((user) => user.name === name);
  };

  it('answers the policies as a bare array with pull, push and All labels', async () => {
    // Act
    const answer = await session.call('GET', '/v1/user/permissions');

    // Assess
    expect(answer.json()).toEqual([
      { uuid: pull, action: 'pull', name: 'Pull Images' },
      { uuid: push, action: 'push', name: 'Push Images' },
      { uuid: all, name: 'All' },
    ]);
  });

  it('creates a user answering only the secret, findable by name with its expiry and permissions', async () => {
    // Act
    const answer = await session.call('POST', '/v1/user', {
      json: {
        name: 'Deploy_Bot1',
        duration: 30,
        description: 'release pipeline',
        permissionRequestList: [{ repoId: paymentsApi, policyIdList: [pull, push] }],
      },
    });

    // Assess
    expect(answer.status).toBe(200);
    const { secretKey } = answer.json() as { secretKey: string };
    expect(answer.json()).toEqual({ secretKey: expect.any(String) });
    const user = await findUser('Deploy_Bot1');
    expect(user).toMatchObject({
      backendName: `${session.emulator.accountId}-Deploy_Bot1`,
      description: 'release pipeline',
      disable: false,
      expiredAt: '2025-04-02T08:00:00.000Z',
      userId: expect.any(Number),
      numberOfRepo: 1,
      repoPermissionList: [
        {
          repoId: paymentsApi,
          repoName: 'payments-api',
          backendRepoName: `${session.emulator.accountId}-payments-api`,
          policyDtoList: [expect.objectContaining({ uuid: pull }), expect.objectContaining({ uuid: push })],
        },
      ],
    });
    expect(session.emulator.currentSecret(user!.uuid)).toBe(secretKey);
  });

  it('gives a user created without duration a null expiredAt', async () => {
    // Act
    await session.call('POST', '/v1/user', {
      json: { name: 'no-expiry', permissionRequestList: [{ repoId: webFrontend, policyIdList: [pull] }] },
    });

    // Assess
    expect((await findUser('no-expiry'))?.expiredAt).toBeNull();
  });

  it.each(['short', 'fifteen-chars-x', '_underscore', 'has space'])(
    'answers 400 with the naming rule when the user name is %p',
    async (name) => {
      // Act
      const answer = await session.call('POST', '/v1/user', {
        json: { name, permissionRequestList: [{ repoId: webFrontend, policyIdList: [pull] }] },
      });

      // Assess
      expect(answer.status).toBe(400);
      expect((answer.json() as { message: string }).message).toContain('6 to 14 characters');
    },
  );

  it('answers 400 "already exists" when the user name is taken', async () => {
    // Act
    const answer = await session.call('POST', '/v1/user', {
      json: { name: 'ci-deployer', permissionRequestList: [] },
    });

    // Assess
    expect(answer.status).toBe(400);
    expect(answer.json()).toEqual({ message: 'Repository user ci-deployer already exists' });
  });

  it.each([
    ['name', { permissionRequestList: [] }],
    ['permissionRequestList', { name: 'valid-name' }],
  ])('answers 400 naming %s when it is missing from the create body', async (field, body) => {
    // Act
    const answer = await session.call('POST', '/v1/user', { json: body });

    // Assess
    expect(answer.status).toBe(400);
    expect((answer.json() as { message: string }).message).toContain(field);
  });

  it('answers 500 when the broken All policy is used', async () => {
    // Act
    const answer = await session.call('POST', '/v1/user', {
      json: { name: 'all-access', permissionRequestList: [{ repoId: webFrontend, policyIdList: [all] }] },
    });

    // Assess
    expect(answer.status).toBe(500);
    expect(await findUser('all-access')).toBeUndefined();
  });

  it('answers 404 when a permission names an unknown repository', async () => {
    // Act
    const answer = await session.call('POST', '/v1/user', {
      json: { name: 'lost-user', permissionRequestList: [{ repoId: 'repo-missing', policyIdList: [pull] }] },
    });

    // Assess
    expect(answer.status).toBe(404);
  });

  it('updates duration and description, answering a robot-account object', async () => {
    // Act
    const answer = await session.call('PUT', `/v1/user/${ciDeployer}`, {
      json: { repoUserId: ciDeployer, duration: 10, description: 'rotated' },
    });

    // Assess
    expect(answer.status).toBe(200);
    expect(answer.json()).toMatchObject({ description: 'rotated', disable: false });
    expect(await findUser('ci-deployer')).toMatchObject({
      expiredAt: '2025-03-13T08:00:00.000Z',
      description: 'rotated',
    });
  });

  it('answers 400 on update when the body id differs from the path id', async () => {
    // Act
    const answer = await session.call('PUT', `/v1/user/${ciDeployer}`, { json: { repoUserId: qaReader } });

    // Assess
    expect(answer.status).toBe(400);
  });

  it('disables and enables a user', async () => {
    // Act
    const disabled = await session.call('PUT', `/v1/user/${qaReader}/disable`);
    const stateAfterDisable = (await findUser('qa-reader'))?.disable;
    const enabled = await session.call('PUT', `/v1/user/${legacyPuller}/enable`);

    // Assess
    expect(disabled.json()).toMatchObject({ disable: true });
    expect(stateAfterDisable).toBe(true);
    expect(enabled.json()).toMatchObject({ disable: false });
    expect((await findUser('legacy-puller'))?.disable).toBe(false);
  });

  it('replaces the whole permission list on update-permissions', async () => {
    // Act
    const answer = await session.call('PUT', `/v1/user/${ciDeployer}/permission`, {
      json: { repoUserId: ciDeployer, permissionRequestList: [{ repoId: mlModels, policyIdList: [pull] }] },
    });

    // Assess
    expect(answer.status).toBe(200);
    expect(await findUser('ci-deployer')).toMatchObject({
      numberOfRepo: 1,
      repoPermissionList: [{ repoId: mlModels, policyDtoList: [{ uuid: pull }] }],
    });
    expect((await session.call('GET', `/v1/repository/${webFrontend}`)).json()).toMatchObject({ attachedUser: 1 });
  });

  it.each([
    ['PUT', '/permission', { repoUserId: 'ra-missing', permissionRequestList: [] }],
    ['PUT', '/disable', undefined],
    ['GET', '/refresh', undefined],
    ['DELETE', '', undefined],
  ])('answers 500 "not found" on %s %s when the user id is unknown', async (method, suffix, json) => {
    // Act
    const answer = await session.call(method, `/v1/user/ra-missing${suffix}`, { json });

    // Assess
    expect(answer.status).toBe(500);
    expect((answer.json() as { message: string }).message).toContain('not found');
  });

  it('answers the new secret as plain text on refresh and invalidates the old one', async () => {
    // Prepare
    const oldSecret = session.emulator.currentSecret(qaReader);

    // Act
    const answer = await session.call('GET', `/v1/user/${qaReader}/refresh`);

    // Assess
    expect(answer.status).toBe(200);
    expect(answer.contentType).toMatch(/^text\/plain/);
    expect(answer.text).not.toBe(oldSecret);
    expect(session.emulator.currentSecret(qaReader)).toBe(answer.text);
  });

  it('deletes a user with 200 and no body, detaching it everywhere', async () => {
    // Act
    const answer = await session.call('DELETE', `/v1/user/${legacyPuller}`);

    // Assess
    expect(answer.status).toBe(200);
    expect(answer.text).toBe('');
    expect(await findUser('legacy-puller')).toBeUndefined();
    expect((await session.call('GET', `/v1/repository/${webFrontend}`)).json()).toMatchObject({ attachedUser: 1 });
  });
});
