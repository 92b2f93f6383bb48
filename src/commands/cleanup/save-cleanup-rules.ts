/**
 * `cleanup REPO --save [rules]`: saves a repository's default cleanup rules, which `cleanup REPO` uses when no rule
 * is typed and the watcher plans from weekly; it never deletes anything (docs/decisions/0019-cleanup-plans.md).
 */
import { UserError } from '../../errors';
import { mention, rich } from '../../rich-text';
import type { ChangeSpec } from '../command';
import { commandIds } from '../command-ids';
import { resolveRepository } from '../repository/resolve-repository';
import { cleanupFlags, hasRemovalRule, parseCleanupWords, ruleFlagsText, rulesOf, rulesText } from './cleanup-args';

/** Saves the default cleanup rules of one repository. */
export const saveCleanupRules: ChangeSpec = {
  id: commandIds.cleanupSave,
  words: ['cleanup'],
  selectedBy: 'save',
  usage: 'cleanup REPO --save [--keep N] [--untagged-older DAYS] [--unpulled DAYS] [--protect PATTERN,…]',
  summary: "Saves a repository's default cleanup rules; the watcher then posts a weekly plan, and never deletes.",
  details: ['`cleanup REPO` with no rule then plans with these. Saving again replaces them.'],
  role: 'operator',
  kind: 'change',
  flags: { ...cleanupFlags, save: 'boolean' },
  parse: (input) => {
    const { image, ...args } = parseCleanupWords(input);
    if (image !== undefined) {
      throw new UserError('Cleanup rules are saved for a whole repository: leave out IMAGE.', { field: 'image' });
    }
    return args;
  },
  validate: (args) => {
    const rules = rulesOf(args);
    if (!hasRemovalRule(rules)) {
      throw new UserError(`Say which rules to save: ${ruleFlagsText}.`);
    }
    return { repo: typeof args.repo === 'string' ? args.repo.trim() : '', ...rules };
  },
  run: async (ctx, args) => {
    const repo = await resolveRepository(ctx.vcr, String(args.repo), { slashCommand: ctx.slashCommand });
    ctx.noteTarget?.({ repoId: repo.uuid, repoName: repo.name });
    const rules = rulesOf(args);
    await ctx.cleanup.rules.save({
      repoId: repo.uuid,
      repoName: repo.name,
      rules,
      savedBy: ctx.actor.userId,
      savedAt: ctx.now(),
    });
    const shown = rulesText({ ...rules, protect: rules.protect ?? [...ctx.cleanup.protect] });
    const text = `Saved the cleanup rules of \`${repo.name}\`: ${shown}. \`${ctx.slashCommand} cleanup ${repo.name}\` plans with them, and the weekly plan is posted for approval; nothing is ever deleted without one.`;
    return {
      text,
      parts: [{ type: 'text', text }],
      notify: rich`${mention(ctx.actor.userId)} saved the cleanup rules of \`${repo.name}\`: ${shown}`,
    };
  },
};
