/**
 * `audit [REPO|USER] [--page N]`: the bot's own record of every outcome of every change, newest first, ten a page,
 * read from the records table with a Query (docs/decisions/0016-audit-and-freeze.md). `repo history` stays vCR's view.
 */
import { UserError } from '../../errors';
import { joinRich, mention, type RichText, rich } from '../../rich-text';
import type { AuditRecord } from '../../store/audit-store';
import { listPageSize, pageOf, parsePositionals } from '../args';
import type { CommandSpec, ReadContext } from '../command';
import { commandIds } from '../command-ids';
import { looksLikeId } from '../find-by-ref';
import { shortDigest, slackDate, truncate } from '../format';
import type { ListItem, Part, Reply } from '../reply';
import { resolveRepository } from '../repository/resolve-repository';
import { resolveRepoUser } from '../user/resolve-repo-user';

const outcomeWords: Record<AuditRecord['outcome'], string> = {
  done: '✅ done',
  failed: '❌ failed',
  partial: '⚠️ failed part-way',
  outcome_unknown: '❔ outcome unknown',
  cancelled: '↩️ cancelled',
  expired: '⌛ expired',
  rejected: '🚫 rejected',
  refused: '⛔ refused',
};

/** Lists audit records, all of them or those of one repository or repository user. */
export const listAudit: CommandSpec = {
  id: commandIds.audit,
  words: ['audit'],
  usage: 'audit [REPO|USER]',
  summary: "Shows the bot's record of every change and refusal, newest first, of everything or of one target.",
  details: [
    'Every outcome is recorded: done, failed, failed part-way, outcome unknown, cancelled, expired, rejected, refused.',
    'A repository or user that was deleted is found by its id.',
  ],
  role: 'viewer',
  kind: 'read',
  paged: true,
  parse: (input) => {
    const [target] = parsePositionals(input, [], ['REPO|USER']);
    return target === undefined ? {} : { target };
  },
  validate: (args) => {
    if (args.target !== undefined && typeof args.target !== 'string') {
      throw new UserError('Name a repository or a repository user.', { field: 'target' });
    }
    return { ...args, ...(args.page === undefined ? {} : { page: pageOf(args) }) };
  },
  run: async (ctx, args) => {
    const page = pageOf(args);
    const wanted = typeof args.target === 'string' ? args.target.trim() : '';
    const target = wanted === '' ? undefined : await resolveTarget(ctx, wanted);
    const { records, more } = await ctx.auditLog.list({ targetKey: target?.key, page, size: listPageSize });
    const title = target ? `Audit of ${target.label}` : 'Audit';
    const empty =
      page > 1
        ? `Page ${page} is past the end.`
        : target
          ? `Nothing recorded for ${target.label} yet.`
          : 'Nothing recorded yet.';
    const pager: Part[] = [];
    const buttons = [
      ...(page > 1 ? [{ label: 'Newer', args: { page: page - 1 } }] : []),
      ...(more ? [{ label: 'Older', args: { page: page + 1 } }] : []),
    ];
    if (buttons.length > 0) {
      pager.push({
        type: 'actions',
        actions: buttons.map((button) => ({
          label: button.label,
          invocation: { command: commandIds.audit, args: { ...(wanted ? { target: wanted } : {}), ...button.args } },
        })),
      });
    }
    const reply: Reply = {
      text: `${title}: page ${page}`,
      parts: [
        { type: 'header', text: truncate(title, 150) },
        { type: 'list', empty, items: records.map(auditItem) },
        {
          type: 'context',
          text: `Page ${page}, newest first. \`${ctx.slashCommand} repo history REPO\` shows vCR's own log.`,
        },
        ...pager,
      ],
    };
    return reply;
  },
};

/** The `byTarget` partition of what `wanted` names: a repository first, else a repository user. */
async function resolveTarget(ctx: ReadContext, wanted: string): Promise<{ key: string; label: string }> {
  const options = { slashCommand: ctx.slashCommand };
  try {
    const repo = await resolveRepository(ctx.vcr, wanted, options);
    return { key: `repo#${repo.uuid}`, label: `repository ${repo.name}` };
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
  }
  try {
    const user = await resolveRepoUser(ctx.vcr, wanted, options);
    return { key: `user#${user.uuid}`, label: `repository user ${user.name}` };
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
  }
  // Gone from vCR (deleted), but its records stay: an id still finds them, as a repository's or else a user's.
  if (looksLikeId(wanted)) {
    const asRepo = await ctx.auditLog.list({ targetKey: `repo#${wanted}`, page: 1, size: 1 });
    return asRepo.records.length > 0
      ? { key: `repo#${wanted}`, label: `repository ${wanted}` }
      : { key: `user#${wanted}`, label: `repository user ${wanted}` };
  }
  throw new UserError(`No repository or repository user named \`${wanted}\`.`, {
    hint: `A deleted one is found by its id. Try \`${ctx.slashCommand} repos\` or \`${ctx.slashCommand} users\`.`,
  });
}

/**
 * The stored line (plain text, its mentions written `@U…`) with the mentions of the record's own people made real
 * again: only ids the record names in its fields become markup, so nothing else in the text ever does.
 */
function withMentions(line: string, people: readonly (string | undefined)[]): RichText {
  // Slack ids are letters and digits; anything else is never matched, so the pattern needs no escaping.
  const ids = [...new Set(people.filter((id): id is string => typeof id === 'string' && /^[A-Za-z0-9]+$/.test(id)))];
  if (ids.length === 0) return line;
  const pattern = new RegExp(`@(${ids.join('|')})(?![A-Za-z0-9])`, 'g');
  const segments: RichText[] = [];
  let at = 0;
  for (const match of line.matchAll(pattern)) {
    segments.push(line.slice(at, match.index), rich`${mention(match[1]!)}`);
    at = match.index! + match[0].length;
  }
  segments.push(line.slice(at));
  return joinRich(segments, '');
}

function auditItem(record: AuditRecord): ListItem {
  const when = slackDate(record.at);
  const title: RichText = rich`${outcomeWords[record.outcome] ?? record.outcome}: ${record.summary}`;
  const line = record.line ? [withMentions(truncate(record.line, 300), [record.requestedBy, record.decidedBy])] : [];
  const by: RichText =
    record.decidedBy && record.decidedBy !== record.requestedBy
      ? rich`${when} · asked by ${mention(record.requestedBy)}, decided by ${mention(record.decidedBy)}`
      : rich`${when} · by ${mention(record.requestedBy)}`;
  const lines: RichText[] = [...line, by];
  const target = targetLine(record);
  if (target) lines.push(target);
  // A line that already gives the reason (a refusal's) is not repeated.
  if (record.reason && !record.line?.includes(record.reason)) lines.push(`Why: ${truncate(record.reason, 300)}`);
  if (record.vcr?.status !== undefined)
    lines.push(`vCR said ${record.vcr.status}${record.vcr.message ? `: ${truncate(record.vcr.message, 200)}` : ''}`);
  if (record.partial) {
    lines.push(`Done before it stopped: ${truncate(record.partial.changed.join(', '), 300)}`);
    lines.push(`Still there: ${truncate(record.partial.unchanged.join(', ') || 'nothing', 300)}`);
  }
  lines.push(
    `\`${record.command}\` · request \`${record.requestId}\`${record.planHash ? ` · plan \`${record.planHash}\`` : ''}`,
  );
  return { title, lines };
}

function targetLine(record: AuditRecord): string | undefined {
  const target = record.target;
  if (!target) return undefined;
  const parts = [
    target.repoName ? `repository ${target.repoName}` : target.repoId ? `repository ${target.repoId}` : undefined,
    target.imageName ? `image ${target.imageName}` : undefined,
    target.digest ? `digest ${shortDigest(target.digest)}` : undefined,
    target.userName ? `user ${target.userName}` : target.repoUserId ? `user ${target.repoUserId}` : undefined,
  ].filter((part) => part !== undefined);
  return parts.length > 0 ? `On ${parts.join(', ')}` : undefined;
}
