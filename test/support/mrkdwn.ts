/** Rich text as Slack receives it, so command tests can compare the words a user reads, mentions included. */
import type { RichText } from '../../src/rich-text';
import { renderMrkdwn } from '../../src/slack/render';

/** Returns `text` rendered as mrkdwn (escaped, with markup as `<@U…>`), or undefined when there is none. */
export function mrkdwn(text: RichText | undefined): string | undefined {
  return text === undefined ? undefined : renderMrkdwn(text);
}
