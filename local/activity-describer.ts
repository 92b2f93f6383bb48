/**
 * Says where each thing the bot sent to the fake Slack went, for the local drivers: a reply to the user's
 * response_url, a DM, a message in a channel (an approval card, an audit line), an update of an earlier message, a
 * modal. `npm start`'s console and `npm run send` print them with these labels.
 */
import type { FakeSlackCall, FakeSlackResponse } from './fakes/slack-api';

/** Where a message the bot sent can be clicked from: its channel and ts, or the response_url of a reply. */
export interface MessageOrigin {
  channelId?: string;
  messageTs?: string;
  isEphemeral: boolean;
  /** The response_url the reply was posted to; a click on a posted message gets a fresh one. */
  responseUrl?: string;
  /** The id of the Home tab view the message is, for a click on it. */
  homeViewId?: string;
}

/** One thing the bot sent, labelled with where it went. */
export type Delivery =
  | { kind: 'message'; where: string; message: Record<string, unknown>; origin: MessageOrigin }
  /** A post that only deleted the earlier reply (e.g. a working line). */
  | { kind: 'deleted'; where: string }
  | { kind: 'view'; where: string; view: Record<string, unknown> };

/** Names of the local workspace's channels and users, for labels. */
export interface ActivityNames {
  channelName(channelId: string): string | undefined;
  userName(userId: string): string | undefined;
  /** Who typed the command or clicked the button a response_url came with, by name, when the driver knows. */
  responseUrlOwner?(url: string): string | undefined;
}

/** A Web API call or response_url post as the drivers see it (no authorization header). */
export type ActivityCall = Pick<FakeSlackCall, 'method' | 'body' | 'answer'>;

/**
 * Creates a describer that labels activity; it remembers the messages it has seen posted, so that a later
 * `chat.update` of one says which (e.g. `approval card in #ops (updated)`).
 */
export function createActivityDescriber(
  names: ActivityNames,
): (activity: { calls: ActivityCall[]; responses: FakeSlackResponse[] }) => Delivery[] {
  const posted = new Map<string, string>();
  // The response_urls whose replies have been described: a later post replacing one replaces what was shown.
  const shownUrls = new Set<string>();
  const channelLabel = (channelId: string) => {
    if (channelId.startsWith('D')) {
      // The fake Slack opens the DM with user U… as channel DU… (local/fakes/slack-api.ts).
      const userId = channelId.slice(1);
      return `DM to ${names.userName(userId) ?? userId} (${channelId})`;
    }
    const name = names.channelName(channelId);
    return name ? `#${name} (${channelId})` : channelId;
  };
  return ({ calls, responses }) => {
    const deliveries: Delivery[] = [];
    for (const [index, response] of responses.entries()) {
      const body = response.body;
      // A reply replaced or removed within the same batch (a working line) was never worth reading.
      const outdated = responses
        .slice(index + 1)
        .some((later) => later.url === response.url && (later.body.replace_original || later.body.delete_original));
      const shownBefore = shownUrls.has(response.url);
      if (outdated) continue;
      if (body.delete_original) {
        if (shownBefore) deliveries.push({ kind: 'deleted', where: 'the earlier reply was removed' });
        continue;
      }
      shownUrls.add(response.url);
      const owner = names.responseUrlOwner?.(response.url);
      const visible =
        body.response_type === 'in_channel'
          ? 'reply in the channel'
          : `reply only ${owner ?? 'you'} see${owner ? 's' : ''}`;
      const where = body.replace_original && shownBefore ? `${visible}, replacing the earlier one` : visible;
      deliveries.push({
        kind: 'message',
        where,
        message: body,
        origin: { isEphemeral: body.response_type !== 'in_channel', responseUrl: response.url },
      });
    }
    for (const call of calls) {
      const channelId = String(call.body.channel ?? '');
      if (call.method === 'chat.postMessage') {
        const ts = typeof call.answer?.ts === 'string' ? call.answer.ts : undefined;
        const isCard = JSON.stringify(call.body.blocks ?? []).includes('"Approve"');
        const thread = call.body.thread_ts === undefined ? '' : ', in the thread of an earlier message';
        const where = `${isCard ? 'approval card in ' : ''}${channelLabel(channelId)}${thread}`;
        if (ts) posted.set(`${channelId} ${ts}`, isCard ? `approval card in ${channelLabel(channelId)}` : '');
        deliveries.push({
          kind: 'message',
          where,
          message: call.body,
          origin: { channelId, messageTs: ts, isEphemeral: false },
        });
      } else if (call.method === 'chat.update') {
        const ts = String(call.body.ts ?? '');
        const known = posted.get(`${channelId} ${ts}`);
        const where = `${known || `message in ${channelLabel(channelId)}`} (updated)`;
        deliveries.push({
          kind: 'message',
          where,
          message: call.body,
          origin: { channelId, messageTs: ts, isEphemeral: false },
        });
      } else if (call.method === 'chat.postEphemeral') {
        const user = String(call.body.user ?? '');
        const where = `${channelLabel(channelId)}, only ${names.userName(user) ?? user} sees it`;
        deliveries.push({ kind: 'message', where, message: call.body, origin: { channelId, isEphemeral: true } });
      } else if (call.method === 'views.publish') {
        const user = String(call.body.user_id ?? '');
        deliveries.push({
          kind: 'message',
          where: `Home tab of ${names.userName(user) ?? user}`,
          message: call.body.view as Record<string, unknown>,
          origin: { isEphemeral: false, homeViewId: `VHOME${user}` },
        });
      } else if (call.method.startsWith('views.')) {
        const verb = { 'views.open': 'opened', 'views.update': 'updated', 'views.push': 'pushed' }[call.method];
        deliveries.push({
          kind: 'view',
          where: `modal ${verb ?? call.method}`,
          view: call.body.view as Record<string, unknown>,
        });
      }
    }
    return deliveries;
  };
}
