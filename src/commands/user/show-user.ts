/** `user USER`: the repository-user card with its access per repository and the buttons to act on it. */

import type { RepoUser } from '../../vcr/types';
import type { CommandSpec } from '../command';
import { commandIds } from '../command-ids';
import type { Action, Part, Reply } from '../reply';
import { parseUserRef, userArgs, validateUserRef } from './user-args';
import { userFields } from './user-fields';
import { accessText, grantsOf } from './user-grants';
import { resolveUserArgs } from './user-lookup';

// A card lists this many repositories; Slack messages stay under their block limit.
const shownGrants = 10;

/** Shows one repository user as a card with Edit, Permissions, Disable or Enable, New secret and Delete buttons. */
export const showUser: CommandSpec = {
  id: commandIds.userShow,
  words: ['user'],
  usage: 'user USER',
  summary: 'Shows a repository user: its login, status, expiry, access per repository, and buttons to act on it.',
  role: 'viewer',
  kind: 'read',
  parse: parseUserRef,
  validate: validateUserRef,
  run: async (ctx, args): Promise<Reply> => {
    const user = await resolveUserArgs(ctx.vcr, args, { slashCommand: ctx.slashCommand });
    return {
      text: `Repository user ${user.name} (${user.backendName})`,
      parts: [...userCard(user, ctx.now()), { type: 'actions', actions: userActions(user) }],
    };
  },
};

/** Returns the header, fields and per-repository access of a user card, without buttons. */
export function userCard(user: RepoUser, now: number): Part[] {
  const grants = grantsOf(user);
  const parts: Part[] = [
    { type: 'header', text: `Repository user ${user.name}` },
    { type: 'fields', fields: userFields(user, now) },
    {
      type: 'list',
      empty: 'No access to any repository.',
      items: grants.slice(0, shownGrants).map((grant) => ({
        title: `*${grant.repoName}*`,
        lines: [`Access: ${accessText[grant.access]}`],
        action: { label: 'Open', invocation: { command: commandIds.repoShow, args: { repo: grant.repoId } } },
      })),
    },
  ];
  if (grants.length > shownGrants) {
    parts.push({ type: 'context', text: `And ${grants.length - shownGrants} more repositories.` });
  }
  return parts;
}

/** Returns the buttons of a user card: Edit, Permissions, Disable or Enable, New secret and Delete. */
export function userActions(user: RepoUser): Action[] {
  const args = userArgs(user);
  return [
    // Without new values, user.update and user.permissions open their forms prefilled with the current ones.
    { label: 'Edit', invocation: { command: commandIds.userUpdate, args } },
    { label: 'Permissions', invocation: { command: commandIds.userPermissions, args } },
    user.disable
      ? { label: 'Enable', invocation: { command: commandIds.userEnable, args } }
      : { label: 'Disable', invocation: { command: commandIds.userDisable, args } },
    // Both only run the impact preview; the change itself waits for the confirming click there.
    { label: 'New secret', style: 'danger', invocation: { command: commandIds.userSecret, args } },
    { label: 'Delete', style: 'danger', invocation: { command: commandIds.userDelete, args } },
  ];
}
