import { randomBytes } from 'node:crypto';
import { startVcrEmulator, type VcrEmulator } from '../../local/emulator/vcr-emulator';
import { accessOf, createPolicyResolver, MissingPolicyError } from '../../src/commands/policies';
import { createVcrClient, type VcrClient } from '../../src/vcr/client';
import { createTokenProvider } from '../../src/vcr/token';
import type { Policy } from '../../src/vcr/types';

describe('createPolicyResolver', () => {
  let emulator: VcrEmulator;
  let client: VcrClient;

  const permissionReads = () => emulator.requests.filter((request) => request.path === '/v1/user/permissions').length;
  const offer = (policies: Policy[]) => {
    emulator.state.policies.length = 0;
    emulator.state.policies.push(...policies);
  };

  beforeAll(async () => {
    const clientId = `client-${randomBytes(4).toString('hex')}`;
    const clientSecret = randomBytes(18).toString('base64url');
    emulator = await startVcrEmulator({ seed: false, clientId, clientSecret });
    const tokens = createTokenProvider({
      iamUrl: emulator.iamUrl,
      credentials: async () => ({ clientId, clientSecret }),
    });
    client = createVcrClient({ baseUrl: emulator.url, tokens, retries: 0 });
  });

  beforeEach(() => {
    emulator.clearRequests();
    emulator.clearFaults();
  });

  afterAll(async () => {
    await emulator.close();
  });

  it.each([
    [
      'lowercase actions',
      [
        { uuid: 'all', action: 'all' },
        { uuid: 'pl', action: 'pull' },
        { uuid: 'ps', action: 'push' },
      ],
    ],
    [
      'names only',
      [
        { uuid: 'all', name: 'All' },
        { uuid: 'ps', name: 'Push Images' },
        { uuid: 'pl', name: 'Pull Images' },
      ],
    ],
    [
      'capitalized actions',
      [
        { uuid: 'ps', action: 'PUSH', name: 'x' },
        { uuid: 'pl', action: 'Pull', name: 'y' },
      ],
    ],
    [
      'an action that wins over the name',
      [
        { uuid: 'ps', action: 'push', name: 'Pull Images' },
        { uuid: 'pl', action: 'pull' },
      ],
    ],
    [
      'an all-in-one label first',
      [
        { uuid: 'both', name: 'Pull and Push' },
        { uuid: 'pl', name: 'pull' },
        { uuid: 'ps', name: 'push' },
      ],
    ],
  ])('resolves pull and push ids when the policies have %s', async (_, policies) => {
    // Prepare
    offer(policies);
    const resolver = createPolicyResolver(client);

    // Act
    const pull = await resolver.resolve('pull');
    const push = await resolver.resolve('push');

    // Assess
    expect(pull).toEqual(['pl']);
    expect(push).toEqual(['pl', 'ps']);
  });

  it('reads the policies once when many resolves follow', async () => {
    // Prepare
    offer([
      { uuid: 'pl', action: 'pull' },
      { uuid: 'ps', action: 'push' },
    ]);
    const resolver = createPolicyResolver(client);

    // Act
    await Promise.all([resolver.resolve('pull'), resolver.resolve('push'), resolver.policies()]);
    await resolver.resolve('push');

    // Assess
    expect(permissionReads()).toBe(1);
  });

  it('reads again when the previous read failed', async () => {
    // Prepare
    offer([
      { uuid: 'pl', action: 'pull' },
      { uuid: 'ps', action: 'push' },
    ]);
    emulator.inject({ path: '/v1/user/permissions', status: 503, body: { message: 'Unavailable' }, times: 1 });
    const resolver = createPolicyResolver(client);
    const failure = await resolver.resolve('pull').catch((caught: unknown) => caught);

    // Act
    const pull = await resolver.resolve('pull');

    // Assess
    expect(failure).toMatchObject({ name: 'VcrApiError', status: 503 });
    expect(pull).toEqual(['pl']);
    expect(permissionReads()).toBe(2);
  });

  it('throws MissingPolicyError naming what vCR offers when there is no push policy', async () => {
    // Prepare
    offer([
      { uuid: 'all', name: 'All' },
      { uuid: 'pl', name: 'Pull Images' },
    ]);
    const resolver = createPolicyResolver(client);

    // Act
    const error = await resolver.resolve('push').catch((caught: unknown) => caught);

    // Assess
    expect(error).toBeInstanceOf(MissingPolicyError);
    expect((error as Error).message).toBe(
      'vCR offers no push policy, so push access cannot be granted (it lists: All, Pull Images).',
    );
    expect(await resolver.resolve('pull')).toEqual(['pl']);
  });

  it('throws MissingPolicyError when only the All policy is offered', async () => {
    // Prepare
    offer([{ uuid: 'all', action: 'All' }]);
    const resolver = createPolicyResolver(client);

    // Act
    const error = await resolver.resolve('pull').catch((caught: unknown) => caught);

    // Assess
    expect(error).toMatchObject({ name: 'MissingPolicyError', access: 'pull' });
  });

  it('returns the whole policy list when policies() is called', async () => {
    // Prepare
    offer([{ uuid: 'pl', action: 'pull', name: 'Pull' }]);
    const resolver = createPolicyResolver(client);

    // Act
    const policies = await resolver.policies();

    // Assess
    expect(policies).toEqual([{ uuid: 'pl', action: 'pull', name: 'Pull' }]);
  });
});

describe('accessOf', () => {
  it.each([
    ['none', null],
    ['none', []],
    ['pull', [{ uuid: 'a', action: 'pull' }]],
    ['pull', [{ uuid: 'a', name: 'Pull Images' }]],
    [
      'push',
      [
        { uuid: 'a', action: 'pull' },
        { uuid: 'b', action: 'push' },
      ],
    ],
    ['push', [{ uuid: 'b', name: 'Push Images' }]],
    ['push', [{ uuid: 'c', name: 'All' }]],
    ['none', [{ uuid: 'd', name: 'Delete' }]],
    ['pull', ['pull']],
    ['push', ['Pull Images', 'Push Images']],
  ] as [string, (Policy | string)[] | null][])('returns %s when the policies are %j', (expected, policies) => {
    expect(accessOf(policies)).toBe(expected);
  });
});
