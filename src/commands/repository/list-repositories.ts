/** `repos [FILTER]`: one page of repositories with access, usage against quota and image count. */

import { pageOf, parseFilterWord, pastEnd, validatePagedRead } from '../args';
import type { CommandSpec } from '../command';
import { commandIds } from '../command-ids';
import { truncate } from '../format';
import { counted } from '../image/artifact-fields';
import { pagerParts, readPageByName } from '../list-page';
import type { Reply } from '../reply';
import { repositoryAccess, repositoryUsage } from './repository-fields';

/** Lists repositories whose name contains a filter, by name, ten per page, each with a button opening its card. */
export const listRepositories: CommandSpec = {
  id: commandIds.reposList,
  words: ['repos'],
  usage: 'repos [FILTER]',
  summary: 'Lists repositories by name: backend name, access, usage against quota, images.',
  details: ['FILTER keeps repositories whose name contains it, ignoring case.'],
  role: 'viewer',
  kind: 'read',
  paged: true,
  parse: parseFilterWord,
  validate: validatePagedRead,
  run: async (ctx, args): Promise<Reply> => {
    const filter = typeof args.filter === 'string' ? args.filter : undefined;
    const page = pageOf(args);
    // Repository names are lower case only, so lowering the filter keeps the match case-insensitive even if
    // vCR's own filter is case-sensitive (docs/vcr-api.md#still-unknown).
    // Listed by name, as `repo users` lists users; vCR's own order is newest first.
    const shown = await readPageByName(
      (at, size) => ctx.vcr.repositories.list({ name: filter?.toLowerCase(), page: at, size }),
      page,
    );
    const repositories = shown.items;
    const title = filter ? `Repositories matching \`${filter}\`` : 'Repositories';
    let empty = filter ? `No repository name contains \`${filter}\`.` : 'There are no repositories yet.';
    if (shown.totalItem > 0) empty = pastEnd(shown.page, shown.totalPage);
    return {
      text: `${title}: ${shown.orderedOf ?? shown.totalItem}`,
      parts: [
        { type: 'header', text: filter ? `Repositories matching "${truncate(filter, 100)}"` : 'Repositories' },
        {
          type: 'list',
          empty,
          items: repositories.map((repo) => ({
            title: `*${repo.name}* \`${repo.backendName}\``,
            lines: [
              `${repositoryAccess(repo)} · ${counted(repo.imageCount, 'image')}`,
              `Usage: ${repositoryUsage(repo)}`,
            ],
            action: { label: 'Open', invocation: { command: commandIds.repoShow, args: { repo: repo.uuid } } },
          })),
        },
        ...pagerParts(shown, { command: commandIds.reposList, args: filter ? { filter } : {} }),
      ],
    };
  },
};
