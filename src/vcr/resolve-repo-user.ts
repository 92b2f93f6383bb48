/** Finds the one repository user (robot account) a user means, by name, backend name or id. */
import { UserError } from '../errors';
import type { VcrClient } from './client';
import { findByRef, looksLikeId } from './find-by-ref';
import { collect, paginate } from './paginate';
import type { ResolveOptions } from './resolve-repository';
import type { RepoUser } from './types';

// vCR has no get-user-by-id, so an id is found by walking the whole list; this bounds that walk.
const maxCandidates = 2000;

/**
 * Returns the repository user whose `name`, `backendName` or `uuid` is exactly `ref`; throws `UserError` when none or
 * several match.
 */
export async function resolveRepoUser(
  client: Pick<VcrClient, 'users'>,
  ref: string,
  options: ResolveOptions = {},
): Promise<RepoUser> {
  const wanted = ref.trim();
  if (wanted === '') throw new UserError('Name a repository user: its name, backend name or id.');

  const search = (filter: string) =>
    collect(
      paginate((page, size) => client.users.list({ name: filter, page, size }), {
        pageSize: 100,
        maxItems: maxCandidates,
      }),
    );
  // User names are too short to hold a UUID, and ids are no list filter: an id-shaped ref is matched over all users.
  const matches = looksLikeId(wanted)
    ? (await search('')).filter((user) => user.uuid === wanted)
    : await findByRef(wanted, search);

  if (matches.length === 1) return matches[0]!;
  if (matches.length === 0) {
    throw new UserError(
      `No repository user named \`${wanted}\`. Try \`${options.slashCommand ?? '/vcr'} users ${wanted}\`.`,
    );
  }
  const listed = matches.map((user) => `\`${user.name}\` (\`${user.backendName}\`, id \`${user.uuid}\`)`).join(', ');
  throw new UserError(`\`${wanted}\` matches ${matches.length} repository users: ${listed}. Use the id instead.`);
}
