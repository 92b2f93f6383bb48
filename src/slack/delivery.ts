/**
 * Everything the bot sends to Slack outside an ack: `response_url` posts, DMs and channel posts. A `response_url` that
 * expired or refused is reported as `false` so the caller can fall back to a DM (docs/slack-limits.md#time-limits).
 */
import type { webApi } from '@slack/bolt';
import crossFetch from 'cross-fetch';
import type { Logger } from '../logger';
import type { SlackMessage } from './render';

/** A message for a `response_url`: ephemeral or in the channel, new or replacing the message a click came from. */
export interface ResponseMessage extends SlackMessage {
  response_type: 'ephemeral' | 'in_channel';
  replace_original: boolean;
  /** Deletes the message the URL belongs to instead of posting (Slack then ignores the other fields). */
  delete_original?: boolean;
}

/** Sends messages to Slack. */
export interface Delivery {
  /** Posts to a `response_url`; resolves false when Slack did not take it (expired, refused, unreachable). */
  respond(responseUrl: string, message: ResponseMessage): Promise<boolean>;
  /** Sends `message` to the user's DM with the bot; throws when Slack refuses. */
  direct(userId: string, message: SlackMessage): Promise<void>;
  /** Posts `message` in a channel; throws when Slack refuses. */
  post(channelId: string, message: SlackMessage): Promise<void>;
}

/** Options of `createDelivery`. */
export interface DeliveryOptions {
  client: webApi.WebClient;
  logger: Logger;
  fetch?: typeof fetch;
  /** Per `response_url` post; 3 s by default. */
  timeoutMs?: number;
}

/** Creates the delivery over a Web API client (with the bot token) and `fetch` for `response_url`s. */
export function createDelivery(options: DeliveryOptions): Delivery {
  const doFetch = options.fetch ?? (crossFetch as typeof fetch);
  const timeoutMs = options.timeoutMs ?? 3000;
  const { client, logger } = options;

  const post = async (channelId: string, message: SlackMessage) => {
    await client.chat.postMessage({ channel: channelId, text: message.text, blocks: message.blocks });
  };

  return {
    async respond(responseUrl, message) {
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), timeoutMs);
      try {
        const response = await doFetch(responseUrl, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify(message),
          signal: controller.signal,
        });
        // The body must be read (or dropped) so the connection is released; its words only help the log line.
        const answer = (await response.text()).slice(0, 200);
        if (response.ok) return true;
        // The URL itself is left out of the log: for 30 minutes it lets anyone post as the bot.
        logger.warn('Slack refused a response_url post', { status: response.status, answer });
        return false;
      } catch (error) {
        logger.warn('A response_url post failed', { error, timedOut: controller.signal.aborted });
        return false;
      } finally {
        clearTimeout(timer);
      }
    },
    async direct(userId, message) {
      const opened = await client.conversations.open({ users: userId });
      const channelId = opened.channel?.id;
      if (!channelId) throw new Error('conversations.open answered without a channel id');
      await post(channelId, message);
    },
    post,
  };
}
