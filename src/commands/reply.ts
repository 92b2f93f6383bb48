/**
 * The platform-free answer of every command. Commands build a `Reply`; only src/slack/render.ts turns it into
 * Block Kit, so Slack's limits are enforced in one place (docs/slack-limits.md; botkube's executor/renderer split).
 * Text uses a small markdown subset that Slack's mrkdwn understands: *bold*, _italic_, `code`. `RichText` is text that
 * Slack reads as mrkdwn: the renderer escapes every string in it, and mentions or links exist only as `Markup` built
 * with `rich` and its helpers (src/rich-text.ts); a `string` field is shown as plain text.
 */
import type { RichText } from '../rich-text';
import type { ActionArgs } from '../store/operation-store';

/**
 * One internal command: what a typed command, a button and a modal submit all become.
 * `args` holds only JSON values so it can travel in a button value or a job envelope.
 */
export interface Invocation {
  command: string;
  args: ActionArgs;
}

/**
 * What a decision button does to an operation: its requester (or an admin) confirms or cancels it; an approver
 * approves or rejects it (docs/decisions/0015-approvals.md).
 */
export type DecisionChoice = 'confirm' | 'cancel' | 'approve' | 'reject';

/** A button; clicking it runs `invocation`, or confirms or cancels an operation (after admission, either way). */
export interface Action {
  label: string;
  style?: 'primary' | 'danger';
  /** What the click runs. */
  invocation?: Invocation;
  /**
   * Confirms, cancels, approves or rejects an operation. `command` (and for an approver's button `requestedBy`)
   * travel with it only so the HTTP phase can check the clicker without a read; the worker checks the stored operation.
   */
  decision?: { operationId: string; command: string; choice: DecisionChoice; requestedBy?: string };
  /** A confirmation dialog shown by Slack before the click is sent. */
  confirm?: { title: string; text: string; confirm: string; deny: string };
}

/** A label and value pair of a card. */
export interface Field {
  label: string;
  value: RichText;
}

/** One row of a list: a title line, detail lines, an optional button beside it, and optional buttons under it. */
export interface ListItem {
  title: RichText;
  lines?: RichText[];
  action?: Action;
  /** A row of buttons under the row, e.g. Approve and Reject. */
  actions?: Action[];
}

/** What a list says after its last row shown: how many rows the command left out, and where to see them all. */
export interface ListMore {
  /** Rows the command left out of `items` (the renderer adds any it cuts itself). */
  count: number;
  /** Where to see every row, e.g. ``run `/vcr approvals` ``. */
  hint?: RichText;
}

/** A piece of a reply, rendered in order. */
export type Part =
  | { type: 'header'; text: string }
  | { type: 'text'; text: RichText }
  | { type: 'fields'; fields: Field[] }
  | { type: 'list'; items: ListItem[]; empty: RichText; more?: ListMore }
  /** `forRequester`: words to the person who asked (such as "nothing is deleted until you confirm"), left out of the
   * approval card an approver reads. */
  | { type: 'context'; text: RichText; forRequester?: boolean }
  | { type: 'actions'; actions: Action[] }
  | { type: 'divider' }
  | { type: 'pager'; page: number; totalPage: number; totalItem: number; invocation: Invocation };

/** A modal form: the renderer builds the Slack view, a submit becomes `invocation` with the field values as args. */
export interface Form {
  title: string;
  submit: string;
  /** The command the submitted values run as. */
  command: string;
  /** Args carried through the modal unchanged (for example the user being edited). */
  fixedArgs?: Invocation['args'];
  fields: FormField[];
}

/** One input of a form; `name` is the arg the value becomes. */
export type FormField =
  | {
      kind: 'text';
      name: string;
      label: string;
      hint?: string;
      initial?: string;
      optional?: boolean;
      multiline?: boolean;
      maxLength?: number;
    }
  | { kind: 'number'; name: string; label: string; hint?: string; initial?: number; optional?: boolean; min?: number }
  | { kind: 'checkbox'; name: string; label: string; hint?: string; initial?: boolean }
  | {
      kind: 'select';
      name: string;
      label: string;
      hint?: string;
      optional?: boolean;
      options: { value: string; text: string }[];
      initial?: string;
    }
  | {
      kind: 'repositories';
      name: string;
      label: string;
      hint?: string;
      optional?: boolean;
      multiple: boolean;
      initial?: PickerOption[];
    }
  /** One repository user, searched as the user types; the arg is the user's id. */
  | { kind: 'user'; name: string; label: string; hint?: string; optional?: boolean; initial?: PickerOption }
  /** One image of repository `repoId`, searched as the user types; the arg is the image's name. */
  | {
      kind: 'image';
      name: string;
      label: string;
      hint?: string;
      optional?: boolean;
      repoId: string;
      initial?: PickerOption;
    };

/** One choice of a picker: `value` becomes the arg, `text` is what the user reads. */
export interface PickerOption {
  value: string;
  text: string;
}

/** What a command answers. */
export interface Reply {
  /** The message's fallback text, for notifications and clients that show no blocks. */
  text: RichText;
  parts: Part[];
  /** `in_channel` shares the answer in the channel; ephemeral (the default) shows it to the invoker only. */
  visibility?: 'ephemeral' | 'in_channel';
  /** Replace the message the click came from instead of posting a new one. */
  replaceOriginal?: boolean;
  /** A secret to deliver to the requester only, by DM; never rendered into `parts`. */
  secret?: { value: string; title: string; lines: RichText[] };
  /** A change's line for the audit channel; absent for reads. */
  notify?: RichText;
  /** Nothing to deliver: a job delivered twice, whose first run answers. */
  silent?: boolean;
}

/** Builds a reply of one text part. */
export function textReply(text: RichText, options: Partial<Omit<Reply, 'text' | 'parts'>> = {}): Reply {
  return { text, parts: [{ type: 'text', text }], ...options };
}

/** Builds the pager under one page of a list; its buttons run `invocation` again with another page. */
export function pagerPart(
  page: number,
  result: { totalPage: number; totalItem: number },
  invocation: Invocation,
): Extract<Part, { type: 'pager' }> {
  return { type: 'pager', page, totalPage: result.totalPage, totalItem: result.totalItem, invocation };
}
