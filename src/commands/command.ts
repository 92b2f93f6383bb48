/** The shape of every command in the registry, and what it is given to run. */

import type { Logger } from '../logger';
import type { Role } from '../policy/role-rank';
import type { PendingAction, PendingStore } from '../store/pending-store';
import type { VcrClient } from '../vcr/client';
import type { CommandId } from './command-ids';
import type { PolicyResolver } from './policies';
import type { Form, Invocation, Reply } from './reply';

/** The person a command runs for, with the role the Slack layer resolved for them. */
export interface Actor {
  userId: string;
  role: Role;
  channelId?: string;
}

/** Everything a command may use; built once per job, never holds Slack objects. */
export interface CommandContext {
  vcr: VcrClient;
  policies: PolicyResolver;
  pending: PendingStore;
  actor: Actor;
  logger: Logger;
  now: () => number;
  /** The slash command as configured (default `/vcr`), for usage lines and hints. */
  slashCommand: string;
  /** Checks the bot's own connections for `ping`; each throws when its part is down. */
  health: { slack(): Promise<void>; iam(): Promise<void> };
}

/** Words of a typed command after its name: positionals in order, `--flag` and `--flag value` options. */
export interface ParsedArgs {
  positional: string[];
  flags: Record<string, string | true>;
}

/** Args of an invocation, JSON values only. */
export type Args = Invocation['args'];

/** Whether a command only reads, changes something, or destroys something (and so needs a confirming click). */
export type CommandKind = 'read' | 'change' | 'destructive';

/** One command of the registry; a typed command, a button and a modal submit all run through it. */
export interface CommandSpec {
  /** Stable id that travels in buttons and jobs, e.g. `repo.delete`. */
  id: CommandId;
  /** The words that name it in a typed command, e.g. `['repo', 'delete']`. */
  words: string[];
  /** Usage line after the slash command, e.g. `repo delete REPO [--force]`. */
  usage: string;
  /** One sentence for help. */
  summary: string;
  /** Extra help lines for `help <command>`: rules, examples. */
  details?: string[];
  role: Role;
  kind: CommandKind;
  /** Flags it accepts besides the common ones (`--share` on reads, `--page N` on lists). */
  flags?: Record<string, 'boolean' | 'value'>;
  /** True for lists: `--page N` is accepted (every read accepts `--share`). */
  paged?: boolean;
  /** Turns typed words into args; throws `UserError` naming the broken rule. Must not call vCR. */
  parse(input: ParsedArgs): Args;
  /** Checks args from any source (typed, button, modal) and normalizes them; throws `UserError` with `field`. */
  validate?(args: Args): Args;
  /** When set and it returns a form for these args, the Slack layer opens it instead of running. */
  form?(ctx: FormContext, args: Args): Promise<Form | undefined>;
  /** Runs it. For destructive commands this builds the impact preview and a pending action, and changes nothing. */
  run(ctx: CommandContext, args: Args): Promise<Reply>;
  /** Destructive only: re-checks the pin against vCR and executes. Called once per pending action. */
  execute?(ctx: CommandContext, action: PendingAction): Promise<Reply>;
}

/** What building a form may use: a bounded vCR read for prefill, nothing else. */
export interface FormContext {
  vcr: VcrClient;
  actor: Actor;
}
