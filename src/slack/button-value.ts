/**
 * What a button carries in its `value`: an invocation to run, or a decision on a pending action. Clicks arrive from
 * Slack signed, but the value is still read defensively: a malformed one is refused, never guessed at.
 */
import type { Invocation } from '../commands/reply';
import { UserError } from '../errors';

/** The decoded value of one of the bot's buttons. */
export type ButtonValue =
  | { kind: 'invocation'; invocation: Invocation }
  | { kind: 'decision'; pendingId: string; decision: 'confirm' | 'cancel' };

/**
 * What the user reads for a button the bot did not write, or wrote in another version (an old message, a future
 * button); running the command again gives fresh buttons.
 */
export const buttonNotUnderstood = 'This button is not one I understand; run the command again.';

/** Slack's limit for a button value (../shared/slack-limits.md). */
export const maxButtonValueLength = 2000;

/** Encodes an invocation for a button value, or undefined when it would exceed Slack's 2000 characters. */
export function encodeInvocationValue(invocation: Invocation): string | undefined {
  const value = JSON.stringify({ command: invocation.command, args: invocation.args });
  return value.length <= maxButtonValueLength ? value : undefined;
}

/** Encodes a confirm or cancel decision on pending action `id`. */
export function encodeDecisionValue(id: string, decision: 'confirm' | 'cancel'): string {
  return JSON.stringify({ pending: id, decision });
}

/** Decodes a button value; throws `UserError` when it is not one the bot wrote. */
export function decodeButtonValue(value: string | undefined): ButtonValue {
  const parsed = parseObject(value);
  if (parsed && typeof parsed.pending === 'string' && (parsed.decision === 'confirm' || parsed.decision === 'cancel')) {
    return { kind: 'decision', pendingId: parsed.pending, decision: parsed.decision };
  }
  if (parsed && typeof parsed.command === 'string' && isArgs(parsed.args)) {
    return { kind: 'invocation', invocation: { command: parsed.command, args: parsed.args } };
  }
  throw new UserError(buttonNotUnderstood);
}

/** Decodes a button value that must be of `kind`; throws `UserError` when it is not one the bot wrote of that kind. */
export function decodeButtonValueOf<K extends ButtonValue['kind']>(
  value: string | undefined,
  kind: K,
): Extract<ButtonValue, { kind: K }> {
  const decoded = decodeButtonValue(value);
  if (decoded.kind !== kind) throw new UserError(buttonNotUnderstood);
  return decoded as Extract<ButtonValue, { kind: K }>;
}

function parseObject(value: string | undefined): Record<string, unknown> | undefined {
  if (!value) return undefined;
  try {
    const parsed: unknown = JSON.parse(value);
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function isArgs(value: unknown): value is Invocation['args'] {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return false;
  return Object.values(value).every(
    (arg) =>
      arg === undefined ||
      ['string', 'number', 'boolean'].includes(typeof arg) ||
      (Array.isArray(arg) && arg.every((item) => typeof item === 'string')),
  );
}
