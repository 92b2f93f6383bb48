import { randomBytes, randomUUID } from 'node:crypto';
import { startVcrEmulator, type VcrEmulator } from '../../../local/emulator/vcr-emulator';
import { resolveRepository } from '../../../src/commands/repository/resolve-repository';
import { UserError } from '../../../src/errors';
import { createVcrClient, type VcrClient } from '../../../src/vcr/client';
import { createTokenProvider } from '../../../src/vcr/token';

const accountId = '10007777';

describe('resolveRepository', () => {
  let emulator: VcrEmulator;
  let client: VcrClient;

  const addRepository = (name: string, uuid = `repo-${randomUUID()}`) => {
    emulator.state.repositories.push({
      uuid,
      name,
      isPublic: false,
      quotaLimit: 20,
      registryUrl: 'vcr.vngcloud.vn',
      createdAt: '2026-01-01T00:00:00.000Z',
    });
    return uuid;
  };
  const listFilters = () =>
    emulator.requests.filter((request) => request.path === '/v1/repository').map((request) => request.query.name);

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
    emulator.state.repositories.length = 0;
    emulator.clearRequests();
    emulator.clearFaults();
  });

  afterAll(async () => {
    await emulator.close();
  });

  it('finds the repository by its display name when other names contain it', async () => {
    // Prepare
    addRepository('webapp-old');
    const wanted = addRepository('webapp');

    // Act
    const repository = await resolveRepository(client, 'webapp');

    // Assess
    expect(repository.uuid).toBe(wanted);
    expect(listFilters()).toEqual(['webapp']);
  });

  it('finds the repository by its backend name when vCR filters on display names only', async () => {
    // Prepare
    const wanted = addRepository('webapp');

    // Act
    const repository = await resolveRepository(client, `${accountId}-webapp`);

    // Assess
    expect(repository.uuid).toBe(wanted);
    expect(listFilters()).toEqual([`${accountId}-webapp`, 'webapp']);
  });

  it('finds the repository by id with one GET when the ref is an id', async () => {
    // Prepare
    const wanted = addRepository('webapp');

    // Act
    const repository = await resolveRepository(client, wanted);

    // Assess
    expect(repository.name).toBe('webapp');
    expect(emulator.requests.filter((request) => request.path.startsWith('/v1')).map((r) => r.path)).toEqual([
      `/v1/repository/${wanted}`,
    ]);
  });

  it.each([
    ['its name in capitals', 'PAYMENTS-API', ['payments-api']],
    ['its backend name in mixed case', `${accountId}-Payments-Api`, [`${accountId}-payments-api`, 'payments-api']],
  ])('finds the one repository when the ref is %s', async (_, ref, filters) => {
    // Prepare
    const wanted = addRepository('payments-api');
    addRepository('payments-api-old');

    // Act
    const repository = await resolveRepository(client, ref);

    // Assess
    expect(repository.uuid).toBe(wanted);
    expect(listFilters()).toEqual(filters);
  });

  it('throws a UserError with a hint when no repository has that name', async () => {
    // Prepare
    addRepository('webapp-old');

    // Act
    const error = await resolveRepository(client, 'webapp').catch((caught: unknown) => caught);

    // Assess
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toBe('No repository named `webapp`. Try `/vcr repos webapp`.');
  });

  it('names the configured slash command when it gives a hint', async () => {
    // Act
    const error = await resolveRepository(client, 'nothing', { slashCommand: '/registry' }).catch((e: unknown) => e);

    // Assess
    expect((error as Error).message).toBe('No repository named `nothing`. Try `/registry repos nothing`.');
  });

  it('throws a UserError when an id-shaped ref is not found', async () => {
    // Prepare
    const missing = `repo-${randomUUID()}`;

    // Act
    const error = await resolveRepository(client, missing).catch((caught: unknown) => caught);

    // Assess
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toBe(`No repository named \`${missing}\`. Try \`/vcr repos ${missing}\`.`);
  });

  it('lists the candidates when one repository is named like the backend name of another', async () => {
    // Prepare
    const plain = addRepository('webapp');
    const lookalike = addRepository(`${accountId}-webapp`);

    // Act
    const error = await resolveRepository(client, `${accountId}-webapp`).catch((caught: unknown) => caught);

    // Assess
    expect(error).toBeInstanceOf(UserError);
    const message = (error as Error).message;
    expect(message).toMatch(/^`10007777-webapp` matches 2 repositories: /);
    expect(message).toContain(plain);
    expect(message).toContain(lookalike);
  });

  it('passes vCR failures through when the lookup itself fails', async () => {
    // Prepare
    emulator.inject({ path: '/v1/repository', status: 400, body: { message: 'Bad filter' } });

    // Act
    const error = await resolveRepository(client, 'webapp').catch((caught: unknown) => caught);

    // Assess
    expect(error).toMatchObject({ name: 'VcrApiError', status: 400 });
  });

  it('throws UserError without calling vCR when the ref is empty', async () => {
    // Act
    const error = await resolveRepository(client, '  ').catch((caught: unknown) => caught);

    // Assess
    expect(error).toBeInstanceOf(UserError);
    expect(emulator.requests).toEqual([]);
  });
});
