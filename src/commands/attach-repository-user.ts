/** `repo attach REPO USER pull|push`: grants a repository user pull or push access on a repository. */
import { UserError } from '../errors';
import { MissingPolicyError } from '../vcr/policies';
import { resolveRepoUser } from '../vcr/resolve-repo-user';
import { resolveRepository } from '../vcr/resolve-repository';
import type { PermissionRequest, RepoUser } from '../vcr/types';
import { parsePositionals } from './args';
import type { Args, CommandSpec } from './command';
import type { Reply } from './reply';
import { otherAccessLine, repoUserAccess } from './repo-user-access';
import { repoOf } from './repository-args';
import { rethrowAsUserError } from './rethrow-as-user-error';
import { userRefOf } from './user-args';

/**
 * Grants access through the user's whole permission list (`users.updatePermissions`), never through
 * `repositories.attachUsers`: re-attaching a user after a detach answers 500 while the permission list works
 * (../shared/vcr-api.md), and vCR does not tell whether a user without access here was detached before.
 */
export const attachRepositoryUser: CommandSpec = {
  id: 'repo.attach',
  words: ['repo', 'attach'],
  usage: 'repo attach REPO USER pull|push',
  summary: 'Grants a repository user pull or push access on a repository (push includes pull).',
  role: 'operator',
  kind: 'change',
  parse: (input) => {
    const [repo, user, access] = parsePositionals(input, ['REPO', 'USER', 'pull or push']);
    return validateAttach({ repo, user, access });
  },
  validate: validateAttach,
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
  const access = typeof args.access === 'string' ? args.access.trim().toLowerCase() : '';
  if (access !== 'pull' && access !== 'push') {
    throw new UserError(`Access is \`pull\` or \`push\`, not \`${String(args.access ?? '')}\`.`, { field: 'access' });
  }
  return { ...args, repo: repoOf(args), user: userRefOf(args), access };
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
