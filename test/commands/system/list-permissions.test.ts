import { seedIds } from '../../../local/emulator/seed';
import { parseCommandText } from '../../../src/commands/registry';
import { type CommandHarness, startCommandHarness } from '../../support/command-context';
import { partsOf, runArgs, runText, vcrCalls } from '../../support/command-harness';

const { pull, push, all } = seedIds.policies;

describe('permissions', () => {
  let harness: CommandHarness;

  beforeEach(async () => {
    harness = await startCommandHarness();
  });

  afterEach(() => harness.close());

  it('lists every policy, marking the ones the bot uses for pull and push and the All it never uses', async () => {
    // Act
    const reply = await runText(harness, 'permissions', { role: 'viewer' });

    // Assess
    expect(reply.text).toBe('vCR offers 3 permission policies');
    expect(partsOf(reply, 'list')[0]?.items).toEqual([
      {
        title: '*Pull Images*',
        lines: [
          `action \`pull\` · id \`${pull}\``,
          'Used by the bot for pull access (and, with the push policy, for push).',
        ],
      },
      {
        title: '*Push Images*',
        lines: [`action \`push\` · id \`${push}\``, 'Used by the bot for push access, together with the pull policy.'],
      },
      {
        title: '*All*',
        lines: [
          `no action · id \`${all}\``,
          'Never used: the "All" policy is reported broken; push is granted as pull + push.',
        ],
      },
    ]);
    expect(partsOf(reply, 'context')).toEqual([]);
    expect(vcrCalls(harness, { query: true })).toEqual(['GET /v1/user/permissions', 'GET /v1/user/permissions']);
  });

  it('says push access cannot be granted when vCR offers no push policy', async () => {
    // Prepare
    const { policies } = harness.emulator.state;
    policies.splice(
      policies.findIndex((policy) => policy.uuid === push),
      1,
    );

    // Act
    const reply = await runText(harness, 'permissions');

    // Assess
    expect(partsOf(reply, 'list')[0]?.items.map((item) => item.lines?.[1])).toEqual([
      'Used by the bot for pull access (and, with the push policy, for push).',
      'Never used: the "All" policy is reported broken; push is granted as pull + push.',
    ]);
    expect(partsOf(reply, 'context')[0]?.text).toBe(
      'vCR offers no push policy, so push access cannot be granted (it lists: pull, All).',
    );
  });

  it('notes a policy the bot still uses when vCR stopped listing it after the bot read it', async () => {
    // Prepare
    await runText(harness, 'permissions');
    const { policies } = harness.emulator.state;
    policies.splice(
      policies.findIndex((policy) => policy.uuid === push),
      1,
    );

    // Act
    const reply = await runText(harness, 'permissions');

    // Assess
    expect(reply.text).toBe('vCR offers 2 permission policies');
    expect(partsOf(reply, 'context')[0]?.text).toBe(`The bot uses \`${push}\` for push, but vCR no longer lists it.`);
  });

  describe('with more policies than one page holds', () => {
    const addPolicies = (count: number) => {
      for (let index = 0; index < count; index += 1) {
        harness.emulator.state.policies.push({
          uuid: `policy-${index}`,
          name: `Extra ${String(index).padStart(2, '0')}`,
        });
      }
    };

    it('shows the first ten with a pager over all of them when no page is given', async () => {
      // Prepare
      addPolicies(9);

      // Act
      const reply = await runText(harness, 'permissions', { role: 'viewer' });

      // Assess
      expect(reply.text).toBe('vCR offers 12 permission policies');
      const titles = partsOf(reply, 'list')[0]?.items.map((item) => item.title);
      expect(titles).toHaveLength(10);
      expect(titles?.slice(0, 2)).toEqual(['*Pull Images*', '*Push Images*']);
      expect(partsOf(reply, 'pager')).toEqual([
        { type: 'pager', page: 1, totalPage: 2, totalItem: 12, invocation: { command: 'permissions.list', args: {} } },
      ]);
      expect(partsOf(reply, 'context')).toEqual([]);
    });

    it('shows the rest with one read of the list when --page 2 is typed', async () => {
      // Prepare
      addPolicies(9);

      // Act
      const reply = await runText(harness, 'permissions --page 2', { role: 'viewer' });

      // Assess
      expect(partsOf(reply, 'list')[0]?.items.map((item) => item.title)).toEqual(['*Extra 07*', '*Extra 08*']);
      expect(partsOf(reply, 'pager')[0]).toMatchObject({ page: 2, totalPage: 2, totalItem: 12 });
    });

    it('shows the page a pager button asks for', async () => {
      // Prepare
      addPolicies(9);
      const first = await runText(harness, 'permissions', { role: 'viewer' });
      const pager = partsOf(first, 'pager')[0];

      // Act
      const reply = await runArgs(harness, pager?.invocation.command ?? '', { ...pager?.invocation.args, page: 2 });

      // Assess
      expect(partsOf(reply, 'list')[0]?.items).toHaveLength(2);
    });

    it('shows the last page and says so when a page after the last is asked', async () => {
      // Prepare
      addPolicies(9);

      // Act
      const reply = await runText(harness, 'permissions --page 3', { role: 'viewer' });

      // Assess
      expect(partsOf(reply, 'list')[0]?.items).toHaveLength(2);
      expect(partsOf(reply, 'pager')[0]).toMatchObject({ page: 2, totalPage: 2 });
      expect(partsOf(reply, 'context').at(-1)?.text).toBe(
        'There are only 2 pages, so this is the last one rather than page 3.',
      );
    });
  });

  it('refuses extra words without calling vCR', () => {
    // Act
    const act = () => parseCommandText('permissions all');

    // Assess
    expect(act).toThrow('Unexpected word `all`.');
    expect(vcrCalls(harness, { query: true })).toEqual([]);
  });
});
