/** The query behind the repository picker, kept free of Slack so the options listener only bounds and renders it. */
import type { VcrReads } from '../../vcr/client';

/** One choice of the repository picker: the repository's id as the value, its name as the text. */
export interface RepositoryOption {
  value: string;
  text: string;
}

/**
 * Lists at most `limit` repositories whose name matches what the user `typed` (every repository when it is blank),
 * with one vCR list call.
 */
export async function searchRepositoryOptions(
  vcr: VcrReads,
  typed: string | undefined,
  limit: number,
): Promise<RepositoryOption[]> {
  const name = typed?.trim();
  const page = await vcr.repositories.list({ page: 1, size: limit, ...(name ? { name } : {}) });
  return (page.listData ?? []).map((repository) => ({ value: repository.uuid, text: repository.name }));
}
