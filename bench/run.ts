/**
 * `npm run bench`: prints the ack latency of a slash command while vCR takes 5 s to answer (p50/p95 over N
 * requests), the time Node takes to load the handler bundle (as Lambda does at a cold start), and the cold-build
 * time of the handler (configuration, secret read, Bolt app) on its first request.
 * Everything runs locally (emulator, dynalite, fake Slack and Secrets Manager); BENCH_N sets N (default 50).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { build } from 'esbuild';
import { e2eUsers, startE2eHarness } from '../test/support/e2e-harness';
import { signedEvent, slashCommandBody } from '../test/support/slack-requests';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const vcrDelayMs = 5_000;
const slackDeadlineMs = 3_000;

async function main(): Promise<void> {
  const n = Number(process.env.BENCH_N ?? 50);
  console.log(`vcr-chatops benchmarks (N = ${n}, Node ${process.version})\n`);
  await ackWithSlowVcr(n, 'inline');
  await ackWithSlowVcr(n, 'lambda');
  await bundleLoad(5);
  await coldBuild(Math.max(5, Math.round(n / 5)));
}

/** Bundles src/handler.ts as serverless-esbuild does and times `require` of it in fresh Node processes. */
async function bundleLoad(runs: number): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'vcr-chatops-bench-'));
  try {
    const outfile = join(dir, 'handler.js');
    await build({
      entryPoints: ['src/handler.ts'],
      bundle: true,
      platform: 'node',
      target: 'node20',
      outfile,
      logLevel: 'silent',
    });
    const script = `const t = performance.now(); require(${JSON.stringify(outfile)}); console.log(performance.now() - t);`;
    const times = Array.from({ length: runs }, () =>
      Number(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' })),
    );
    report('load of the bundled handler in a new Node process', times);
    console.log('');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Times the HTTP phase of `/vcr repos` while the repository list takes 5 s; the jobs finish in the background. In
 * lambda mode the ack includes the async Invoke of the worker (to the local fake Lambda over HTTP).
 */
async function ackWithSlowVcr(n: number, jobMode: 'inline' | 'lambda'): Promise<void> {
  const harness = await startE2eHarness({ jobMode });
  try {
    // Warm: the IAM token is minted and the app built before timing starts.
    await harness.reply('users', e2eUsers.viewer);
    harness.emulator.inject({ method: 'GET', path: '/v1/repository', delayMs: vcrDelayMs });
    const times: number[] = [];
    let refused = 0;
    for (let i = 0; i < n; i += 1) {
      const started = performance.now();
      const { ack } = await harness.command('repos', e2eUsers.viewer, { base64: true });
      times.push(performance.now() - started);
      if (ack.statusCode !== 200) refused += 1;
    }
    const waited = performance.now();
    await harness.settle();
    report(`ack of /vcr repos, vCR delayed ${vcrDelayMs} ms, JOB_MODE ${jobMode}`, times);
    console.log(
      `  non-200 acks: ${refused}; all ${n} jobs answered ${Math.round(performance.now() - waited)} ms later`,
    );
    console.log(`  Slack's deadline: ${slackDeadlineMs} ms\n`);
  } finally {
    await harness.close();
  }
}

/** Times a new handler's first request: config, one Secrets Manager read and the Bolt app, then `help`. */
async function coldBuild(runs: number): Promise<void> {
  const harness = await startE2eHarness();
  const { createHandlers } = await import('../src/handler');
  const env = harnessEnv(harness);
  try {
    const times: number[] = [];
    for (let i = 0; i < runs; i += 1) {
      const body = slashCommandBody({
        text: 'help',
        userId: e2eUsers.viewer,
        responseUrl: harness.slack.responseUrl(),
      });
      const event = signedEvent(body, harness.secrets.signingSecret, { base64: true });
      const started = performance.now();
      const handlers = createHandlers(env, {
        logSink: () => {},
        awsCredentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      });
      const answer = await handlers.http(event);
      times.push(performance.now() - started);
      if (answer.statusCode !== 200) throw new Error(`cold request answered ${answer.statusCode}`);
    }
    report('cold build + first request (help)', times);
  } finally {
    await harness.close();
  }
}

/** The environment the harness gave its own handlers, rebuilt from what it started. */
function harnessEnv(harness: Awaited<ReturnType<typeof startE2eHarness>>): Record<string, string> {
  return {
    SECRET_ID: 'vcr-chatops/e2e',
    AWS_REGION: 'us-east-1',
    AWS_ENDPOINT_URL_SECRETS_MANAGER: harness.secretsManager.url,
    AWS_ENDPOINT_URL_DYNAMODB: harness.dynamo.url,
    JOB_MODE: 'inline',
    STATE_TABLE: 'vcr-chatops-e2e-state',
    VCR_API_URL: harness.emulator.url,
    VCR_IAM_URL: harness.emulator.iamUrl,
    SLACK_API_URL: harness.slack.url,
    SLACK_BOT_ID: 'B0FAKEBOT',
    SLACK_BOT_USER_ID: 'U0FAKEBOT',
    VCR_VIEWERS: '*',
  };
}

function report(name: string, times: number[]): void {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
  const ms = (value: number) => `${value.toFixed(1)} ms`;
  console.log(`${name} (${times.length} runs)`);
  console.log(`  p50 ${ms(at(0.5))}   p95 ${ms(at(0.95))}   min ${ms(sorted[0]!)}   max ${ms(sorted.at(-1)!)}`);
}

main().catch((error: Error) => {
  console.error(`bench failed: ${error.message}`);
  process.exit(1);
});
