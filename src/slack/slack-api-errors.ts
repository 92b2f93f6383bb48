/**
 * What a failed Slack Web API call means, in one table: Slack's error code (or the client's rate-limit, HTTP and
 * network failures) to plain words saying what happened and what to do, so that every surface (replies, `ping`,
 * DMs, the notify channel, role checks) says the same thing (docs/decisions/0012-slack-api-failures.md).
 */
import { webApi } from '@slack/bolt';
import { channelLink, mention, type RichText, rich } from '../rich-text';

/** A Slack Web API failure, read from what the Web API client threw. */
export interface SlackFailure {
  /** Slack's error code such as `invalid_auth`, or `ratelimited`, `http_<status>` or `unreachable`. */
  code: string;
  /** The seconds Slack asked the bot to wait, for a rate limit. */
  retryAfterSeconds?: number;
  /** The scope Slack said the token lacks, for `missing_scope`. */
  neededScope?: string;
}

/** What a failure means for the people involved. */
export interface SlackFailureMeaning {
  /** What happened, as a sentence. */
  problem: RichText;
  /** What to do about it, as a sentence. */
  fix: RichText;
  /** True when a setting of the bot or of the Slack app is wrong (an admin must act; logged as an error). */
  misconfigured: boolean;
}

/** What the words may name: where the bot token is set, the bot, the channel and the setting that names it. */
export interface SlackFailureContext {
  /** Where the bot token is configured, e.g. "`slackBotToken` in secret `vcr-chatops/prod`". */
  tokenSetting?: string;
  /** The bot's `U…` id, for `/invite`. */
  botUserId?: string;
  /** The channel the call was about. */
  channelId?: string;
  /** The setting that names that channel, e.g. `VCR_NOTIFY_CHANNEL`. */
  channelSetting?: string;
}

type Explain = (failure: SlackFailure, context: SlackFailureContext) => SlackFailureMeaning;

const defaultTokenSetting = '`slackBotToken` in the secret under `SECRET_ID` (or `SLACK_BOT_TOKEN`)';

const tokenRefused: Explain = ({ code }, { tokenSetting }) => ({
  problem: `Slack refused the bot token (\`${code}\`).`,
  fix:
    `An admin must put a working bot token (\`xoxb-…\`, from the Slack app's OAuth & Permissions page) in ` +
    `${tokenSetting ?? defaultTokenSetting}` +
    (code === 'token_revoked' || code === 'account_inactive'
      ? ', after installing the app to the workspace again.'
      : '.'),
  misconfigured: true,
});

const formTooLate: Explain = () => ({
  problem: 'The form could not open in time.',
  fix: 'Run the command again.',
  misconfigured: false,
});

const slackDown: Explain = ({ code }) => ({
  problem: `Slack is not answering right now (\`${code}\`).`,
  fix: 'Try again in a minute.',
  misconfigured: false,
});

const inactiveUser: Explain = ({ code }) => ({
  problem: `Slack has no active account to send that direct message to (\`${code}\`).`,
  fix: 'Run the command from an active account.',
  misconfigured: false,
});

const channelName = ({ channelId }: SlackFailureContext): RichText =>
  channelId ? [channelLink(channelId)] : 'the channel';
const inviteFix = (context: SlackFailureContext): RichText =>
  rich`An admin can fix it by typing \`/invite\` ${context.botUserId ? mention(context.botUserId) : '@bot'} in ${channelName(context)}`;

// Codes from Slack's method pages (chat.postMessage, conversations.open, views.open, usergroups.users.list,
// auth.test) and the Web API client's own failures.
const table: Record<string, Explain> = {
  invalid_auth: tokenRefused,
  not_authed: tokenRefused,
  token_revoked: tokenRefused,
  token_expired: tokenRefused,
  account_inactive: tokenRefused,
  ekm_access_denied: tokenRefused,
  team_access_not_granted: tokenRefused,
  missing_scope: ({ neededScope }) => ({
    // Slack names the scope in `needed`; without it the words say so, never a made-up scope in a code span.
    problem: neededScope
      ? `The bot token lacks the Slack permission \`${neededScope}\` (\`missing_scope\`).`
      : 'The bot token lacks a Slack permission that this needs; Slack did not say which (`missing_scope`).',
    fix: "An admin must add it under OAuth & Permissions in the Slack app's settings and install the app again.",
    misconfigured: true,
  }),
  expired_trigger_id: formTooLate,
  invalid_trigger_id: formTooLate,
  exchanged_trigger_id: formTooLate,
  messages_tab_disabled: () => ({
    problem: 'Direct messages to the bot are turned off in the Slack app (`messages_tab_disabled`).',
    fix: "An admin can turn on the Messages tab under App Home in the Slack app's settings.",
    misconfigured: true,
  }),
  cannot_dm_bot: () => ({
    problem: 'Slack does not let the bot send direct messages to a bot user (`cannot_dm_bot`).',
    fix: "Run the command from a person's account.",
    misconfigured: false,
  }),
  user_not_found: inactiveUser,
  user_disabled: inactiveUser,
  user_not_visible: inactiveUser,
  not_in_channel: (_failure, context) => ({
    problem: rich`The bot is not a member of ${channelName(context)} (\`not_in_channel\`).`,
    fix: rich`${inviteFix(context)}.`,
    misconfigured: true,
  }),
  channel_not_found: (_failure, context) => ({
    problem: rich`Slack does not know ${channelName(context)}, or it is private and the bot is not in it (\`channel_not_found\`).`,
    fix: rich`${inviteFix(context)}${context.channelSetting ? `, or correct \`${context.channelSetting}\`` : ''}.`,
    misconfigured: true,
  }),
  is_archived: (_failure, context) => ({
    problem: rich`${channelName(context)} is archived (\`is_archived\`).`,
    fix: `An admin can unarchive it${context.channelSetting ? ` or point \`${context.channelSetting}\` at another channel` : ''}.`,
    misconfigured: true,
  }),
  no_such_subteam: () => ({
    problem: 'Slack does not know one of the configured user groups (`no_such_subteam`).',
    fix: 'An admin must correct the group ids in `VCR_VIEWERS`, `VCR_OPERATORS` and `VCR_ADMINS`.',
    misconfigured: true,
  }),
  ratelimited: ({ retryAfterSeconds }) => ({
    problem: 'Slack is limiting how often the bot may call it right now (`ratelimited`).',
    fix: retryAfterSeconds ? `Try again in ${retryAfterSeconds} seconds.` : 'Try again in a minute.',
    misconfigured: false,
  }),
  fatal_error: slackDown,
  internal_error: slackDown,
  service_unavailable: slackDown,
  request_timeout: slackDown,
  unreachable: slackDown,
};

/** Reads what the Web API client threw as a Slack failure, or undefined when it is not one. */
export function readSlackFailure(error: unknown): SlackFailure | undefined {
  if (error === null || typeof error !== 'object') return undefined;
  const thrown = error as { code?: unknown; data?: unknown; retryAfter?: unknown; statusCode?: unknown };
  const headers = (error as { headers?: Record<string, unknown> }).headers;
  switch (thrown.code) {
    case webApi.ErrorCode.PlatformError: {
      const data = (thrown.data ?? {}) as { error?: unknown; needed?: unknown };
      const code = typeof data.error === 'string' && data.error !== '' ? data.error : 'unknown_error';
      return typeof data.needed === 'string' ? { code, neededScope: data.needed } : { code };
    }
    case webApi.ErrorCode.RateLimitedError:
      return { code: 'ratelimited', ...seconds(thrown.retryAfter) };
    case webApi.ErrorCode.HTTPError:
      if (thrown.statusCode === 429) return { code: 'ratelimited', ...seconds(Number(headers?.['retry-after'])) };
      return { code: `http_${String(thrown.statusCode)}` };
    case webApi.ErrorCode.RequestError:
      return { code: 'unreachable' };
    default:
      return undefined;
  }
}

/** Explains `failure` in plain words; a code the table does not know is named, with the ref as the way forward. */
export function explainSlackFailure(failure: SlackFailure, context: SlackFailureContext = {}): SlackFailureMeaning {
  const explain = table[failure.code] ?? (failure.code.startsWith('http_5') ? slackDown : undefined);
  if (explain) return explain(failure, context);
  return {
    problem: `Slack refused the call (\`${failure.code}\`).`,
    fix: 'If it happens again, an admin can find the details in the log.',
    misconfigured: true,
  };
}

function seconds(value: unknown): { retryAfterSeconds?: number } {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? { retryAfterSeconds: value } : {};
}
