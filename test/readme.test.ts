/**
 * README.md against the repository: its sections, its commands (each run by a test or by `.ci/run`, or marked as
 * needing something this machine lacks), its configuration table, and its links.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';

const root = join(__dirname, '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');

const sections = [
  'What it does',
  'Quick start',
  'The console',
  'Configuration',
  'Create the Slack app from the manifest',
  'Create the Secrets Manager secret',
  'Deploy',
  'Connect the URL',
  "Find the bot's user id",
  'Roles, approvals, audit and freeze',
  'Registry hygiene',
  'Troubleshooting',
];

// This suite runs each `npm run manifest -- --url …` command of the README itself.
const manifestRun = 'runs the npm run manifest command of the README';

/** A README command this repository runs, and where: a test file or `.ci/run`, which must mention `mentions`. */
interface RunBy {
  readonly file: string;
  readonly mentions: string;
}

// Every README command that can run on this machine, and what runs it.
const runBy: Record<string, RunBy> = {
  'npm install': { file: '.ci/run', mentions: 'npm ci' },
  'npm test': { file: '.ci/run', mentions: 'npm test' },
  'npm run package': { file: 'test/e2e/serverless-package.test.ts', mentions: "'package'" },
  'npm run serve': { file: 'test/local/serve-send.test.ts', mentions: "spawn(tsx, ['local/serve.ts']" },
  'npm run watch-once': { file: 'test/local/console.test.ts', mentions: "run('npm', ['run', 'watch-once']" },
  'npm start': { file: 'test/local/console.test.ts', mentions: "run('npm', ['start'], 'ping\\n'" },
  "printf 'repos\\n' | npm start": { file: 'test/local/console.test.ts', mentions: "run('npm', ['start'], 'repos\\n'" },
  'npm run send -- "repo delete sandbox-tmp"': {
    file: 'test/local/serve-send.test.ts',
    mentions: "send('repo delete sandbox-tmp')",
  },
  'npm run send -- --click Delete': { file: 'test/local/serve-send.test.ts', mentions: "send('--click', 'Delete')" },
  'npm run send -- --as admin2 --click Approve': {
    file: 'test/local/serve-send.test.ts',
    mentions: "send('--as', 'admin2', '--click', 'Approve')",
  },
  'npm run manifest -- --url https://example.com/slack/events': { file: 'test/readme.test.ts', mentions: manifestRun },
  'npm run manifest -- --url https://abc123def4.execute-api.ap-southeast-1.amazonaws.com/slack/events': {
    file: 'test/readme.test.ts',
    mentions: manifestRun,
  },
};

// Inline mentions of commands that need what a `# needs:` comment would say in a block.
const inlineNeeds: Record<string, string> = {
  'npm run logs -- --stage prod': 'AWS',
};

/** Returns the commands of every fenced `sh` block, continuation lines joined, with what their `# needs:` names. */
function blockCommands(text: string): { command: string; needs?: string }[] {
  const blocks = [...text.matchAll(/^```sh\n([\s\S]*?)^```$/gm)].map((match) => match[1]!);
  return blocks.flatMap((block) =>
    block
      .replace(/\\\n\s*/g, '')
      .split('\n')
      .filter((line) => line.trim() !== '' && !line.trim().startsWith('#'))
      .map((line) => {
        const needs = /\s+#\s*needs:\s*(.+)$/.exec(line);
        return needs ? { command: line.slice(0, needs.index).trim(), needs: needs[1]! } : { command: line.trim() };
      }),
  );
}

/** Returns the inline code spans outside fenced blocks that are npm or npx commands. */
function inlineCommands(text: string): string[] {
  const prose = text.replace(/^```[\s\S]*?^```$/gm, '');
  return [...prose.matchAll(/`(np[mx] [^`]+)`/g)].map((match) => match[1]!);
}

/** Returns the targets of the Markdown links in `text` that are not web addresses. */
function localLinks(text: string): string[] {
  return [...text.matchAll(/\]\(([^)\s]+)\)/g)].map((match) => match[1]!).filter((target) => !/^[a-z]+:/.test(target));
}

/** Returns the GitHub anchor of a heading. */
function anchorOf(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^\w\- ]/g, '')
    .replace(/ /g, '-');
}

const commands = blockCommands(readme);
const inline = inlineCommands(readme);

describe('README.md', () => {
  it('has exactly the sections of a path from zero to production, in order', () => {
    const headings = [...readme.matchAll(/^## (.+)$/gm)].map((match) => match[1]);

    expect(headings).toEqual(sections);
  });

  it('marks every block command when no test and not .ci/run runs it', () => {
    const unaccounted = commands
      .filter(({ command, needs }) => needs === undefined && !(command in runBy))
      .map(({ command }) => command);

    expect(unaccounted).toEqual([]);
  });

  it('names what runs an inline npm command when it appears in the prose', () => {
    const accounted = (command: string) => command in runBy || command in inlineNeeds;
    const accountedBlocks = commands.filter(({ command, needs }) => needs !== undefined || accounted(command));
    // A bare `npm run <script>` names the script; a full command of it elsewhere says what runs it.
    const named = (command: string) =>
      /^npm run [\w:-]+$/.test(command) &&
      [...accountedBlocks.map((block) => block.command), ...inline.filter(accounted)].some((other) =>
        other.startsWith(`${command} `),
      );
    const unaccounted = inline.filter((command) => !accounted(command) && !named(command));

    expect(unaccounted).toEqual([]);
  });

  it('lists only commands the README holds when it says what runs them', () => {
    const held = new Set([...commands.map(({ command }) => command), ...inline]);

    expect(Object.keys(runBy).filter((command) => !held.has(command))).toEqual([]);
    expect(Object.keys(inlineNeeds).filter((command) => !held.has(command))).toEqual([]);
  });

  it.each(Object.entries(runBy))('is run where it says when the command is %s', (_, { file, mentions }) => {
    expect(readFileSync(join(root, file), 'utf8')).toContain(mentions);
  });

  it.each(
    [...new Set([...commands.map(({ command }) => command), ...inline])].filter((command) =>
      command.startsWith('npm run manifest -- --url '),
    ),
  )(`${manifestRun} when it is %s`, async (command) => {
    const url = command.slice('npm run manifest -- --url '.length);

    const { stdout } = await promisify(execFile)('npm', ['run', '--silent', 'manifest', '--', '--url', url], {
      cwd: root,
    });

    const manifest = parse(stdout) as { settings: { interactivity: { request_url: string } } };
    expect(manifest.settings.interactivity.request_url).toBe(url);
  });

  it('runs only npm scripts package.json has when it names one', () => {
    const scripts = Object.keys(
      (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts,
    );
    const named = [...commands.map(({ command }) => command), ...inline].flatMap((command) => [
      ...command.matchAll(/\bnpm run (?:--silent )?([\w:-]+)/g),
    ]);

    expect(named.map((match) => match[1]).filter((script) => !scripts.includes(script!))).toEqual([]);
  });

  it('documents every parameter serverless.yml reads when it lists the configuration', () => {
    const table = readme.slice(readme.indexOf('## Configuration'), readme.indexOf('## Create the Slack app'));
    const documented = [...table.matchAll(/^\| `([A-Z_]+)`/gm)].map((match) => match[1]);
    const serverless = readFileSync(join(root, 'serverless.yml'), 'utf8');
    const params = [...new Set([...serverless.matchAll(/\$\{param:([A-Z_]+)/g)].map((match) => match[1]))];
    // The former name of VCR_AUDIT_CHANNEL, still read (docs/configuration.md), is not offered to new deployments.
    const formerNames = ['VCR_NOTIFY_CHANNEL'];

    expect(params.filter((name) => !documented.includes(name) && !formerNames.includes(name!))).toEqual([]);
  });

  it('describes only variables docs/configuration.md has when it lists the configuration', () => {
    const table = readme.slice(readme.indexOf('## Configuration'), readme.indexOf('## Create the Slack app'));
    const documented = [...table.matchAll(/^\| `([A-Z_]+)`/gm)].map((match) => match[1]!);
    const configuration = readFileSync(join(root, 'docs', 'configuration.md'), 'utf8');

    expect(documented.filter((name) => !configuration.includes(`| \`${name}\``))).toEqual([]);
  });

  it('holds the keys src/secrets.ts reads when it shows the secret', () => {
    const example = JSON.parse(readFileSync(join(root, 'docs', 'secret.example.json'), 'utf8')) as Record<
      string,
      string
    >;
    const secrets = readFileSync(join(root, 'src', 'secrets.ts'), 'utf8');
    const section = readme.slice(readme.indexOf('## Create the Secrets Manager secret'), readme.indexOf('## Deploy'));

    for (const key of Object.keys(example)) expect(secrets).toContain(`'${key}'`);
    for (const value of Object.values(example)) expect(value).toMatch(/^<[^<>]+>$/);
    for (const key of ['slackSigningSecret', 'slackBotToken', 'vcrClientId', 'vcrClientSecret', 'vcrAccessToken']) {
      expect(section).toContain(`\`${key}\``);
    }
  });
});

describe('links in the documentation', () => {
  const docs = ['README.md', 'docs/architecture.md', 'docs/slack-scopes.md', 'docs/configuration.md'];

  it.each(docs)('points only at files inside the repository that exist when %s links one', (doc) => {
    const text = readFileSync(join(root, doc), 'utf8');
    const broken = localLinks(text).filter((target) => {
      const [path, anchor] = target.split('#');
      const file = path === '' ? join(root, doc) : resolve(root, dirname(doc), path!);
      if (relative(root, file).startsWith('..') || !existsSync(file)) return true;
      if (anchor === undefined || !file.endsWith('.md')) return false;
      const headings = [...readFileSync(file, 'utf8').matchAll(/^#+ (.+)$/gm)].map((match) => anchorOf(match[1]!));
      return !headings.includes(anchor);
    });

    expect(broken).toEqual([]);
  });
});
