/** Shared steps of the repository-user command tests: forms, what a reply shows besides the DM, user ids. */
import { findCommandById, parseCommandText } from '../../src/commands/registry';
import type { Form, Reply } from '../../src/commands/reply';
import type { CommandHarness } from './command-context';

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

/** Returns everything of `reply` that is shown or posted besides the DM: text, parts, notify, visibility. */
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
