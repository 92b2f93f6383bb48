/** Answers a click that was refused or failed in the HTTP phase, since a click's ack cannot carry a message. */
import type { Reply } from '../commands/reply';
import type { Logger } from '../logger';
import type { Delivery } from './delivery';
import { renderReply } from './render';

/**
 * Posts `reply` as a new ephemeral message through the click's `response_url` (the clicked message stays as it
 * was), or by DM when that fails. Never throws: a failure is logged.
 */
export async function replyToClick(
  delivery: Delivery,
  target: { responseUrl?: string; userId: string },
  reply: Reply,
  logger: Logger,
): Promise<void> {
  const message = renderReply(reply);
  try {
    const answered =
      target.responseUrl !== undefined &&
      (await delivery.respond(target.responseUrl, { ...message, response_type: 'ephemeral', replace_original: false }));
    if (!answered) await delivery.direct(target.userId, message);
  } catch (error) {
    logger.error('Could not answer a click', { error: error instanceof Error ? error : String(error) });
  }
}
