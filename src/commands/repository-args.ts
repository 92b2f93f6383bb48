/** Reading the words and args the repository commands share: positionals, the repository named, the page asked. */
import { UserError } from '../errors';
import { parsePositiveInt } from './args';
import type { Args, ParsedArgs } from './command';

/** The page size every repository list asks vCR for; Slack lists stay readable at ten rows (slack-limits.md). */
export const repositoryPageSize = 10;

/**
 * Returns the positional words named by `required` then `optional`, in order; throws `UserError` naming the first
 * missing word or the first word too many. Never calls vCR.
 */
export function parseRepositoryWords(
  input: ParsedArgs,
  required: readonly string[],
  optional: readonly string[] = [],
): (string | undefined)[] {
  const words = input.positional;
  if (words.length < required.length) {
    throw new UserError(`Missing ${required[words.length]}.`);
  }
  const extra = words[required.length + optional.length];
  if (extra !== undefined) throw new UserError(`Unexpected word \`${extra}\`.`);
  return [...required, ...optional].map((_, index) => words[index]);
}

/** Returns `args.repo` trimmed, or throws `UserError` on the `repo` field when it is missing. */
export function repoOf(args: Args): string {
  const repo = typeof args.repo === 'string' ? args.repo.trim() : '';
  if (repo === '') throw new UserError('Name a repository: its name, backend name or id.', { field: 'repo' });
  return repo;
}

/** Returns `args.user` trimmed, or throws `UserError` on the `user` field when it is missing. */
export function repoUserOf(args: Args): string {
  const user = typeof args.user === 'string' ? args.user.trim() : '';
  if (user === '') throw new UserError('Name a repository user: its name, backend name or id.', { field: 'user' });
  return user;
}

/** Returns the 1-based page asked for, 1 when none was. */
export function pageOf(args: Args): number {
  if (args.page === undefined) return 1;
  return parsePositiveInt(Array.isArray(args.page) ? args.page.join(' ') : args.page, 'The page', 'page');
}

/** Re-checks the args every paged repository read takes (`repo`, `page`, `share`) and normalizes them. */
export function validateRepositoryRead(args: Args): Args {
  const page = args.page === undefined ? {} : { page: pageOf(args) };
  return { ...args, repo: repoOf(args), ...page };
}

/** Says that a page past the last one was asked for, and how many pages there are. */
export function pastEnd(page: number, totalPage: number): string {
  return `Page ${page} is past the end: there ${totalPage === 1 ? 'is 1 page' : `are ${totalPage} pages`}.`;
}
