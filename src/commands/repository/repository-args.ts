/** Reading the words and args the repository commands share: the repository named, and the page of a read. */
import { UserError } from '../../errors';
import { pageOf, parsePositionals } from '../args';
import type { Args, ParsedArgs } from '../command';

/** Parses the one word of a command that only names a repository, e.g. `repo history REPO`. */
export function parseRepositoryRef(input: ParsedArgs): Args {
  const [repo] = parsePositionals(input, ['REPO']);
  return { repo };
}

/** Returns `args.repo` trimmed, or throws `UserError` on the `repo` field when it is missing. */
export function repoOf(args: Args): string {
  const repo = typeof args.repo === 'string' ? args.repo.trim() : '';
  if (repo === '') throw new UserError('Name a repository: its name, backend name or id.', { field: 'repo' });
  return repo;
}

/** Re-checks the args every paged repository read takes (`repo`, `page`, `share`) and normalizes them. */
export function validateRepositoryRead(args: Args): Args {
  const page = args.page === undefined ? {} : { page: pageOf(args) };
  return { ...args, repo: repoOf(args), ...page };
}
