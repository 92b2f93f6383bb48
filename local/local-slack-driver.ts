/**
 * Plays Slack for the local drivers of the bot (`npm start`'s console and `npm run send`): it builds the requests
 * Slack sends (slash commands, button clicks, modal submits, a picker's options requests) from what a person typed,
 * signs them with the run's signing secret and hands them to `post` (the real HTTP entry, in-process or over HTTP).
 */
import { randomBytes } from 'node:crypto';
import { fieldNameOf } from '../src/slack/ids';
import { signSlackRequest } from './fakes/slack-signature';
import type { RenderedButton } from './slack-text';

/** The workspace, channel and slash command the requests come from. */
export interface LocalWorkspace {
  teamId: string;
  channelId: string;
  command: string;
}

/** The bot's HTTP answer: status and body text. */
export interface SlackAck {
  status: number;
  text: string;
}

/** Sends one form-encoded request body with its Slack signature headers to the bot. */
export type SlackPost = (body: string, headers: Record<string, string>) => Promise<SlackAck>;

/** Where a clicked button sits: the message's channel and ts, and the response_url Slack hands with the click. */
export interface ClickOrigin {
  responseUrl: string;
  channelId?: string;
  messageTs?: string;
  /** False for a message posted with chat.postMessage (an approval card), true for a reply only the user saw. */
  isEphemeral?: boolean;
  /** Set when the button sits on the app's Home tab: Slack then sends the view, with no channel or response_url. */
  homeViewId?: string;
}

/** What a person typed was not something Slack would send (no such field, no such picker option); says why. */
export class LocalDriverError extends Error {
  override name = 'LocalDriverError';
}

/** An option a picker offered. */
export interface PickerOption {
  text: { text: string };
  value: string;
}

/** Acts as Slack for one person at a time; every method answers the bot's ack. */
export interface LocalSlackDriver {
  /** Types `<command> <text>` as `userId`. */
  command(userId: string, text: string, responseUrl: string): Promise<SlackAck>;
  /** Clicks `button` as `userId`. */
  click(userId: string, button: RenderedButton, origin: ClickOrigin): Promise<SlackAck>;
  /**
   * Submits `view` (as the bot opened it) as `userId` with `given` values by field name; a field not given keeps its
   * initial value, and a picker's typed name is resolved through the picker's options request.
   */
  submit(userId: string, view: Record<string, unknown>, given: Record<string, string>): Promise<SlackAck>;
  /** Opens the app's Home tab as `userId` (an `app_home_opened` event, as the Events API posts it). */
  openHome(userId: string): Promise<SlackAck>;
  /** Asks the picker of field `field` in `view` what it offers for `typed` (its live options request). */
  options(userId: string, view: Record<string, unknown>, field: string, typed: string): Promise<PickerOption[]>;
}

type Json = Record<string, unknown>;

/** Creates a driver for `workspace` whose requests are signed with `signingSecret` and sent with `post`. */
export function createLocalSlackDriver(options: {
  workspace: LocalWorkspace;
  signingSecret: string;
  post: SlackPost;
}): LocalSlackDriver {
  const { workspace } = options;
  const team = { id: workspace.teamId, domain: 'local' };
  const send = (body: string) =>
    options.post(body, {
      'content-type': 'application/x-www-form-urlencoded',
      ...signSlackRequest(body, options.signingSecret),
    });

  const inputOf = (view: Json, field: string) => {
    const block = inputBlocks(view).find((candidate) => fieldKey(candidate) === field);
    if (!block) throw new LocalDriverError(`The modal has no field ${field}.`);
    return block;
  };

  const offered = async (userId: string, view: Json, block: Json, typed: string): Promise<PickerOption[]> => {
    const answer = await send(
      payloadBody({
        type: 'block_suggestion',
        user: { id: userId, name: userId.toLowerCase(), team_id: workspace.teamId },
        container: { type: 'view', view_id: String(view.id ?? 'V0LOCAL') },
        api_app_id: 'A0LOCAL',
        action_id: String((block.element as Json).action_id),
        block_id: String(block.block_id),
        value: typed,
        team,
        // Slack sends the modal along with its options request, and the bot checks its form.
        view: { id: 'V0LOCAL', type: 'modal', team_id: workspace.teamId, ...view },
      }),
    );
    if (answer.status >= 300) throw new LocalDriverError(`The picker's options request failed (${answer.status}).`);
    return ((JSON.parse(answer.text || '{}') as Json).options as PickerOption[] | undefined) ?? [];
  };

  // An exact match on the option's value, its text, or the name or backend name a user option shows as
  // `name (backendName)`.
  const pick = async (userId: string, view: Json, block: Json, name: string): Promise<PickerOption> => {
    const candidates = await offered(userId, view, block, name);
    const option = candidates.find(
      ({ text, value }) =>
        value === name || text.text === name || text.text.startsWith(`${name} (`) || text.text.endsWith(` (${name})`),
    );
    if (option) return option;
    const list = candidates.map((candidate) => candidate.text.text).join(', ');
    throw new LocalDriverError(`The picker offers no ${JSON.stringify(name)}${list ? `; it offers ${list}` : ''}.`);
  };

  const inputState = async (userId: string, view: Json, block: Json, typed: string | undefined) => {
    const element = block.element as Json;
    const type = String(element.type);
    const choices = (element.options as PickerOption[] | undefined) ?? [];
    switch (type) {
      case 'checkboxes': {
        const ticked = typed === undefined ? ((element.initial_options as unknown[]) ?? []).length > 0 : isYes(typed);
        return { type, selected_options: ticked ? choices : [] };
      }
      case 'static_select': {
        if (typed === undefined) return { type, selected_option: element.initial_option ?? null };
        const option = choices.find((candidate) => candidate.value === typed || candidate.text.text === typed);
        if (!option) {
          throw new LocalDriverError(
            `${JSON.stringify(typed)} is not one of ${choices.map((o) => o.value).join(', ')}.`,
          );
        }
        return { type, selected_option: option };
      }
      case 'external_select': {
        if (typed === undefined) return { type, selected_option: element.initial_option ?? null };
        return { type, selected_option: typed === '' ? null : await pick(userId, view, block, typed) };
      }
      case 'multi_external_select': {
        if (typed === undefined) return { type, selected_options: element.initial_options ?? [] };
        const names = typed
          .split(',')
          .map((name) => name.trim())
          .filter(Boolean);
        return { type, selected_options: await Promise.all(names.map((name) => pick(userId, view, block, name))) };
      }
      default:
        return { type, value: typed ?? (element.initial_value as string | undefined) ?? null };
    }
  };

  return {
    command: (userId, text, responseUrl) =>
      send(
        new URLSearchParams({
          team_id: workspace.teamId,
          team_domain: 'local',
          channel_id: workspace.channelId,
          channel_name: 'local-ops',
          user_id: userId,
          user_name: userId.toLowerCase(),
          command: workspace.command,
          // Slack escapes what the user typed before sending it (docs/decisions/0009-escaping-and-cutting.md).
          text: text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'),
          api_app_id: 'A0LOCAL',
          response_url: responseUrl,
          trigger_id: triggerId(),
        }).toString(),
      ),
    click: (userId, button, origin) => {
      const channelId = origin.channelId ?? workspace.channelId;
      const messageTs = origin.messageTs ?? `${Math.floor(Date.now() / 1000)}.000100`;
      const action = {
        type: 'button',
        action_id: button.action_id,
        block_id: 'b0',
        text: { type: 'plain_text', text: button.label },
        value: button.value,
        action_ts: messageTs,
      };
      const from = { type: 'block_actions', api_app_id: 'A0LOCAL', trigger_id: triggerId(), team, actions: [action] };
      const user = { id: userId, username: userId.toLowerCase(), team_id: workspace.teamId };
      if (origin.homeViewId !== undefined) {
        const view = { id: origin.homeViewId, type: 'home', callback_id: '', private_metadata: '', blocks: [] };
        return send(payloadBody({ ...from, user, container: { type: 'view', view_id: origin.homeViewId }, view }));
      }
      return send(
        payloadBody({
          ...from,
          user,
          container: {
            type: 'message',
            message_ts: messageTs,
            channel_id: channelId,
            is_ephemeral: origin.isEphemeral ?? true,
          },
          channel: { id: channelId, name: channelId.toLowerCase() },
          message: { type: 'message', ts: messageTs, text: '' },
          response_url: origin.responseUrl,
        }),
      );
    },
    openHome: (userId) => {
      const now = Math.floor(Date.now() / 1000);
      const body = JSON.stringify({
        type: 'event_callback',
        team_id: workspace.teamId,
        api_app_id: 'A0LOCAL',
        event: { type: 'app_home_opened', user: userId, channel: `D${userId}`, tab: 'home', event_ts: `${now}.000100` },
        event_id: `Ev${randomBytes(5).toString('hex').toUpperCase()}`,
        event_time: now,
      });
      return options.post(body, {
        'content-type': 'application/json',
        ...signSlackRequest(body, options.signingSecret),
      });
    },
    submit: async (userId, view, given) => {
      const blocks = inputBlocks(view);
      const unknown = Object.keys(given).filter((name) => !blocks.some((block) => fieldKey(block) === name));
      if (unknown.length > 0) {
        const known = blocks.map(fieldKey).join(', ');
        throw new LocalDriverError(`The modal has no field ${unknown.join(', ')}; its fields are ${known}.`);
      }
      const values: Record<string, Record<string, unknown>> = {};
      for (const block of blocks) {
        const actionId = String((block.element as Json).action_id);
        values[String(block.block_id)] = { [actionId]: await inputState(userId, view, block, given[fieldKey(block)]) };
      }
      return send(
        payloadBody({
          type: 'view_submission',
          team,
          user: { id: userId, name: userId.toLowerCase(), team_id: workspace.teamId },
          api_app_id: 'A0LOCAL',
          trigger_id: triggerId(),
          view: { id: 'V0LOCAL', type: 'modal', team_id: workspace.teamId, ...view, state: { values } },
          response_urls: [],
        }),
      );
    },
    options: (userId, view, field, typed) => offered(userId, view, inputOf(view, field), typed),
  };
}

/** The input blocks of a modal, in order. */
export function inputBlocks(view: Record<string, unknown>): Record<string, unknown>[] {
  return ((view.blocks as Json[] | undefined) ?? []).filter((block) => block.type === 'input');
}

/** The name a modal's input is given by (its form field name, else its block id). */
export function fieldKey(block: Record<string, unknown>): string {
  const blockId = String(block.block_id);
  return fieldNameOf(blockId) ?? blockId;
}

/**
 * Gives a modal the bot opened the id and hash Slack would: every opened view has its own, and the bot treats a
 * second submit of one view as a duplicate, so two different forms must never look alike.
 */
export function openedView(view: Record<string, unknown>): Record<string, unknown> {
  return {
    ...view,
    id: `V${randomBytes(5).toString('hex').toUpperCase()}`,
    hash: `${Date.now()}.${randomBytes(4).toString('hex')}`,
  };
}

function isYes(typed: string): boolean {
  return /^(true|y|yes|1|x)$/i.test(typed.trim());
}

function payloadBody(payload: Json): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

function triggerId(): string {
  return `${Date.now()}.${randomBytes(6).toString('hex')}`;
}
