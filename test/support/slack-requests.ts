/**
 * Builders of the requests Slack sends the bot (slash commands, clicks, modal submits, options requests, events) and of the
 * API Gateway HTTP API (payload v2) events that carry them, signed like Slack signs them; and a driver that sends
 * them for the test harnesses and reads back what the bot sent to the fake Slack.
 */
import { randomBytes } from 'node:crypto';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { FakeSlack } from '../../local/fakes/slack-api';
import { signSlackRequest } from '../../local/fakes/slack-signature';
import { actionIds, callbackIds, fieldBlockId } from '../../src/slack/ids';

/** Slack users the harnesses give roles to: one per role, one who gets a role through a user group, one with none. */
export const testUsers = {
  viewer: 'U0VIEWER',
  operator: 'U0OPERATOR',
  admin: 'U0ADMIN',
  grouped: 'U0GROUPED',
  outsider: 'U0OUTSIDER',
} as const;

/** Who sends a request and from where. */
export interface SlackOrigin {
  userId: string;
  teamId?: string;
  channelId?: string;
}

const defaultTeam = 'T0TEAM';
const defaultChannel = 'C0CHANNEL';

/**
 * Builds an Events API delivery (`event_callback`) of `event` as Slack posts it: a JSON body whose `team_id` and
 * `authorizations` name the workspace (`teamId`, the served one by default).
 */
export function eventCallbackBody(event: Record<string, unknown>, options: { teamId?: string } = {}): string {
  const teamId = options.teamId ?? defaultTeam;
  return JSON.stringify({
    token: 'unused-verification-token',
    team_id: teamId,
    api_app_id: 'A0VCRCHATOPS',
    event: { event_ts: `${Math.floor(Date.now() / 1000)}.000100`, ...event },
    type: 'event_callback',
    event_id: `Ev${randomBytes(5).toString('hex').toUpperCase()}`,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [
      { enterprise_id: null, team_id: teamId, user_id: 'U0FAKEBOT', is_bot: true, is_enterprise_install: false },
    ],
    is_ext_shared_channel: false,
  });
}

/** Builds a slash command body, form-encoded as Slack sends it. */
export function slashCommandBody(
  options: SlackOrigin & { text: string; responseUrl: string; command?: string; triggerId?: string },
): string {
  return new URLSearchParams({
    token: 'verification-token-unused',
    team_id: options.teamId ?? defaultTeam,
    team_domain: 'fake',
    channel_id: options.channelId ?? defaultChannel,
    channel_name: 'ops',
    user_id: options.userId,
    user_name: options.userId.toLowerCase(),
    command: options.command ?? '/vcr',
    text: options.text,
    api_app_id: 'A0APP',
    is_enterprise_install: 'false',
    response_url: options.responseUrl,
    trigger_id: options.triggerId ?? newTriggerId(),
  }).toString();
}

/** Builds a `block_actions` body for a click on a button, form-encoded as `payload=`. */
export function blockActionsBody(
  options: SlackOrigin & {
    button: { action_id: string; value?: string };
    responseUrl: string;
    triggerId?: string;
    messageTs?: string;
  },
): string {
  const channelId = options.channelId ?? defaultChannel;
  const messageTs = options.messageTs ?? '1700000000.000100';
  return payloadBody({
    type: 'block_actions',
    user: { id: options.userId, username: options.userId.toLowerCase(), team_id: options.teamId ?? defaultTeam },
    api_app_id: 'A0APP',
    token: 'verification-token-unused',
    container: { type: 'message', message_ts: messageTs, channel_id: channelId, is_ephemeral: true },
    trigger_id: options.triggerId ?? newTriggerId(),
    team: { id: options.teamId ?? defaultTeam, domain: 'fake' },
    channel: { id: channelId, name: 'ops' },
    message: { type: 'message', ts: messageTs, text: 'earlier reply' },
    response_url: options.responseUrl,
    actions: [
      {
        type: 'button',
        action_id: options.button.action_id,
        block_id: 'b0',
        text: { type: 'plain_text', text: 'button' },
        value: options.button.value,
        action_ts: '1700000001.000200',
      },
    ],
  });
}

/** Builds a `view_submission` body for a modal the bot opened, with `values` as the state Slack reports. */
export function viewSubmissionBody(
  options: SlackOrigin & {
    view: { id?: string; hash?: string; callback_id?: string; private_metadata?: string; blocks?: unknown[] };
    values: Record<string, Record<string, Record<string, unknown>>>;
  },
): string {
  return payloadBody({
    type: 'view_submission',
    team: { id: options.teamId ?? defaultTeam, domain: 'fake' },
    user: { id: options.userId, name: options.userId.toLowerCase(), team_id: options.teamId ?? defaultTeam },
    api_app_id: 'A0APP',
    token: 'verification-token-unused',
    trigger_id: newTriggerId(),
    view: {
      id: options.view.id ?? 'V0VIEW',
      team_id: options.teamId ?? defaultTeam,
      type: 'modal',
      callback_id: options.view.callback_id ?? callbackIds.form,
      private_metadata: options.view.private_metadata ?? '',
      blocks: options.view.blocks ?? [],
      state: { values: options.values },
      hash: options.view.hash ?? '1700000000.abcdef',
      title: { type: 'plain_text', text: 'Form' },
      clear_on_close: false,
      notify_on_close: false,
      close: null,
      submit: null,
      root_view_id: 'V0VIEW',
      previous_view_id: null,
      app_id: 'A0APP',
      bot_id: 'B0BOT',
    },
    response_urls: [],
  });
}

/**
 * Builds a `block_suggestion` body (an external select's options request); Slack sends the modal the select is in
 * along, with the `private_metadata` the bot gave it.
 */
export function blockSuggestionBody(
  options: SlackOrigin & { actionId: string; blockId: string; value: string; view?: Record<string, unknown> },
): string {
  return payloadBody({
    type: 'block_suggestion',
    user: { id: options.userId, name: options.userId.toLowerCase(), team_id: options.teamId ?? defaultTeam },
    container: { type: 'view', view_id: 'V0VIEW' },
    api_app_id: 'A0APP',
    token: 'verification-token-unused',
    action_id: options.actionId,
    block_id: options.blockId,
    value: options.value,
    team: { id: options.teamId ?? defaultTeam, domain: 'fake' },
    ...(options.view ? { view: { id: 'V0VIEW', type: 'modal', team_id: defaultTeam, ...options.view } } : {}),
  });
}

/** Which picker an options request comes from, and the modal it sits in. */
export interface PickerSource {
  actionId: string;
  blockId: string;
  view?: Record<string, unknown>;
}

/** A form modal of the bot for `command`, as far as an options request shows it: its callback id and metadata. */
export function formView(command: string, fixedArgs: Record<string, unknown> = {}): Record<string, unknown> {
  return { callback_id: callbackIds.form, private_metadata: JSON.stringify({ command, fixedArgs }) };
}

/** The repository picker of a `user create` modal, where the driver's `suggest` asks by default. */
export const userCreateRepositoryPicker: PickerSource = {
  actionId: actionIds.pickRepositories,
  blockId: fieldBlockId('push'),
  view: formView('user.create'),
};

/** The picker of form field `field` in a modal the bot opened (as sent to views.open). */
export function pickerIn(view: Record<string, unknown>, field: string): PickerSource {
  const blockId = fieldBlockId(field);
  const block = ((view.blocks as Record<string, unknown>[] | undefined) ?? []).find(
    (candidate) => candidate.block_id === blockId,
  );
  const actionId = (block?.element as { action_id?: string } | undefined)?.action_id;
  if (!actionId) throw new Error(`The modal has no picker ${field}`);
  return { actionId, blockId, view };
}

/**
 * Builds an API Gateway HTTP API (payload v2) event for `POST /slack/events`. With `base64` the body is encoded as
 * API Gateway encodes form bodies; without it, it stays plain as serverless-offline sends it.
 */
export function apiGatewayEvent(
  body: string,
  headers: Record<string, string>,
  options: { base64?: boolean } = {},
): APIGatewayProxyEventV2 {
  const now = Date.now();
  return {
    version: '2.0',
    routeKey: 'POST /slack/events',
    rawPath: '/slack/events',
    rawQueryString: '',
    headers: Object.fromEntries(Object.entries(headers).map(([key, value]) => [key.toLowerCase(), value])),
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: 'local.execute-api.localhost',
      domainPrefix: 'local',
      http: {
        method: 'POST',
        path: '/slack/events',
        protocol: 'HTTP/1.1',
        sourceIp: '127.0.0.1',
        userAgent: 'Slackbot',
      },
      requestId: randomBytes(8).toString('hex'),
      routeKey: 'POST /slack/events',
      stage: '$default',
      time: new Date(now).toUTCString(),
      timeEpoch: now,
    },
    body: options.base64 ? Buffer.from(body, 'utf8').toString('base64') : body,
    isBase64Encoded: options.base64 === true,
  };
}

/**
 * Slack's retry headers: `X-Slack-Retry-Num` counts the retries of one delivery (1 to 3) and `X-Slack-Retry-Reason`
 * says why Slack retried, e.g. `http_timeout` (no answer within 3 s) or `http_error`.
 */
export interface SlackRetry {
  num: number;
  reason: string;
}

/** The first retry of a request Slack gave up waiting for, as most retries are. */
export const firstTimeoutRetry: SlackRetry = { num: 1, reason: 'http_timeout' };

/**
 * Builds a signed API Gateway event for a form-encoded `body`, as Slack would send it now (or at `timestampSeconds`);
 * with `retry`, as Slack sends a retry of it.
 */
export function signedEvent(
  body: string,
  signingSecret: string,
  options: { base64?: boolean; timestampSeconds?: number; contentType?: string; retry?: SlackRetry } = {},
): APIGatewayProxyEventV2 {
  return apiGatewayEvent(
    body,
    {
      'content-type': options.contentType ?? 'application/x-www-form-urlencoded',
      ...signSlackRequest(body, signingSecret, options.timestampSeconds),
      ...(options.retry
        ? { 'x-slack-retry-num': String(options.retry.num), 'x-slack-retry-reason': options.retry.reason }
        : {}),
    },
    { base64: options.base64 },
  );
}

/**
 * Builds Slack's retry of an event it delivered: the same body and content type, signed again at `timestampSeconds`
 * (now by default), since Slack signs every delivery afresh, with the retry headers (`firstTimeoutRetry` by default).
 */
export function retriedEvent(
  event: APIGatewayProxyEventV2,
  signingSecret: string,
  options: { retry?: SlackRetry; timestampSeconds?: number } = {},
): APIGatewayProxyEventV2 {
  const base64 = event.isBase64Encoded;
  const body = base64 ? Buffer.from(event.body ?? '', 'base64').toString('utf8') : (event.body ?? '');
  return signedEvent(body, signingSecret, {
    base64,
    contentType: event.headers['content-type'],
    timestampSeconds: options.timestampSeconds,
    retry: options.retry ?? firstTimeoutRetry,
  });
}

/** What the bot's HTTP entry answered, with the body parsed when it is JSON. */
export interface SlackAnswer {
  statusCode: number;
  text: string;
  json?: Record<string, unknown>;
}

/** Reads an answer of the HTTP entry; a body that is not JSON is kept as text only. */
export function readAnswer(statusCode: number, body: unknown): SlackAnswer {
  const text = typeof body === 'string' ? body : '';
  let json: Record<string, unknown> | undefined;
  try {
    json = text ? (JSON.parse(text) as Record<string, unknown>) : undefined;
  } catch {
    json = undefined;
  }
  return { statusCode, text, json };
}

/** A button found in blocks the bot sent. */
export interface FoundButton {
  action_id: string;
  value?: string;
  text: { text: string };
  style?: string;
  confirm?: { title: { text: string }; text: { text: string }; confirm: { text: string }; style?: string };
}

/** Every button in `blocks`, in order (section accessories and actions blocks). */
export function buttonsIn(blocks: unknown): FoundButton[] {
  const found: FoundButton[] = [];
  for (const block of (blocks as Record<string, unknown>[] | undefined) ?? []) {
    const accessory = block.accessory as (FoundButton & { type?: string }) | undefined;
    if (accessory?.type === 'button') found.push(accessory);
    if (block.type === 'actions') {
      for (const element of block.elements as (FoundButton & { type: string })[]) {
        if (element.type === 'button') found.push(element);
      }
    }
  }
  return found;
}

/** What a driver sent and what the bot answered; `event` is what `retry` sends again. */
export interface SlackDelivery {
  ack: SlackAnswer;
  responseUrl: string;
  event: APIGatewayProxyEventV2;
}

/** Acts as Slack does for its users (signed requests to the bot) and reads what the bot sent to the fake Slack. */
export interface SlackDriver {
  /** Types `/vcr <text>` as `userId`; the body is base64-encoded (as API Gateway does) when asked. */
  command(
    text: string,
    userId: string,
    options?: { base64?: boolean; channelId?: string; teamId?: string },
  ): Promise<SlackDelivery>;
  /** Clicks `button` as `userId`, on a message whose response_url is `responseUrl` (a fresh one by default). */
  click(button: FoundButton, userId: string, responseUrl?: string): Promise<SlackDelivery>;
  /** Submits a modal the bot opened (as sent to views.open), with `values` as Slack's `state.values`. */
  submit(
    view: Record<string, unknown>,
    userId: string,
    values: Record<string, Record<string, Record<string, unknown>>>,
  ): Promise<SlackAnswer & { event: APIGatewayProxyEventV2 }>;
  /**
   * Delivers `event` again as Slack retries it (`retriedEvent`: same body, signed now, `X-Slack-Retry-Num: 1` and
   * `X-Slack-Retry-Reason: http_timeout` unless `retry` says otherwise).
   */
  retry(event: APIGatewayProxyEventV2, retry?: SlackRetry): Promise<SlackAnswer>;
  /**
   * Delivers an Events API `event` (e.g. `{ type: 'app_home_opened', user, tab: 'home' }`) as Slack does: a JSON
   * `event_callback` body, signed over its raw text; `teamId` names another workspace.
   */
  event(event: Record<string, unknown>, options?: { teamId?: string }): Promise<SlackAnswer>;
  /** Sends an options request of `picker` (by default the repository picker of a `user create` modal). */
  suggest(userId: string, value: string, picker?: PickerSource): Promise<SlackAnswer>;
  /** The bodies posted to one response_url. */
  posted(responseUrl: string): Record<string, unknown>[];
  /** Web API calls of one method, in order. */
  callsOf(method: string): Record<string, unknown>[];
}

/** Creates a driver that hands every request, signed with `signingSecret`, to `send` (the bot's HTTP entry). */
export function createSlackDriver(options: {
  send(event: APIGatewayProxyEventV2): Promise<SlackAnswer>;
  slack: FakeSlack;
  signingSecret: string;
}): SlackDriver {
  const { send, slack, signingSecret } = options;
  // Real Slack gives every message its own ts, which the bot's click keys rely on: the same button object (the same
  // message) clicked twice keeps one ts, a button of another message gets another.
  const messageTsOf = new WeakMap<object, string>();
  let messages = 0;
  // Likewise every opened view has its own id: the same view object submitted twice is one view, submitted twice.
  const viewIdOf = new WeakMap<object, string>();
  let views = 0;
  const idOf = (view: object) => {
    let id = viewIdOf.get(view);
    if (!id) {
      views += 1;
      id = `V0VIEW${String(views).padStart(5, '0')}`;
      viewIdOf.set(view, id);
    }
    return id;
  };
  const tsOf = (button: FoundButton) => {
    let ts = messageTsOf.get(button);
    if (!ts) {
      messages += 1;
      ts = `1700000000.${String(messages).padStart(6, '0')}`;
      messageTsOf.set(button, ts);
    }
    return ts;
  };
  return {
    async command(text, userId, commandOptions = {}) {
      const responseUrl = slack.responseUrl();
      const body = slashCommandBody({
        text,
        userId,
        responseUrl,
        channelId: commandOptions.channelId,
        teamId: commandOptions.teamId,
      });
      const event = signedEvent(body, signingSecret, { base64: commandOptions.base64 });
      return { ack: await send(event), responseUrl, event };
    },
    async click(button, userId, responseUrl = slack.responseUrl()) {
      const body = blockActionsBody({ userId, responseUrl, button, messageTs: tsOf(button) });
      const event = signedEvent(body, signingSecret, { base64: true });
      return { ack: await send(event), responseUrl, event };
    },
    async submit(view, userId, values) {
      const body = viewSubmissionBody({
        userId,
        view: {
          id: idOf(view),
          callback_id: String(view.callback_id),
          private_metadata: String(view.private_metadata ?? ''),
          blocks: view.blocks as unknown[],
        },
        values,
      });
      const event = signedEvent(body, signingSecret, { base64: true });
      return { ...(await send(event)), event };
    },
    retry(event, retry) {
      return send(retriedEvent(event, signingSecret, { retry }));
    },
    event(event, eventOptions) {
      const body = eventCallbackBody(event, eventOptions);
      return send(signedEvent(body, signingSecret, { contentType: 'application/json' }));
    },
    suggest(userId, value, picker = userCreateRepositoryPicker) {
      const body = blockSuggestionBody({ userId, value, ...picker });
      return send(signedEvent(body, signingSecret, { base64: true }));
    },
    posted(responseUrl) {
      return slack.responses.filter((response) => response.url === responseUrl).map((response) => response.body);
    },
    callsOf(method) {
      return slack.calls.filter((call) => call.method === method).map((call) => call.body);
    },
  };
}

/** Encodes an interaction payload as Slack posts it: form-encoded, as `payload=<JSON>`. */
export function payloadBody(payload: unknown): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

function newTriggerId(): string {
  return `${Date.now()}.${randomBytes(6).toString('hex')}`;
}
