/**
 * Operation records: one per change to vCR, moving only forward through its lifecycle, so that a retried Slack
 * request, a second click or a redelivered job finds the record and never runs the change again
 * (docs/decisions/0007-operation-lifecycle.md).
 */
import { createHash } from 'node:crypto';

/** Args of a command: JSON values only, so they fit a button value, a job envelope and a stored record. */
export type ActionArgs = Record<string, string | number | boolean | string[] | undefined>;

/** Where an operation stands. */
export type OperationStatus =
  | 'requested'
  | 'awaiting_approval'
  | 'approved'
  | 'executing'
  | 'done'
  | 'failed'
  | 'outcome_unknown'
  | 'cancelled'
  | 'rejected'
  | 'expired';

/**
 * The moves each status allows; nothing else is ever written. `requested → executing` is the requester's own
 * confirmation where no second person is needed (approved and claimed in one write); `outcome_unknown → done |
 * failed` is a read settling what happened.
 */
export const nextStatuses: Readonly<Record<OperationStatus, readonly OperationStatus[]>> = {
  requested: ['awaiting_approval', 'approved', 'executing', 'cancelled', 'expired'],
  awaiting_approval: ['approved', 'rejected', 'cancelled', 'expired'],
  approved: ['executing', 'cancelled', 'expired'],
  executing: ['done', 'failed', 'outcome_unknown'],
  outcome_unknown: ['done', 'failed'],
  done: [],
  failed: [],
  cancelled: [],
  rejected: [],
  expired: [],
};

/** Statuses waiting for a person: they end at `expiresAt`. */
export const waitingStatuses: readonly OperationStatus[] = ['requested', 'awaiting_approval', 'approved'];

/** Who writes: the job and a token unique to this run of it, so a run recognises its own earlier write. */
export interface Writer {
  jobId: string;
  token: string;
}

/** What an operation is about, for audit queries by target; every field optional. */
export interface OperationTarget {
  repoId?: string;
  repoName?: string;
  imageName?: string;
  digest?: string;
  repoUserId?: string;
  userName?: string;
}

/** One change to vCR and where it stands. */
export interface Operation {
  /** Derived from `key` (`operationIdOf`), so the same Slack request always names the same record. */
  id: string;
  /** Slack's own identity of the request that asked for it (retried slash body, view id and hash, click). */
  key: string;
  command: string;
  args: ActionArgs;
  /** What a preview showed (digests, uuid, counts); execution is refused if vCR no longer matches. */
  pin: Record<string, unknown>;
  /** One line saying what happens, for previews, audit and notifications. */
  summary: string;
  target?: OperationTarget;
  requestedBy: string;
  teamId?: string;
  channelId?: string;
  status: OperationStatus;
  createdAt: number;
  updatedAt: number;
  /** Until when a waiting operation can be confirmed or approved, in epoch ms. */
  expiresAt: number;
  createdBy: Writer;
  /** The run that executes it; `deadlineAt` (epoch ms) is when a run still `executing` is taken as dead. */
  claim?: Writer & { at: number; deadlineAt: number };
  /** Who confirmed, cancelled or otherwise moved it last. */
  decidedBy?: string;
  /** The reply its requester saw for its latest state (a preview, or the outcome); never holds a secret. */
  reply?: Record<string, unknown>;
  /** Facts about how it ended: vCR's status and message, what was changed before a failure. */
  detail?: Record<string, unknown>;
  /** Every move it made, oldest first. */
  history: { status: OperationStatus; at: number; by?: string }[];
  /** Where its approval is asked and answered, once it waits for one (docs/decisions/0015-approvals.md). */
  approval?: Approval;
}

/** The approval of one operation: its card, how to reach the requester, and a rejection's reason. */
export interface Approval {
  /** The approval card (`chat.postMessage` channel and ts), once posted. */
  card?: { channel: string; ts: string };
  /** The requester's conversation while it lives (30 minutes); never logged, it lets anyone post as the bot. */
  responseUrl?: string;
  /** Why posting the card failed, when it did. */
  problem?: string;
  /** The reason a rejecting approver gave. */
  reason?: string;
}

/** What the runner gives to create an operation. */
export type NewOperation = Pick<
  Operation,
  'key' | 'command' | 'args' | 'pin' | 'summary' | 'target' | 'requestedBy' | 'teamId' | 'channelId' | 'reply'
> & {
  status: 'requested' | 'executing';
  /** How long it may wait for a person, in ms. */
  waitMs: number;
  /** For an operation created `executing`: when its run is taken as dead, in epoch ms. */
  deadlineAt?: number;
};

/** One conditional move of an operation. */
export interface Transition {
  from: readonly OperationStatus[];
  to: OperationStatus;
  by?: string;
  /** When moving to `executing`: until when the run may take, in epoch ms. */
  deadlineAt?: number;
  /** Moves only while the claim is this run's (settling a run taken as dead). */
  claimToken?: string;
  reply?: Record<string, unknown>;
  detail?: Record<string, unknown>;
  /** A new end of waiting, in epoch ms (a confirmed request then waits for its approval). */
  expiresAt?: number;
  /** Replaces the operation's approval facts. */
  approval?: Approval;
}

/** The answer of a move: whether this call moved it, and the record as it now stands. */
export interface TransitionResult {
  moved: boolean;
  operation: Operation | undefined;
}

/** Durable operation records with conditional, forward-only moves; every method is safe to retry. */
export interface OperationStore {
  /**
   * Creates the operation unless one exists for its key; `created` is false for a duplicate, with the first record.
   * A retry of this run's own create whose first answer was lost still answers `created: true`.
   */
  create(operation: NewOperation, writer: Writer): Promise<{ operation: Operation; created: boolean }>;
  /** Reads an operation, strongly consistent. */
  get(id: string): Promise<Operation | undefined>;
  /**
   * Moves `id` from one of `change.from` to `change.to` under a condition (leaving a waiting status also needs it
   * unexpired). A retry whose first answer was lost recognises its own write and answers `moved: true`.
   */
  transition(id: string, change: Transition, writer: Writer): Promise<TransitionResult>;
  /** Records where the approval of `id` is asked while it still waits for it; false when it no longer does. */
  noteApproval(id: string, approval: Approval): Promise<boolean>;
  /** Lists operations waiting for approval that were created since `since` (epoch ms), newest first. */
  listAwaitingApproval(since: number): Promise<Operation[]>;
}

/** Returns the operation id for an idempotency key: 22 URL-safe characters of its SHA-256. */
export function operationIdOf(key: string): string {
  return createHash('sha256').update(key).digest('base64url').slice(0, 22);
}

/**
 * Builds the record `fields` describe, created by `writer` at `at` (epoch ms): one created `executing` was requested,
 * approved and claimed by its requester in the same moment, and says so in its history.
 */
export function newOperationRecord(fields: NewOperation, writer: Writer, at: number): Operation {
  const { waitMs, deadlineAt, ...rest } = fields;
  const by = fields.requestedBy;
  const executing = fields.status === 'executing';
  return {
    ...rest,
    id: operationIdOf(fields.key),
    createdAt: at,
    updatedAt: at,
    expiresAt: at + waitMs,
    createdBy: writer,
    history: executing
      ? [
          { status: 'requested', at, by },
          { status: 'approved', at, by },
          { status: 'executing', at, by },
        ]
      : [{ status: 'requested', at, by }],
    ...(executing ? { claim: { ...writer, at, deadlineAt: deadlineAt ?? at } } : {}),
  };
}

/** Throws when `change` is not a forward move from every status it starts from: a bug, never a user's doing. */
export function assertForward(change: Transition): void {
  for (const from of change.from) {
    if (!nextStatuses[from].includes(change.to))
      throw new Error(`An operation never moves from ${from} to ${change.to}`);
  }
}
