/**
 * `freeze [REASON] [--until WHEN]` and `unfreeze`: the switch that refuses every change at admission and again before
 * execution, while reads keep working (docs/decisions/0016-audit-and-freeze.md). Both run as changes, so each is an
 * operation with its audit record and its line in the audit channel.
 */
import { UserError } from '../../errors';
import { mention, rich } from '../../rich-text';
import type { Freeze } from '../../store/freeze-store';
import { parseNoWords } from '../args';
import type { AuditSink } from '../audit/audit-sink';
import type { Args, ChangeSpec } from '../command';
import { commandIds } from '../command-ids';
import { slackDate, truncate } from '../format';
import { freezeText } from './freeze-text';

const maxReason = 300;
const untilUsage =
  '`--until` takes a time such as `2026-12-24T18:00` (UTC unless it names an offset), or `2h` or `3d`.';
// A freeze of more than a year is a mistake in the unit, not a plan.
const maxFreezeMs = 366 * 24 * 60 * 60_000;

/**
 * Returns when `until` ends a freeze started at `now`, in epoch ms: `Nh`, `Nd` or `Nm` (minutes) from now, or an ISO
 * time (UTC unless it names an offset). Throws `UserError` for anything else, a past time or more than a year.
 */
export function parseUntil(until: string, now: number): number {
  const relative = /^(\d{1,4})([mhd])$/i.exec(until.trim());
  let at: number;
  if (relative) {
    const unit = { m: 60_000, h: 3_600_000, d: 86_400_000 }[relative[2]!.toLowerCase() as 'm' | 'h' | 'd'];
    at = now + Number(relative[1]) * unit;
  } else if (/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2})?(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?$/i.test(until.trim())) {
    const text = until.trim();
    const zoned = /(Z|[+-]\d{2}:\d{2})$/i.test(text) ? text : `${text.includes('T') ? text : `${text}T00:00`}Z`;
    at = Date.parse(zoned);
  } else {
    at = Number.NaN;
  }
  if (!Number.isFinite(at)) throw new UserError(`\`${truncate(until, 40)}\` is not a time. ${untilUsage}`);
  if (at <= now) throw new UserError(`\`${truncate(until, 40)}\` is already past. ${untilUsage}`);
  if (at - now > maxFreezeMs) throw new UserError('A freeze lifts itself within a year; unfreeze it by hand later.');
  return at;
}

function reasonOf(args: Args): string | undefined {
  const reason = typeof args.reason === 'string' ? args.reason.trim() : '';
  return reason === '' ? undefined : reason;
}

/** Freezes every change until `unfreeze` or the `--until` time; reads keep working. */
export const freeze: ChangeSpec = {
  id: commandIds.freeze,
  words: ['freeze'],
  usage: 'freeze [REASON] [--until 2026-12-24T18:00|2h|3d]',
  summary: 'Refuses every change (reads keep working) until `unfreeze`, or until the `--until` time.',
  details: [
    untilUsage,
    'While frozen, typed commands, buttons, forms, confirmations and approvals of changes are refused with the reason.',
  ],
  role: 'admin',
  kind: 'change',
  flags: { until: 'value' },
  parse: (input) => ({
    reason: input.positional.join(' ') || undefined,
    until: typeof input.flags.until === 'string' ? input.flags.until : undefined,
  }),
  validate: (args) => {
    const reason = reasonOf(args);
    if (reason !== undefined && reason.length > maxReason) {
      throw new UserError(`Keep the reason under ${maxReason} characters.`, { field: 'reason' });
    }
    if (args.until !== undefined) {
      if (typeof args.until !== 'string') throw new UserError(untilUsage, { field: 'until' });
      parseUntil(args.until, Date.now());
    }
    return { reason, until: args.until };
  },
  run: async (ctx, args) => {
    const now = ctx.now();
    const reason = reasonOf(args);
    const until = typeof args.until === 'string' ? parseUntil(args.until, now) : undefined;
    const frozen = { by: ctx.actor.userId, since: now, ...(reason ? { reason } : {}), ...(until ? { until } : {}) };
    await ctx.freezeStore.set(frozen);
    const lifts = until ? rich` until ${slackDate(until)}` : rich` until someone runs \`${ctx.slashCommand} unfreeze\``;
    const why = reason ? rich`: ${reason}` : '';
    const text = rich`Changes are frozen${lifts}${why}. Reads keep working.`;
    return {
      text,
      parts: [
        { type: 'text', text },
        { type: 'context', text: freezeText(frozen, ctx.slashCommand) },
      ],
      notify: rich`${mention(ctx.actor.userId)} froze every change${lifts}${why}`,
    };
  },
};

/**
 * Records and announces, once per freeze (its record id is keyed by when it was set), that a freeze set with
 * `--until` lifted itself; `at` is when a reader first found it past its time. Never rejects.
 */
export async function recordLiftedItself(
  audit: AuditSink,
  lapsed: Freeze,
  at: number,
  slashCommand: string,
): Promise<void> {
  const until = lapsed.until ?? at;
  const when = slackDate(until);
  const why = lapsed.reason ? rich` (${lapsed.reason})` : '';
  const requestId = `freeze.${lapsed.since}`;
  await audit.record(
    {
      id: `${requestId}.lifted`,
      at,
      outcome: 'done',
      command: commandIds.unfreeze,
      summary: `the freeze lifted itself at its \`${slashCommand} freeze --until\` time`,
      requestedBy: lapsed.by,
      ...(lapsed.reason ? { reason: lapsed.reason } : {}),
      requestId,
    },
    rich`The freeze lifted itself: the freeze ${mention(lapsed.by)} set${why} ended ${when}; changes work again`,
  );
}

/** Lifts the freeze. */
export const unfreeze: ChangeSpec = {
  id: commandIds.unfreeze,
  words: ['unfreeze'],
  usage: 'unfreeze',
  summary: 'Lifts a freeze: changes work again.',
  role: 'admin',
  kind: 'change',
  parse: parseNoWords,
  run: async (ctx) => {
    const lifted = await ctx.freezeStore.clear(ctx.actor.userId);
    const text = lifted
      ? rich`Changes work again; the freeze ${mention(lifted.by)} set is lifted.`
      : 'Changes were not frozen; nothing to lift.';
    return {
      text,
      parts: [{ type: 'text', text }],
      notify: lifted
        ? rich`${mention(ctx.actor.userId)} lifted the freeze ${mention(lifted.by)} set; changes work again`
        : rich`${mention(ctx.actor.userId)} ran \`${ctx.slashCommand} unfreeze\`; changes were not frozen`,
    };
  },
};
