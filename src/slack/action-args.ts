/**
 * The one check of args that arrive back from Slack (a button's value, a modal's `private_metadata`): signed, but
 * read defensively, since a value that is not what the bot writes would otherwise reach a job and fail there (a
 * nested object is refused by DynamoDB, a `__proto__` key is a trap for any later merge).
 */
import type { Invocation } from '../commands/reply';

// Keys no args object of the bot has, and that a merge or a lookup could take for the object's prototype.
const reservedKeys = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * True when `value` is args as the bot writes them: a plain object whose values are strings, finite numbers,
 * booleans or lists of strings, under no reserved key.
 */
export function isActionArgs(value: unknown): value is Invocation['args'] {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return false;
  return Object.entries(value).every(
    ([key, arg]) =>
      !reservedKeys.has(key) &&
      (arg === undefined ||
        typeof arg === 'string' ||
        typeof arg === 'boolean' ||
        (typeof arg === 'number' && Number.isFinite(arg)) ||
        (Array.isArray(arg) && arg.every((item) => typeof item === 'string'))),
  );
}
