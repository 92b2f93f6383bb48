/** `repo users REPO`: the repository users attached to a repository, with their access there. */

import { pageOf, pastEnd } from '../args';
import type { CommandSpec } from '../command';
import { commandIds } from '../command-ids';
import { pagerParts, readPage } from '../list-page';
import type { Reply } from '../reply';
import { userArgs } from '../user/user-args';
import { userStatusLine } from '../user/user-fields';
import { accessText } from '../user/user-grants';
import { repoUserAccess } from './repo-user-access';
import { parseRepositoryRef, repoOf, validateRepositoryRead } from './repository-args';
import { resolveRepository } from './resolve-repository';

/** Lists the users attached to a repository, ten per page, with their access on it and a button opening each. */
export const listRepositoryUsers: CommandSpec = {
  id: commandIds.repoUsers,
  words: ['repo', 'users'],
  usage: 'repo users REPO',
  summary: 'Lists the repository users attached to a repository, with their access on it.',
  role: 'viewer',
  kind: 'read',
  paged: true,
  parse: parseRepositoryRef,
  validate: validateRepositoryRead,
  run: async (ctx, args): Promise<Reply> => {
    const repo = await resolveRepository(ctx.vcr, repoOf(args), { slashCommand: ctx.slashCommand });
    const page = pageOf(args);
    const shown = await readPage((at, size) => ctx.vcr.repositories.listUsers(repo.uuid, { page: at, size }), page);
    const users = shown.items;
    const now = ctx.now();
    const empty =
      shown.totalItem > 0
        ? pastEnd(shown.page, shown.totalPage)
        : `No user is attached to \`${repo.name}\`. Grant access with \`${ctx.slashCommand} repo attach ${repo.name} USER pull|push\`.`;
    return {
      text: `Users of ${repo.name}: ${shown.totalItem}`,
      parts: [
        { type: 'header', text: `Users of ${repo.name}` },
        {
          type: 'list',
          empty,
          items: users.map((user) => ({
            title: `*${user.name}* \`${user.backendName}\``,
            // The same status words as the `users` list, so an expired user reads as expired in both.
            lines: [`Access here: ${accessText[repoUserAccess(user, repo.uuid).access]}`, userStatusLine(user, now)],
            action: { label: 'Open', invocation: { command: commandIds.userShow, args: userArgs(user) } },
          })),
        },
        ...pagerParts(shown, { command: commandIds.repoUsers, args: { repo: repo.uuid } }),
      ],
    };
  },
};
