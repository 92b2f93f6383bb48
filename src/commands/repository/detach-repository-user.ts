/** `repo detach REPO USER`: previews and, on the confirming click, removes a user's access to a repository. */

import { UserError } from '../../errors';
import { mention, rich } from '../../rich-text';
import type { Operation } from '../../store/operation-store';
import type { Repository, RepoUser } from '../../vcr/types';
import { parsePositionals } from '../args';
import type { Args, CommandContext, DestructiveSpec, Plan, ReadContext } from '../command';
import { commandIds } from '../command-ids';
import type { Form, Reply } from '../reply';
import { rethrowAsUserError } from '../rethrow-as-user-error';
import { resolveRepoUser } from '../user/resolve-repo-user';
import { userArgs, userArgsOf } from '../user/user-args';
import { grantListProblem, replaceableGrantsOf } from '../user/user-grants';
import { reloadUser, resolveUserArgs } from '../user/user-lookup';
import { otherAccessLine, repoUserAccess } from './repo-user-access';
import { repoOf } from './repository-args';
import { resolveRepository } from './resolve-repository';

/** What the preview pinned: the user's access on the repository as it was shown. */
interface DetachPin extends Record<string, unknown> {
  repoId: string;
  repoName: string;
  repoUserId: string;
  userName: string;
  access: 'push' | 'pull';
  policyIds: string[];
}

/**
 * Removes a user's access to one repository with `repositories.detachUsers`: it touches that repository only, so
 * a permission changed elsewhere meanwhile is never overwritten (the permission-list route would rewrite them all),
 * and only re-attaching is known to fail after it, which `repo attach` avoids by using the permission list.
 */
export const detachRepositoryUser: DestructiveSpec = {
  id: commandIds.repoDetach,
  words: ['repo', 'detach'],
  usage: 'repo detach REPO [USER]',
  summary: "Removes a repository user's access to a repository, after a preview and a confirming click.",
  details: ['Without USER it opens a form to pick the user, as `repo attach REPO` does; the preview follows the pick.'],
  role: 'operator',
  kind: 'destructive',
  parse: (input) => {
    const [repo, user] = parsePositionals(input, ['REPO'], ['USER']);
    return user === undefined ? { repo } : { repo, user };
  },
  validate: (args) => ({ ...args, repo: repoOf(args), ...userArgsOf(args) }),
  // The form only picks the user: its submit runs the preview, and only the preview's button detaches.
  form: async (ctx, args) => {
    if (typeof args.user === 'string' && args.user.trim() !== '') return undefined;
    const repo = await resolveRepository(ctx.vcr, repoOf(args));
    return detachForm(repo);
  },
  plan: async (ctx, args) => plan(ctx, args),
  execute: async (ctx, operation) => execute(ctx, operation),
  settle: async (ctx, operation) => {
    const pin = operation.pin as DetachPin;
    const user = await reloadUser(ctx.vcr, { uuid: pin.repoUserId, name: pin.userName });
    if (!user) return 'unknown';
    // A list that cannot stand for every grant cannot tell whether this one is gone.
    if (grantListProblem(user) !== undefined) return 'unknown';
    const still = (user.repoPermissionList ?? []).some((grant) => grant.repoId === pin.repoId);
    return still ? 'not_done' : 'done';
  },
};

async function plan(ctx: ReadContext, args: Args): Promise<Plan> {
  const repo = await resolveRepository(ctx.vcr, repoOf(args), { slashCommand: ctx.slashCommand });
  const user = await resolveUserArgs(ctx.vcr, args, { slashCommand: ctx.slashCommand });
  // Checked first, as attach does: an incomplete list would read as "no access" here and misstate what it keeps.
  replaceableGrantsOf(user, ctx.logger, 'read');
  const { access, policyIds } = repoUserAccess(user, repo.uuid);
  if (access === 'none') {
    throw new UserError(`\`${user.name}\` has no access to \`${repo.name}\`; there is nothing to detach.`);
  }
  const pin: DetachPin = {
    repoId: repo.uuid,
    repoName: repo.name,
    repoUserId: user.uuid,
    userName: user.name,
    access,
    policyIds,
  };
  const summary = `detach \`${user.name}\` from \`${repo.name}\` (${access} access)`;
  const keeps = otherAccessLine(user, repo.uuid);
  return {
    args: { repo: repo.uuid, ...userArgs(user) },
    pin,
    summary,
    target: { repoId: repo.uuid, repoName: repo.name, repoUserId: user.uuid, userName: user.name },
    wording: {
      label: `Detach ${user.name}`,
      title: `Detach ${user.name}?`,
      text: `${user.name} loses its ${access} access to ${repo.name}. It keeps: ${keeps.replace(/`/g, '')}.`,
      confirm: 'Detach',
      deny: 'Keep access',
    },
    preview: {
      text: `Preview: ${summary}. Nothing changes until you confirm.`,
      parts: [
        { type: 'header', text: `Detach ${user.name} from ${repo.name}?` },
        {
          type: 'fields',
          fields: [
            { label: 'User', value: `${user.name} (\`${user.backendName}\`)` },
            { label: `Access on ${repo.name}`, value: `${access} (goes)` },
            { label: 'Keeps elsewhere', value: keeps },
            { label: 'State', value: user.disable ? 'disabled' : 'enabled' },
          ],
        },
        {
          type: 'context',
          text:
            keeps === 'none'
              ? `After this \`${user.name}\` has no access to any repository.`
              : `Docker logins as \`${user.backendName}\` can no longer ${access === 'push' ? 'push to or pull from' : 'pull from'} ${repo.name}.`,
        },
        { type: 'context', text: 'Nothing changes until you confirm.', forRequester: true },
      ],
    },
  };
}

async function execute(ctx: CommandContext, operation: Operation): Promise<Reply> {
  const pin = operation.pin as DetachPin;
  const user = await currentUser(ctx, pin);
  replaceableGrantsOf(user, ctx.logger, 'read');
  const now = repoUserAccess(user, pin.repoId);
  if (now.access === 'none') {
    throw new UserError(
      `\`${pin.userName}\` no longer has access to \`${pin.repoName}\` (it had ${pin.access} in the preview); nothing was changed.`,
    );
  }
  if (now.access !== pin.access || now.policyIds.join(',') !== pin.policyIds.join(',')) {
    throw new UserError(
      `The access of \`${pin.userName}\` to \`${pin.repoName}\` changed since the preview: it is now ${now.access} ` +
        `(was ${pin.access}). Nothing was changed; run the command again for a fresh preview.`,
    );
  }
  try {
    await ctx.vcr.repositories.detachUsers(pin.repoId, [pin.repoUserId]);
  } catch (error) {
    rethrowAsUserError(error, `detach \`${pin.userName}\` from \`${pin.repoName}\``);
  }
  const text = `Detached \`${pin.userName}\` from \`${pin.repoName}\`: its ${pin.access} access there is gone.`;
  return {
    text,
    parts: [
      { type: 'text', text },
      { type: 'context', text: `Keeps elsewhere: ${otherAccessLine(user, pin.repoId)}.` },
    ],
    notify: rich`${mention(ctx.actor.userId)} detached \`${pin.userName}\` from \`${pin.repoName}\` (had ${pin.access})`,
  };
}

/** Reads the pinned user again by id, among the users of its name; gone means someone deleted it meanwhile. */
async function currentUser(ctx: CommandContext, pin: DetachPin): Promise<RepoUser> {
  try {
    return await resolveRepoUser(ctx.vcr, pin.repoUserId, { slashCommand: ctx.slashCommand, name: pin.userName });
  } catch (error) {
    if (error instanceof UserError) {
      throw new UserError(`The repository user \`${pin.userName}\` no longer exists; nothing was changed.`);
    }
    throw error;
  }
}

/** The form of `repo detach REPO` typed without a user: a user picker, whose submit previews the detach. */
function detachForm(repo: Repository): Form {
  return {
    title: 'Detach a user',
    submit: 'Preview',
    command: commandIds.repoDetach,
    fixedArgs: { repo: repo.uuid },
    fields: [
      {
        kind: 'user',
        name: 'user',
        label: `Repository user to remove from ${repo.name}`,
        hint: 'Nothing changes yet: the next step shows what it loses, with a Detach button.',
      },
    ],
  };
}
