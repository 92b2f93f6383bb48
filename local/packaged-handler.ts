/**
 * Runs the packaged Lambda artifact (the zip `serverless package` builds) outside AWS: its `src/handler.js` is taken
 * from the zip and loaded in a fresh Node process, as Lambda's runtime loads it, for the packaged-handler test and
 * `npm run bench`.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import JSZip from 'jszip';

/** The bundle's path inside the artifact: serverless-esbuild keeps the handler's source path. */
export const packagedHandlerPath = 'src/handler.js';

const processScript = join(__dirname, 'packaged-handler-process.cjs');

/** One call of a packaged entry, times in ms since its process started. */
export interface PackagedCall {
  calledAt: number;
  answeredAt: number;
  /** What the entry resolved to: the API Gateway answer of `http`, nothing for `worker`, a pass's progress for `schedule`. */
  result: { statusCode?: number; body?: string } | null;
}

/** What one process running the packaged handler did, times in ms since it started. */
export interface PackagedRun {
  /** When the process started, in epoch ms (`performance.timeOrigin`). */
  timeOrigin: number;
  /** When the bundle began to load: Node's own start-up before it. */
  startedAt: number;
  /** When the bundle had loaded: Lambda's init phase ends here. */
  loadedAt: number;
  /** When the first Secrets Manager answer arrived, if one was read. */
  secretAnsweredAt?: number;
  calls: PackagedCall[];
  /** What the handler wrote to stdout (its log lines) and stderr. */
  output: string;
}

/** Options of `runPackagedHandler`. */
export interface PackagedRunOptions {
  /** Path of the extracted `handler.js`. */
  bundle: string;
  entry: 'http' | 'worker' | 'schedule';
  /** Called in turn; an API Gateway event is stamped with the time it is sent, as API Gateway does. */
  events: unknown[];
  /** The whole environment of the process, as Lambda sets it (nothing is inherited). */
  env: Record<string, string>;
  /** Epoch ms the first event arrived at, if before the process started (a cold start). */
  arrivedAt?: number;
  /** A cgroup directory whose CPU quota the process runs under (`cgroup.procs` is written before Node starts). */
  cgroup?: string;
  timeoutMs?: number;
}

/** Writes the artifact's bundle from the zip at `zipPath` into `dir` and returns its path. */
export async function extractPackagedHandler(zipPath: string, dir: string): Promise<string> {
  const zip = await JSZip.loadAsync(readFileSync(zipPath));
  const file = zip.file(packagedHandlerPath);
  if (!file)
    throw new Error(`${zipPath} holds no ${packagedHandlerPath}; it holds ${Object.keys(zip.files).join(', ')}`);
  const bundle = join(dir, 'handler.js');
  writeFileSync(bundle, await file.async('nodebuffer'));
  return bundle;
}

/** Lists the files in the artifact at `zipPath`. */
export async function packagedFiles(zipPath: string): Promise<string[]> {
  const zip = await JSZip.loadAsync(readFileSync(zipPath));
  return Object.values(zip.files)
    .filter((entry) => !entry.dir)
    .map((entry) => entry.name);
}

/** Starts a Node process on the packaged handler, calls `entry` with each event and resolves with what happened. */
export async function runPackagedHandler(options: PackagedRunOptions): Promise<PackagedRun> {
  const dir = mkdtempSync(join(tmpdir(), 'vcr-chatops-packaged-'));
  try {
    const input = join(dir, 'input.json');
    const output = join(dir, 'output.json');
    // The events are signed, never secret themselves; the directory is private to this user and removed after.
    writeFileSync(input, JSON.stringify({ ...options, env: undefined }), { mode: 0o600 });
    const [command, args] = options.cgroup
      ? // The shell joins the cgroup, then becomes Node, so Node starts under the quota.
        [
          '/bin/sh',
          [
            '-c',
            'echo $$ > "$0/cgroup.procs" && exec "$1" "$2" "$3" "$4"',
            options.cgroup,
            process.execPath,
            processScript,
            input,
            output,
          ],
        ]
      : [process.execPath, [processScript, input, output]];
    const printed = await new Promise<string>((resolve, reject) => {
      execFile(
        command,
        args,
        { env: options.env, timeout: options.timeoutMs ?? 60_000, maxBuffer: 64 * 1024 * 1024 },
        (error, stdout, stderr) => {
          if (error) reject(new Error(`The packaged handler failed: ${error.message}\n${stderr.slice(-2000)}`));
          else resolve(`${stdout}${stderr}`);
        },
      );
    });
    return { ...(JSON.parse(readFileSync(output, 'utf8')) as Omit<PackagedRun, 'output'>), output: printed };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
