/** Reading the words and args the repository-user commands share: the user named, days, repository lists. */
import { UserError } from '../../errors';
import { parsePositionals, parsePositiveInt } from '../args';
import type { Args, ParsedArgs } from '../command';

// vCR documents no upper bound for `duration`; a century keeps every computed date valid.
const maxDays = 36_500;

/** Parses the one word of a command that only names a repository user, e.g. `user delete USER`. */
export function parseUserRef(input: ParsedArgs): Args {
  const [user] = parsePositionals(input, ['USER']);
  return { user };
}

const maxOptionValue = 75;
// A picked user travels as `NAME@ID`, the one value a Slack option has; no user name, backend name or id holds an `@`.
const pickedPattern = /^([^@\s]+)@([^@\s]+)$/;

/**
 * Returns the args a button or a form carries for a repository user: its id, and its name. vCR has no get-user-by-id,
 * so the name lets the id be found in one filtered list instead of a walk over every user.
 */
export function userArgs(user: { uuid: string; name: string }): { user: string; userName: string } {
  return { user: user.uuid, userName: user.name };
}

/**
 * Returns the value a user picker option carries, `NAME@ID`, so a pick is found like a button's user; only the id when
 * both would pass the 75 characters of an option value (docs/slack-limits.md#block-kit-sizes), which no 14-character
 * name does.
 */
export function userPickValue(user: { uuid: string; name: string }): string {
  const value = `${user.name}@${user.uuid}`;
  return value.length <= maxOptionValue ? value : user.uuid;
}

/** Returns the user `args.user` names, trimmed (the id of a picked `NAME@ID`); throws `UserError` when it is missing. */
export function userRefOf(args: Args): string {
  const user = typeof args.user === 'string' ? args.user.trim() : '';
  if (user === '') throw new UserError('Name a repository user: its name, backend name or id.', { field: 'user' });
  return pickedPattern.exec(user)?.[2] ?? user;
}

/** Returns the name that came with the user's id (a button's `userName`, a picked `NAME@ID`), or undefined. */
export function userNameOf(args: Args): string | undefined {
  const picked = typeof args.user === 'string' ? pickedPattern.exec(args.user.trim()) : null;
  if (picked) return picked[1];
  const name = typeof args.userName === 'string' ? args.userName.trim() : '';
  return name === '' ? undefined : name;
}

/** Returns the normalized `user` and, when one came with it, `userName` args; throws `UserError` without a user. */
export function userArgsOf(args: Args): { user: string; userName?: string } {
  const userName = userNameOf(args);
  return { user: userRefOf(args), ...(userName === undefined ? {} : { userName }) };
}

/** Re-checks the args of a command that only names a user, and normalizes them. */
export function validateUserRef(args: Args): Args {
  return { ...args, ...userArgsOf(args) };
}

/** Reads an expiry in days from now: blank gives undefined, anything else must be a whole number from 1 to 36500. */
export function daysOf(value: Args[string], field = 'days'): number | undefined {
  const raw = Array.isArray(value) ? value[0] : value;
  if (raw === undefined || (typeof raw === 'string' && raw.trim() === '')) return undefined;
  const days = parsePositiveInt(raw, 'The expiry in days', field);
  if (days > maxDays) throw new UserError(`The expiry is at most ${maxDays} days (100 years).`, { field });
  return days;
}

/** Reads optional text: blank gives undefined. */
export function textOf(value: Args[string], field: string, what: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new UserError(`${what} must be text.`, { field });
  const text = value.trim();
  return text === '' ? undefined : text;
}

/**
 * Reads a list of repository ids from a form's repository field (an array) or a single id; gives undefined when the
 * field is absent, and drops blanks and repeats.
 */
export function repositoryIdsOf(value: Args[string], field: string): string[] | undefined {
  if (value === undefined) return undefined;
  const list = Array.isArray(value) ? value : [value];
  const ids: string[] = [];
  for (const item of list) {
    if (typeof item !== 'string') throw new UserError('Repositories are given by their ids.', { field });
    const id = item.trim();
    if (id !== '' && !ids.includes(id)) ids.push(id);
  }
  return ids;
}

/** Throws `UserError` on the `push` field when a repository is chosen under both pull and push. */
export function requireDisjoint(pull: readonly string[], push: readonly string[]): void {
  const both = pull.filter((id) => push.includes(id));
  if (both.length === 0) return;
  throw new UserError(
    `${both.length === 1 ? 'A repository is' : `${both.length} repositories are`} chosen under both Pull and Push. ` +
      `Push includes pull: keep ${both.length === 1 ? 'it' : 'them'} under Push only.`,
    { field: 'push' },
  );
}
