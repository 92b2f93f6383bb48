/** `ping`: checks Slack, the IAM token and one vCR call, each on its own, and says which failed and why. */

import { type RichText, rich } from '../../rich-text';
import { parseNoWords } from '../args';
import type { CommandSpec, ReadContext } from '../command';
import { commandIds } from '../command-ids';
import { truncate } from '../format';
import type { Reply } from '../reply';
import { freezeText } from './freeze-text';

/** One connection the bot depends on, and how to check it. */
interface Check {
  name: string;
  /** Resolves with a short fact on success; throws when this part is down. */
  run(ctx: ReadContext): Promise<string>;
}

/** What one check found. */
interface CheckResult {
  name: string;
  ok: boolean;
  ms: number;
  detail: string;
}

// Each check has its own deadline so one hung connection cannot hide the others' answers or hold the job.
const checkDeadlineMs = 10_000;
// Long enough for a failure that names the setting to fix and where it lives (a secret's ARN is ~80 characters).
const maxDetail = 400;

const checks: Check[] = [
  {
    name: 'Slack',
    run: async (ctx) => {
      await ctx.health.slack();
      return 'the bot token works';
    },
  },
  {
    name: 'IAM token',
    run: async (ctx) => {
      await ctx.health.iam();
      return 'a vCR token was obtained';
    },
  },
  {
    name: 'vCR',
    run: async (ctx) => {
      // The smallest real call: one repository, so the answer stays tiny however many there are.
      const page = await ctx.vcr.repositories.list({ page: 1, size: 1 });
      return `answered a repository list (${page.totalItem ?? '?'} in all)`;
    },
  },
];

/** Checks the bot's connections and answers one line per check with ✅ or ❌ and the time it took. */
export const ping: CommandSpec = {
  id: commandIds.ping,
  words: ['ping'],
  usage: 'ping',
  summary: 'Checks Slack, the IAM token and one vCR call, and says which failed.',
  role: 'viewer',
  kind: 'read',
  parse: parseNoWords,
  run: async (ctx): Promise<Reply> => {
    const results = await Promise.all(checks.map((check) => runCheck(ctx, check)));
    const failed = results.filter((result) => !result.ok);
    const summary =
      failed.length === 0
        ? `All ${results.length} checks passed.`
        : `${failed.length} of ${results.length} checks failed: ${failed.map((result) => result.name).join(', ')}.`;
    const lines = results.map(
      (result) => `${result.ok ? '✅' : '❌'} *${result.name}* (${result.ms} ms): ${result.detail}`,
    );
    const frozen = await freezeLine(ctx);
    return {
      text: summary,
      parts: [
        { type: 'header', text: 'Ping' },
        { type: 'text', text: lines.join('\n') },
        { type: 'context', text: summary },
        { type: 'context', text: frozen },
      ],
    };
  },
};

/** Says whether changes are frozen (docs/decisions/0016-audit-and-freeze.md). */
async function freezeLine(ctx: ReadContext): Promise<RichText> {
  try {
    const freeze = await ctx.freeze.current({ fresh: true });
    return freeze ? rich`🧊 ${freezeText(freeze, ctx.slashCommand)}` : 'Changes are not frozen.';
  } catch (error) {
    return `Whether changes are frozen could not be read: ${safeMessage(error)}`;
  }
}

async function runCheck(ctx: ReadContext, check: Check): Promise<CheckResult> {
  const started = ctx.now();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${checkDeadlineMs} ms`)), checkDeadlineMs);
  });
  try {
    const detail = await Promise.race([check.run(ctx), deadline]);
    return { name: check.name, ok: true, ms: elapsed(ctx, started), detail };
  } catch (error) {
    ctx.logger.warn('ping check failed', { check: check.name, error: error instanceof Error ? error : String(error) });
    return { name: check.name, ok: false, ms: elapsed(ctx, started), detail: safeMessage(error) };
  } finally {
    clearTimeout(timer);
  }
}

function elapsed(ctx: ReadContext, started: number): number {
  return Math.max(0, Math.round(ctx.now() - started));
}

/**
 * The error's own words on one short line. Our errors never hold secrets (src/vcr/errors.ts); anything shaped like a
 * Slack token or an HTTP credential is blanked anyway, since a third-party message could echo one.
 */
function safeMessage(error: unknown): string {
  const raw =
    error instanceof Error ? `${error.name === 'Error' ? '' : `${error.name}: `}${error.message}` : String(error);
  const line = raw
    .replace(/xox[a-z]-[A-Za-z0-9-]+/g, '[redacted]')
    .replace(/\b(Bearer|Basic)\s+\S+/gi, '$1 [redacted]')
    .replace(/\s+/g, ' ')
    .trim();
  const text = line === '' ? 'failed without a message' : line;
  return truncate(text, maxDetail);
}
