import { seedIds } from '../../local/emulator/seed';
import type { CommandSpec } from '../../src/commands/command';
import { commands, createRegistry, maxWordLength, parseCommandText } from '../../src/commands/registry';
import { type CommandHarness, startCommandHarness } from '../support/command-context';
import { runText, vcrCalls } from '../support/command-harness';
import { formFor } from '../support/user-harness';

const { paymentsApi } = seedIds.repositories;

describe('parseCommandText', () => {
  let harness: CommandHarness;

  beforeAll(async () => {
    harness = await startCommandHarness();
  });

  afterAll(() => harness.close());

  it.each([
    ['repo payments-api --share', 'repo.show'],
    ['image payments-api/team/api --share', 'image.show'],
    ['user ci-deployer --share', 'user.show'],
    ['permissions --share', 'permissions.list'],
    ['ping --share', 'ping'],
    ['repos --share', 'repos.list'],
  ])('accepts --share when `%s`, a read, is typed', (text, command) => {
    // Act
    const invocation = parseCommandText(text);

    // Assess
    expect(invocation).toMatchObject({ command, args: { share: true } });
  });

  it.each([
    ['cleanup web --keep 5', { command: 'cleanup', args: { repo: 'web', keep: 5 } }],
    ['cleanup web --save --keep 5', { command: 'cleanup.save', args: { repo: 'web', keep: 5 } }],
    ['cleanup web --keep=5 --SAVE', { command: 'cleanup.save', args: { repo: 'web', keep: 5 } }],
  ])('runs the command its selecting flag picks when `%s` is typed', (text, expected) => {
    // Act
    const invocation = parseCommandText(text);

    // Assess
    expect(invocation).toEqual(expected);
  });

  it.each([['repo payments-api --share'], ['user ci-deployer --share'], ['image payments-api/team/api --share']])(
    'posts the answer in the channel when `%s` is typed',
    async (text) => {
      // Act
      const reply = await runText(harness, text, { role: 'viewer' });

      // Assess
      expect(reply.visibility).toBe('in_channel');
    },
  );

  it('answers only the invoker when a read is typed without --share', async () => {
    // Act
    const reply = await runText(harness, 'repo payments-api', { role: 'viewer' });

    // Assess
    expect(reply.visibility).toBeUndefined();
  });

  it('refuses --share with the usage when the command changes something', () => {
    // Act
    const act = () => parseCommandText('user disable ci-deployer --share');

    // Assess
    expect(act).toThrow(
      expect.objectContaining({
        name: 'UserError',
        message: 'Unknown option `--share`.',
        hint: 'Usage: `/vcr user disable USER`',
      }),
    );
  });

  it('refuses --page with the usage when the read is not a list', () => {
    // Act
    const act = () => parseCommandText('repo payments-api --page 2');

    // Assess
    expect(act).toThrow(expect.objectContaining({ message: 'Unknown option `--page`.' }));
  });

  it.each([
    ['repo frobnicate payments-api', 'frobnicate', '/vcr repo'],
    ['repo frobnicate payments-api --force', 'frobnicate', '/vcr repo'],
    ['user rename ci-deployer ci-robot', 'rename', '/vcr user'],
    ['image purge payments-api/team/api', 'purge', '/vcr image'],
  ])('names the unknown subcommand and lists the real ones when `%s` is typed', (text, word, group) => {
    // Act
    const act = () => parseCommandText(text);

    // Assess
    expect(act).toThrow(
      expect.objectContaining({
        name: 'UserError',
        message: `Unknown subcommand \`${word}\` of \`${group}\`.`,
        hint: expect.stringMatching(new RegExp(`^\`${group}\` takes \`[a-z]+\`(, \`[a-z]+\`)*, or on its own: `)),
      }),
    );
  });

  it('lists every subcommand of repo in the hint', () => {
    // Act
    const act = () => parseCommandText('repo frobnicate payments-api');

    // Assess
    expect(act).toThrow(
      expect.objectContaining({
        hint:
          '`/vcr repo` takes `create`, `quota`, `delete`, `history`, `largest`, `users`, `attach`, `detach`, or on its own: ' +
          '`/vcr repo REPO`. See `/vcr help repo`.',
      }),
    );
  });

  it('still opens a repository named like no subcommand when only that word is typed', () => {
    // Act
    const invocation = parseCommandText('repo frobnicate');

    // Assess
    expect(invocation).toEqual({ command: 'repo.show', args: { repo: 'frobnicate' } });
  });

  it.each([
    ['repos --page 0', '`/vcr repos [FILTER]`'],
    ['users --page -1', '`/vcr users [FILTER] [--report]`'],
    ['permissions --page zero', '`/vcr permissions`'],
  ])('adds the usage line when `%s` gives a page that is not a whole number of 1 or more', (text, usage) => {
    // Act
    const act = () => parseCommandText(text);

    // Assess
    expect(act).toThrow(
      expect.objectContaining({
        name: 'UserError',
        message: expect.stringMatching(/^The page must be a whole number of 1 or more, not `.+`\.$/),
        hint: `Usage: ${usage}`,
      }),
    );
  });

  it('keeps --share in the form when an image read is typed with a repository only', async () => {
    // Act
    const form = await formFor(harness, 'image payments-api --share');

    // Assess
    expect(form?.fixedArgs).toEqual({ repo: paymentsApi, share: true });
    expect(vcrCalls(harness).filter((call) => !call.startsWith('GET'))).toEqual([]);
  });

  it.each([
    ['a filter', `repos ${'a'.repeat(maxWordLength + 1)}`],
    ['a name', `repo ${'a'.repeat(20_000)}`],
    ['an option value', `cleanup payments-api --protect ${'v'.repeat(maxWordLength + 1)}`],
  ])('refuses %s longer than the longest word before anything calls vCR', (_what, text) => {
    expect(() => parseCommandText(text)).toThrow(
      expect.objectContaining({ message: expect.stringContaining(`at most ${maxWordLength}`) }),
    );
  });

  it('takes a word of exactly the longest length when it is typed', () => {
    expect(parseCommandText(`repos ${'a'.repeat(maxWordLength)}`).args.filter).toHaveLength(maxWordLength);
  });
});

describe('createRegistry', () => {
  const spec = (id: CommandSpec['id'], words: string[]): CommandSpec => ({
    id,
    words,
    usage: words.join(' '),
    summary: 'A command.',
    role: 'viewer',
    kind: 'read',
    parse: () => ({}),
    run: async () => ({ text: '', parts: [] }),
  });

  it('refuses two commands with the same id', () => {
    // Act and Assess
    expect(() => createRegistry([spec('repo.show', ['repo']), spec('repo.show', ['repository'])])).toThrow(
      'Two commands have the id "repo.show"',
    );
  });

  it('refuses two commands answering to the same words', () => {
    // Act and Assess
    expect(() => createRegistry([spec('repo.show', ['repo']), spec('repos.list', ['repo'])])).toThrow(
      'Commands repo.show and repos.list both answer to "repo"',
    );
  });

  it('keeps every command of the bot under a distinct id and words', () => {
    // Act
    const registry = createRegistry(commands);

    // Assess
    expect(registry.byId.size).toBe(commands.length);
    const typed = commands.map((command) => `${command.words.join(' ')} --${command.selectedBy ?? ''}`);
    expect(new Set(typed).size).toBe(commands.length);
  });
});
