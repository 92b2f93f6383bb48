/** `repo users REPO`: the repository users attached to a repository, with their access there. */
import { resolveRepository } from '../vcr/resolve-repository';
import type { CommandSpec } from './command';
import { formatDate } from './format';
import type { Reply } from './reply';
import { repoUserAccess } from './repo-user-access';
import {
  pageOf,
  parseRepositoryWords,
  pastEnd,
  repoOf,
  repositoryPageSize,
  validateRepositoryRead,
} from './repository-args';

const accessText = { push: 'pull and push', pull: 'pull only', none: 'no access' } as const;

/** Lists the users attached to a repository, ten per page, with their access on it and a button opening each. */
export const listRepositoryUsers: CommandSpec = {
  id: 'repo.users',
  words: ['repo', 'users'],
  usage: 'repo users REPO',
  summary: 'Lists the repository users attached to a repository, with their access on it.',
  role: 'viewer',
  kind: 'read',
  paged: true,
  parse: (input) => {
    const [repo] = parseRepositoryWords(input, ['REPO']);
    return { repo };
  },
  validate: validateRepositoryRead,
  run: async (ctx, args): Promise<Reply> => {
    const repo = await resolveRepository(ctx.vcr, repoOf(args), { slashCommand: ctx.slashCommand });
    const page = pageOf(args);
    const result = await ctx.vcr.repositories.listUsers(repo.uuid, { page, size: repositoryPageSize });
    const users = result.listData ?? [];
    const empty =
      result.totalItem > 0
        ? pastEnd(page, result.totalPage)
        : `No user is attached to \`${repo.name}\`. Grant access with \`${ctx.slashCommand} repo attach ${repo.name} USER pull|push\`.`;
    return {
      text: `Users of ${repo.name}: ${result.totalItem}`,
      parts: [
        { type: 'header', text: `Users of ${repo.name}` },
        {
          type: 'list',
          empty,
          items: users.map((user) => {
            const state = user.disable ? 'disabled' : 'enabled';
            const expiry = user.expiredAt ? `expires ${formatDate(user.expiredAt)}` : 'never expires';
            return {
              title: `*${user.name}* \`${user.backendName}\``,
              lines: [`Access here: ${accessText[repoUserAccess(user, repo.uuid).access]}`, `${state} · ${expiry}`],
              action: { label: 'Open', invocation: { command: 'user.show', args: { user: user.uuid } } },
            };
          }),
        },
        {
          type: 'pager',
          page,
          totalPage: result.totalPage,
          totalItem: result.totalItem,
          invocation: { command: 'repo.users', args: { repo: repo.uuid } },
        },
      ],
    };
  },
};
