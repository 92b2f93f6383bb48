/**
 * `npm run logs`: follows the CloudWatch logs of both deployed functions, `http` and `worker`, in one terminal, each
 * line prefixed with its function, through one `serverless logs --tail` per function. Ctrl-C stops both.
 *
 *   npm run logs -- --stage prod
 *   npm run logs -- --stage prod --region eu-west-1 --filter ERROR --startTime 30m
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';

/** The functions of serverless.yml whose logs are followed, in the order their prefixes are padded to. */
export const loggedFunctions = ['http', 'worker'] as const;

const usage = `usage: npm run logs -- [--stage STAGE] [--region REGION] [--aws-profile PROFILE] [--filter TEXT] [--startTime 30m]`;

/**
 * Returns the `serverless` arguments that follow each function's logs for command-line `argv`, or throws the usage
 * when `argv` holds anything else.
 */
export function tailCommands(argv: readonly string[]): { fn: string; args: string[] }[] {
  let values: Record<string, string | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        stage: { type: 'string' },
        region: { type: 'string' },
        'aws-profile': { type: 'string' },
        filter: { type: 'string' },
        startTime: { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n${usage}`);
  }
  const passed = Object.entries(values).flatMap(([name, value]) => (value === undefined ? [] : [`--${name}`, value]));
  return loggedFunctions.map((fn) => ({ fn, args: ['logs', '--function', fn, '--tail', ...passed] }));
}

/** Starts `serverless` with `args`; tests pass a stand-in. */
export type ServerlessSpawner = (args: readonly string[]) => ChildProcess;

const spawnServerless: ServerlessSpawner = (args) =>
  spawn(join(__dirname, '..', 'node_modules', '.bin', 'serverless'), [...args], {
    cwd: join(__dirname, '..'),
    stdio: ['ignore', 'pipe', 'pipe'],
  });

/**
 * Follows both functions' logs for `argv`, writing each line of either process, stdout and stderr alike, to `write`
 * with its function's name in front; resolves with the worst exit code once both processes have ended.
 */
export async function tailLogs(
  argv: readonly string[],
  options: { spawnServerless?: ServerlessSpawner; write?: (line: string) => void } = {},
): Promise<number> {
  const start = options.spawnServerless ?? spawnServerless;
  const write = options.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  const width = Math.max(...loggedFunctions.map((fn) => fn.length));
  const children = tailCommands(argv).map(({ fn, args }) => {
    const child = start(args);
    const prefix = `${fn.padEnd(width)} |`;
    const lines = [child.stdout, child.stderr].flatMap((stream) =>
      stream ? [createInterface({ input: stream })] : [],
    );
    for (const reader of lines) reader.on('line', (line) => write(`${prefix} ${line}`));
    const closed = Promise.all(lines.map((reader) => new Promise((resolve) => reader.once('close', resolve))));
    const exited = new Promise<number>((resolve) => {
      child.once('error', (error) => {
        write(`${prefix} could not start serverless: ${error.message}`);
        resolve(1);
      });
      child.once('exit', (code) => resolve(code ?? 1));
    });
    return { child, done: Promise.all([exited, closed]).then(([code]) => code) };
  });
  const stop = () => {
    for (const { child } of children) child.kill('SIGINT');
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    const codes = await Promise.all(children.map(({ done }) => done));
    return Math.max(...codes);
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}

if (require.main === module) {
  tailLogs(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
