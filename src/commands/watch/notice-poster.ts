/**
 * The port through which the watcher posts its notices in a channel without importing Slack: src/slack/watch-notices.ts
 * implements it with the bot token (docs/decisions/0021-scheduled-watcher.md).
 */
import type { Reply } from '../reply';

/** Posts the watcher's notices. */
export interface NoticePoster {
  /** Posts `reply` as a message in `channelId`; resolves false (after logging why) when Slack did not take it. */
  post(channelId: string, reply: Reply): Promise<boolean>;
}
