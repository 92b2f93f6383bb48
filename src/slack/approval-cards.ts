/**
 * The Slack side of the commands layer's `Cards` port: approval cards posted with `chat.postMessage` (real messages,
 * not ephemeral), updated in place with `chat.update`, thread replies, DMs through `conversations.open`, and the
 * requester's `response_url` while it lives (docs/decisions/0015-approvals.md).
 */
import type { webApi } from '@slack/bolt';
import type { CardRef, Cards } from '../commands/cards';
import type { Reply } from '../commands/reply';
import type { Logger } from '../logger';
import { type RichText, rich, withoutFinalStop } from '../rich-text';
import type { Delivery } from './delivery';
import { newErrorRef } from './failure-reply';
import { renderReply, renderSecret } from './render';
import { explainSlackFailure, readSlackFailure, type SlackFailureContext } from './slack-api-errors';

/** Options of `createCards`. */
export interface CardsOptions {
  /** The job's Web API client, with the bot token. */
  client: webApi.WebClient;
  delivery: Delivery;
  logger: Logger;
  /** Where the bot token is set and the bot's user id, for the words of a failure. */
  slackContext: SlackFailureContext;
  /** The setting that names the approval channel, when one is set. */
  channelSetting?: string;
}

/** Creates the card poster over the job's Web API client. */
export function createCards(options: CardsOptions): Cards {
  const { client, delivery, logger } = options;
  const explain = (error: unknown, context: SlackFailureContext, what: string): RichText => {
    const failure = readSlackFailure(error);
    const ref = newErrorRef();
    logger.warn(what, { ref, code: failure?.code, error: error instanceof Error ? error : String(error) });
    if (!failure) return rich`Something went wrong (ref \`${ref}\`).`;
    const meaning = explainSlackFailure(failure, { ...options.slackContext, ...context });
    return rich`${meaning.problem} ${withoutFinalStop(meaning.fix)} (ref \`${ref}\`).`;
  };
  const quietly = async (what: string, call: () => Promise<unknown>) => {
    try {
      await call();
    } catch (error) {
      explain(error, {}, what);
    }
  };
  return {
    async post(channelId, reply) {
      try {
        const message = renderReply(reply);
        const posted = await client.chat.postMessage({
          channel: channelId,
          text: message.text,
          blocks: message.blocks,
        });
        if (!posted.ts) throw new Error('chat.postMessage answered without a ts');
        return { ref: { channel: posted.channel ?? channelId, ts: posted.ts } };
      } catch (error) {
        const context = { channelId, ...(options.channelSetting ? { channelSetting: options.channelSetting } : {}) };
        return { problem: explain(error, context, 'Could not post an approval card') };
      }
    },
    update(ref, reply) {
      const message = renderReply(reply);
      return quietly('Could not update an approval card', () =>
        client.chat.update({ channel: ref.channel, ts: ref.ts, text: message.text, blocks: message.blocks }),
      );
    },
    thread(ref, reply) {
      const message = renderReply(reply);
      return quietly('Could not reply in the thread of an approval card', () =>
        client.chat.postMessage({
          channel: ref.channel,
          thread_ts: ref.ts,
          text: message.text,
          blocks: message.blocks,
        }),
      );
    },
    async dm(userId, reply) {
      try {
        await delivery.direct(userId, reply.secret ? renderSecret(reply.secret) : renderReply(reply));
        return undefined;
      } catch (error) {
        return explain(error, {}, 'Could not send a direct message');
      }
    },
    async tell(userId, responseUrl, reply: Reply) {
      const message = renderReply(reply);
      const answered =
        responseUrl !== undefined &&
        (await delivery.respond(responseUrl, { ...message, response_type: 'ephemeral', replace_original: true }));
      if (!answered) await quietly('Could not tell a requester by DM', () => delivery.direct(userId, message));
    },
    link(ref: CardRef) {
      // The archive link of a message opens it in Slack for anyone who can see its channel.
      return `https://slack.com/archives/${ref.channel}/p${ref.ts.replace('.', '')}`;
    },
  };
}
