/**
 * Which vCR the console of `npm start` talks to: the emulator with its demo data, unless real credentials are in the
 * environment (SECRET_ID, VCR_CLIENT_ID and VCR_CLIENT_SECRET, or VCR_ACCESS_TOKEN), in which case the real vCR, said
 * loudly.
 */
import { createInterface } from 'node:readline/promises';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { loadConfig } from '../src/config';
import { createSecretsSource } from '../src/secrets';
import type { RealVcrEnv } from './local-stack';

/** The vCR the console uses, and why. */
export type VcrTarget =
  | { kind: 'emulator' }
  | { kind: 'real'; source: 'SECRET_ID' | 'VCR_CLIENT_ID' | 'VCR_ACCESS_TOKEN'; apiUrl: string; iamUrl: string }
  | { kind: 'invalid'; problem: string };

/** Chooses the vCR from `env` without any network call; an incomplete client pair is `invalid`, never the emulator. */
export function chooseVcrTarget(env: Record<string, string | undefined>): VcrTarget {
  const set = (name: string) => (env[name] ?? '').trim() !== '';
  const pair = set('VCR_CLIENT_ID') || set('VCR_CLIENT_SECRET');
  // A pre-issued token is a real credential too (docs/configuration.md): it must never run against demo data unsaid.
  if (!set('SECRET_ID') && !pair && !set('VCR_ACCESS_TOKEN')) return { kind: 'emulator' };
  if (!set('SECRET_ID') && pair && !(set('VCR_CLIENT_ID') && set('VCR_CLIENT_SECRET'))) {
    return { kind: 'invalid', problem: 'set both VCR_CLIENT_ID and VCR_CLIENT_SECRET (or neither, for the demo data)' };
  }
  try {
    const config = loadConfig(realVcrConfigEnv(env));
    return {
      kind: 'real',
      source: set('SECRET_ID') ? 'SECRET_ID' : pair ? 'VCR_CLIENT_ID' : 'VCR_ACCESS_TOKEN',
      apiUrl: config.vcr.apiUrl,
      iamUrl: config.vcr.iamUrl,
    };
  } catch (error) {
    return { kind: 'invalid', problem: error instanceof Error ? error.message : String(error) };
  }
}

/** The banner that says, before anything runs, which vCR the console talks to. */
export function vcrTargetBanner(target: VcrTarget): string {
  switch (target.kind) {
    case 'emulator':
      return [
        'vcr-chatops console: everything here is local demo data (vCR emulator, in-memory DynamoDB, a stand-in for',
        'Slack). Nothing leaves this machine. Type :help for the console, help for the bot; Ctrl-D quits.',
      ].join('\n');
    case 'real': {
      const rule = '!'.repeat(78);
      return [
        rule,
        `!! REAL vCR: ${target.apiUrl} (credentials from ${target.source})`,
        '!! Every command acts on the real registry; deletes are real. Slack stays the local stand-in.',
        '!! Unset SECRET_ID, VCR_CLIENT_ID, VCR_CLIENT_SECRET and VCR_ACCESS_TOKEN for the demo data instead.',
        rule,
      ].join('\n');
    }
    case 'invalid':
      return `vcr-chatops console cannot start: ${target.problem}`;
  }
}

/**
 * Asks the person at the terminal to type `real` before anything runs against the real vCR; resolves true only when
 * they did. Ctrl-D (the end of input) or Ctrl-C is a no, as any other answer is.
 */
export async function confirmRealVcr(options: {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
}): Promise<boolean> {
  const readline = createInterface({ input: options.input, output: options.output });
  // The input may end before an answer: Ctrl-D on a terminal rejects the question with an AbortError, a closed pipe
  // only closes the interface. Either is the person saying no.
  const closed = new Promise<undefined>((resolve) => readline.once('close', () => resolve(undefined)));
  const asked = readline.question('Type "real" to go on against the real vCR: ').catch((error: Error) => {
    if (error.name !== 'AbortError') throw error;
    return undefined;
  });
  try {
    const answer = await Promise.race([asked, closed]);
    if (answer === undefined) options.output.write('\n');
    return answer?.trim() === 'real';
  } finally {
    readline.close();
  }
}

/**
 * Reads the real vCR's credentials (from the Secrets Manager secret SECRET_ID names, with the real client unless
 * `secretsManager` is given, or from the environment) and URLs as the variables the bot takes; Slack's are left out.
 */
export async function readRealVcrEnv(
  env: Record<string, string | undefined>,
  options: { secretsManager?: SecretsManagerClient } = {},
): Promise<RealVcrEnv> {
  const config = loadConfig(realVcrConfigEnv(env));
  const credentials = await createSecretsSource({ config, client: options.secretsManager }).get();
  return withoutEmpty({
    VCR_CLIENT_ID: credentials.vcrClientId,
    VCR_CLIENT_SECRET: credentials.vcrClientSecret,
    VCR_ACCESS_TOKEN: credentials.vcrAccessToken,
    VCR_API_URL: config.vcr.apiUrl,
    VCR_IAM_URL: config.vcr.iamUrl,
  });
}

// The vCR and AWS part of the environment; the Slack part is the console's own, so placeholders satisfy the loader
// when the credentials come from the environment rather than the secret.
function realVcrConfigEnv(env: Record<string, string | undefined>): Record<string, string | undefined> {
  const keep = Object.entries(env).filter(([name]) => /^(VCR_|AWS_|SECRET_)/.test(name));
  return { ...Object.fromEntries(keep), SLACK_SIGNING_SECRET: 'console', SLACK_BOT_TOKEN: 'console' };
}

function withoutEmpty(values: Record<string, string | undefined>): RealVcrEnv {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined && value !== ''));
}
