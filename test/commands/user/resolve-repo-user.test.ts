import { randomBytes, randomUUID } from 'node:crypto';
import { startVcrEmulator, type VcrEmulator } from '../../../local/emulator/vcr-emulator';
import { resolveRepoUser } from '../../../src/commands/user/resolve-repo-user';
import { UserError } from '../../../src/errors';
import { createVcrClient, type VcrClient } from '../../../src/vcr/client';
import { createTokenProvider } from '../../../src/vcr/token';

// Short, so that a user can be named like another one's backend name within the 14-character limit.
const accountId = '777';

describe('resolveRepoUser', () => {
  let emulator: VcrEmulator;
  let client: VcrClient;

  const addUser = (name: string) => {
    const uuid = `ra-${randomUUID()}`;
    emulator.state.users.push({
      uuid,
      userId: emulator.state.users.length + 1,
      name,
      description: null,
      disable: false,
      expiredAt: null,
      createdAt: '2026-01-01T00:00:00.000Z',
      secret: randomBytes(16).toString('hex'),
      permissions: [],
      detachedRepoIds: [],
    });
    return uuid;
  };
  const listFilters = () =>
    emulator.requests.filter((request) => request.path === '/v1/user').map((request) => request.query.name);

  beforeAll(async () => {
    const clientId = `client-${randomBytes(4).toString('hex')}`;
    const clientSecret = randomBytes(18).toString('base64url');
    emulator = await startVcrEmulator({ seed: false, accountId, clientId, clientSecret });
    const tokens = createTokenProvider({
      iamUrl: emulator.iamUrl,
      credentials: async () => ({ clientId, clientSecret }),
    });
    client = createVcrClient({ baseUrl: emulator.url, tokens, backoffMs: 1 });
  });

  beforeEach(() => {
    emulator.state.users.length = 0;
    emulator.clearRequests();
  });

  afterAll(async () => {
    await emulator.close();
  });

  it('finds the user by its name when other names contain it', async () => {
    // Prepare
    addUser('ci-robot-2');
    const wanted = addUser('ci-robot');

    // Act
    const user = await resolveRepoUser(client, 'ci-robot');

    // Assess
    expect(user.uuid).toBe(wanted);
    expect(listFilters()).toEqual(['ci-robot']);
  });

  it('finds the one user whose name differs only in case when none matches exactly', async () => {
    // Prepare
    const wanted = addUser('CI-Robot');

    // Act
    const user = await resolveRepoUser(client, 'ci-robot');

    // Assess
    expect(user.uuid).toBe(wanted);
  });

  it('prefers the exact name to one that differs only in case', async () => {
    // Prepare: vCR keeps names unique ignoring case; a state edit makes both exist.
    addUser('CI-Robot');
    const wanted = addUser('ci-robot');

    // Act
    const user = await resolveRepoUser(client, 'ci-robot');

    // Assess
    expect(user.uuid).toBe(wanted);
  });

  it('lists the users when several differ from the ref only in case', async () => {
    // Prepare
    addUser('CI-Robot');
    addUser('ci-ROBOT');

    // Act
    const error = await resolveRepoUser(client, 'ci-robot').catch((caught: unknown) => caught);

    // Assess
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toMatch(/^`ci-robot` matches 2 repository users: /);
    expect((error as Error).message).toContain('`CI-Robot` (`777-CI-Robot`');
    expect((error as Error).message).toContain('`ci-ROBOT` (`777-ci-ROBOT`');
  });

  it('finds the user by its backend name when vCR filters on names only', async () => {
    // Prepare
    const wanted = addUser('ci-robot');

    // Act
    const user = await resolveRepoUser(client, `${accountId}-ci-robot`);

    // Assess
    expect(user.uuid).toBe(wanted);
    expect(listFilters()).toEqual([`${accountId}-ci-robot`, 'ci-robot']);
  });

  it('finds the user by id by walking every page when the ref is an id', async () => {
    // Prepare
    for (let index = 0; index < 120; index += 1) addUser(`robot-${String(index).padStart(3, '0')}`);
    const wanted = emulator.state.users[3]!.uuid;

    // Act
    const user = await resolveRepoUser(client, wanted);

    // Assess
    expect(user.name).toBe('robot-003');
    expect(emulator.requests.filter((request) => request.path === '/v1/user').map((r) => r.query)).toEqual([
      { name: '', page: '1', size: '100' },
      { name: '', page: '2', size: '100' },
    ]);
  });

  it('finds the user by id with one list filtered by its name when the name comes with the id', async () => {
    // Prepare
    for (let index = 0; index < 120; index += 1) addUser(`robot-${String(index).padStart(3, '0')}`);
    const wanted = emulator.state.users[103]!.uuid;

    // Act
    const user = await resolveRepoUser(client, wanted, { name: 'robot-103' });

    // Assess
    expect(user.uuid).toBe(wanted);
    expect(emulator.requests.filter((request) => request.path === '/v1/user').map((r) => r.query)).toEqual([
      { name: 'robot-103', page: '1', size: '100' },
    ]);
  });

  it('says no user has the id, with its name, when the name comes with an id that is gone', async () => {
    // Prepare
    addUser('ci-robot');
    const gone = `ra-${randomUUID()}`;

    // Act
    const error = await resolveRepoUser(client, gone, { name: 'ci-robot' }).catch((caught: unknown) => caught);

    // Assess
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toBe(
      `No repository user with id \`${gone}\` (it was named \`ci-robot\`); it may have been deleted. Try \`/vcr users ci-robot\`.`,
    );
  });

  it('says no user has the id, not the name, when an id matches no user', async () => {
    // Prepare
    addUser('ci-robot');
    const gone = `ra-${randomUUID()}`;

    // Act
    const error = await resolveRepoUser(client, gone).catch((caught: unknown) => caught);

    // Assess
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toBe(`No repository user with id \`${gone}\`. Try \`/vcr users\`, or name it.`);
  });

  it('says how far it looked when an id without its name is past the users the walk reads', async () => {
    // Prepare
    for (let index = 0; index < 2000; index += 1) addUser(`robot-${String(index).padStart(4, '0')}`);
    // The emulator lists users newest first, then by name: this one comes last.
    const late = addUser('zz-late-robot');

    // Act
    const walked = await resolveRepoUser(client, late).catch((caught: unknown) => caught);
    const named = await resolveRepoUser(client, late, { name: 'zz-late-robot' });

    // Assess
    expect((walked as Error).message).toBe(
      `No repository user with id \`${late}\` among the first 2000 users vCR lists. Try \`/vcr users\`, or name it.`,
    );
    expect(named.uuid).toBe(late);
  });

  it('throws a UserError with a hint when no user has that name', async () => {
    // Prepare
    addUser('ci-robot-2');

    // Act
    const error = await resolveRepoUser(client, 'ci-robot').catch((caught: unknown) => caught);

    // Assess
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toBe('No repository user named `ci-robot`. Try `/vcr users ci-robot`.');
  });

  it('lists the candidates when one user is named like the backend name of another', async () => {
    // Prepare
    const plain = addUser('robot1');
    const lookalike = addUser(`${accountId}-robot1`);

    // Act
    const error = await resolveRepoUser(client, `${accountId}-robot1`).catch((caught: unknown) => caught);

    // Assess
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toMatch(/matches 2 repository users/);
    expect((error as Error).message).toContain(plain);
    expect((error as Error).message).toContain(lookalike);
  });
});
