/**
 * Builds the Lambda bundle of src/handler.ts in memory with the options serverless-esbuild uses
 * (bundle/esbuild-options.js), for `npm run bench` and the tests, which read its metafile: what went in and how many
 * bytes each input left in the output.
 */
import { join } from 'node:path';
import { type BuildOptions, build, type Metafile } from 'esbuild';

/** The handler bundle as built, without writing it. */
export interface HandlerBundle {
  /** The bundle's code. */
  code: string;
  bytes: number;
  /** Bytes of the output per input file (paths relative to the repository). */
  inputs: Record<string, number>;
  metafile: Metafile;
}

const root = join(__dirname, '..');
// The options module is CommonJS, shared with serverless-esbuild, which `require`s it.
const esbuildOptions = require('./esbuild-options.js') as () => BuildOptions & { exclude?: string[] };

/** Returns the options serverless-esbuild builds with, minus its own `exclude` key. */
export function handlerBundleOptions(): BuildOptions {
  const { exclude: _exclude, ...options } = esbuildOptions();
  return options;
}

/** Builds the handler bundle; `change` edits the shipped options to build a variant (for the bench's comparisons). */
export async function buildHandlerBundle(
  change: (options: BuildOptions) => BuildOptions = (same) => same,
): Promise<HandlerBundle> {
  const result = await build({
    ...change(handlerBundleOptions()),
    entryPoints: [join(root, 'src', 'handler.ts')],
    outfile: join(root, '.esbuild', 'handler.js'),
    absWorkingDir: root,
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const output = Object.values(result.metafile.outputs)[0];
  const code = result.outputFiles[0]?.text ?? '';
  if (!output || code === '') throw new Error('esbuild produced no handler bundle');
  const inputs = Object.fromEntries(Object.entries(output.inputs).map(([file, input]) => [file, input.bytesInOutput]));
  return { code, bytes: Buffer.byteLength(code), inputs, metafile: result.metafile };
}

/** The npm package an input of the bundle comes from (the innermost `node_modules` entry), or its folder in the repo. */
export function packageOf(input: string): string {
  const packages = input.match(/node_modules\/(@[^/]+\/[^/]+|[^/]+)/g);
  if (packages) return packages[packages.length - 1]!.slice('node_modules/'.length);
  return input.split('/').slice(0, 2).join('/');
}
