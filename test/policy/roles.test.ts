import { createRoleResolver, RoleCheckError, type RoleLists } from '../../src/policy/roles';

function resolver(roles: Partial<RoleLists>, groups: Record<string, string[] | Error> = {}) {
  let clock = 0;
  const reads: string[] = [];
  const errors: string[] = [];
  const resolve = createRoleResolver({
    roles: { viewers: [], operators: [], admins: [], ...roles },
    groupMembers: async (groupId) => {
      reads.push(groupId);
      const members = groups[groupId];
      if (members instanceof Error) throw members;
      return members ?? [];
    },
    ttlMs: 60_000,
    now: () => clock,
    onGroupError: (groupId) => errors.push(groupId),
  });
  return {
    resolve,
    reads,
    errors,
    advance: (ms: number) => {
      clock += ms;
    },
  };
}

describe('createRoleResolver', () => {
  it('gives no role when the user is in no list', async () => {
    // Prepare
    const { resolve } = resolver({ viewers: ['U1'], operators: ['U2'] });

    // Act
    const role = await resolve.roleOf('U9');

    // Assess
    expect(role).toBeUndefined();
  });

  it('gives everyone a role when its list holds *', async () => {
    // Prepare
    const { resolve } = resolver({ viewers: ['*'] });

    // Act
    const role = await resolve.roleOf('W123');

    // Assess
    expect(role).toBe('viewer');
  });

  it('gives the highest role when the user is in several lists', async () => {
    // Prepare
    const { resolve } = resolver({ viewers: ['U1'], operators: ['U1'], admins: ['U1'] });

    // Act
    const role = await resolve.roleOf('U1');

    // Assess
    expect(role).toBe('admin');
  });

  it('gives a group member the group’s role even when viewers hold *', async () => {
    // Prepare
    const { resolve } = resolver({ viewers: ['*'], operators: ['S0OPS'] }, { S0OPS: ['U5'] });

    // Act
    const member = await resolve.roleOf('U5');
    const other = await resolve.roleOf('U6');

    // Assess
    expect(member).toBe('operator');
    expect(other).toBe('viewer');
  });

  it('reads a group again only when the TTL has passed', async () => {
    // Prepare
    const { resolve, reads, advance } = resolver({ operators: ['S0OPS'] }, { S0OPS: ['U5'] });

    // Act
    await Promise.all([resolve.roleOf('U5'), resolve.roleOf('U6')]);
    await resolve.roleOf('U5');
    const readsWithinTtl = reads.length;
    advance(60_001);
    await resolve.roleOf('U5');

    // Assess
    expect(readsWithinTtl).toBe(1);
    expect(reads).toEqual(['S0OPS', 'S0OPS']);
  });

  it('says the role could not be checked, never that the user lacks it, and reads again next time when a group cannot be read', async () => {
    // Prepare
    const failure = new Error('ratelimited');
    const { resolve, reads, errors } = resolver({ admins: ['S0BAD'] }, { S0BAD: failure });

    // Act
    const first = await resolve.roleOf('U5').catch((error: unknown) => error);
    const second = await resolve.roleOf('U5').catch((error: unknown) => error);

    // Assess
    for (const outcome of [first, second]) {
      expect(outcome).toBeInstanceOf(RoleCheckError);
      expect(outcome).toMatchObject({ role: 'admin', groupIds: ['S0BAD'], cause: failure });
    }
    expect(errors).toEqual(['S0BAD', 'S0BAD']);
    expect(reads).toEqual(['S0BAD', 'S0BAD']);
  });

  it('fails a viewer by * whose operator group cannot be read, since they may be an operator', async () => {
    // Prepare
    const { resolve } = resolver({ viewers: ['*'], operators: ['S0OPS'] }, { S0OPS: new Error('500') });

    // Act
    const outcome = await resolve.roleOf('U5').catch((error: unknown) => error);

    // Assess
    expect(outcome).toMatchObject({ name: 'RoleCheckError', role: 'operator' });
  });

  it('gives the higher role when one of its groups holds the user and another cannot be read', async () => {
    // Prepare
    const { resolve } = resolver(
      { viewers: ['*'], operators: ['S0BAD'], admins: ['S0ADM'] },
      { S0ADM: ['U5'], S0BAD: new Error('500') },
    );

    // Act
    const role = await resolve.roleOf('U5');

    // Assess
    expect(role).toBe('admin');
  });

  it('reads no group when the user holds the highest role by id, however the groups fare', async () => {
    // Prepare
    const { resolve, reads } = resolver({ operators: ['S0BAD'], admins: ['U5'] }, { S0BAD: new Error('500') });

    // Act
    const role = await resolve.roleOf('U5');

    // Assess
    expect(role).toBe('admin');
    expect(reads).toEqual([]);
  });

  it('remembers a failed read for the wait it asked for, and reads again after it', async () => {
    // Prepare
    const reads: string[] = [];
    let clock = 0;
    const rateLimited = Object.assign(new Error('ratelimited'), { waitMs: 30_000 });
    const resolve = createRoleResolver({
      roles: { viewers: ['*'], operators: ['S0OPS'], admins: [] },
      groupMembers: async (groupId) => {
        reads.push(groupId);
        if (reads.length === 1) throw rateLimited;
        return ['U5'];
      },
      ttlMs: 60_000,
      now: () => clock,
      failureTtlMs: (error) => (error as { waitMs?: number }).waitMs,
    });

    // Act
    const first = await resolve.roleOf('U5').catch((error: unknown) => error);
    clock += 29_999;
    const during = await resolve.roleOf('U5').catch((error: unknown) => error);
    clock += 1;
    const after = await resolve.roleOf('U5');

    // Assess
    expect(first).toBeInstanceOf(RoleCheckError);
    expect(during).toBeInstanceOf(RoleCheckError);
    expect(after).toBe('operator');
    expect(reads).toEqual(['S0OPS', 'S0OPS']);
  });

  it('starts every group read of the higher roles before any answers when the user is in several groups', async () => {
    // Prepare
    const started: string[] = [];
    const answers = new Map<string, (members: string[]) => void>();
    const resolve = createRoleResolver({
      roles: { viewers: ['*'], operators: ['S0OPS'], admins: ['S0ADM', 'S0SEC'] },
      groupMembers: (groupId) =>
        new Promise<string[]>((answer) => {
          started.push(groupId);
          answers.set(groupId, answer);
        }),
      ttlMs: 60_000,
    });

    // Act
    const role = resolve.roleOf('U5');
    await new Promise((settle) => setImmediate(settle));
    const startedBeforeAnswers = [...started];
    answers.get('S0SEC')?.([]);
    answers.get('S0ADM')?.([]);
    answers.get('S0OPS')?.(['U5']);

    // Assess
    expect(startedBeforeAnswers.sort()).toEqual(['S0ADM', 'S0OPS', 'S0SEC']);
    await expect(role).resolves.toBe('operator');
  });

  it('reads no group when the user already holds the highest role that has groups', async () => {
    // Prepare
    const { resolve, reads } = resolver({ operators: ['S0OPS'], admins: ['U1'] }, { S0OPS: ['U1'] });

    // Act
    const role = await resolve.roleOf('U1');

    // Assess
    expect(role).toBe('admin');
    expect(reads).toEqual([]);
  });

  it('rejects with the bound’s error instead of denying when the group reads outlast the bound', async () => {
    // Prepare
    const errors: string[] = [];
    let answer: (members: string[]) => void = () => {};
    const resolve = createRoleResolver({
      roles: { viewers: ['U5'], operators: ['S0OPS'], admins: [] },
      groupMembers: () =>
        new Promise<string[]>((settle) => {
          answer = settle;
        }),
      ttlMs: 60_000,
      onGroupError: (groupId) => errors.push(groupId),
    });
    const late = new Error('the deadline passed');

    // Act
    const role = resolve.roleOf('U5', { bound: (reads) => Promise.race([reads, Promise.reject(late)]) });

    // Assess
    await expect(role).rejects.toBe(late);
    answer(['U5']);
    await expect(resolve.roleOf('U5')).resolves.toBe('operator');
    expect(errors).toEqual([]);
  });
});
