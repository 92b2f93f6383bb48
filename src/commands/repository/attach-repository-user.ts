/** `repo attach REPO USER pull|push`: grants a repository user pull or push access on a repository. */

import { UserError } from '../../errors';
import { mention, rich } from '../../rich-text';
import type { PermissionRequest, Repository, RepoUser } from '../../vcr/types';
import { parsePositionals } from '../args';
import type { Args, CommandSpec } from '../command';
import { commandIds } from '../command-ids';
import type { PolicyResolver } from '../policies';
import type { Form, Reply } from '../reply';
import { rethrowAsUserError } from '../rethrow-as-user-error';
import { userArgsOf, userPickValue } from '../user/user-args';
import { loginWarning } from '../user/user-fields';
import { permissionRequestsOf, type RepoGrant, replaceableGrantsOf } from '../user/user-grants';
import { resolveUserArgs } from '../user/user-lookup';
import { userOptionText } from '../user/user-options';
import { otherAccessLine, repoUserAccess } from './repo-user-access';
import { repoOf } from './repository-args';
import { resolveRepository } from './resolve-repository';

/**
 * Grants access through the user's whole permission list (`users.updatePermissions`), never through
 * `repositories.attachUsers`: re-attaching a user after a detach answers 500 while the permission list works
 * (docs/vcr-api.md#permissions), and vCR does not tell whether a user without access here was detached before.
 */
export const attachRepositoryUser: CommandSpec = {
  id: commandIds.repoAttach,
  words: ['repo', 'attach'],
  usage: 'repo attach REPO [USER pull|push]',
  summary: 'Grants a repository user pull or push access on a repository (push includes pull).',
  details: ["Without USER or the access (`repo attach REPO`, or the card's Attach user button) it opens a form."],
  role: 'operator',
  kind: 'change',
  parse: (input) => {
    const [repo, second, third] = parsePositionals(input, ['REPO'], ['USER', 'pull or push']);
    // User names have 6 to 14 characters (docs/vcr-api.md#naming-rules), so a lone `pull` or `push` is the access.
    const accessOnly = third === undefined && second !== undefined && /^(pull|push)$/i.test(second);
    const user = accessOnly ? undefined : second;
    const access = accessOnly ? second : third;
    return {
      repo,
      ...(user === undefined ? {} : { user }),
      ...(access === undefined ? {} : { access: accessOf(access) }),
    };
  },
  validate: validateAttach,
  form: async (ctx, args) => {
    if (args.user !== undefined && args.access !== undefined) return undefined;
    // Bounded reads for the form: the repository for its name and id, and a typed user to show it picked.
    const repo = await resolveRepository(ctx.vcr, repoOf(args));
    const typedUser = typeof args.user === 'string' && args.user.trim() !== '';
    const user = typedUser ? await resolveUserArgs(ctx.vcr, args) : undefined;
    return attachForm(repo, user, typeof args.access === 'string' ? args.access : undefined);
  },
  run: async (ctx, args): Promise<Reply> => {
    const access = args.access as 'pull' | 'push';
    const repo = await resolveRepository(ctx.vcr, repoOf(args), { slashCommand: ctx.slashCommand });
    const user = await resolveUserArgs(ctx.vcr, args, { slashCommand: ctx.slashCommand });
    ctx.noteTarget?.({ repoId: repo.uuid, repoName: repo.name, repoUserId: user.uuid, userName: user.name });
    // Checked first: the whole list is sent back, and an incomplete one would also misread the access here.
    const grants = replaceableGrantsOf(user, ctx.logger);
    const previous = repoUserAccess(user, repo.uuid).access;
    if (previous === access) {
      const text = `\`${user.name}\` already has ${access} access to \`${repo.name}\`; nothing changed.`;
      return { text, parts: [{ type: 'text', text }] };
    }

    const desired = await desiredPermissions(ctx.policies, grants, repo.uuid, access);
    try {
      await ctx.vcr.users.updatePermissions(user.uuid, desired);
    } catch (error) {
      rethrowAsUserError(error, `give \`${user.name}\` ${access} access to \`${repo.name}\``);
    }

    const was = previous === 'none' ? 'had no access before' : `was ${previous}`;
    const text = `\`${user.name}\` (\`${user.backendName}\`) now has ${access} access to \`${repo.name}\` (${was}).`;
    // Access granted to a user that cannot log in does nothing yet: said beside the result, not under it.
    const warning = loginWarning(user, ctx.now(), ctx.slashCommand);
    return {
      text,
      parts: [
        { type: 'text', text },
        ...(warning ? [{ type: 'text' as const, text: `:warning: ${warning}` }] : []),
        { type: 'context', text: `Elsewhere, unchanged: ${otherAccessLine(user, repo.uuid)}.` },
      ],
      notify: rich`${mention(ctx.actor.userId)} gave \`${user.name}\` ${access} access to \`${repo.name}\` (${was})`,
    };
  },
};

function validateAttach(args: Args): Args {
  return { ...args, repo: repoOf(args), ...userArgsOf(args), access: accessOf(args.access) };
}

function accessOf(value: Args[string]): 'pull' | 'push' {
  const access = typeof value === 'string' ? value.trim().toLowerCase() : '';
  if (access === 'pull' || access === 'push') return access;
  if (access === '')
    throw new UserError('Choose the access: `pull` or `push` (push includes pull).', { field: 'access' });
  throw new UserError(`Access is \`pull\` or \`push\`, not \`${String(value)}\`.`, { field: 'access' });
}

/** The form of `repo attach` typed without a user or an access: a user picker and a pull/push choice. */
function attachForm(repo: Repository, user: RepoUser | undefined, access: string | undefined): Form {
  return {
    title: 'Attach a user',
    submit: 'Attach',
    command: attachRepositoryUser.id,
    fixedArgs: { repo: repo.uuid },
    fields: [
      {
        kind: 'user',
        name: 'user',
        label: `Repository user to give access to ${repo.name}`,
        hint: 'Its access to other repositories stays as it is.',
        ...(user ? { initial: { value: userPickValue(user), text: userOptionText(user) } } : {}),
      },
      {
        kind: 'select',
        name: 'access',
        label: 'Access',
        options: [
          { value: 'pull', text: 'Pull: read images' },
          { value: 'push', text: 'Push: pull and push images' },
        ],
        ...(access ? { initial: access } : {}),
      },
    ],
  };
}

/**
 * The user's whole permission list with `access` on `repoId`, since the update replaces the whole list. Access
 * elsewhere is rebuilt from its level (pull, or pull and push) rather than copied as policy ids: a user may hold the
 * "All" policy somewhere, which vCR refuses when it is sent (docs/vcr-api.md#permissions). A repository with neither
 * pull nor push grants nothing, and vCR refuses an empty policy list, so it is left out.
 */
async function desiredPermissions(
  policies: PolicyResolver,
  grants: readonly RepoGrant[],
  repoId: string,
  access: 'pull' | 'push',
): Promise<PermissionRequest[]> {
  const others = grants.filter((grant) => grant.repoId !== repoId);
  const idsWith = (level: 'pull' | 'push') => others.filter((grant) => grant.access === level).map((g) => g.repoId);
  const pull = [...idsWith('pull'), ...(access === 'pull' ? [repoId] : [])];
  const push = [...idsWith('push'), ...(access === 'push' ? [repoId] : [])];
  return permissionRequestsOf(policies, pull, push);
}
