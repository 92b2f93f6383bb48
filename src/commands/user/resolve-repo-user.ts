/** Finds the one repository user (robot account) a user means, by name, backend name or id. */
import { UserError } from '../../errors';
import type { VcrReads } from '../../vcr/client';
import { collect, paginate } from '../../vcr/paginate';
import type { RepoUser } from '../../vcr/types';
import { findByRef, looksLikeId } from '../find-by-ref';
import type { ResolveOptions } from '../repository/resolve-repository';

// vCR has no get-user-by-id, so an id without its name is found by walking the whole list; this bounds that walk.
const maxCandidates = 2000;

/** Options of `resolveRepoUser`. */
export interface ResolveRepoUserOptions extends ResolveOptions {
  /**
   * The name of the user whose id `ref` is, when it came with the id (a button, a picker): the id is then looked for
   * among the users that name lists, in one filtered read instead of a walk over every user.
   */
  name?: string;
}

/**
 * Returns the repository user whose `name`, `backendName` or `uuid` is exactly `ref` (only its `uuid` when `name` is
 * given); throws `UserError` when none or several match.
 */
export async function resolveRepoUser(
  client: Pick<VcrReads, 'users'>,
  ref: string,
  options: ResolveRepoUserOptions = {},
): Promise<RepoUser> {
  const wanted = ref.trim();
  if (wanted === '') throw new UserError('Name a repository user: its name, backend name or id.');
  const name = options.name?.trim() || undefined;
  const command = options.slashCommand ?? '/vcr';

  const search = (filter: string) =>
    collect(
      paginate((page, size) => client.users.list({ name: filter, page, size }), {
        pageSize: 100,
        maxItems: maxCandidates,
      }),
    );
  const byId = async (filter: string) => {
    const candidates = await search(filter);
    return { matches: candidates.filter((user) => user.uuid === wanted), cut: candidates.length >= maxCandidates };
  };

  if (name !== undefined || looksLikeId(wanted)) {
    // User names are too short to hold a UUID, and ids are no list filter: without its name, an id is matched over
    // every user, as far as the walk goes.
    const { matches, cut } = await byId(name ?? '');
    const [user] = matches;
    if (user) return user;
    if (name !== undefined) {
      throw new UserError(
        `No repository user with id \`${wanted}\` (it was named \`${name}\`); it may have been deleted. Try \`${command} users ${name}\`.`,
      );
    }
    const scope = cut ? ` among the first ${maxCandidates} users vCR lists` : '';
    throw new UserError(`No repository user with id \`${wanted}\`${scope}. Try \`${command} users\`, or name it.`);
  }

  const matches = await findByRef(wanted, search);
  if (matches.length === 1) return matches[0]!;
  if (matches.length === 0) {
    throw new UserError(`No repository user named \`${wanted}\`. Try \`${command} users ${wanted}\`.`);
  }
  const listed = matches.map((user) => `\`${user.name}\` (\`${user.backendName}\`, id \`${user.uuid}\`)`).join(', ');
  throw new UserError(`\`${wanted}\` matches ${matches.length} repository users: ${listed}. Use the id instead.`);
}
