/** The shape shared by `user disable USER` and `user enable USER`: one flag flipped, saying so if it already was. */
import { mention, rich } from '../../rich-text';
import type { CommandSpec } from '../command';
import { commandIds } from '../command-ids';
import type { Reply } from '../reply';
import { rethrowAsUserError } from '../rethrow-as-user-error';
import { parseUserRef, userArgs, validateUserRef } from './user-args';
import { resolveUserArgs } from './user-lookup';

/** Builds the command that disables or enables a repository user. */
export function createUserSwitch(target: 'disable' | 'enable'): CommandSpec {
  const past = `${target}d`;
  const undo = target === 'disable' ? 'enable' : 'disable';
  const effect =
    target === 'disable'
      ? 'its secret no longer logs in until it is enabled again'
      : 'its current secret logs in again (unless it has expired)';
  return {
    id: target === 'disable' ? commandIds.userDisable : commandIds.userEnable,
    words: ['user', target],
    usage: `user ${target} USER`,
    summary:
      target === 'disable'
        ? 'Disables a repository user: its secret stops logging in until it is enabled.'
        : 'Enables a disabled repository user again.',
    role: 'operator',
    kind: 'change',
    settle: async (ctx, operation) => {
      const user = await resolveUserArgs(ctx.vcr, operation.args, { slashCommand: ctx.slashCommand });
      return user.disable === (target === 'disable') ? 'done' : 'not_done';
    },
    parse: parseUserRef,
    validate: validateUserRef,
    run: async (ctx, args): Promise<Reply> => {
      const user = await resolveUserArgs(ctx.vcr, args, { slashCommand: ctx.slashCommand });
      ctx.noteTarget?.({ repoUserId: user.uuid, userName: user.name });
      const open = { label: 'Open', invocation: { command: commandIds.userShow, args: userArgs(user) } };
      if (user.disable === (target === 'disable')) {
        const text = `Repository user \`${user.name}\` is already ${past}; nothing changed.`;
        return {
          text,
          parts: [
            { type: 'text', text },
            { type: 'actions', actions: [open] },
          ],
        };
      }
      try {
        await (target === 'disable' ? ctx.vcr.users.disable(user.uuid) : ctx.vcr.users.enable(user.uuid));
      } catch (error) {
        rethrowAsUserError(error, `${target} repository user \`${user.name}\``);
      }
      const text = `${target === 'disable' ? 'Disabled' : 'Enabled'} repository user \`${user.name}\` (\`${user.backendName}\`): ${effect}.`;
      return {
        text,
        parts: [
          { type: 'text', text },
          {
            type: 'actions',
            actions: [
              open,
              {
                label: undo === 'enable' ? 'Enable' : 'Disable',
                invocation: {
                  command: undo === 'disable' ? commandIds.userDisable : commandIds.userEnable,
                  args: userArgs(user),
                },
              },
            ],
          },
        ],
        notify: rich`${mention(ctx.actor.userId)} ${past} repository user \`${user.name}\` (\`${user.backendName}\`)`,
      };
    },
  };
}
