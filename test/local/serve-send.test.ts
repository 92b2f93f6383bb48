import { type ChildProcessWithoutNullStreams, execFile, spawn } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const root = join(__dirname, '..', '..');
const tsx = join(root, 'node_modules', '.bin', 'tsx');
// A port of its own, so that a demo bot the developer runs on 3000 is not disturbed.
const port = String(20_000 + Math.floor(Math.random() * 20_000));
const env = { PATH: process.env.PATH, HOME: process.env.HOME, PORT: port };

let serve: ChildProcessWithoutNullStreams;
let banner = '';

beforeAll(async () => {
  serve = spawn(tsx, ['local/serve.ts'], { cwd: root, env });
  await new Promise<void>((resolve, reject) => {
    let printed = '';
    serve.stdout.on('data', (chunk: Buffer) => {
      printed += chunk.toString('utf8');
      if (printed.includes('removed on exit')) {
        banner = printed;
        resolve();
      }
    });
    serve.on('exit', (code) => reject(new Error(`npm run serve exited with ${code}: ${printed}`)));
  });
});

afterAll(async () => {
  const exited = new Promise((resolve) => serve.once('exit', resolve));
  serve.kill('SIGTERM');
  await exited;
});

async function send(...args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)(tsx, ['local/send.ts', ...args], { cwd: root, env });
  return stdout;
}

describe('npm run serve with no Slack credentials, driven by npm run send', () => {
  it('names every demo repository in its banner when it starts', () => {
    // Assess
    expect(banner).toMatch(/demo data: .*build-cache/);
    expect(banner).toMatch(/demo data: .*sandbox-tmp/);
  });

  it('deletes a demo repository once a second admin approves the card', async () => {
    // Act
    const preview = await send('repo delete sandbox-tmp');
    const asked = await send('--click', 'Delete');
    const approved = await send('--as', 'admin2', '--click', 'Approve');

    // Assess
    expect(preview).toContain('[1] Delete sandbox-tmp (danger)');
    expect(asked).toContain('--- approval card in #ops (C0LOCALOPS) ---');
    expect(asked).toContain('@admin asks to delete repository `sandbox-tmp`.');
    expect(approved).toContain('Deleted repository `sandbox-tmp`; 5 GB of quota freed.');
    expect(approved).toContain('--- #audit (C0LOCALAUDIT) ---');
    // Each step is a process of its own, started with tsx; a loaded machine needs more than the default 20 s.
  }, 60_000);

  it('refuses, sending nothing, when --as names neither a demo user nor a user id', async () => {
    // Act: a typo of admin must not act as someone else (every workspace member may read).
    const failed = await send('--as', 'admn', 'repos').then(
      () => undefined,
      (error: { code: number; stderr: string; stdout: string }) => error,
    );

    // Assess
    expect(failed?.code).toBe(1);
    expect(failed?.stderr).toContain('No demo user "admn"');
    expect(failed?.stdout).not.toContain('ack');
  }, 30_000);
});
