import { randomBytes } from 'node:crypto';
import { seedIds } from '../../../local/emulator/seed';
import { parseCommandText } from '../../../src/commands/registry';
import { UserError } from '../../../src/errors';
import { type CommandHarness, startCommandHarness } from '../../support/command-context';
import { partsOf, runArgs, runText } from '../../support/command-harness';
import { mrkdwn } from '../../support/mrkdwn';

describe('users', () => {
  let harness: CommandHarness;

  beforeEach(async () => {
    harness = await startCommandHarness();
  });

  afterEach(() => harness.close());

  const addUsers = (count: number) => {
    for (let i = 1; i <= count; i++) {
      harness.emulator.state.users.push({
        uuid: `ra-bulk-${i}`,
        userId: 100 + i,
        name: `bulk-user-${String(i).padStart(2, '0')}`,
        description: null,
        disable: false,
        expiredAt: null,
        createdAt: '2023-01-01T00:00:00.000Z',
        secret: randomBytes(16).toString('hex'),
        permissions: [],
        detachedRepoIds: [],
      });
    }
  };

  it('lists users by name with login user, status, expiry and repositories when no filter is given', async () => {
    // Act
    const reply = await runText(harness, 'users');

    // Assess
    const [list] = partsOf(reply, 'list');
    expect(list?.items.map(({ title, lines }) => ({ title, lines }))).toMatchInlineSnapshot(`
[
  {
    "lines": [
      "enabled · never expires",
      "2 repositories: payments-api, web-frontend",
    ],
    "title": "*ci-deployer* \`10001234-ci-deployer\`",
  },
  {
    "lines": [
      "disabled · never expires",
      "1 repository: web-frontend",
    ],
    "title": "*legacy-puller* \`10001234-legacy-puller\`",
  },
  {
    "lines": [
      "expired 2025-05-02 00:00 UTC",
      "2 repositories: payments-api, ml-models",
    ],
    "title": "*qa-reader* \`10001234-qa-reader\`",
  },
]
`);
    expect(list?.items.map((item) => item.action)).toEqual(
      [
        [seedIds.users.ciDeployer, 'ci-deployer'],
        [seedIds.users.legacyPuller, 'legacy-puller'],
        [seedIds.users.qaReader, 'qa-reader'],
      ].map(([user, userName]) => ({
        label: 'Open',
        invocation: { command: 'user.show', args: { user, userName } },
      })),
    );
    expect(reply.parts.at(-1)).toEqual({
      type: 'pager',
      page: 1,
      totalPage: 1,
      totalItem: 3,
      invocation: { command: 'users.list', args: {} },
    });
  });

  it('orders by name ignoring case, whatever order vCR lists them in', async () => {
    // Prepare
    addUsers(2);
    harness.emulator.state.users.push({
      ...harness.emulator.state.users.at(-1)!,
      uuid: 'ra-upper',
      name: 'Build-Bot',
      createdAt: '2026-01-01T00:00:00.000Z',
    });

    // Act
    const reply = await runText(harness, 'users');

    // Assess
    expect(partsOf(reply, 'list')[0]?.items.map((item) => mrkdwn(item.title)!.split(' ')[0])).toEqual([
      '*Build-Bot*',
      '*bulk-user-01*',
      '*bulk-user-02*',
      '*ci-deployer*',
      '*legacy-puller*',
      '*qa-reader*',
    ]);
  });

  it('keeps users whose name contains the filter, ignoring case, when a filter is given', async () => {
    // Act
    const reply = await runText(harness, 'users READER');

    // Assess
    const [list] = partsOf(reply, 'list');
    expect(list?.items.map((item) => item.title)).toEqual(['*qa-reader* `10001234-qa-reader`']);
    expect(harness.emulator.requests.find((request) => request.path === '/v1/user')?.query).toEqual({
      name: 'READER',
      page: '1',
      size: '100',
    });
    expect(reply.parts.at(-1)).toMatchObject({ invocation: { command: 'users.list', args: { filter: 'READER' } } });
  });

  it('shows the second page in name order, read with one vCR call, when there are more users than a page', async () => {
    // Prepare
    addUsers(12);
    harness.emulator.clearRequests();

    // Act
    const reply = await runText(harness, 'users --page 2');

    // Assess
    const [list] = partsOf(reply, 'list');
    expect(list?.items.map((item) => mrkdwn(item.title)!.split(' ')[0])).toEqual([
      '*bulk-user-11*',
      '*bulk-user-12*',
      '*ci-deployer*',
      '*legacy-puller*',
      '*qa-reader*',
    ]);
    expect(reply.parts.at(-1)).toEqual({
      type: 'pager',
      page: 2,
      totalPage: 2,
      totalItem: 15,
      invocation: { command: 'users.list', args: {} },
    });
    const calls = harness.emulator.requests.filter((request) => request.path === '/v1/user');
    expect(calls.map((request) => request.query)).toEqual([{ page: '1', size: '100' }]);
  });

  it.each([
    [0, 4, 1, 'There is only 1 page, so this is the last one rather than page 4.'],
    [12, 3, 2, 'There are only 2 pages, so this is the last one rather than page 3.'],
  ])(
    'shows the last page and says how many there are when a page after it is asked (%i users added)',
    async (added, page, last, note) => {
      // Prepare
      addUsers(added);

      // Act
      const reply = await runArgs(harness, 'users.list', { page });

      // Assess
      expect(partsOf(reply, 'list')[0]?.items.length).toBeGreaterThan(0);
      expect(partsOf(reply, 'pager')[0]).toMatchObject({ page: last, totalPage: last });
      expect(partsOf(reply, 'context').at(-1)?.text).toBe(note);
    },
  );

  it('says it ordered only what it read when vCR holds more users than one name-ordered list reads', async () => {
    // Prepare
    addUsers(5);
    harness.emulator.inject({
      method: 'GET',
      path: '/v1/user',
      rewrite: (page) => ({ ...(page as object), totalItem: 900 }),
    });

    // Act
    const reply = await runText(harness, 'users');

    // Assess
    expect(reply.text).toBe('Repository users: 900');
    expect(partsOf(reply, 'context').at(-1)?.text).toBe(
      'In name order among the first 8 of 900; a filter narrows the list to the rest.',
    );
  });

  it('refuses an extra word or a bad page without calling vCR', async () => {
    // Prepare
    harness.emulator.clearRequests();

    // Act
    const extra = () => parseCommandText('users ci deployer');
    const page = () => parseCommandText('users --page 0');

    // Assess
    expect(extra).toThrow(UserError);
    expect(extra).toThrow('Unexpected word `deployer`.');
    expect(page).toThrow('The page must be a whole number of 1 or more, not `0`.');
    expect(harness.emulator.requests).toEqual([]);
  });
});
