import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { startVcrEmulator } from '../../local/emulator/vcr-emulator';

const root = join(__dirname, '..', '..');

/** Runs `command` in the repository with `input` piped to it and only `env`, and returns what it printed. */
function run(
  command: string,
  args: string[],
  input: string,
  env: Record<string, string | undefined>,
): Promise<{ stdout: string; stderr: string; code: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: root, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ stdout, stderr, code }));
    child.stdin.end(input);
  });
}

const bareEnv = { PATH: process.env.PATH, HOME: process.env.HOME };

describe('npm start', () => {
  it('answers ping and exits 0 when started with no environment but PATH and HOME', async () => {
    // Act
    const { stdout, code } = await run('npm', ['start'], 'ping\n', bareEnv);

    // Assess
    expect(stdout).toContain('everything here is local demo data');
    expect(stdout).toContain('admin> ping');
    expect(stdout).toContain('All 3 checks passed.');
    expect(code).toBe(0);
  });

  it('prints the demo repositories without colour and exits 0 when repos is piped in', async () => {
    // Act: what the README's `printf 'repos\n' | npm start` does.
    const { stdout, code } = await run('npm', ['start'], 'repos\n', {
      ...bareEnv,
      FORCE_COLOR: '1',
    });

    // Assess
    for (const name of ['payments-api', 'web-frontend', 'ml-models', 'sandbox-tmp']) expect(stdout).toContain(name);
    // A pipe gets no escape codes, whatever the environment says about colour.
    expect(stdout).not.toContain('\u001b[');
    expect(code).toBe(0);
  });

  it('refuses to start and names the missing variable when only half a vCR client pair is set', async () => {
    // Act
    const { stderr, code } = await run(join(root, 'node_modules', '.bin', 'tsx'), ['local/console.ts'], 'repos\n', {
      ...bareEnv,
      VCR_CLIENT_ID: 'someone',
    });

    // Assess
    expect(stderr).toContain('set both VCR_CLIENT_ID and VCR_CLIENT_SECRET');
    expect(code).toBe(2);
  });

  it('says loudly that it talks to a real vCR and lists that vCR when a client pair is set', async () => {
    // Prepare: an emulator with its own credentials and no demo data stands in for the real vCR.
    const real = await startVcrEmulator({ clientId: 'real-client', clientSecret: 'real-secret', seed: false });

    try {
      // Act
      const { stdout, stderr, code } = await run(
        join(root, 'node_modules', '.bin', 'tsx'),
        ['local/console.ts'],
        'repos\n',
        {
          ...bareEnv,
          VCR_CLIENT_ID: 'real-client',
          VCR_CLIENT_SECRET: 'real-secret',
          VCR_API_URL: real.url,
          VCR_IAM_URL: real.iamUrl,
        },
      );

      // Assess
      expect(stderr).toContain(`REAL vCR: ${real.url} (credentials from VCR_CLIENT_ID)`);
      expect(stdout).toContain('REAL vCR');
      expect(stdout).not.toContain('local demo data');
      expect(stdout).not.toContain('payments-api');
      expect(real.requests.some((request) => request.path === '/v1/repository')).toBe(true);
      expect(code).toBe(0);
    } finally {
      await real.close();
    }
  });
});

describe('npm run watch-once', () => {
  it('runs one watcher pass on the demo data and prints what it posted', async () => {
    // Act
    const { stdout, code } = await run('npm', ['run', 'watch-once'], '', bareEnv);

    // Assess
    expect(stdout).toMatch(/Watcher pass complete: \d+ of \d+ repositories, \d+ of \d+ repository users\./);
    expect(stdout).toContain('== Quota alert: build-cache ==');
    expect(stdout).toContain('== Repository user release-bot expires in');
    expect(code).toBe(0);
  });
});
