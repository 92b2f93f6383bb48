import { randomBytes } from 'node:crypto';
import { UserError } from '../../../src/errors';
import { renderReply } from '../../../src/slack/render';
import { messageLimitProblems } from '../../support/block-limits';
import { type CommandHarness, startCommandHarness } from '../../support/command-context';
import { partsOf, runText } from '../../support/command-harness';

describe('users --report', () => {
  let harness: CommandHarness;

  beforeEach(async () => {
    harness = await startCommandHarness();
  });

  afterEach(() => harness.close());

  const addUnattached = (count: number, prefix = 'idle') => {
    for (let i = 1; i <= count; i++) {
      harness.emulator.state.users.push({
        uuid: `ra-${prefix}-${i}`,
        userId: 200 + i,
        name: `${prefix}-${String(i).padStart(3, '0')}`,
        description: null,
        disable: false,
        expiredAt: '2099-01-01T00:00:00.000Z',
        createdAt: '2025-01-01T00:00:00.000Z',
        secret: randomBytes(16).toString('hex'),
        permissions: [],
        detachedRepoIds: [],
      });
    }
  };

  /** Each group's header and the names of the users it lists. */
  const groupsOf = async (text: string) => {
    const reply = await runText(harness, text);
    const headers = partsOf(reply, 'header').slice(1);
    const lists = partsOf(reply, 'list');
    return headers.map((header, index) => ({
      header: header.text,
      names: (lists[index]?.items ?? []).map((item) => String(item.title).split('*')[1]),
    }));
  };

  it('groups the seeded users into never expiring, expired or disabled but attached, and attached to nothing', async () => {
    // Prepare
    addUnattached(1);

    // Act
    const groups = await groupsOf('users --report');

    // Assess
    expect(groups).toEqual([
      { header: 'Never expire (2)', names: ['ci-deployer', 'legacy-puller'] },
      {
        header: 'Expired or disabled, still attached to repositories (2)',
        names: ['legacy-puller', 'qa-reader'],
      },
      { header: 'Attached to no repository (1)', names: ['idle-001'] },
    ]);
  });

  it.each([
    ['numberOfRepo is missing and repoPermissionList is null', { repoPermissionList: null }, ['numberOfRepo']],
    ['both are missing', {}, ['numberOfRepo', 'repoPermissionList']],
    ['numberOfRepo is null and repoPermissionList is empty', { numberOfRepo: null, repoPermissionList: [] }, []],
  ])(
    'lists a user as attached to no repository only when both fields say so, not when %s',
    async (_case, set, drop) => {
      // Prepare
      addUnattached(2, 'odd');
      harness.emulator.inject({
        method: 'GET',
        path: '/v1/user',
        rewrite: (body) => {
          const page = body as { listData: Record<string, unknown>[] };
          for (const user of page.listData.filter((candidate) => candidate.name === 'odd-001')) {
            Object.assign(user, set);
            for (const field of drop) delete user[field];
          }
          return page;
        },
      });

      // Act
      const reply = await runText(harness, 'users --report');
      const groups = await groupsOf('users --report');

      // Assess
      expect(groups[2]).toEqual({ header: 'Attached to no repository (1)', names: ['odd-002'] });
      expect(JSON.stringify(partsOf(reply, 'context'))).toContain(
        '1 user left out of the attachment groups: vCR did not say which repositories it is attached to.',
      );
    },
  );

  it('gives every listed user a button that opens it', async () => {
    // Act
    const reply = await runText(harness, 'users --report');

    // Assess
    const actions = partsOf(reply, 'list').flatMap((list) => list.items.map((item) => item.action));
    expect(actions.length).toBeGreaterThan(0);
    for (const action of actions) expect(action).toMatchObject({ label: 'Open', invocation: { command: 'user.show' } });
  });

  it('reads every page and stays within a message’s limits, counting the rest, when 250 users are unattached', async () => {
    // Prepare
    addUnattached(250);

    // Act
    const reply = await runText(harness, 'users --report');

    // Assess
    const [, , unattached] = partsOf(reply, 'list');
    expect(unattached?.items).toHaveLength(10);
    expect(unattached?.more).toEqual({ count: 240 });
    const message = renderReply(reply);
    expect(messageLimitProblems(message)).toEqual([]);
    expect(JSON.stringify(message.blocks)).toContain('…and 240 more');
    const pages = harness.emulator.requests.filter((request) => request.path.endsWith('/user')).length;
    expect(pages).toBeGreaterThanOrEqual(3);
  });

  it('refuses a filter or a page with the report', async () => {
    // Act
    const withFilter = (async () => runText(harness, 'users ci --report'))();
    const withPage = (async () => runText(harness, 'users --report --page 2'))();

    // Assess
    await expect(withFilter).rejects.toThrow(UserError);
    await expect(withPage).rejects.toThrow('takes no FILTER');
  });
});
