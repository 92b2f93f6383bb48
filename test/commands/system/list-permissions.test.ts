import { seedIds } from '../../../local/emulator/seed';
import { parseCommandText } from '../../../src/commands/registry';
import { type CommandHarness, startCommandHarness } from '../../support/command-context';
import { partsOf, runText, vcrCalls } from '../command-harness';

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

  it('refuses extra words without calling vCR', () => {
    // Act
    const act = () => parseCommandText('permissions all');

    // Assess
    expect(act).toThrow('Unexpected word `all`.');
    expect(vcrCalls(harness, { query: true })).toEqual([]);
  });
});
