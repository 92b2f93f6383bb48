/**
 * The port through which the commands layer posts and updates approval cards, writes in their threads and reaches a
 * requester, without importing Slack: src/slack/approval-cards.ts implements it (docs/decisions/0015-approvals.md).
 */
import type { RichText } from '../rich-text';
import type { Operation } from '../store/operation-store';
import type { Reply } from './reply';

/** A posted message: its channel and Slack timestamp. */
export interface CardRef {
  channel: string;
  ts: string;
}

/** Posts and updates messages outside the conversation a request came from. */
export interface Cards {
  /** Posts `reply` as a real message in `channelId`; a failure comes back as words for the requester, with the fix. */
  post(channelId: string, reply: Reply): Promise<{ ref: CardRef } | { problem: RichText }>;
  /** Replaces the message `ref` with `reply`; a failure is logged, never thrown. */
  update(ref: CardRef, reply: Reply): Promise<void>;
  /** Replies in the thread of `ref`; a failure is logged, never thrown. */
  thread(ref: CardRef, reply: Reply): Promise<void>;
  /** Sends `reply` (its `secret` included) to `userId`'s DM with the bot; answers why not when it could not. */
  dm(userId: string, reply: Reply): Promise<RichText | undefined>;
  /** Tells `userId` through `responseUrl` (replacing the message it belongs to) while it lives, else by DM. */
  tell(userId: string, responseUrl: string | undefined, reply: Reply): Promise<void>;
  /** A link to the message `ref`, for lists of waiting requests. */
  link(ref: CardRef): string;
}

/** The approval settings and reads a command may use. */
export interface ApprovalSettings {
  /** Command ids whose confirmed request waits for an approver. */
  required: readonly string[];
  /** Who approves, as configured: user ids, user group ids or `*`. */
  approvers: readonly string[];
  /** Where cards go; the request's own channel when absent. */
  channel?: string;
  /** How long a request waits for its approval, in ms. */
  ttlMs: number;
  /** True when `userId` may approve. */
  isApprover(userId: string): Promise<boolean>;
  /** True when someone other than `userIds` may approve; rejects when a user group that decides it cannot be read. */
  anyoneBut(userIds: readonly string[]): Promise<boolean>;
  /** The requests waiting for approval now, newest first. */
  waiting(): Promise<Operation[]>;
  /** A link to an approval card. */
  cardLink(ref: CardRef): string;
}
