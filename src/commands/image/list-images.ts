/** `images REPO [FILTER]`: one page of a repository's images with artifacts, pulls and last update. */

import { filterOf, pageOf, parsePositionals, pastEnd, validatePagedRead } from '../args';
import type { CommandSpec } from '../command';
import { commandIds } from '../command-ids';
import { formatDate, truncate } from '../format';
import { pagerParts, readPage } from '../list-page';
import type { Reply } from '../reply';
import { repoOf } from '../repository/repository-args';
import { resolveRepository } from '../repository/resolve-repository';
import { counted } from './artifact-fields';

/** Lists the images of one repository, ten per page (one vCR call per page), each with a button to its tags. */
export const listImages: CommandSpec = {
  id: commandIds.imagesList,
  words: ['images'],
  usage: 'images REPO [FILTER]',
  summary: 'Lists the images of a repository: name, artifacts, pulls, last update.',
  details: ['FILTER keeps images whose name contains it, ignoring case.'],
  role: 'viewer',
  kind: 'read',
  paged: true,
  parse: (input) => {
    const [repo, filter] = parsePositionals(input, ['REPO'], ['FILTER']);
    return filter === undefined ? { repo } : { repo, filter };
  },
  validate: (args) => ({ ...validatePagedRead(args), repo: repoOf(args) }),
  run: async (ctx, args): Promise<Reply> => {
    const filter = filterOf(args);
    const page = pageOf(args);
    const repo = await resolveRepository(ctx.vcr, repoOf(args), { slashCommand: ctx.slashCommand });
    // Docker image names are lower case only, so lowering the filter keeps it case-insensitive whatever vCR does.
    const shown = await readPage(
      (at, size) => ctx.vcr.images.list(repo.uuid, { name: filter?.toLowerCase() ?? '', page: at, size }),
      page,
    );
    const images = shown.items;
    let empty = filter
      ? `No image name in \`${repo.name}\` contains \`${filter}\`.`
      : `\`${repo.name}\` has no images yet.`;
    if (shown.totalItem > 0) empty = pastEnd(shown.page, shown.totalPage);
    return {
      text: `Images in ${repo.name}${filter ? ` matching ${filter}` : ''}: ${shown.totalItem}`,
      parts: [
        {
          type: 'header',
          text: truncate(`Images in ${repo.name}${filter ? ` matching "${filter}"` : ''}`, 150),
        },
        {
          type: 'list',
          empty,
          items: images.map((image) => ({
            title: `*${image.name}*`,
            lines: [
              `${counted(image.artifactCount, 'artifact')} · ${counted(image.pullCount, 'pull')} · updated ${formatDate(image.updateTime, 'unknown')}`,
            ],
            action: {
              label: 'Tags',
              invocation: { command: commandIds.tagsList, args: { ref: `${repo.uuid}/${image.name}` } },
            },
          })),
        },
        ...pagerParts(shown, {
          command: commandIds.imagesList,
          args: filter ? { repo: repo.uuid, filter } : { repo: repo.uuid },
        }),
      ],
    };
  },
};
