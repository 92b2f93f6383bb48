/** Pending destructive actions: what a preview pinned, waiting for a confirming click that runs it exactly once. */

/** Args of a command: JSON values only, so they fit a button value, a job envelope and a store item. */
export type ActionArgs = Record<string, string | number | boolean | string[] | undefined>;

/** Where a pending action stands; only `pending` can move on, and only once. */
export type PendingStatus = 'pending' | 'executing' | 'done' | 'failed' | 'cancelled';

/** A destructive action previewed to a user and waiting for their click. */
export interface PendingAction {
  id: string;
  command: string;
  args: ActionArgs;
  /** What the preview showed (digest, repository uuid, counts); the click is refused if vCR no longer matches. */
  pin: Record<string, unknown>;
  /** One line saying what will happen, for audit and notifications. */
  summary: string;
  requestedBy: string;
  channelId?: string;
  status: PendingStatus;
  createdAt: number;
  expiresAt: number;
  /** Who confirmed or cancelled it, once it moved on. */
  decidedBy?: string;
}

/** Fields a command gives when it creates a pending action. */
export type NewPendingAction = Pick<
  PendingAction,
  'command' | 'args' | 'pin' | 'summary' | 'requestedBy' | 'channelId'
>;

/** Durable store of pending actions with a conditional status change, the basis of exactly-once execution. */
export interface PendingStore {
  create(action: NewPendingAction): Promise<PendingAction>;
  get(id: string): Promise<PendingAction | undefined>;
  /**
   * Moves `id` from status `from` to `to` if and only if it is still in `from` (and, leaving `pending`, not
   * expired). Returns the updated action, or undefined when another click or a retry got there first.
   */
  transition(
    id: string,
    from: PendingStatus,
    to: PendingStatus,
    decidedBy?: string,
  ): Promise<PendingAction | undefined>;
}
