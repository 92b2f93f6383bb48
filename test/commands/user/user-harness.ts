/** Shared steps of the repository-user command tests: commands through the real pipeline, vCR calls seen, secrets. */
import type { Actor } from '../../../src/commands/command';
import { findCommandById, parseCommandText } from '../../../src/commands/registry';
import type { Action, Form, Invocation, Part, Reply } from '../../../src/commands/reply';
import { runInvocation } from '../../../src/commands/run-invocation';
import type { CommandHarness } from '../../support/command-context';

/** Parses `text` as typed after `/vcr` and runs it as `actor` (an operator by default). */
export function runText(harness: CommandHarness, text: string, actor?: Partial<Actor>): Promise<Reply> {
  return runInvocation(harness.context(actor), parseCommandText(text));
}

/** Runs an invocation as a button or a modal submit sends it. */
export function runArgs(
  harness: CommandHarness,
  command: string,
  args: Invocation['args'],
  actor?: Partial<Actor>,
): Promise<Reply> {
  return runInvocation(harness.context(actor), { command, args });
}

/**
 * Does what the Slack layer does with a typed command before running it (src/slack/start-invocation.ts): parse, then
 * ask for the form with the parsed args. Returns the form, or undefined when the command would run straight away.
 */
export async function formFor(harness: CommandHarness, text: string): Promise<Form | undefined> {
  const invocation = parseCommandText(text);
  const spec = findCommandById(invocation.command);
  if (!spec?.form) throw new Error(`${invocation.command} has no form`);
  const context = harness.context();
  return spec.form({ vcr: context.vcr, actor: context.actor }, invocation.args);
}

/** Returns the management calls vCR received, as `METHOD path`, leaving out IAM token mints. */
export function vcrCalls(harness: CommandHarness): string[] {
  return harness.emulator.requests
    .filter((request) => request.path.startsWith('/v1/'))
    .map((request) => `${request.method} ${request.path}`);
}

/** Returns the calls that change something on vCR (anything but a GET, plus the refresh GET). */
export function vcrChanges(harness: CommandHarness): string[] {
  return vcrCalls(harness).filter((call) => !call.startsWith('GET') || call.endsWith('/refresh'));
}

/** Returns the parts of `reply` of one type. */
export function partsOf<T extends Part['type']>(reply: Reply, type: T): Extract<Part, { type: T }>[] {
  return reply.parts.filter((part): part is Extract<Part, { type: T }> => part.type === type);
}

/** Returns every button of `reply`, list-row buttons included. */
export function actionsOf(reply: Reply): Action[] {
  return partsOf(reply, 'actions').flatMap((part) => part.actions);
}

/** Returns the id of the pending action a preview's buttons confirm, failing the test when there is none. */
export function pendingIdOf(reply: Reply): string {
  const id = actionsOf(reply).find((action) => action.pending?.decision === 'confirm')?.pending?.id;
  if (!id) throw new Error('the reply has no confirm button');
  return id;
}

/** Returns every text of `reply` (text, parts, fields, list rows) as one string, for `toContain` checks. */
export function allText(reply: Reply): string {
  const texts = [reply.text];
  for (const part of reply.parts) {
    if (part.type === 'header' || part.type === 'text' || part.type === 'context') texts.push(part.text);
    if (part.type === 'fields') texts.push(...part.fields.map((field) => `${field.label}: ${field.value}`));
    if (part.type === 'list') texts.push(...part.items.flatMap((item) => [item.title, ...(item.lines ?? [])]));
  }
  return texts.join('\n');
}

/** Returns everything of `reply` that is shown or posted besides the DM: text, parts, notify, form, visibility. */
export function publicPartOf(reply: Reply): string {
  const { secret: _secret, ...rest } = reply;
  return JSON.stringify(rest);
}

/** Returns the uuid of the emulator's user named `name`, failing the test when there is none. */
export function userIdOf(harness: CommandHarness, name: string): string {
  const user = harness.emulator.state.users.find((candidate) => candidate.name === name);
  if (!user) throw new Error(`no user ${name} in the emulator`);
  return user.uuid;
}
