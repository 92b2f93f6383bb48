/**
 * `npm run manifest`: prints `slack-app-manifest.yml` with the deployed request URL in place of its placeholder, for
 * Slack's app settings → App Manifest (README.md, "Connect the URL").
 *
 *   npm run manifest -- --stage prod                  the URL from `serverless info --stage prod --verbose`
 *   npm run manifest -- --stage prod --region eu-west-1
 *   npm run manifest -- --url https://abc123.execute-api.ap-southeast-1.amazonaws.com/slack/events
 *   npm run manifest -- --url … --command /registry   when the stack was deployed with SLACK_COMMAND=/registry
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { parseDocument } from 'yaml';

/** The placeholder the manifest holds for every URL until a deploy gives the real one. */
export const manifestUrlPlaceholder = 'https://<api-id>.execute-api.<region>.amazonaws.com/slack/events';

/** Where the manifest lives, from the repository root. */
export const manifestPath = join(__dirname, '..', 'slack-app-manifest.yml');

// Buttons and modals, and the options of external selects, go to the one request URL as the slash command does.
const urlPaths = [
  ['settings', 'interactivity', 'request_url'],
  ['settings', 'interactivity', 'message_menu_options_url'],
] as const;

/** What to put into the manifest: the deployed request URL and, optionally, another slash command. */
export interface ManifestValues {
  readonly url: string;
  readonly command?: string;
}

/**
 * Returns the manifest text with `values.url` at every request URL (and in the event subscriptions, if it has
 * any) and `values.command` as its slash command, keeping the comments on its scopes. Throws when the URL is not an https URL ending
 * in `/slack/events`, or the command is not a `/name` Slack accepts.
 */
export function fillManifest(manifestText: string, values: ManifestValues): string {
  if (!isRequestUrl(values.url)) {
    throw new Error(`Not the bot's request URL: ${values.url} (expected https://…/slack/events).`);
  }
  if (values.command !== undefined && !/^\/\S{1,31}$/.test(values.command)) {
    throw new Error(`Not a slash command: ${values.command} (expected /name, at most 32 characters).`);
  }
  const doc = parseDocument(manifestText);
  // The file's header explains the placeholders, which this copy no longer has.
  doc.commentBefore = ` The Slack app of vcr-chatops for ${values.url}, printed by \`npm run manifest\`.`;
  const commands = doc.getIn(['features', 'slash_commands']) as { items: unknown[] } | undefined;
  for (let index = 0; index < (commands?.items.length ?? 0); index += 1) {
    doc.setIn(['features', 'slash_commands', index, 'url'], values.url);
    if (values.command !== undefined) doc.setIn(['features', 'slash_commands', index, 'command'], values.command);
  }
  for (const path of urlPaths) doc.setIn(path, values.url);
  if (doc.hasIn(['settings', 'event_subscriptions'])) {
    doc.setIn(['settings', 'event_subscriptions', 'request_url'], values.url);
  }
  return doc.toString({ lineWidth: 0 });
}

// Parsed as a URL, so a fragment or query that only looks like the path, credentials, an impossible port, or a character
// a URL must encode is refused; what is left must be written exactly as its parsed form.
function isRequestUrl(text: string): boolean {
  if (!URL.canParse(text)) return false;
  const url = new URL(text);
  return (
    url.protocol === 'https:' &&
    url.username === '' &&
    url.password === '' &&
    url.search === '' &&
    url.hash === '' &&
    url.pathname.endsWith('/slack/events') &&
    url.href === text
  );
}

/**
 * Returns the `SlackRequestUrl` stack output from the text `serverless info --verbose` prints ("Stack Outputs"),
 * or throws naming what it found instead.
 */
export function slackRequestUrlFrom(infoOutput: string): string {
  const match = /^\s*SlackRequestUrl:\s*(\S+)\s*$/m.exec(infoOutput);
  if (!match) {
    throw new Error('`serverless info --verbose` printed no SlackRequestUrl output: is the stage deployed?');
  }
  return match[1]!;
}

/** Runs `serverless info` with `args` and resolves with what it printed. */
export type InfoRunner = (args: readonly string[]) => Promise<string>;

/**
 * Runs `serverless info` with `args` in `env` (the process's by default) and resolves with what it printed; when it
 * fails, rejects with its own words (osls prints "AWS provider credentials not found" and the like on stdout).
 */
export async function runServerlessInfo(
  args: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<string> {
  const serverless = join(__dirname, '..', 'node_modules', '.bin', 'serverless');
  try {
    const { stdout, stderr } = await promisify(execFile)(serverless, ['info', ...args], {
      cwd: join(__dirname, '..'),
      maxBuffer: 10 * 1024 * 1024,
      // The SDK's notice about Node 22 would bury the answer.
      env: { ...env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    });
    // Serverless writes its sections to stderr or stdout depending on the version; the output may be in either.
    return `${stdout}\n${stderr}`;
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    const said = `${stdout}\n${stderr}`.trim();
    throw new Error(`\`serverless info ${args.join(' ')}\` failed:\n${said || (error as Error).message}`);
  }
}

const usage = `usage: npm run manifest -- --stage STAGE [--region REGION] [--command /name]
       npm run manifest -- --url https://…/slack/events [--command /name]`;

/**
 * Resolves with the filled manifest for command-line `argv`: the URL from `--url`, or from `serverless info` of
 * `--stage` (and `--region`) through `runInfo`. Throws the usage when the arguments are wrong.
 */
export async function printableManifest(argv: readonly string[], runInfo: InfoRunner = runServerlessInfo) {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      url: { type: 'string' },
      stage: { type: 'string' },
      region: { type: 'string' },
      command: { type: 'string' },
    },
    strict: true,
    allowPositionals: false,
  });
  if ((values.url === undefined) === (values.stage === undefined)) throw new Error(usage);
  if (values.url !== undefined && values.region !== undefined) throw new Error(usage);
  const url =
    values.url ??
    slackRequestUrlFrom(
      await runInfo([
        '--stage',
        values.stage!,
        ...(values.region === undefined ? [] : ['--region', values.region]),
        '--verbose',
      ]),
    );
  return fillManifest(readFileSync(manifestPath, 'utf8'), {
    url,
    ...(values.command === undefined ? {} : { command: values.command }),
  });
}

if (require.main === module) {
  printableManifest(process.argv.slice(2)).then(
    (text) => process.stdout.write(text),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
