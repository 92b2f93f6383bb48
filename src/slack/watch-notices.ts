/**
 * The Slack side of the watcher's `NoticePoster` port: its quota alerts and expiry reminders, posted with
 * `chat.postMessage` and the bot token through the one renderer (docs/decisions/0021-scheduled-watcher.md). A channel
 * setting that is wrong is logged as an error with the fix, like the audit channel's.
 */
import type { NoticePoster } from '../commands/watch/notice-poster';
import type { Logger } from '../logger';
import { toPlainText } from '../rich-text';
import type { Delivery } from './delivery';
import { newErrorRef } from './failure-reply';
import { renderReply } from './render';
import { explainSlackFailure, readSlackFailure, type SlackFailureContext } from './slack-api-errors';

/** What the notice poster needs. */
export interface NoticePosterOptions {
  delivery: Pick<Delivery, 'post'>;
  logger: Logger;
  /** Where the bot's Slack settings live, for the words of a Slack failure. */
  slackContext: SlackFailureContext;
}

/** Creates the poster of the watcher's notices; `post` never rejects. */
export function createNoticePoster(options: NoticePosterOptions): NoticePoster {
  return {
    async post(channelId, reply) {
      try {
        const { text, blocks } = renderReply(reply);
        await options.delivery.post(channelId, { text, blocks });
        return true;
      } catch (error) {
        const failure = readSlackFailure(error);
        const meaning = failure
          ? explainSlackFailure(failure, { ...options.slackContext, channelId, channelSetting: 'VCR_ALERT_CHANNEL' })
          : undefined;
        const fields = {
          ref: newErrorRef(),
          channelId,
          setting: 'VCR_ALERT_CHANNEL',
          ...(meaning ? { problem: toPlainText(meaning.problem), fix: toPlainText(meaning.fix) } : {}),
          error: error instanceof Error ? error : String(error),
        };
        if (meaning && !meaning.misconfigured) options.logger.warn('Could not post a watcher notice', fields);
        else options.logger.error('Could not post a watcher notice', fields);
        return false;
      }
    },
  };
}
