/**
 * `user permissions USER`: sets which repositories a repository user may pull from or push to. vCR replaces the
 * whole list on every change, so the form holds the complete desired set, prefilled with the current one. A submit
 * is previewed like `repo detach`: what is removed, lowered and added, applied only by a confirming click
 * (docs/decisions/0009-user-permissions-preview.md).
 */

import { UserError } from '../../errors';
import { mention, rich } from '../../rich-text';
import type { Operation } from '../../store/operation-store';
import type { RepoUser } from '../../vcr/types';
import type { Args, CommandContext, DestructiveSpec, Plan, ReadContext } from '../command';
import { commandIds } from '../command-ids';
import type { Form, Reply } from '../reply';
import { resolveRepository } from '../repository/resolve-repository';
import { rethrowAsUserError } from '../rethrow-as-user-error';
import { userActions, userCard } from './show-user';
import { parseUserRef, repositoryIdsOf, requireDisjoint, userArgs, userArgsOf } from './user-args';
import { loginWarning, userStatus } from './user-fields';
import {
  grantKeys,
  grantsLine,
  grantsOf,
  permissionRequestsOf,
  type RepoGrant,
  replaceableGrantsOf,
} from './user-grants';
import { reloadUser, resolveUserArgs } from './user-lookup';

type Access = RepoGrant['access'];

/** One repository whose access the request changes. */
interface AccessChange {
  repoId: string;
  repoName: string;
  from: Access;
  to: Access;
}

/** What the preview pinned: the user, its grants as they were, and the changes it showed. */
interface PermissionsPin extends Record<string, unknown> {
  repoUserId: string;
  userName: string;
  /** Sorted `repoId=access` strings of the grants the preview started from. */
  grants: string[];
  /** The grants line the preview showed, to say what changed since. */
  grantsShown: string;
  /** The change lines the preview showed, e.g. `` `web-frontend`: push → no access ``. */
  lines: string[];
}

const accessWord: Record<Access, string> = { push: 'push', pull: 'pull', none: 'no access' };
const rank: Record<Access, number> = { none: 0, pull: 1, push: 2 };

/** Previews replacing a repository user's pull and push access with the submitted set; without one it opens the form. */
export const changeUserPermissions: DestructiveSpec = {
  id: commandIds.userPermissions,
  words: ['user', 'permissions'],
  usage: 'user permissions USER',
  summary: 'Sets the repositories a user may pull from or push to, in a form prefilled with its current access.',
  details: [
    'The form holds the complete set: a repository left out of both lists loses the user’s access.',
    'The submit shows what is removed, lowered and added; nothing changes until you confirm it.',
  ],
  role: 'operator',
  kind: 'destructive',
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
  plan: async (ctx, args) => plan(ctx, args),
  execute: async (ctx, operation) => execute(ctx, operation),
  // A lost answer is settled by reading the user back: its grants are the ones asked for, or still the pinned ones.
  settle: async (ctx, operation) => {
    const pin = operation.pin as PermissionsPin;
    const user = await reloadUser(ctx.vcr, { uuid: pin.repoUserId, name: pin.userName });
    if (!user || !Array.isArray(user.repoPermissionList)) return 'unknown';
    const now = grantKeys(grantsOf(user)).join('\n');
    if (now === desiredKeys(operation.args).join('\n')) return 'done';
    return now === pin.grants.join('\n') ? 'not_done' : 'unknown';
  },
};

async function plan(ctx: ReadContext, args: Args): Promise<Plan | Reply> {
  const user = await resolveUserArgs(ctx.vcr, args, { slashCommand: ctx.slashCommand });
  const wantedPull = repositoryIdsOf(args.pull, 'pull');
  const wantedPush = repositoryIdsOf(args.push, 'push');
  if (wantedPull === undefined && wantedPush === undefined) {
    throw new UserError(
      `Choose the repositories in the form that \`${ctx.slashCommand} user permissions ${user.name}\` opens.`,
      { field: 'pull' },
    );
  }
  const before = replaceableGrantsOf(user, ctx.logger);
  const names = new Map(before.map((grant) => [grant.repoId, grant.repoName]));
  const pull = await resolveAll(ctx, wantedPull ?? [], names, 'pull');
  const push = await resolveAll(ctx, wantedPush ?? [], names, 'push');
  requireDisjoint(pull, push);

  const desired = new Map<string, Access>([
    ...pull.map((repoId): [string, Access] => [repoId, 'pull']),
    ...push.map((repoId): [string, Access] => [repoId, 'push']),
  ]);
  const changes = changesBetween(before, desired, names);
  if (changes.length === 0) {
    const text = `\`${user.name}\` already has exactly this access; nothing changed.`;
    return {
      text,
      parts: [{ type: 'text', text }, ...userCard(user, ctx.now()), { type: 'actions', actions: userActions(user) }],
    };
  }

  const lines = changes.map(lineOf);
  const lowered = changes.filter((change) => rank[change.to] < rank[change.from]);
  const raised = changes.filter((change) => rank[change.to] > rank[change.from]);
  const unchanged = before.filter((grant) => desired.get(grant.repoId) === grant.access);
  const summary = `change the permissions of repository user \`${user.name}\``;
  const warning = raised.length > 0 ? loginWarning(user, ctx.now(), ctx.slashCommand) : undefined;
  const pin: PermissionsPin = {
    repoUserId: user.uuid,
    userName: user.name,
    grants: grantKeys(before),
    grantsShown: grantsLine(before),
    lines,
  };
  const plain = (items: AccessChange[]) => items.map(lineOf).join('; ').replace(/`/g, '');
  return {
    args: { ...userArgs(user), pull, push },
    pin,
    summary,
    target: { repoUserId: user.uuid, userName: user.name },
    wording:
      lowered.length > 0
        ? {
            label: `Apply to ${user.name}`,
            title: `Change the access of ${user.name}?`,
            text: `${user.name} loses: ${plain(lowered)}.${raised.length > 0 ? ` It gains: ${plain(raised)}.` : ''}`,
            confirm: 'Apply',
            deny: 'Keep as is',
          }
        : {
            label: `Apply to ${user.name}`,
            title: `Change the access of ${user.name}?`,
            text: `${user.name} gains: ${plain(raised)}. It loses nothing.`,
            confirm: 'Apply',
            deny: 'Keep as is',
            style: 'primary',
          },
    preview: {
      text: `Preview: ${summary}. Nothing changes until you confirm.`,
      parts: [
        { type: 'header', text: `Change the access of ${user.name}?` },
        {
          type: 'fields',
          fields: [
            { label: 'User', value: `${user.name} (\`${user.backendName}\`)` },
            { label: 'State', value: userStatus(user, ctx.now()) },
          ],
        },
        { type: 'text', text: lines.map((line, index) => `${line}${goes(changes[index]!)}`).join('\n') },
        ...(warning ? [{ type: 'text' as const, text: `:warning: ${warning}` }] : []),
        ...(unchanged.length > 0 || desired.size === 0
          ? [
              {
                type: 'context' as const,
                text: [
                  unchanged.length > 0 ? `Unchanged: ${grantsLine(unchanged)}.` : '',
                  desired.size === 0 ? `After this \`${user.name}\` has no access to any repository.` : '',
                ]
                  .filter(Boolean)
                  .join(' '),
              },
            ]
          : []),
        { type: 'context', text: 'Nothing changes until you confirm.', forRequester: true },
      ],
    },
  };
}

async function execute(ctx: CommandContext, operation: Operation): Promise<Reply> {
  const pin = operation.pin as PermissionsPin;
  const user = await reloadUser(ctx.vcr, { uuid: pin.repoUserId, name: pin.userName });
  if (!user) throw new UserError(`Repository user \`${pin.userName}\` no longer exists; nothing was changed.`);
  const grants = replaceableGrantsOf(user, ctx.logger);
  // The whole list is replaced: a grant changed by someone else since the preview would be undone without a word.
  if (grantKeys(grants).join('\n') !== pin.grants.join('\n')) {
    throw new UserError(
      `The access of \`${pin.userName}\` changed since the preview: it is now ${grantsLine(grants)} (was ` +
        `${pin.grantsShown}). Nothing was changed; submit the form again for a fresh preview.`,
    );
  }
  const pull = repositoryIdsOf(operation.args.pull, 'pull') ?? [];
  const push = repositoryIdsOf(operation.args.push, 'push') ?? [];
  const permissionRequestList = await permissionRequestsOf(ctx.policies, pull, push);
  try {
    await ctx.vcr.users.updatePermissions(user.uuid, permissionRequestList);
  } catch (error) {
    rethrowAsUserError(error, `change the permissions of repository user \`${user.name}\``);
  }
  // vCR answers an unpublished robot object: the user is read again for the card.
  const after = await reloadUser(ctx.vcr, user).catch(() => undefined);
  const text = `Changed the permissions of repository user \`${user.name}\`: ${pin.lines.join('; ')}.`;
  return {
    text,
    parts: [
      { type: 'text', text: `Changed the permissions of repository user \`${user.name}\`:\n${pin.lines.join('\n')}` },
      ...(pull.length + push.length === 0
        ? [{ type: 'context' as const, text: 'It now has access to no repository.' }]
        : []),
      ...userCard(after ?? user, ctx.now()),
      { type: 'actions', actions: userActions(after ?? user) },
    ],
    notify: rich`${mention(ctx.actor.userId)} changed the permissions of repository user \`${user.name}\`: ${pin.lines.join('; ')}`,
  };
}

/**
 * Returns the repository ids for `refs`: ids of repositories the user already holds as they are, anything else
 * resolved on vCR (which also names it), reporting a missing one on `field`.
 */
async function resolveAll(
  ctx: ReadContext,
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

function lineOf(change: AccessChange): string {
  return `\`${change.repoName}\`: ${accessWord[change.from]} → ${accessWord[change.to]}`;
}

function goes(change: AccessChange): string {
  if (change.to === 'none') return ' (goes)';
  return rank[change.to] < rank[change.from] ? ' (push goes)' : '';
}

/** The grants a plan's args ask for, as sorted `repoId=access` strings. */
function desiredKeys(args: Args): string[] {
  const pull = repositoryIdsOf(args.pull, 'pull') ?? [];
  const push = repositoryIdsOf(args.push, 'push') ?? [];
  return [...pull.map((id) => `${id}=pull`), ...push.map((id) => `${id}=push`)].sort();
}

function permissionsForm(user: RepoUser): Form {
  const grants = grantsOf(user);
  const options = (access: Access) =>
    grants.filter((grant) => grant.access === access).map((grant) => ({ value: grant.repoId, text: grant.repoName }));
  return {
    title: 'Permissions',
    submit: 'Preview',
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
        hint: 'A repository in neither list loses this user’s access. Nothing changes until you confirm the preview.',
        optional: true,
        multiple: true,
        initial: options('push'),
      },
    ],
  };
}
