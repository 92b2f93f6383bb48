import { truncate, wholeCharactersWithin } from '../../src/commands/format';

const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

describe('truncate', () => {
  it('leaves text that fits as it is', () => {
    // Act
    const text = truncate('payments-api', 12);

    // Assess
    expect(text).toBe('payments-api');
  });

  it('cuts before an emoji instead of through it when the limit falls inside its surrogate pair', () => {
    // Prepare
    const typed = `/vcr repos ${'a'.repeat(187)}😀😀😀`;

    // Act
    const text = truncate(typed, 200);

    // Assess
    expect(text).toBe(`/vcr repos ${'a'.repeat(187)}…`);
    expect(text).not.toMatch(loneSurrogate);
  });

  it('keeps a letter with its combining accent and a family emoji whole when the cut falls inside them', () => {
    // Prepare
    const accented = 'cafe\u0301s';
    const family = 'ab👨‍👩‍👧‍👦';

    // Act
    const cutAccent = truncate(accented, 5);
    const cutFamily = truncate(family, 8);

    // Assess
    expect(cutAccent).toBe('caf…');
    expect(cutFamily).toBe('ab…');
  });

  it('counts UTF-16 code units, so a cut text always fits what Slack counts', () => {
    // Act
    const text = truncate('😀'.repeat(100), 75);

    // Assess
    expect(text.length).toBeLessThanOrEqual(75);
    expect(text).toBe(`${'😀'.repeat(37)}…`);
  });
});

describe('wholeCharactersWithin', () => {
  it('returns the longest prefix of whole grapheme clusters within the limit', () => {
    // Act
    const prefix = wholeCharactersWithin('🇻🇳🇻🇳x', 6);

    // Assess
    expect(prefix).toBe('🇻🇳');
  });
});
