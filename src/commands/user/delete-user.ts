/**
 * `user delete USER`: previews what deleting a repository user takes away (its login and its access per repository)
 * and deletes it on the confirming click, if its access is still what the preview showed.
 */

import { UserError } from '../../errors';
import { mention, rich } from '../../rich-text';
import type { Operation } from '../../store/operation-store';
import type { Args, CommandContext, DestructiveSpec, Plan, ReadContext } from '../command';
import { commandIds } from '../command-ids';
import { truncate } from '../format';
import { counted } from '../image/artifact-fields';
import type { Reply } from '../reply';
import { rethrowAsUserError } from '../rethrow-as-user-error';
import { parseUserRef, userArgs, validateUserRef } from './user-args';
import { userExpiry, userStatus } from './user-fields';
import { grantKeys, grantsLine, grantsOf } from './user-grants';
import { reloadUser, resolveUserArgs } from './user-lookup';

/** What the preview pinned: the user and its access per repository as shown. */
interface UserDeletePin extends Record<string, unknown> {
  repoUserId: string;
  userName: string;
  backendName: string;
  /** Sorted `repoId=access` strings. */
  grants: string[];
  /** The access line the preview showed, to say what changed. */
  grantsShown: string;
}

/** Previews deleting a repository user, and deletes it when the preview is confirmed and still holds. */
export const deleteUser: DestructiveSpec = {
  id: commandIds.userDelete,
  words: ['user', 'delete'],
  usage: 'user delete USER',
  summary: 'Deletes a repository user after a preview and a confirming click; its secret stops logging in.',
  role: 'operator',
  kind: 'destructive',
  parse: parseUserRef,
  validate: validateUserRef,
  plan: async (ctx, args) => plan(ctx, args),
  execute: async (ctx, operation) => execute(ctx, operation),
  settle: async (ctx, operation) => {
    const pin = operation.pin as UserDeletePin;
    return (await reloadUser(ctx.vcr, { uuid: pin.repoUserId, name: pin.userName })) ? 'not_done' : 'done';
  },
};

async function plan(ctx: ReadContext, args: Args): Promise<Plan> {
  const user = await resolveUserArgs(ctx.vcr, args, { slashCommand: ctx.slashCommand });
  const grants = grantsOf(user);
  const now = ctx.now();
  const pin: UserDeletePin = {
    repoUserId: user.uuid,
    userName: user.name,
    backendName: user.backendName,
    grants: grantKeys(grants),
    grantsShown: grantsLine(grants),
  };
  const summary = `delete repository user \`${user.name}\``;
  const losing =
    grants.length === 0
      ? 'It has access to no repository.'
      : `Everything that logs in as \`${user.backendName}\` (CI pipelines, clusters, people) loses its access: ${grantsLine(grants)}.`;
  return {
    args: userArgs(user),
    pin,
    summary,
    target: { repoUserId: user.uuid, userName: user.name },
    wording: {
      label: `Delete ${user.name}`,
      title: `Delete repository user ${user.name}?`,
      text: `This deletes ${user.backendName} and its access to ${counted(grants.length, 'repository', 'repositories')}. It cannot be undone.`,
    },
    preview: {
      text: `Preview: ${summary}. Nothing is deleted until you confirm.`,
      parts: [
        { type: 'header', text: `Delete repository user ${user.name}?` },
        {
          type: 'fields',
          fields: [
            { label: 'User', value: `${user.name} (\`${user.backendName}\`)` },
            { label: 'Status', value: `${userStatus(user, now)}, ${userExpiry(user, now)}` },
            { label: 'Access that goes', value: grantsLine(grants) },
            { label: 'Description', value: user.description ? truncate(user.description, 200) : 'none' },
          ],
        },
        { type: 'text', text: `Deleting removes the user and its secret. ${losing}` },
        { type: 'context', text: 'Nothing is deleted until you confirm. This cannot be undone.', forRequester: true },
      ],
    },
  };
}

async function execute(ctx: CommandContext, operation: Operation): Promise<Reply> {
  const pin = operation.pin as UserDeletePin;
  const user = await reloadUser(ctx.vcr, { uuid: pin.repoUserId, name: pin.userName });
  if (!user) throw new UserError(`Repository user \`${pin.userName}\` no longer exists; nothing was deleted.`);
  const grants = grantsOf(user);
  const keys = grantKeys(grants);
  if (keys.join('\n') !== pin.grants.join('\n')) {
    throw new UserError(
      `\`${pin.userName}\` changed since the preview: its access is now ${grantsLine(grants)} (was ${pin.grantsShown}). ` +
        'Nothing was deleted; run the command again for a fresh preview.',
    );
  }
  try {
    await ctx.vcr.users.delete(user.uuid);
  } catch (error) {
    rethrowAsUserError(error, `delete repository user \`${user.name}\``);
  }
  const text = `Deleted repository user \`${user.name}\` (\`${user.backendName}\`); its access is gone: ${grantsLine(grants)}.`;
  return {
    text,
    parts: [{ type: 'text', text }],
    notify: rich`${mention(ctx.actor.userId)} deleted repository user \`${user.name}\` (\`${user.backendName}\`), which had ${grantsLine(grants)}`,
  };
}
