/**
 * The layer rules of docs/architecture.md#layers are lint errors. Each case is written into a scratch tree next to a
 * copy of the repository's own biome.json and linted there, so removing or loosening a rule in biome.json fails this
 * suite.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

const root = join(__dirname, '..');
const biome = join(root, 'node_modules', '.bin', 'biome');

/** One source file to lint: where it sits in `src/`, its whole text, and what it does, for the test's name. */
interface LintCase {
  file: string;
  source: string;
  does: string;
}

/** What Biome said about one file: the rule of every diagnostic, and the exit code of the run that linted it. */
interface LintResult {
  rules: string[];
  exitCode: number;
}

/** A file that imports `specifier` and uses what it imported, so no other rule has anything to say about it. */
const importing = (file: string, specifier: string): LintCase => ({
  file,
  source: `import { imported } from '${specifier}';\n\nexport const used = imported;\n`,
  does: `imports '${specifier}'`,
});

const restricted = 'lint/style/noRestrictedImports';

/** Imports that point up a layer, into Slack below the Slack layer, or out of `src/`, with the rule that refuses them. */
const forbidden: (LintCase & { rule: string })[] = [
  { ...importing('src/vcr/upward.ts', '../commands/registry'), rule: restricted },
  { ...importing('src/vcr/bolt.ts', '@slack/bolt'), rule: restricted },
  { ...importing('src/store/upward.ts', '../slack/ids'), rule: restricted },
  { ...importing('src/policy/upward.ts', '../jobs/job'), rule: restricted },
  { ...importing('src/commands/upward.ts', '../slack/render'), rule: restricted },
  { ...importing('src/commands/image/upward.ts', '../../jobs/job'), rule: restricted },
  { ...importing('src/commands/user/bolt.ts', '@slack/bolt'), rule: restricted },
  { ...importing('src/jobs/upward.ts', '../slack/run-job'), rule: restricted },
  { ...importing('src/jobs/bolt.ts', '@slack/bolt'), rule: restricted },
  { ...importing('src/slack/upward.ts', '../app'), rule: restricted },
  { ...importing('src/slack/actions/upward.ts', '../../handler'), rule: restricted },
  { ...importing('src/app.ts', './handler'), rule: restricted },
  { ...importing('src/logger.ts', './vcr/client'), rule: restricted },
  { ...importing('src/errors.ts', './commands/reply'), rule: restricted },
  { ...importing('src/config.ts', '@slack/bolt'), rule: restricted },
  { ...importing('src/slack/local.ts', '../../local/emulator/vcr-emulator'), rule: restricted },
  { ...importing('src/vcr/test.ts', '../../test/support/command-harness'), rule: restricted },
  { ...importing('src/handler.ts', '../local/fakes/slack-api'), rule: restricted },
  {
    file: 'src/vcr/reexport.ts',
    source: "export { imported } from '../commands/registry';\n",
    does: "re-exports from '../commands/registry'",
    rule: restricted,
  },
  {
    file: 'src/store/dynamic.ts',
    source: "export const load = () => import('../slack/ids');\n",
    does: "imports '../slack/ids' dynamically",
    rule: restricted,
  },
  {
    file: 'src/vcr/require.ts',
    source: "const imported = require('../commands/registry');\n\nexport const used = imported;\n",
    does: "requires '../commands/registry'",
    rule: 'lint/style/noCommonJs',
  },
];

/** Imports that follow the layers, each the twin of a forbidden one, so the rules are not simply refusing everything. */
const allowed: LintCase[] = [
  importing('src/handler.ts', './app'),
  importing('src/app.ts', './slack/register-listeners'),
  importing('src/slack/actions/downward.ts', '../../commands/registry'),
  importing('src/slack/bolt.ts', '@slack/bolt'),
  importing('src/jobs/downward.ts', '../commands/command'),
  importing('src/commands/downward.ts', '../vcr/client'),
  importing('src/commands/image/downward.ts', '../../store/operation-store'),
  importing('src/commands/user/sibling.ts', '../repository/resolve-repository'),
  importing('src/policy/leaf.ts', '../errors'),
  importing('src/vcr/leaf.ts', '../logger'),
  importing('src/config.ts', './secrets'),
];

/** Splits cases into runs where no file appears twice (several cases are the same top-level file). */
function runsOf<T extends LintCase>(cases: T[]): T[][] {
  const runs: T[][] = [];
  for (const lintCase of cases) {
    const run = runs.find((candidate) => candidate.every((other) => other.file !== lintCase.file));
    if (run) run.push(lintCase);
    else runs.push([lintCase]);
  }
  return runs;
}

/** Lints `cases` together with the repository's biome.json in a scratch directory; returns what it said per file. */
async function lint(cases: LintCase[]): Promise<Map<string, LintResult>> {
  const dir = mkdtempSync(join(tmpdir(), 'vcr-chatops-imports-'));
  try {
    copyFileSync(join(root, 'biome.json'), join(dir, 'biome.json'));
    for (const { file, source } of cases) {
      mkdirSync(dirname(join(dir, file)), { recursive: true });
      writeFileSync(join(dir, file), source);
    }
    const args = ['lint', '--vcs-enabled=false', '--colors=off', '--max-diagnostics=none', ...cases.map((c) => c.file)];
    const { output, exitCode } = await promisify(execFile)(biome, args, { cwd: dir }).then(
      ({ stdout, stderr }) => ({ output: stdout + stderr, exitCode: 0 }),
      (error: { stdout?: string; stderr?: string; code?: number }) => ({
        output: `${error.stdout ?? ''}${error.stderr ?? ''}`,
        exitCode: typeof error.code === 'number' ? error.code : -1,
      }),
    );
    // Without this, a configuration Biome refused would lint nothing, and every allowed case would pass vacuously.
    if (!output.includes(`Checked ${cases.length} file`)) throw new Error(`Biome did not lint every case:\n${output}`);
    const results = new Map<string, LintResult>(cases.map((c) => [c.file, { rules: [], exitCode }]));
    for (const [, file, rule] of output.matchAll(/^(src\/\S+):\d+:\d+ (lint\/\S+)/gm)) {
      results.get(file!)?.rules.push(rule!);
    }
    return results;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const results = new Map<LintCase, LintResult>();

beforeAll(async () => {
  for (const run of runsOf<LintCase>([...forbidden, ...allowed])) {
    const byFile = await lint(run);
    for (const lintCase of run) results.set(lintCase, byFile.get(lintCase.file)!);
  }
}, 60_000);

describe('import rules', () => {
  it.each(forbidden)('fails lint with $rule when $file $does', (lintCase) => {
    // Prepare
    const { rule } = lintCase;

    // Act
    const result = results.get(lintCase)!;

    // Assess
    expect(result.rules).toContain(rule);
    expect(result.exitCode).not.toBe(0);
  });

  it.each(allowed)('passes lint when $file $does', (lintCase) => {
    // Prepare
    const expected: string[] = [];

    // Act
    const result = results.get(lintCase)!;

    // Assess
    expect(result.rules).toEqual(expected);
  });
});
