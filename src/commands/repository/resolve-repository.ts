/** Finds the one repository a user means, by display name, backend name or id. */
import { UserError } from '../../errors';
import type { VcrReads } from '../../vcr/client';
import { VcrApiError } from '../../vcr/errors';
import { collect, paginate } from '../../vcr/paginate';
import type { Repository } from '../../vcr/types';
import { findByRef, looksLikeId } from '../find-by-ref';

/** Options shared by the resolvers. */
export interface ResolveOptions {
  /** The slash command named in hints; `/vcr` by default. */
  slashCommand?: string;
}

// The name filter is treated as a substring match (docs/vcr-api.md#still-unknown); this bounds one search.
const maxCandidates = 500;

/**
 * Returns the repository whose `name`, `backendName` or `uuid` is `ref` (exactly, else ignoring case); throws
 * `UserError` when none or several match.
 */
export async function resolveRepository(
  client: Pick<VcrReads, 'repositories'>,
  ref: string,
  options: ResolveOptions = {},
): Promise<Repository> {
  const wanted = ref.trim();
  if (wanted === '') throw new UserError('Name a repository: its name, backend name or id.');
  const missing = () =>
    new UserError(`No repository named \`${wanted}\`. Try \`${options.slashCommand ?? '/vcr'} repos ${wanted}\`.`);

  // Display names are too short to hold a UUID, so an id-shaped ref is looked up directly and never searched.
  if (looksLikeId(wanted)) {
    const byId = await getIfPresent(client, wanted);
    if (!byId) throw missing();
    return byId;
  }

  // Repository names are lower case only (docs/vcr-api.md#naming-rules): a filter sent in lower case finds
  // `PAYMENTS-API` whether vCR's filter ignores case or not.
  const matches = await findByRef(wanted, (filter) =>
    collect(
      paginate((page, size) => client.repositories.list({ name: filter.toLowerCase(), page, size }), {
        pageSize: 100,
        maxItems: maxCandidates,
      }),
    ),
  );
  if (matches.length === 1) return matches[0]!;
  if (matches.length === 0) throw missing();
  const listed = matches.map((repo) => `\`${repo.name}\` (\`${repo.backendName}\`, id \`${repo.uuid}\`)`).join(', ');
  throw new UserError(`\`${wanted}\` matches ${matches.length} repositories: ${listed}. Use the id instead.`);
}

async function getIfPresent(client: Pick<VcrReads, 'repositories'>, repoId: string): Promise<Repository | undefined> {
  try {
    const repository = await client.repositories.get(repoId);
    return repository?.uuid === repoId ? repository : undefined;
  } catch (error) {
    if (error instanceof VcrApiError && error.notFound) return undefined;
    throw error;
  }
}
