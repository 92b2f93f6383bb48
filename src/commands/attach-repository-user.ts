/** `repo attach REPO USER pull|push`: grants a repository user pull or push access on a repository. */
import { UserError } from '../errors';
import { MissingPolicyError } from '../vcr/policies';
import { resolveRepoUser } from '../vcr/resolve-repo-user';
import { resolveRepository } from '../vcr/resolve-repository';
import type { PermissionRequest, Repository, RepoUser } from '../vcr/types';
import { parsePositionals } from './args';
import type { Args, CommandSpec } from './command';
import type { Form, Reply } from './reply';
import { otherAccessLine, repoUserAccess } from './repo-user-access';
import { repoOf } from './repository-args';
import { rethrowAsUserError } from './rethrow-as-user-error';
import { userRefOf } from './user-args';
import { userOptionText } from './user-options';

/**
 * Grants access through the user's whole permission list (`users.updatePermissions`), never through
 * `repositories.attachUsers`: re-attaching a user after a detach answers 500 while the permission list works
 * (../shared/vcr-api.md), and vCR does not tell whether a user without access here was detached before.
 */
export const attachRepositoryUser: CommandSpec = {
  id: 'repo.attach',
  words: ['repo', 'attach'],
  usage: 'repo attach REPO [USER pull|push]',
  summary: 'Grants a repository user pull or push access on a repository (push includes pull).',
  details: ["Without USER or the access (`repo attach REPO`, or the card's Attach user button) it opens a form."],
  role: 'operator',
  kind: 'change',
  parse: (input) => {
    const [repo, second, third] = parsePositionals(input, ['REPO'], ['USER', 'pull or push']);
    // User names have 6 to 14 characters (../shared/vcr-api.md), so a lone `pull` or `push` is the access.
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
    const typedUser = typeof args.user === 'string' && args.user.trim() !== '' ? args.user : undefined;
    const user = typedUser ? await resolveRepoUser(ctx.vcr, typedUser) : undefined;
    return attachForm(repo, user, typeof args.access === 'string' ? args.access : undefined);
  },
  run: async (ctx, args): Promise<Reply> => {
    const access = args.access as 'pull' | 'push';
    const repo = await resolveRepository(ctx.vcr, repoOf(args), { slashCommand: ctx.slashCommand });
    const user = await resolveRepoUser(ctx.vcr, userRefOf(args), { slashCommand: ctx.slashCommand });
    const previous = repoUserAccess(user, repo.uuid).access;
    if (previous === access) {
      const text = `\`${user.name}\` already has ${access} access to \`${repo.name}\`; nothing changed.`;
      return { text, parts: [{ type: 'text', text }] };
    }

    const policyIdList = await policyIdsFor(ctx.policies, access);
    const desired = [...keptPermissions(user, repo.uuid), { repoId: repo.uuid, policyIdList }];
    try {
      await ctx.vcr.users.updatePermissions(user.uuid, desired);
    } catch (error) {
      rethrowAsUserError(error, `give \`${user.name}\` ${access} access to \`${repo.name}\``);
    }

    const was = previous === 'none' ? 'had no access before' : `was ${previous}`;
    const text = `\`${user.name}\` (\`${user.backendName}\`) now has ${access} access to \`${repo.name}\` (${was}).`;
    const notes = [`Elsewhere, unchanged: ${otherAccessLine(user, repo.uuid)}.`];
    if (user.disable) notes.push(`\`${user.name}\` is disabled: it cannot log in until it is enabled.`);
    return {
      text,
      parts: [
        { type: 'text', text },
        { type: 'context', text: notes.join('\n') },
      ],
      notify: `<@${ctx.actor.userId}> gave \`${user.name}\` ${access} access to \`${repo.name}\` (${was})`,
    };
  },
};

function validateAttach(args: Args): Args {
  return { ...args, repo: repoOf(args), user: userRefOf(args), access: accessOf(args.access) };
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
        ...(user ? { initial: { value: user.uuid, text: userOptionText(user) } } : {}),
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

/** The policy ids for `access`; vCR offering no such policy is something only an admin of vCR can fix. */
async function policyIdsFor(
  policies: { resolve(access: 'pull' | 'push'): Promise<string[]> },
  access: 'pull' | 'push',
): Promise<string[]> {
  try {
    return await policies.resolve(access);
  } catch (error) {
    if (error instanceof MissingPolicyError) throw new UserError(error.message, { cause: error });
    throw error;
  }
}

/**
 * The user's permissions on every other repository, as they are, since the update replaces the whole list. An entry
 * without a policy grants nothing, and vCR refuses an empty policy list, so it is left out.
 */
function keptPermissions(user: RepoUser, repoId: string): PermissionRequest[] {
  return (user.repoPermissionList ?? [])
    .filter((permission) => permission.repoId !== repoId)
    .map((permission) => ({
      repoId: permission.repoId,
      policyIdList: (permission.policyDtoList ?? []).map((policy) => policy.uuid).filter(Boolean),
    }))
    .filter((permission) => permission.policyIdList.length > 0);
}
