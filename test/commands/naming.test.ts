import { validateQuota, validateRepositoryName, validateUserName } from '../../src/commands/naming';

describe('validateRepositoryName', () => {
  it.each(['abc123', 'a-b_c1', '0leading', 'twenty-characters-xx'])(
    'accepts `%s` when it follows the rules',
    (name) => {
      expect(validateRepositoryName(name)).toBeUndefined();
    },
  );

  it.each([
    ['too short', 'abcde'],
    ['too long', 'twenty-one-characters'],
    ['uppercase', 'MyRepo1'],
    ['leading dash', '-abcdef'],
    ['leading underscore', '_abcdef'],
    ['a dot', 'abc.def'],
    ['a space', 'abc def'],
  ])('returns the rule when the name has %s', (_, name) => {
    expect(validateRepositoryName(name)).toBe(
      'Repository names are 6 to 20 characters: lowercase letters, digits, `_` and `-`, starting with a letter or digit.',
    );
  });
});

describe('validateUserName', () => {
  it.each(['Robot1', 'ci-bot_01', '9fourteen-char'])('accepts `%s` when it follows the rules', (name) => {
    expect(validateUserName(name)).toBeUndefined();
  });

  it.each([
    ['too short', 'bot01'],
    ['too long', 'fifteen-chars-x'],
    ['leading dash', '-robot1'],
    ['a dot', 'ro.bot1'],
  ])('returns the rule when the name has %s', (_, name) => {
    expect(validateUserName(name)).toBe(
      'User names are 6 to 14 characters: letters, digits, `_` and `-`, starting with a letter or digit.',
    );
  });
});

describe('validateQuota', () => {
  it.each([1, 20, 1000])('accepts %d GB when it is a positive whole number', (gb) => {
    expect(validateQuota(gb)).toBeUndefined();
  });

  it.each([0, -5, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('returns the rule when the quota is %d', (gb) => {
    expect(validateQuota(gb)).toBe('A quota is a whole number of GB, at least 1.');
  });

  it('returns the upper bound when the quota exceeds what vCR stores', () => {
    expect(validateQuota(2 ** 31)).toBe('A quota is at most 2147483647 GB.');
  });
});
