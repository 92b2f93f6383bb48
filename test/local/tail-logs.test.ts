import { spawn } from 'node:child_process';
import { tailCommands, tailLogs } from '../../local/tail-logs';

// A stand-in for `serverless logs`: prints two lines naming its function, one on stderr, and exits with `code`.
const standIn = (code: number) => (args: readonly string[]) =>
  spawn(
    process.execPath,
    [
      '-e',
      `const fn = process.argv[process.argv.indexOf('--function') + 1];
       console.log(fn + ' START RequestId: 1');
       console.error(fn + ' warning');
       process.exitCode = fn === 'worker' ? ${code} : 0;`,
      ...args,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );

describe('tailCommands', () => {
  it('follows http and worker with the given options when given a stage and a filter', () => {
    const commands = tailCommands(['--stage', 'prod', '--filter', 'ERROR', '--region', 'eu-west-1']);

    expect(commands).toEqual([
      {
        fn: 'http',
        args: ['logs', '--function', 'http', '--tail', '--stage', 'prod', '--filter', 'ERROR', '--region', 'eu-west-1'],
      },
      {
        fn: 'worker',
        args: [
          'logs',
          '--function',
          'worker',
          '--tail',
          '--stage',
          'prod',
          '--filter',
          'ERROR',
          '--region',
          'eu-west-1',
        ],
      },
    ]);
  });

  it('leaves the stage to serverless when given none', () => {
    expect(tailCommands([]).map(({ args }) => args)).toEqual([
      ['logs', '--function', 'http', '--tail'],
      ['logs', '--function', 'worker', '--tail'],
    ]);
  });

  it.each([
    ['an unknown option', ['--stage', 'prod', '--function', 'http']],
    ['a positional argument', ['prod']],
    ['an option without its value', ['--stage']],
  ])('prints the usage when given %s', (_, argv) => {
    expect(() => tailCommands(argv)).toThrow('usage: npm run logs');
  });
});

describe('tailLogs', () => {
  it('writes every line of both functions with its prefix when both processes print', async () => {
    const lines: string[] = [];

    const code = await tailLogs(['--stage', 'prod'], {
      spawnServerless: standIn(0),
      write: (line) => lines.push(line),
    });

    expect(code).toBe(0);
    expect(lines.sort()).toEqual([
      'http   | http START RequestId: 1',
      'http   | http warning',
      'worker | worker START RequestId: 1',
      'worker | worker warning',
    ]);
  });

  it('resolves with the failing exit code when one process fails', async () => {
    const code = await tailLogs(['--stage', 'prod'], { spawnServerless: standIn(3), write: () => undefined });

    expect(code).toBe(3);
  });
});
