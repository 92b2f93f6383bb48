/**
 * `users [FILTER]`: one page of repository users with their login, status, expiry and repositories; `users --report`:
 * every user, grouped into what needs a look (src/commands/user/user-report.ts).
 */

import { UserError } from '../../errors';
import { pageOf, parseFilterWord, parseNoWords, pastEnd, validatePagedRead } from '../args';
import type { CommandSpec } from '../command';
import { commandIds } from '../command-ids';
import { truncate } from '../format';
import { pagerParts, readPageByName } from '../list-page';
import type { Reply } from '../reply';
import { userArgs } from './user-args';
import { userRepositoriesLine, userStatusLine } from './user-fields';
import { userReport } from './user-report';

/**
 * Lists repository users whose name contains a filter, by name, ten per page, each with a button opening its card;
 * with `--report`, reports every user by group instead.
 */
export const listUsers: CommandSpec = {
  id: commandIds.usersList,
  words: ['users'],
  usage: 'users [FILTER] [--report]',
  summary: 'Lists repository users by name: docker login user, status, expiry, repositories.',
  details: [
    'FILTER keeps users whose name contains it, ignoring case.',
    '`--report` reads every user and lists those that never expire, those expired or disabled but still attached to repositories, and those attached to no repository.',
  ],
  role: 'viewer',
  kind: 'read',
  paged: true,
  flags: { report: 'boolean' },
  parse: (input) => (input.flags.report === true ? { ...parseNoWords(input), report: true } : parseFilterWord(input)),
  validate: (args) => {
    if (args.report !== true && args.report !== 'true') return validatePagedRead(args);
    if (args.page !== undefined || (typeof args.filter === 'string' && args.filter.trim() !== '')) {
      throw new UserError('`users --report` shows every group in one answer: it takes no FILTER and no `--page`.');
    }
    return { report: true };
  },
  run: async (ctx, args): Promise<Reply> => {
    if (args.report === true) return userReport(ctx);
    const filter = typeof args.filter === 'string' ? args.filter : undefined;
    const page = pageOf(args);
    // Listed by name, as `repo users` lists them; vCR's own order is newest first.
    const shown = await readPageByName((at, size) => ctx.vcr.users.list({ name: filter, page: at, size }), page);
    const users = shown.items;
    const now = ctx.now();
    let empty = filter ? `No repository user name contains \`${filter}\`.` : 'There are no repository users yet.';
    if (shown.totalItem > 0) empty = pastEnd(shown.page, shown.totalPage);
    return {
      text: `${filter ? `Repository users matching ${filter}` : 'Repository users'}: ${shown.orderedOf ?? shown.totalItem}`,
      parts: [
        {
          type: 'header',
          text: filter ? `Repository users matching "${truncate(filter, 100)}"` : 'Repository users',
        },
        {
          type: 'list',
          empty,
          items: users.map((user) => ({
            title: `*${user.name}* \`${user.backendName}\``,
            lines: [userStatusLine(user, now), userRepositoriesLine(user)],
            action: { label: 'Open', invocation: { command: commandIds.userShow, args: userArgs(user) } },
          })),
        },
        ...pagerParts(shown, { command: commandIds.usersList, args: filter ? { filter } : {} }),
      ],
    };
  },
};
