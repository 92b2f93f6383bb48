/**
 * What a button carries in its `value`: an invocation to run, or a decision on a pending action. Clicks arrive from
 * Slack signed, but the value is still read defensively: a malformed one is refused, never guessed at.
 */
import type { DecisionChoice, Invocation } from '../commands/reply';
import { UserError } from '../errors';
import { isActionArgs } from './action-args';

/** The decoded value of one of the bot's buttons. */
export type ButtonValue =
  | { kind: 'invocation'; invocation: Invocation }
  | { kind: 'decision'; operationId: string; command: string; choice: DecisionChoice; requestedBy?: string };

const choices: readonly string[] = ['confirm', 'cancel', 'approve', 'reject'] satisfies DecisionChoice[];

/**
 * What the user reads for a button the bot did not write, or wrote in another version (an old message, a future
 * button); running the command again gives fresh buttons.
 */
export const buttonNotUnderstood = 'This button is not one I understand; run the command again.';

/** Slack's limit for a button value (docs/slack-limits.md#block-kit-sizes). */
export const maxButtonValueLength = 2000;

/** Encodes an invocation for a button value, or undefined when it would exceed Slack's 2000 characters. */
export function encodeInvocationValue(invocation: Invocation): string | undefined {
  const value = JSON.stringify({ command: invocation.command, args: invocation.args });
  return value.length <= maxButtonValueLength ? value : undefined;
}

/**
 * Encodes a decision on operation `operationId`. The command id (and on an approver's button the requester) ride
 * along so the HTTP phase can check the clicker without reading the store; the worker checks the stored operation.
 */
export function encodeDecisionValue(
  operationId: string,
  command: string,
  choice: DecisionChoice,
  requestedBy?: string,
): string {
  return JSON.stringify({
    op: operationId,
    cmd: command,
    decision: choice,
    ...(requestedBy ? { req: requestedBy } : {}),
  });
}

/** Decodes a button value; throws `UserError` when it is not one the bot wrote. */
export function decodeButtonValue(value: string | undefined): ButtonValue {
  const parsed = parseObject(value);
  const choice = parsed?.decision;
  if (
    parsed &&
    typeof parsed.op === 'string' &&
    typeof parsed.cmd === 'string' &&
    typeof choice === 'string' &&
    choices.includes(choice)
  ) {
    const approver = choice === 'approve' || choice === 'reject';
    // An approver's button names the requester, whom the HTTP phase must not let approve; without it, it is not ours.
    if (approver && typeof parsed.req !== 'string') throw new UserError(buttonNotUnderstood);
    return {
      kind: 'decision',
      operationId: parsed.op,
      command: parsed.cmd,
      choice: choice as DecisionChoice,
      ...(approver ? { requestedBy: parsed.req as string } : {}),
    };
  }
  if (parsed && typeof parsed.pending === 'string') {
    // A preview posted before operation records existed: its request lived in a table that is gone.
    throw new UserError(
      'This request is from an older version of the bot and is no longer known; run the command again.',
    );
  }
  if (parsed && typeof parsed.command === 'string' && isActionArgs(parsed.args)) {
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
