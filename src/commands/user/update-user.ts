/** `user update USER`: changes a repository user's description or expiry through a form prefilled with both. */

import { mention, rich } from '../../rich-text';
import type { RepoUser, UpdateUserRequest } from '../../vcr/types';
import type { Args, CommandContext, CommandSpec } from '../command';
import { commandIds } from '../command-ids';
import { truncate } from '../format';
import type { Form, Reply } from '../reply';
import { rethrowAsUserError } from '../rethrow-as-user-error';
import { userActions, userCard } from './show-user';
import { daysOf, parseUserRef, textOf, userArgs, userArgsOf } from './user-args';
import { userExpiry } from './user-fields';
import { reloadUser, resolveUserArgs } from './user-lookup';

const dayMs = 86_400_000;

/** Sets the description and expiry of a repository user; without new values it opens the form prefilled. */
export const updateUser: CommandSpec = {
  id: commandIds.userUpdate,
  words: ['user', 'update'],
  usage: 'user update USER',
  summary: 'Changes the description or expiry of a repository user in a form prefilled with the current values.',
  details: ['The expiry counts days from today; blank keeps the current expiry.'],
  role: 'operator',
  kind: 'change',
  parse: parseUserRef,
  validate: validateUpdate,
  form: async (ctx, args) => {
    if (hasValues(args)) return undefined;
    // One filtered read for the prefill, as the card's button carries the user's name; FormContext gives no clock.
    const user = await resolveUserArgs(ctx.vcr, args);
    return updateForm(user, Date.now(), typeof args.extendBy === 'number' ? args.extendBy : undefined);
  },
  run: async (ctx, args) => update(ctx, args),
};

async function update(ctx: CommandContext, args: Args): Promise<Reply> {
  const user = await resolveUserArgs(ctx.vcr, args, { slashCommand: ctx.slashCommand });
  ctx.noteTarget?.({ repoUserId: user.uuid, userName: user.name });
  const now = ctx.now();
  const body: UpdateUserRequest = {};
  const changes: string[] = [];
  const before = user.description ?? '';
  if (typeof args.description === 'string' && args.description !== before) {
    body.description = args.description;
    changes.push(`description ${quoted(before)} → ${quoted(args.description)}`);
  }
  // The form shows the days left rounded up: sending them back unchanged would move the expiry, so they are kept.
  if (typeof args.days === 'number' && args.days !== args.shownDays) body.duration = args.days;
  if (body.description === undefined && body.duration === undefined) {
    const text = `Nothing to change on \`${user.name}\`: the description and the expiry are as they were.`;
    return { text, parts: [{ type: 'text', text }] };
  }

  try {
    await ctx.vcr.users.update(user.uuid, body);
  } catch (error) {
    rethrowAsUserError(error, `update repository user \`${user.name}\``);
  }
  // vCR answers an unpublished robot object: the user is read again for the card.
  const after = await reloadUser(ctx.vcr, user).catch(() => undefined);
  if (body.duration !== undefined) {
    const expiry = after ? userExpiry(after, now) : `expires in ${body.duration} days`;
    changes.push(`${userExpiry(user, now)} → ${expiry}`);
  }
  const text = `Updated repository user \`${user.name}\`: ${changes.join('; ')}.`;
  return {
    text,
    parts: [
      { type: 'text', text },
      ...(after ? userCard(after, now) : []),
      // The card's own buttons, as `user NAME` shows them; without a fresh read only Open, to read it.
      after
        ? { type: 'actions', actions: userActions(after) }
        : {
            type: 'actions',
            actions: [{ label: 'Open', invocation: { command: commandIds.userShow, args: userArgs(user) } }],
          },
    ],
    notify: rich`${mention(ctx.actor.userId)} updated repository user \`${user.name}\`: ${changes.join('; ')}`,
  };
}

/**
 * Checks a typed, button or form request. A form submit (`fromForm`) with a blank description clears it; a blank
 * expiry always keeps the current one, since vCR takes only a number of days.
 */
function validateUpdate(args: Args): Args {
  const user = userArgsOf(args);
  const typed = textOf(args.description, 'description', 'The description');
  const description = typed === undefined && args.fromForm === true ? '' : typed;
  const days = daysOf(args.days);
  // A reminder's Extend button asks the form to offer this many days more than are left (src/commands/watch/).
  const extendBy = daysOf(args.extendBy, 'extendBy');
  return { ...args, ...user, description, days, extendBy };
}

function hasValues(args: Args): boolean {
  return args.fromForm === true || args.description !== undefined || args.days !== undefined;
}

/** The form prefilled with the user's values; with `extendBy`, the days field offers that many days more than are left. */
function updateForm(user: RepoUser, now: number, extendBy?: number): Form {
  const expiry = user.expiredAt ? Date.parse(user.expiredAt) : Number.NaN;
  const daysLeft = Number.isFinite(expiry) && expiry > now ? Math.ceil((expiry - now) / dayMs) : undefined;
  const offered = extendBy === undefined ? daysLeft : (daysLeft ?? 0) + extendBy;
  return {
    title: 'Edit repository user',
    submit: 'Save',
    command: commandIds.userUpdate,
    fixedArgs: { ...userArgs(user), fromForm: true, ...(daysLeft === undefined ? {} : { shownDays: daysLeft }) },
    fields: [
      {
        kind: 'text',
        name: 'description',
        label: `Description of ${user.name}`,
        hint: 'Blank removes the description.',
        optional: true,
        ...(user.description ? { initial: user.description } : {}),
      },
      {
        kind: 'number',
        name: 'days',
        label: 'Expires after (days from today)',
        hint: `It ${userExpiry(user, now)}. A number sets the expiry that many days from today; blank keeps it.`,
        optional: true,
        min: 1,
        ...(offered === undefined ? {} : { initial: offered }),
      },
    ],
  };
}

function quoted(text: string): string {
  return text === '' ? '(none)' : `“${truncate(text, 80)}”`;
}
