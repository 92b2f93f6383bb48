import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { UserError } from '../src/errors';
import { channelLink, joinRich, Markup, mention, rich, toPlainText } from '../src/rich-text';

describe('rich', () => {
  it('keeps interpolated markup as markup and every interpolated string or number as text', () => {
    // Prepare
    const who = mention('U0OPERATOR');
    const name = '<!channel>';

    // Act
    const text = rich`${who} deleted \`${name}\` (${3} images)`;

    // Assess
    expect(text).toEqual([who, ' deleted `<!channel>` (3 images)']);
    expect(Markup.is(text[0])).toBe(true);
    expect(Markup.is(text[1])).toBe(false);
  });

  it('splices interpolated rich text into the segments when texts are nested', () => {
    // Prepare
    const channels = joinRich(['C0OPS', 'C0SRE'].map(channelLink), ', ');

    // Act
    const text = rich`Use it in ${channels}.`;

    // Assess
    expect(toPlainText(text)).toBe('Use it in #C0OPS, #C0SRE.');
    expect(text.filter((segment) => Markup.is(segment))).toHaveLength(2);
  });

  it('treats an object that only looks like markup as text when it comes from parsed JSON', () => {
    // Prepare
    const lookAlike = JSON.parse('{"token":{"kind":"user","id":"U0ADMIN"}}') as unknown;

    // Act
    const text = rich`Hello ${lookAlike as string}`;

    // Assess
    expect(Markup.is(lookAlike)).toBe(false);
    expect(text).toEqual(['Hello [object Object]']);
  });
});

describe('UserError', () => {
  it('keeps the rich text for the reply and a plain message for logs when it carries a mention', () => {
    // Act
    const error = new UserError(rich`Only ${mention('U0OPERATOR')} can confirm this.`, {
      hint: rich`Ask ${mention('U0ADMIN')}.`,
    });

    // Assess
    expect(error.message).toBe('Only @U0OPERATOR can confirm this.');
    expect(toPlainText(error.text)).toBe(error.message);
    expect(toPlainText(error.hint!)).toBe('Ask @U0ADMIN.');
  });
});

describe('source', () => {
  it('writes Slack markup only in the renderer when src is scanned for <@, <# and <!', () => {
    // Prepare
    const root = join(__dirname, '..', 'src');
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (path.endsWith('.ts')) files.push(path);
      }
    };
    walk(root);

    // Act
    const offenders = files
      .filter((path) => relative(root, path) !== join('slack', 'render.ts'))
      .flatMap((path) =>
        readFileSync(path, 'utf8')
          .split('\n')
          // Comments may show what Slack sends; code may not write it.
          .filter((line) => !/^\s*(\*|\/\/|\/\*)/.test(line) && /<[@#!]/.test(line))
          .map((line) => `${relative(root, path)}: ${line.trim()}`),
      );

    // Assess
    expect(files.length).toBeGreaterThan(50);
    expect(offenders).toEqual([]);
  });
});
