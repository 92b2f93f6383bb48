/** `repo quota REPO GB`: changes a repository's quota, refusing a decrease below what it already uses. */

import { UserError } from '../../errors';
import { mention, rich } from '../../rich-text';
import { parsePositionals } from '../args';
import type { Args, CommandSpec } from '../command';
import { commandIds } from '../command-ids';
import { bytesPerGb, formatBytes } from '../format';
import { parseQuotaGb, quotaUnitPattern } from '../naming';
import type { Form, Reply } from '../reply';
import { rethrowAsUserError } from '../rethrow-as-user-error';
import { repoOf } from './repository-args';
import { repositoryUsage } from './repository-fields';
import { resolveRepository } from './resolve-repository';

/** Sets a repository's quota in GB; without `gb` (the card's button) it opens a form prefilled with the current one. */
export const changeRepositoryQuota: CommandSpec = {
  id: commandIds.repoQuota,
  words: ['repo', 'quota'],
  usage: 'repo quota REPO GB',
  details: ['GB is a whole number, with or without its unit: `30`, `30GB` and `30 GB` are the same.'],
  summary: 'Changes the quota of a repository, in GB; it cannot go below what is used.',
  role: 'operator',
  kind: 'change',
  // A lost answer is settled by reading the quota back: it is either the one asked for or not.
  settle: async (ctx, operation) => {
    const repo = await resolveRepository(ctx.vcr, repoOf(operation.args), { slashCommand: ctx.slashCommand });
    return repo.quotaLimit === operation.args.gb ? 'done' : 'not_done';
  },
  parse: (input) => {
    // `30 GB` is two words; a unit word after the number is taken with it.
    const [repo, gb, unit] = parsePositionals(input, ['REPO', 'GB'], ['unit']);
    if (unit !== undefined && !quotaUnitPattern.test(unit)) throw new UserError(`Unexpected word \`${unit}\`.`);
    return { repo, gb: gbOf(unit === undefined ? gb : `${gb}${unit}`) };
  },
  validate: (args) => {
    const gb = args.gb === undefined || args.gb === '' ? {} : { gb: gbOf(args.gb) };
    return { ...args, repo: repoOf(args), gb: undefined, ...gb };
  },
  form: async (ctx, args) => {
    if (args.gb !== undefined) return undefined;
    // A bounded read for the prefill: the repository by id (as the card's button sends), else one name search.
    const repo = await resolveRepository(ctx.vcr, repoOf(args));
    return quotaForm(repo.uuid, repo.name, repo.quotaLimit, Number(repo.quotaUsed));
  },
  run: async (ctx, args): Promise<Reply> => {
    if (typeof args.gb !== 'number') {
      throw new UserError(`Give the new quota: \`${ctx.slashCommand} repo quota REPO GB\`.`, { field: 'gb' });
    }
    const gb = args.gb;
    // Read first: the usage is needed to refuse a decrease with the numbers, before vCR is asked to change anything.
    const repo = await resolveRepository(ctx.vcr, repoOf(args), { slashCommand: ctx.slashCommand });
    ctx.noteTarget?.({ repoId: repo.uuid, repoName: repo.name });
    const previous = repo.quotaLimit;
    if (gb === previous) {
      const text = `The quota of \`${repo.name}\` is already ${gb} GB; nothing changed.`;
      return {
        text,
        parts: [
          { type: 'text', text },
          { type: 'context', text: `Usage: ${repositoryUsage(repo)}` },
        ],
      };
    }
    const used = Number(repo.quotaUsed);
    if (Number.isFinite(used) && used > gb * bytesPerGb) {
      throw new UserError(
        `Cannot set the quota of \`${repo.name}\` to ${gb} GB: it already uses ${formatBytes(used)} (${used} bytes), ` +
          `more than ${gb} GB. The smallest quota that fits is ${smallestQuota(used)} GB; delete images to go lower.`,
        { field: 'gb' },
      );
    }
    let updated: Awaited<ReturnType<typeof ctx.vcr.repositories.updateQuota>>;
    try {
      updated = await ctx.vcr.repositories.updateQuota(repo.uuid, gb);
    } catch (error) {
      rethrowAsUserError(error, `set the quota of \`${repo.name}\` to ${gb} GB`);
    }
    // The answer is documented as the Repository; fall back to what was read, with the new limit.
    const after = updated?.uuid ? updated : { ...repo, quotaLimit: gb };
    const text = `Quota of \`${repo.name}\`: ${previous} GB → ${after.quotaLimit} GB.`;
    return {
      text,
      parts: [
        { type: 'text', text },
        { type: 'context', text: `Usage: ${repositoryUsage(after)}` },
      ],
      notify: rich`${mention(ctx.actor.userId)} set the quota of \`${repo.name}\` to ${gb} GB (was ${previous} GB)`,
    };
  },
};

function gbOf(value: Args[string]): number {
  return parseQuotaGb(value, 'The quota in GB', 'gb');
}

function smallestQuota(usedBytes: number): number {
  return Math.max(1, Math.ceil(usedBytes / bytesPerGb));
}

function quotaForm(repoId: string, name: string, quotaLimit: number, usedBytes: number): Form {
  const used = Number.isFinite(usedBytes)
    ? `It uses ${formatBytes(usedBytes)}, so at least ${smallestQuota(usedBytes)} GB.`
    : '';
  return {
    title: 'Change quota',
    submit: 'Save',
    command: commandIds.repoQuota,
    fixedArgs: { repo: repoId },
    fields: [
      {
        kind: 'number',
        name: 'gb',
        label: `Quota of ${name} (GB)`,
        initial: quotaLimit,
        min: 1,
        ...(used ? { hint: used } : {}),
      },
    ],
  };
}
