/**
 * `user permissions USER`: sets which repositories a repository user may pull from or push to. vCR replaces the
 * whole list on every change, so the form holds the complete desired set, prefilled with the current one.
 */

import { UserError } from '../../errors';
import { mention, rich } from '../../rich-text';
import type { RepoUser } from '../../vcr/types';
import type { Args, CommandContext, CommandSpec } from '../command';
import { commandIds } from '../command-ids';
import type { Form, Reply } from '../reply';
import { resolveRepository } from '../repository/resolve-repository';
import { rethrowAsUserError } from '../rethrow-as-user-error';
import { userCard } from './show-user';
import { parseUserRef, repositoryIdsOf, requireDisjoint, userArgs, userArgsOf } from './user-args';
import { grantsOf, permissionRequestsOf, type RepoGrant } from './user-grants';
import { reloadUser, resolveUserArgs } from './user-lookup';

type Access = RepoGrant['access'];

/** One repository whose access the request changes. */
interface AccessChange {
  repoId: string;
  repoName: string;
  from: Access;
  to: Access;
}

const accessWord: Record<Access, string> = { push: 'push', pull: 'pull', none: 'no access' };

/** Replaces a repository user's pull and push access with the submitted set; without one it opens the form. */
export const changeUserPermissions: CommandSpec = {
  id: commandIds.userPermissions,
  words: ['user', 'permissions'],
  usage: 'user permissions USER',
  summary: 'Sets the repositories a user may pull from or push to, in a form prefilled with its current access.',
  details: ['The form holds the complete set: a repository left out of both lists loses the user’s access.'],
  role: 'operator',
  kind: 'change',
  parse: parseUserRef,
  validate: (args) => {
    const pull = repositoryIdsOf(args.pull, 'pull');
    const push = repositoryIdsOf(args.push, 'push');
    requireDisjoint(pull ?? [], push ?? []);
    return { ...args, ...userArgsOf(args), pull, push };
  },
  form: async (ctx, args) => {
    if (args.pull !== undefined || args.push !== undefined) return undefined;
    // One filtered read for the prefill, as the card's button carries the user's name.
    return permissionsForm(await resolveUserArgs(ctx.vcr, args));
  },
  run: async (ctx, args) => changePermissions(ctx, args),
};

async function changePermissions(ctx: CommandContext, args: Args): Promise<Reply> {
  const user = await resolveUserArgs(ctx.vcr, args, { slashCommand: ctx.slashCommand });
  ctx.noteTarget?.({ repoUserId: user.uuid, userName: user.name });
  const wantedPull = repositoryIdsOf(args.pull, 'pull');
  const wantedPush = repositoryIdsOf(args.push, 'push');
  if (wantedPull === undefined && wantedPush === undefined) {
    throw new UserError(
      `Choose the repositories in the form that \`${ctx.slashCommand} user permissions ${user.name}\` opens.`,
      { field: 'pull' },
    );
  }
  const before = grantsOf(user);
  const names = new Map(before.map((grant) => [grant.repoId, grant.repoName]));
  const pull = await resolveAll(ctx, wantedPull ?? [], names, 'pull');
  const push = await resolveAll(ctx, wantedPush ?? [], names, 'push');
  requireDisjoint(pull, push);

  const desired = new Map<string, Access>([
    ...pull.map((repoId): [string, Access] => [repoId, 'pull']),
    ...push.map((repoId): [string, Access] => [repoId, 'push']),
  ]);
  const changes = changesBetween(before, desired, names);
  const unchanged = before.filter((grant) => desired.get(grant.repoId) === grant.access);
  if (changes.length === 0) {
    const text = `\`${user.name}\` already has exactly this access; nothing changed.`;
    return { text, parts: [{ type: 'text', text }, ...userCard(user, ctx.now())] };
  }

  const permissionRequestList = await permissionRequestsOf(ctx.policies, pull, push);
  try {
    await ctx.vcr.users.updatePermissions(user.uuid, permissionRequestList);
  } catch (error) {
    rethrowAsUserError(error, `change the permissions of repository user \`${user.name}\``);
  }
  // vCR answers an unpublished robot object: the user is read again for the card.
  const after = await reloadUser(ctx.vcr, user).catch(() => undefined);
  const lines = changes.map(
    (change) => `\`${change.repoName}\`: ${accessWord[change.from]} → ${accessWord[change.to]}`,
  );
  const text = `Changed the permissions of repository user \`${user.name}\`: ${lines.join('; ')}.`;
  const kept = unchanged.map((grant) => `\`${grant.repoName}\` (${grant.access})`).join(', ');
  return {
    text,
    parts: [
      { type: 'text', text: `Changed the permissions of repository user \`${user.name}\`:\n${lines.join('\n')}` },
      ...(kept ? [{ type: 'context' as const, text: `Unchanged: ${kept}` }] : []),
      ...(desired.size === 0 ? [{ type: 'context' as const, text: 'It now has access to no repository.' }] : []),
      ...(after ? userCard(after, ctx.now()) : []),
      {
        type: 'actions',
        actions: [{ label: 'Open', invocation: { command: commandIds.userShow, args: userArgs(user) } }],
      },
    ],
    notify: rich`${mention(ctx.actor.userId)} changed the permissions of repository user \`${user.name}\`: ${lines.join('; ')}`,
  };
}

/**
 * Returns the repository ids for `refs`: ids of repositories the user already holds as they are, anything else
 * resolved on vCR (which also names it), reporting a missing one on `field`.
 */
async function resolveAll(
  ctx: CommandContext,
  refs: readonly string[],
  names: Map<string, string>,
  field: string,
): Promise<string[]> {
  const ids = await Promise.all(
    refs.map(async (ref) => {
      if (names.has(ref)) return ref;
      try {
        const repo = await resolveRepository(ctx.vcr, ref, { slashCommand: ctx.slashCommand });
        names.set(repo.uuid, repo.name);
        return repo.uuid;
      } catch (error) {
        if (error instanceof UserError) throw new UserError(error.text, { field, cause: error });
        throw error;
      }
    }),
  );
  return [...new Set(ids)];
}

function changesBetween(
  before: readonly RepoGrant[],
  desired: Map<string, Access>,
  names: Map<string, string>,
): AccessChange[] {
  const changes: AccessChange[] = [];
  for (const grant of before) {
    const to = desired.get(grant.repoId) ?? 'none';
    // A repository attached with no pull or push policy is still a change when it leaves the list.
    if (to !== grant.access || !desired.has(grant.repoId)) {
      changes.push({ repoId: grant.repoId, repoName: grant.repoName, from: grant.access, to });
    }
  }
  for (const [repoId, to] of desired) {
    if (!before.some((grant) => grant.repoId === repoId)) {
      changes.push({ repoId, repoName: names.get(repoId) ?? repoId, from: 'none', to });
    }
  }
  return changes.sort((a, b) => a.repoName.localeCompare(b.repoName));
}

function permissionsForm(user: RepoUser): Form {
  const grants = grantsOf(user);
  const options = (access: Access) =>
    grants.filter((grant) => grant.access === access).map((grant) => ({ value: grant.repoId, text: grant.repoName }));
  return {
    title: 'Permissions',
    submit: 'Save',
    command: commandIds.userPermissions,
    fixedArgs: userArgs(user),
    fields: [
      {
        kind: 'repositories',
        name: 'pull',
        label: `${user.name} may pull from`,
        hint: 'Pull only.',
        optional: true,
        multiple: true,
        initial: options('pull'),
      },
      {
        kind: 'repositories',
        name: 'push',
        label: `${user.name} may push to (and pull from)`,
        hint: 'A repository in neither list loses this user’s access.',
        optional: true,
        multiple: true,
        initial: options('push'),
      },
    ],
  };
}
