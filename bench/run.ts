/**
 * `npm run bench`: measures the packaged Lambda artifact (what `serverless package` builds, run as Lambda runs it)
 * and prints one table, also written with this machine's description to bench/results.md:
 * - bundle bytes per function, top contributors, and the bytes and load CPU of each bundle choice beside its
 *   alternative (esbuild metafile);
 * - ack latency per request type through the packaged HTTP entry with API Gateway v2 events, vCR instant and 5 s
 *   slow, beside a plain Bolt-on-AwsLambdaReceiver app that calls vCR before acking;
 * - the Home tab: an `app_home_opened` to its answer, `views.publish` included, with 500 rows in each snapshot;
 * - signed requests per second one warm process acknowledges; Secrets Manager reads and token mints per 500 requests;
 * - cold start to the first ack in a new process at a full core and at Lambda's CPU share of 256, 512 and 1024 MB
 *   (a cgroup CPU quota where one can be made), with init, secret read and first request apart, the warm ack and the
 *   cost per million requests at each, and a cold options request while vCR is slow.
 * Everything runs locally and is stopped before it ends. BENCH_N sets the requests per latency cell (default 20),
 * BENCH_COLD the cold starts per CPU share (default 10).
 */
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, tmpdir, totalmem, type } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { BuildOptions } from 'esbuild';
import { buildHandlerBundle, packageOf } from '../bundle/build-handler-bundle';
import { extractPackagedHandler, type PackagedRun, runPackagedHandler } from '../local/packaged-handler';
import type { Handlers } from '../src/handler';
import type { Job } from '../src/jobs/job';
import { encodeDecisionValue } from '../src/slack/button-value';
import { actionIds, fieldBlockId } from '../src/slack/ids';
import { createDynamoOperationStore } from '../src/store/dynamo-operation-store';
import { createDynamoWatchStore } from '../src/store/watch-store';
import { type PackagedHarness, startPackagedHarness } from '../test/support/packaged-harness';
import {
  blockActionsBody,
  blockSuggestionBody,
  eventCallbackBody,
  formView,
  signedEvent,
  slashCommandBody,
  testUsers,
} from '../test/support/slack-requests';
import { type CpuShare, createCpuShare, lambdaCores } from './cpu-share';
import { createNaiveBoltApp, type NaiveHandler } from './naive-bolt-app';
import { kilobytes, megabytes, ms, type Summary, summarize, times } from './stats';

// The SDK warns once that it will need Node 22 from 2027; Lambda runs 22 already.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const root = join(__dirname, '..');
const settings = {
  requestsPerCell: Number(process.env.BENCH_N ?? 20),
  coldStarts: Number(process.env.BENCH_COLD ?? 10),
  // Requests of a latency cell arrive this far apart, so fast ones never queue behind each other.
  arrivalGapMs: 50,
  vcrSlowMs: 5_000,
  // Slack's 3 s, less the way back to Slack (docs/decisions/0013-lean-cold-start.md).
  ackGoalMs: 2_800,
};
// AWS Lambda's arm64 list prices in us-east-1 when this was written; check the deployed region's at
// https://aws.amazon.com/lambda/pricing/ before relying on them.
const pricePerGbSecond = 0.0000133334;
const pricePerMillionRequests = 0.2;
// Lambda gives one vCPU at 1,769 MB; a full core here stands in for it.
const fullCoreMb = 1769;

/** One line of the table; a line with a figure only is a section heading. */
interface Row {
  figure: string;
  runs?: number;
  median?: string;
  p99?: string;
  /** What the figure is compared with, measured in the same run. */
  compared?: string;
  ratio?: string;
  goal?: string;
}

const rows: Row[] = [];
const notes: string[] = [];
const section = (title: string) => rows.push({ figure: `**${title}**` });

type RequestKind = 'slash read' | 'destructive command' | 'confirm click' | 'modal-opening command' | 'options request';
const requestKinds: RequestKind[] = [
  'slash read',
  'destructive command',
  'confirm click',
  'modal-opening command',
  'options request',
];

async function main(): Promise<void> {
  const started = performance.now();
  const machine = await describeMachine();
  console.log(`vcr-chatops bench on ${machine.join('; ')}\n`);
  const work = mkdtempSync(join(tmpdir(), 'vcr-chatops-bench-'));
  const shares: CpuShare[] = [];
  const removeShares = () => {
    for (const share of shares.splice(0)) {
      try {
        share.close();
      } catch (error) {
        notes.push(`The cgroup ${share.dir} could not be removed: ${(error as Error).message}.`);
      }
    }
  };
  // Interrupted, the bench still removes its cgroups; its child processes get the same signal from the terminal.
  process.once('SIGINT', () => {
    removeShares();
    rmSync(work, { recursive: true, force: true });
    process.exit(130);
  });
  let harness: PackagedHarness | undefined;
  try {
    progress('packaging the artifact (serverless package)');
    const zip = await packageArtifact(join(work, 'package'));
    const shipped = await extractPackagedHandler(zip, work);
    const mainStyle = await bundleFigures(zip, shipped, work);

    const invocations: Promise<void>[] = [];
    let worker: Handlers['worker'] | undefined;
    harness = await startPackagedHarness({
      logLevel: 'error',
      // The worker is another function: it runs jobs only when a section asks (`worker` set), else they are recorded.
      onInvoke: (invocation) => {
        if (!worker) return;
        const job = worker(invocation.payload as Job);
        invocations.push(job);
        return job;
      },
    });
    setProcessEnv(harness.env);
    // A preview waiting for its confirm, so every confirm click of the bench finds one (the first click claims it).
    const { operation: pending } = await createDynamoOperationStore({
      client: DynamoDBDocumentClient.from(harness.dynamo.client),
      table: harness.table,
    }).create(
      {
        key: 'bench:confirm',
        command: 'repo.delete',
        args: { repo: 'sandbox-tmp' },
        pin: {},
        summary: 'delete repository `sandbox-tmp`',
        target: {},
        requestedBy: testUsers.operator,
        channelId: 'C0CHANNEL',
        status: 'requested',
        waitMs: 60 * 60_000,
      },
      { jobId: 'bench', token: 'bench' },
    );
    const event = (kind: RequestKind) => eventOf(kind, harness!, pending.id);

    const http = loadContainer(shipped, join(work, 'warm-http')).http;
    const naive = createNaiveBoltApp({
      signingSecret: harness.signingSecret,
      botToken: 'naive-bot-token',
      slackApiUrl: harness.slack.url,
      vcrUrl: harness.emulator.url,
      vcrToken: harness.emulator.issueToken(),
    });
    await ackLatency(harness, http, naive, event);
    await homeTab(harness, http);
    await throughput(http, naive, event);

    const fresh = {
      http: loadContainer(shipped, join(work, 'count-http')).http,
      worker: loadContainer(shipped, join(work, 'count-worker')).worker,
    };
    worker = fresh.worker;
    await secretReadsAndMints(harness, fresh.http, event, async () => {
      while (invocations.length > 0) await Promise.all(invocations.splice(0));
    });
    worker = undefined;

    await coldStarts(harness, { shipped, mainStyle }, event, shares);
  } finally {
    removeShares();
    await harness?.close();
    rmSync(work, { recursive: true, force: true });
  }

  const table = renderTable(rows);
  console.log(`\n${table}\n`);
  for (const note of notes) console.log(`- ${note}`);
  const seconds = Math.round((performance.now() - started) / 1000);
  writeFileSync(
    join(__dirname, 'results.md'),
    [
      '# `npm run bench` results',
      '',
      `Written by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)} in ${seconds} s.`,
      '',
      ...machine.map((line) => `- ${line}`),
      '',
      table,
      '',
      ...notes.map((note) => `- ${note}`),
      '',
    ].join('\n'),
  );
  console.log(`\nWritten to bench/results.md (${seconds} s).`);
}

/** Runs `serverless package` into `dir` offline, as the test does, and returns the artifact's path. */
async function packageArtifact(dir: string): Promise<string> {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !/^(AWS_|SECRET_|VCR_|SLACK_|LOG_LEVEL$)/.test(name)),
  );
  await promisify(execFile)(join(root, 'node_modules', '.bin', 'serverless'), ['package', '--package', dir], {
    cwd: root,
    env,
    timeout: 120_000,
  });
  return join(dir, 'vcr-chatops.zip');
}

/**
 * Bundle bytes and top contributors of the shipped bundle, and each choice beside its alternative: bytes and the CPU
 * time of loading the bundle in a new process. Returns the path of the bundle built as main built it.
 */
async function bundleFigures(zip: string, shipped: string, work: string): Promise<string> {
  section('Bundle (esbuild metafile of the shipped options, bundle/esbuild-options.js)');
  const leftOutModule = join(root, 'bundle', 'left-out-module.js');
  const withoutAlias = (options: BuildOptions, names: (name: string) => boolean): BuildOptions => ({
    ...options,
    alias: Object.fromEntries(Object.entries(options.alias ?? {}).filter(([name]) => !names(name))),
  });
  const variants: { name: string; change: (options: BuildOptions) => BuildOptions }[] = [
    { name: 'shipped', change: (options) => options },
    {
      name: "as main built it: CommonJS entry points, Bolt's whole tree, node-fetch, unminified",
      change: () => ({ bundle: true, platform: 'node', target: 'node22', format: 'cjs' }),
    },
    {
      name: "shipped but with Bolt's whole tree (no left-out stub)",
      change: (options) => withoutAlias(options, (name) => name !== 'cross-fetch'),
    },
    {
      name: 'shipped but with cross-fetch on node-fetch',
      change: (options) => withoutAlias(options, (name) => name === 'cross-fetch'),
    },
    {
      name: 'shipped but with CommonJS entry points',
      change: ({ mainFields: _mainFields, ...options }) => options,
    },
    { name: 'shipped with identifiers minified too', change: (options) => ({ ...options, minifyIdentifiers: true }) },
    {
      name: 'shipped without the DynamoDB client (most a lazy import saves)',
      change: (options) => ({ ...options, alias: { ...options.alias, '@aws-sdk/client-dynamodb': leftOutModule } }),
    },
    {
      name: 'shipped without the Lambda client (most a lazy import saves)',
      change: (options) => ({ ...options, alias: { ...options.alias, '@aws-sdk/client-lambda': leftOutModule } }),
    },
  ];

  const measured: { name: string; bytes: number; load: Summary; path: string; inputs: Record<string, number> }[] = [];
  for (const [index, variant] of variants.entries()) {
    progress(`building and loading bundle variant ${index + 1} of ${variants.length}`);
    const built = await buildHandlerBundle(variant.change);
    const dir = join(work, `variant-${index}`);
    mkdirSync(dir);
    const path = join(dir, 'handler.js');
    writeFileSync(path, built.code);
    measured.push({ name: variant.name, bytes: built.bytes, load: await loadCpu(path, 9), path, inputs: built.inputs });
  }
  const [ship, main] = measured as [(typeof measured)[0], (typeof measured)[0]];
  const packagedBytes = statSync(shipped).size;
  if (packagedBytes !== ship.bytes) {
    notes.push(`The packaged handler.js (${packagedBytes} B) differs from the bench's build (${ship.bytes} B).`);
  }
  rows.push({
    figure: 'main file of the http function (src/handler.js)',
    median: megabytes(packagedBytes),
    compared: `${megabytes(main.bytes)} as main built it`,
    ratio: times(main.bytes, packagedBytes),
    goal: `≤ 1.5 MB: ${packagedBytes <= 1.5e6 ? 'met' : 'missed'}`,
  });
  rows.push({ figure: 'main file of the worker function', median: 'the same file (one artifact)' });
  rows.push({ figure: 'artifact zip (no source map)', median: megabytes(statSync(zip).size) });

  const byPackage = new Map<string, number>();
  for (const [input, bytes] of Object.entries(ship.inputs)) {
    const name = packageOf(input);
    byPackage.set(name, (byPackage.get(name) ?? 0) + bytes);
  }
  for (const [name, bytes] of [...byPackage].sort((a, b) => b[1] - a[1]).slice(0, 8)) {
    rows.push({ figure: `top contributor: ${name}`, median: `${kilobytes(bytes)} (${pct(bytes, ship.bytes)})` });
  }

  for (const variant of measured) {
    rows.push({
      figure: `load CPU, ${variant.name} (${megabytes(variant.bytes)})`,
      runs: variant.load.runs,
      median: ms(variant.load.median),
      p99: ms(variant.load.p99),
      ...(variant === ship
        ? {}
        : { compared: `${ms(ship.load.median)} shipped`, ratio: times(variant.load.median, ship.load.median) }),
    });
  }
  return main.path;
}

/** CPU time (user and system, every thread) of `require`-ing `bundle` in new processes, like Lambda's init. */
async function loadCpu(bundle: string, runs: number): Promise<Summary> {
  const script = `const c = process.cpuUsage(); require(${JSON.stringify(bundle)}); const d = process.cpuUsage(c); console.log((d.user + d.system) / 1000);`;
  const values: number[] = [];
  for (let run = 0; run < runs; run += 1) {
    const { stdout } = await promisify(execFile)(process.execPath, ['-e', script], {
      env: { PATH: process.env.PATH ?? '', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    });
    values.push(Number(stdout.trim()));
  }
  return summarize(values);
}

/** Ack latency of each request type, the packaged handler beside the naive Bolt app, vCR instant then slow. */
async function ackLatency(
  harness: PackagedHarness,
  http: Handlers['http'],
  naive: NaiveHandler,
  event: (kind: RequestKind) => APIGatewayProxyEventV2,
): Promise<void> {
  section(
    `Ack latency after arrival, warm, packaged http entry vs a plain Bolt app calling vCR first (${settings.requestsPerCell} requests, ${settings.arrivalGapMs} ms apart)`,
  );
  // Warm: the app built, a token minted and connections open before anything is timed.
  for (const kind of requestKinds) {
    await expectAck(kind, await http(event(kind)));
    await naive(event(kind));
  }
  let worst = 0;
  for (const slow of [false, true]) {
    if (slow) harness.emulator.inject({ path: /^\/v1\//, delayMs: settings.vcrSlowMs });
    for (const kind of requestKinds) {
      progress(`ack latency: ${kind}, vCR ${slow ? 'slow' : 'instant'}`);
      const ours = await timedArrivals(async () => expectAck(kind, await http(event(kind)), slow));
      const theirs = await timedArrivals(async () => {
        await naive(event(kind));
      });
      worst = Math.max(worst, ours.max);
      rows.push({
        figure: `${kind}, vCR ${slow ? `${settings.vcrSlowMs / 1000} s slow` : 'instant'}`,
        runs: ours.runs,
        median: ms(ours.median),
        p99: ms(ours.p99),
        compared: `${ms(theirs.median)} naive Bolt`,
        ratio: times(theirs.median, ours.median),
        goal: `p99 ≤ ${settings.ackGoalMs / 1000} s: ${ours.p99 <= settings.ackGoalMs ? 'met' : 'missed'}`,
      });
    }
    harness.emulator.clearFaults();
  }
  notes.push(
    `Ack latency runs from the API Gateway event's \`timeEpoch\` (set as it is sent) to the answer, in this process; the slowest warm ack of the bot was ${ms(worst)}.`,
  );
}

/**
 * The Home tab: a signed `app_home_opened` answered only once the view is published (Bolt on Lambda answers when the
 * listener ends), with 500 rows in each of the watcher's snapshots and a request waiting for approval, vCR 5 s slow
 * to show that the Home never waits for it (docs/decisions/0022-home-tab.md).
 */
async function homeTab(harness: PackagedHarness, http: Handlers['http']): Promise<void> {
  section(`Home tab, warm: app_home_opened to the answer, views.publish included (${settings.requestsPerCell} opens)`);
  const watch = createDynamoWatchStore({
    client: DynamoDBDocumentClient.from(harness.dynamo.client),
    table: harness.table,
  });
  const at = Date.now();
  const many = Array.from({ length: 500 }, (_, index) => index);
  await watch.putSnapshot('quota', {
    at,
    complete: true,
    rows: many.map((index) => ({
      repoId: `repo-${index}`,
      repoName: `repo-${index}`,
      usedBytes: 9 * 1024 ** 3,
      quotaGb: 10,
      percent: 90,
      threshold: 80,
    })),
  });
  await watch.putSnapshot('expiringUsers', {
    at,
    complete: true,
    rows: many.map((index) => ({
      repoUserId: `ra-${index}`,
      name: `robot-${index}`,
      backendName: `1234-robot-${index}`,
      expiredAt: new Date(at + 86_400_000).toISOString(),
      daysLeft: 1,
      disabled: false,
    })),
  });
  const publishes = () => harness.slack.calls.filter((call) => call.method === 'views.publish').length;
  const open = async () => {
    const body = eventCallbackBody({ type: 'app_home_opened', user: testUsers.viewer, channel: 'D0HOME', tab: 'home' });
    const answer = await http(signedEvent(body, harness.signingSecret, { contentType: 'application/json' }));
    if (answer.statusCode !== 200) throw new Error(`The bot answered a Home tab open with ${answer.statusCode}`);
  };
  await open();
  harness.emulator.inject({ path: /^\/v1\//, delayMs: settings.vcrSlowMs });
  progress('Home tab opens');
  const before = publishes();
  const opens = await timedArrivals(open);
  harness.emulator.clearFaults();
  // Each answer leaves only once its listener has published; an open that published nothing would be timed as fast.
  if (publishes() - before !== opens.runs)
    throw new Error(`${opens.runs} Home tab opens published ${publishes() - before} views`);
  rows.push({
    figure: 'open to answer, 500 quota and 500 expiry rows, vCR 5 s slow',
    runs: opens.runs,
    median: ms(opens.median),
    p99: ms(opens.p99),
    goal: `p99 ≤ ${settings.ackGoalMs / 1000} s: ${opens.p99 <= settings.ackGoalMs ? 'met' : 'missed'}`,
  });
}

/** Signed `/vcr repos` requests one warm process acknowledges per second, 8 at a time. */
async function throughput(
  http: Handlers['http'],
  naive: NaiveHandler,
  event: (kind: RequestKind) => APIGatewayProxyEventV2,
): Promise<void> {
  progress('requests per second');
  const total = Math.max(200, settings.requestsPerCell * 30);
  const ours = await perSecond(total, async () => expectAck('slash read', await http(event('slash read'))));
  const theirs = await perSecond(total, async () => {
    await naive(event('slash read'));
  });
  section('One warm process');
  rows.push({
    figure: 'signed /vcr repos acked per second, 8 in flight (vCR instant)',
    runs: total,
    median: `${Math.round(ours)} /s`,
    compared: `${Math.round(theirs)} /s naive Bolt`,
    ratio: times(ours, theirs),
  });
}

/** Secrets Manager reads and vCR token mints of a fresh http container and worker container over 500 requests. */
async function secretReadsAndMints(
  harness: PackagedHarness,
  http: Handlers['http'],
  event: (kind: RequestKind) => APIGatewayProxyEventV2,
  settle: () => Promise<void>,
): Promise<void> {
  progress('Secrets Manager reads and token mints per 500 requests');
  const iamPath = new URL(harness.emulator.iamUrl).pathname;
  const mints = () => harness.emulator.requests.filter((request) => request.path === iamPath).length;
  const readsBefore = harness.secretsManager.reads;
  const mintsBefore = mints();
  // Every type whose HTTP phase or job reads the secret or calls vCR; each queued job runs on the worker container.
  const mixed: RequestKind[] = ['slash read', 'options request', 'modal-opening command', 'destructive command'];
  let next = 0;
  await perSecond(500, async () => {
    const kind = mixed[next++ % mixed.length]!;
    expectAck(kind, await http(event(kind)));
  });
  await settle();
  const reads = harness.secretsManager.reads - readsBefore;
  const minted = mints() - mintsBefore;
  const containers = 2;
  rows.push({
    figure: 'Secrets Manager reads per 500 requests (one http and one worker container, jobs run)',
    runs: 500,
    median: String(reads),
    goal: `1 per container per TTL: ${reads === containers ? 'met' : 'missed'}`,
  });
  rows.push({
    figure: 'vCR token mints per 500 requests (same containers)',
    runs: 500,
    median: String(minted),
    goal: `1 per container per token lifetime: ${minted === containers ? 'met' : 'missed'}`,
  });
}

/**
 * Cold starts of the packaged handler in new processes, at a full core and under each CPU share, with the bundle as
 * main built it at the same share for comparison; then a cold options request while vCR is slow.
 */
async function coldStarts(
  harness: PackagedHarness,
  bundles: { shipped: string; mainStyle: string },
  event: (kind: RequestKind) => APIGatewayProxyEventV2,
  shares: CpuShare[],
): Promise<void> {
  const env = { ...harness.env, LOG_LEVEL: 'info' };
  const warmCalls = 10;
  const at: { label: string; memoryMb: number; share?: CpuShare }[] = [{ label: 'a full core', memoryMb: fullCoreMb }];
  for (const memoryMb of [1024, 512, 256]) {
    const share = createCpuShare(lambdaCores(memoryMb), `vcr-chatops-bench-${process.pid}-${memoryMb}`);
    if ('skipped' in share) {
      notes.push(`Cold starts at ${memoryMb} MB skipped: ${share.skipped}.`);
      continue;
    }
    shares.push(share);
    at.push({ label: `${memoryMb} MB (${share.cores.toFixed(2)} of a core)`, memoryMb, share });
  }

  const run = async (bundle: string, share: CpuShare | undefined, kinds: RequestKind[]) => {
    const arrivedAt = Date.now();
    const outcome = await runPackagedHandler({
      bundle,
      entry: 'http',
      events: kinds.map(event),
      env,
      arrivedAt,
      cgroup: share?.dir,
    });
    const first = outcome.calls[0];
    if (first?.result?.statusCode !== 200) {
      throw new Error(`A cold ${kinds[0]} was answered ${first?.result?.statusCode}: ${outcome.output.slice(-500)}`);
    }
    return { ...outcome, arrivedAt };
  };

  for (const { label, memoryMb, share } of at) {
    section(`Cold start of the packaged handler at ${label}: new process to the first acked /vcr repos`);
    const runs: PackagedRun[] = [];
    const baseline: number[] = [];
    for (let index = 0; index < settings.coldStarts; index += 1) {
      progress(`cold start at ${label}: ${index + 1} of ${settings.coldStarts}`);
      runs.push(await run(bundles.shipped, share, Array(1 + warmCalls).fill('slash read')));
      baseline.push((await run(bundles.mainStyle, share, ['slash read'])).calls[0]!.answeredAt);
    }
    const phase = (of: (outcome: PackagedRun) => number) => summarize(runs.map(of));
    const total = phase((outcome) => outcome.calls[0]!.answeredAt);
    const main = summarize(baseline);
    const goalMs = memoryMb === fullCoreMb ? 200 : memoryMb === 512 ? 600 : undefined;
    rows.push({
      figure: 'cold start to first ack',
      runs: total.runs,
      median: ms(total.median),
      p99: ms(total.p99),
      compared: `${ms(main.median)} as main built it`,
      ratio: times(main.median, total.median),
      ...(goalMs ? { goal: `p50 ≤ ${goalMs} ms: ${total.median <= goalMs ? 'met' : 'missed'}` } : {}),
    });
    const phases: [string, (outcome: PackagedRun) => number][] = [
      ['init: Node start and bundle load', (outcome) => outcome.loadedAt],
      ['secret read: from the call to the Secrets Manager answer', (o) => o.secretAnsweredAt! - o.calls[0]!.calledAt],
      ['first request after the secret: app, listener, dispatch', (o) => o.calls[0]!.answeredAt - o.secretAnsweredAt!],
    ];
    for (const [name, of] of phases) {
      const summary = phase(of);
      rows.push({ figure: `– ${name}`, runs: summary.runs, median: ms(summary.median), p99: ms(summary.p99) });
    }
    const warm = summarize(
      runs.flatMap((outcome) => outcome.calls.slice(1).map((call) => call.answeredAt - call.calledAt)),
    );
    rows.push({
      figure: 'warm ack in the same processes',
      runs: warm.runs,
      median: ms(warm.median),
      p99: ms(warm.p99),
    });
    const gbSeconds = (Math.ceil(warm.median) / 1000) * (memoryMb / 1024);
    const cost = pricePerMillionRequests + 1e6 * gbSeconds * pricePerGbSecond;
    rows.push({ figure: `cost per million warm requests at ${memoryMb} MB, arm64`, median: `$${cost.toFixed(2)}` });
  }

  const share512 = at.find((entry) => entry.memoryMb === 512);
  section(
    `Cold options request while vCR takes ${settings.vcrSlowMs / 1000} s, at ${share512?.label ?? 'a full core (no quota)'}`,
  );
  harness.emulator.inject({ path: /^\/v1\//, delayMs: settings.vcrSlowMs });
  try {
    const afterArrival: number[] = [];
    for (let index = 0; index < 3; index += 1) {
      progress(`cold options request with vCR slow: ${index + 1} of 3`);
      const outcome = await run(bundles.shipped, share512?.share, ['options request']);
      expectAck('options request', outcome.calls[0]!.result as { statusCode: number; body?: string }, true);
      afterArrival.push(outcome.timeOrigin + outcome.calls[0]!.answeredAt - outcome.arrivedAt);
    }
    const summary = summarize(afterArrival);
    rows.push({
      figure: 'ack after arrival (empty options: the deadline counts from arrival)',
      runs: summary.runs,
      median: ms(summary.median),
      p99: ms(summary.max),
      goal: `≤ ${settings.ackGoalMs / 1000} s: ${summary.max <= settings.ackGoalMs ? 'met' : 'missed'}`,
    });
  } finally {
    harness.emulator.clearFaults();
  }
  notes.push(
    `CPU shares are cgroup quotas of ${fullCoreMb} MB = one core (Lambda's documented vCPU at that size); this machine's cores stand in for Lambda's, and the function runs arm64, which this x86 machine cannot measure.`,
    `Costs use $${pricePerGbSecond} per GB-second (arm64) and $${pricePerMillionRequests} per million requests, and the warm ack above as the billed duration; an AWS Invoke adds its own round trip (a few ms) that the local fake does not.`,
  );
}

/** Builds a signed API Gateway event of `kind`, as Slack would send it now. */
function eventOf(kind: RequestKind, harness: PackagedHarness, pendingId: string): APIGatewayProxyEventV2 {
  const responseUrl = harness.slack.responseUrl();
  const body = (() => {
    switch (kind) {
      case 'slash read':
        return slashCommandBody({ text: 'repos', userId: testUsers.viewer, responseUrl });
      case 'destructive command':
        return slashCommandBody({ text: 'repo delete sandbox-tmp', userId: testUsers.operator, responseUrl });
      case 'confirm click':
        return blockActionsBody({
          userId: testUsers.operator,
          responseUrl,
          button: {
            action_id: `${actionIds.decide}:0`,
            value: encodeDecisionValue(pendingId, 'repo.delete', 'confirm'),
          },
        });
      case 'modal-opening command':
        return slashCommandBody({ text: 'repo attach payments-api', userId: testUsers.operator, responseUrl });
      case 'options request':
        return blockSuggestionBody({
          userId: testUsers.operator,
          value: 'pay',
          actionId: actionIds.pickRepositories,
          blockId: fieldBlockId('push'),
          view: formView('user.create'),
        });
    }
  })();
  return signedEvent(body, harness.signingSecret, { base64: true });
}

/**
 * Throws unless the bot answered `kind` as it should (queued, form opened, options listed; with vCR slow, the form's
 * and the picker's deadline answers), so that a refusal is never timed as a fast answer.
 */
function expectAck(kind: RequestKind, answer: { statusCode: number; body?: string }, vcrSlow = false): void {
  const body = answer.body ?? '';
  const options = () => (JSON.parse(body) as { options?: unknown[] }).options;
  const expected: Record<RequestKind, () => boolean> = {
    'slash read': () => body.includes('Working on'),
    'destructive command': () => body.includes('Working on'),
    'confirm click': () => body === '',
    'modal-opening command': () => (vcrSlow ? body.includes('slow right now') : body === ''),
    'options request': () => (vcrSlow ? options()?.length === 0 : (options()?.length ?? 0) > 0),
  };
  if (answer.statusCode !== 200 || !expected[kind]()) {
    throw new Error(`The bot answered a ${kind} with ${answer.statusCode} ${body.slice(0, 300)}`);
  }
}

/** Sends `settings.requestsPerCell` requests `arrivalGapMs` apart and summarizes how long each took. */
async function timedArrivals(send: () => Promise<void>): Promise<Summary> {
  const durations = await Promise.all(
    Array.from({ length: settings.requestsPerCell }, async (_, index) => {
      await new Promise((resolve) => setTimeout(resolve, index * settings.arrivalGapMs));
      const started = performance.now();
      await send();
      return performance.now() - started;
    }),
  );
  return summarize(durations);
}

/** Sends `total` requests, 8 in flight, and returns how many were answered per second. */
async function perSecond(total: number, send: () => Promise<void>): Promise<number> {
  let sent = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (sent < total) {
        sent += 1;
        await send();
      }
    }),
  );
  return total / ((performance.now() - started) / 1000);
}

/** Loads a copy of the packaged bundle: each copy is a container of its own (module state, clients, caches). */
function loadContainer(bundle: string, dir: string): Pick<Handlers, 'http' | 'worker'> {
  mkdirSync(dir);
  const copy = join(dir, 'handler.js');
  copyFileSync(bundle, copy);
  return require(copy) as Pick<Handlers, 'http' | 'worker'>;
}

/** Gives this process the function's environment, which the in-process containers read on their first request. */
function setProcessEnv(env: Record<string, string>): void {
  for (const name of Object.keys(process.env)) {
    if (/^(AWS_|SECRET_|VCR_|SLACK_|LOG_LEVEL$|JOB_MODE$|STATE_TABLE$|WORKER_FUNCTION_NAME$)/.test(name)) {
      delete process.env[name];
    }
  }
  Object.assign(process.env, env);
}

async function describeMachine(): Promise<string[]> {
  const run = async (args: string[]) => (await promisify(execFile)('git', args, { cwd: root })).stdout.trim();
  const commit = await run(['rev-parse', '--short', 'HEAD']).catch(() => 'unknown');
  const dirty = (await run(['status', '--porcelain']).catch(() => '')) === '' ? '' : ' with uncommitted changes';
  const cpu = cpus();
  return [
    `${cpu.length} × ${cpu[0]?.model ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, ${type()} ${release()}`,
    `Node ${process.version} (Lambda runs nodejs22.x), load average ${loadavg()
      .map((load) => load.toFixed(2))
      .join(' ')} at the start`,
    `commit ${commit}${dirty}`,
  ];
}

function renderTable(lines: Row[]): string {
  const header = ['figure', 'runs', 'median', 'p99', 'compared with (same run)', 'ratio', 'goal'];
  const cells = lines.map((row) => [
    row.figure,
    row.runs === undefined ? '' : String(row.runs),
    row.median ?? '',
    row.p99 ?? '',
    row.compared ?? '',
    row.ratio ?? '',
    row.goal ?? '',
  ]);
  // Padded as Biome formats Markdown tables, so that bench/results.md passes `npm run lint` as written.
  const widths = header.map((title, column) => Math.max(3, title.length, ...cells.map((cell) => cell[column]!.length)));
  const line = (values: string[]) => `| ${values.map((value, column) => value.padEnd(widths[column]!)).join(' | ')} |`;
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...cells.map(line)].join('\n');
}

function pct(part: number, whole: number): string {
  return `${((100 * part) / whole).toFixed(1)}%`;
}

function progress(what: string): void {
  process.stderr.write(`  ${what}\n`);
}

main().then(
  // The in-process containers keep AWS and Slack connections alive, as on Lambda; everything the bench started is
  // closed by now.
  () => process.exit(0),
  (error: Error) => {
    console.error(`bench failed: ${error.stack ?? error.message}`);
    process.exit(1);
  },
);
