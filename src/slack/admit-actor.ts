/** The first check of every request: the right workspace, an allowed channel, and some role for the user. */
import type { Actor } from '../commands/command';
import { UserError } from '../errors';
import { requireRole } from '../policy/role-rank';
import { channelLink, joinRich, rich } from '../rich-text';
import type { ListenerDeps } from './listener-deps';
import type { Deadline } from './with-deadline';

/** Where a request came from. */
export interface RequestOrigin {
  teamId?: string;
  userId: string;
  channelId?: string;
  /**
   * True for a typed command. Clicks and submits only come from messages and modals the bot itself opened, which
   * include DMs outside the allowed channels, so they are not checked again here.
   */
  checkChannel: boolean;
}

/**
 * Returns the actor with their role, or throws a `UserError` saying why the request is refused; user group reads
 * count against `deadline` and a `DeadlineError` is thrown when Slack is too slow to answer them.
 */
export async function admitActor(
  deps: Pick<ListenerDeps, 'config' | 'roles'>,
  origin: RequestOrigin,
  deadline: Deadline,
): Promise<Actor> {
  const { config } = deps;
  if (config.slack.teamId && origin.teamId !== config.slack.teamId) {
    throw new UserError('This bot does not serve this workspace.');
  }
  const allowed = config.allowedChannels;
  if (origin.checkChannel && allowed && !(origin.channelId && allowed.includes(origin.channelId))) {
    throw new UserError(`\`${config.slack.command}\` does not work in this channel.`, {
      hint: rich`Use it in ${joinRich(allowed.map(channelLink), ', ')}.`,
    });
  }
  const role = await deps.roles.roleOf(origin.userId, {
    bound: (reads) => deadline.race(reads, 'Slack', 'reading user groups'),
  });
  requireRole(role, 'viewer', `use \`${config.slack.command}\``);
  return { userId: origin.userId, role: role!, channelId: origin.channelId };
}
