/** The shape of every command in the registry, and what it is given to run. */

import type { Logger } from '../logger';
import type { Metrics } from '../metrics';
import type { Role } from '../policy/role-rank';
import type { AuditStore } from '../store/audit-store';
import type { CleanupRulesReader, CleanupRulesStore } from '../store/cleanup-rules-store';
import type { FreezeReader, FreezeStore } from '../store/freeze-store';
import type { Operation, OperationStore, OperationTarget, Writer } from '../store/operation-store';
import type { VcrClient, VcrReads } from '../vcr/client';
import type { AuditSink } from './audit/audit-sink';
import type { ApprovalSettings, Cards } from './cards';
import type { CommandId } from './command-ids';
import type { PolicyResolver } from './policies';
import type { Form, Invocation, Part, Reply } from './reply';

/** The person a command runs for, with the role admission resolved for them. */
export interface Actor {
  userId: string;
  role: Role;
  channelId?: string;
  /** The actor's own workspace (`T…`), which in a Slack Connect channel may differ from the channel's. */
  teamId?: string;
}

/** What a read, a preview or a form's prefill may use: vCR reads only, so by its type it cannot change anything. */
export interface ReadContext {
  vcr: VcrReads;
  policies: PolicyResolver;
  actor: Actor;
  logger: Logger;
  now: () => number;
  /** The slash command as configured (default `/vcr`), for usage lines and hints. */
  slashCommand: string;
  /** Checks the bot's own connections for `ping`; each throws when its part is down. */
  health: { slack(): Promise<void>; iam(): Promise<void> };
  /** Four-eyes approvals; absent means none are asked for (docs/decisions/0015-approvals.md). */
  approvals?: ApprovalSettings;
  /** The freeze in force, for `ping` and `help`. */
  freeze: FreezeReader;
  /** The audit trail, for `audit` (docs/decisions/0016-audit-and-freeze.md). */
  auditLog: Pick<AuditStore, 'list'>;
  /** Cleanup plans: the configured protected tags and the saved rules (docs/decisions/0019-cleanup-plans.md). */
  cleanup: { protect: readonly string[]; rules: CleanupRulesReader };
  /** Where commands and approvals are counted; none in unit tests that do not look. */
  metrics?: Metrics;
  /** When the reads must have ended, in epoch ms; a long read (a cleanup plan's inventory) stops there. */
  deadlineAt?: number;
}

/** Everything a change may use; built once per job, never holds Slack objects. */
export interface CommandContext extends ReadContext {
  vcr: VcrClient;
  operations: OperationStore;
  /** This run of this job: its writes to the operation store carry it. */
  writer: Writer;
  /** When this run must have ended, in epoch ms; past it an executing operation is taken as dead. */
  deadlineAt: number;
  /** Approval cards, their threads and DMs; needed when `approvals` asks for any. */
  cards?: Cards;
  /** Where every outcome is recorded (docs/decisions/0016-audit-and-freeze.md). */
  audit: AuditSink;
  /** The freeze switch, for `freeze` and `unfreeze`. */
  freezeStore: FreezeStore;
  /** Cleanup plans, with the store that saves a repository's rules (`cleanup REPO --save`). */
  cleanup: { protect: readonly string[]; rules: CleanupRulesStore };
  /**
   * Names what a change without a plan acts on, as soon as it is known, so that its audit record is listed under
   * it, a failure's too (docs/decisions/0016-audit-and-freeze.md). Set by the runner for the run of a change.
   */
  noteTarget?(target: OperationTarget): void;
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

/** What a read settling an operation whose outcome was lost found: it happened, it did not, or it cannot tell. */
export type Settled = 'done' | 'not_done' | 'unknown';

/** What the confirm button and its dialog say. */
export interface ConfirmWording {
  /** The button, e.g. `Delete team/api`. */
  label: string;
  /** The dialog title, e.g. `Delete image team/api?`. */
  title: string;
  /** The dialog body: what goes, e.g. `This deletes … It cannot be undone.` */
  text: string;
  /** The dialog's confirm button; `Delete` unless told. */
  confirm?: string;
  /** The dialog's button that backs out; `Keep it` unless told. */
  deny?: string;
  /** `danger` (red, the default) when something goes; `primary` for a change that only adds. */
  style?: 'danger' | 'primary';
}

/**
 * What a destructive command plans: the impact preview, and what the confirming click executes. The runner stores it
 * as an operation and adds the confirm and Cancel buttons; a command never builds them itself.
 */
export interface Plan {
  /** Args the execution runs with (ids rather than names, so a rename cannot retarget it). */
  args: Args;
  /** What the preview showed; `execute` refuses when vCR no longer matches it. */
  pin: Record<string, unknown>;
  /** One line saying what will happen, e.g. ``delete image `web/api` (2 artifacts, 3 tags)``. */
  summary: string;
  target: OperationTarget;
  /** The preview's text and parts; the buttons follow its parts. */
  preview: { text: string; parts: Part[] };
  wording: ConfirmWording;
}

interface BaseSpec {
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
  /**
   * The role a destructive command's confirming click needs, when higher than `role`: a viewer may see `cleanup`'s
   * dry run, only an operator may request it.
   */
  confirmRole?: Role;
  /**
   * A flag that picks this command over another with the same words: typed `cleanup REPO --save` runs `cleanup.save`,
   * `cleanup REPO` runs `cleanup`.
   */
  selectedBy?: string;
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
  /**
   * A bounded vCR read a form submit makes before it closes the modal, within the request's deadline: throws a
   * `UserError` with `field` for what the form can still fix (a name already taken). Advisory: when vCR is slow or
   * fails the submit goes on, and the run checks again.
   */
  checkSubmit?(ctx: FormContext, args: Args): Promise<void>;
}

/** A command that only reads. */
export interface ReadSpec extends BaseSpec {
  kind: 'read';
  run(ctx: ReadContext, args: Args): Promise<Reply>;
}

/** A command that changes vCR without a preview; the runner wraps each run in an operation record. */
export interface ChangeSpec extends BaseSpec {
  kind: 'change';
  run(ctx: CommandContext, args: Args): Promise<Reply>;
  /** Reads vCR to tell whether a run whose outcome was lost happened. */
  settle?(ctx: ReadContext, operation: Operation): Promise<Settled>;
}

/**
 * A command that destroys something: it can only plan (reads, a preview) and, once the plan is confirmed, execute.
 * `plan` answers a plain `Reply` when there is nothing to do.
 */
export interface DestructiveSpec extends BaseSpec {
  kind: 'destructive';
  plan(ctx: ReadContext, args: Args): Promise<Plan | Reply>;
  /** Re-checks the pin against vCR and executes; called at most once per operation. */
  execute(ctx: CommandContext, operation: Operation): Promise<Reply>;
  /** Reads vCR to tell whether an execution whose outcome was lost happened. */
  settle?(ctx: ReadContext, operation: Operation): Promise<Settled>;
}

/** One command of the registry; a typed command, a button and a modal submit all run through it. */
export type CommandSpec = ReadSpec | ChangeSpec | DestructiveSpec;

/** What building a form may use: a bounded vCR read for prefill, nothing else. */
export interface FormContext {
  vcr: VcrReads;
  actor: Actor;
  /** The cleanup settings, so `cleanup` without rules can tell saved rules from none (docs/decisions/0019). */
  cleanup?: ReadContext['cleanup'];
}
