/**
 * `npm start`: the bot in one process with an interactive console (local/run-console.ts). It starts the vCR
 * emulator with its demo data (or, with real credentials in the environment, points at the real vCR and says so
 * loudly), an in-process DynamoDB, the stand-in for Slack and the real handler with jobs in-process, then reads what
 * the user types, from a terminal or a pipe (`printf 'repos\n' | npm start`). Exits 0, or 1 when the bot failed.
 */
import { styleText } from 'node:util';
import { startLocalStack } from './local-stack';
import { consoleModeOf, runConsole } from './run-console';
import { chooseVcrTarget, confirmRealVcr, readRealVcrEnv, vcrTargetBanner } from './vcr-target';

// The SDK warns once that it will need Node 22 from 2027; Lambda runs 22 already, and the warning buries the banner.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

// A reader that goes away (`npm start | head -3`) is no crash: runConsole stops after the line at hand.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
});

async function main(): Promise<number> {
  // Local code, never deployed: it reads process.env directly.
  const env = process.env;
  const { terminal, color } = consoleModeOf({
    inputIsTTY: Boolean(process.stdin.isTTY),
    outputIsTTY: Boolean(process.stdout.isTTY),
    env,
  });
  const target = chooseVcrTarget(env);
  const banner = vcrTargetBanner(target);
  if (target.kind === 'invalid') {
    console.error(banner);
    return 2;
  }
  if (target.kind === 'real') {
    // Loud on both streams: a pipe's stdout may be read by a program, and the person must still see it.
    console.error(color ? styleText(['red', 'bold'], banner) : banner);
    if (!terminal) console.log(banner);
    if (terminal && !(await confirmRealVcr({ input: process.stdin, output: process.stdout }))) return 2;
  } else {
    console.log(banner);
  }
  const realVcr = target.kind === 'real' ? await readRealVcrEnv(env) : undefined;
  const stack = await startLocalStack({
    realVcr,
    logLevel: env.LOG_LEVEL,
    // The bot's log lines go to stderr, so that stdout holds only what the bot said.
    logSink: (line) => process.stderr.write(`${line}\n`),
  });
  try {
    return await runConsole({ input: process.stdin, output: process.stdout, stack, terminal, color });
  } finally {
    await stack.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(`vcr-chatops console failed: ${error.message}`);
    process.exit(1);
  },
);
