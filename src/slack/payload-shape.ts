/**
 * The shapes of the request bodies the bot answers, checked once for every signed request before Bolt dispatches it.
 * Bolt and the listeners read these fields without checking them, so a body Slack would not send, even correctly
 * signed, is refused here with 400 instead of crashing into a 500 (docs/decisions/0011-payload-shapes.md). Bolt's own
 * order of classification is followed, so that what is checked here is what Bolt then dispatches.
 */

/** Checks one value at `path`; returns what is wrong with it, or undefined when it fits. */
type Check = (value: unknown, path: string) => string | undefined;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const string: Check = (value, path) => (typeof value === 'string' ? undefined : `${path} is not a string`);

const nonEmptyString: Check = (value, path) =>
  typeof value === 'string' && value !== '' ? undefined : `${path} is not a non-empty string`;

const optional =
  (check: Check): Check =>
  (value, path) =>
    value === undefined ? undefined : check(value, path);

// Slack sends `null` for some absent objects, such as `team` in an org-wide install.
const nullable =
  (check: Check): Check =>
  (value, path) =>
    value === undefined || value === null ? undefined : check(value, path);

const object =
  (fields: Record<string, Check>): Check =>
  (value, path) => {
    if (!isRecord(value)) return `${path} is not an object`;
    for (const [key, check] of Object.entries(fields)) {
      const problem = check(value[key], `${path}.${key}`);
      if (problem) return problem;
    }
    return undefined;
  };

const arrayOf =
  (check: Check, options: { nonEmpty?: boolean } = {}): Check =>
  (value, path) => {
    if (!Array.isArray(value)) return `${path} is not an array`;
    if (options.nonEmpty && value.length === 0) return `${path} is empty`;
    for (const [index, item] of value.entries()) {
      const problem = check(item, `${path}[${index}]`);
      if (problem) return problem;
    }
    return undefined;
  };

const recordOf =
  (check: Check): Check =>
  (value, path) => {
    if (!isRecord(value)) return `${path} is not an object`;
    for (const [key, item] of Object.entries(value)) {
      const problem = check(item, `${path}.${key}`);
      if (problem) return problem;
    }
    return undefined;
  };

// Who clicked, submitted or typed: every listener authorizes `user.id`.
const user = object({ id: nonEmptyString, team_id: optional(string) });
const team = nullable(object({ id: string }));
const enterprise = nullable(object({ id: optional(string) }));

// One input of a submitted modal, as src/slack/read-form-values.ts reads it.
const inputState = object({
  type: string,
  value: nullable(string),
  selected_option: nullable(object({ value: string })),
  selected_options: nullable(arrayOf(object({ value: string }))),
});

const view = (extra: Record<string, Check> = {}) =>
  object({
    id: optional(string),
    callback_id: string,
    private_metadata: optional(string),
    app_installed_team_id: nullable(string),
    blocks: optional(arrayOf(object({ block_id: optional(string) }))),
    ...extra,
  });

// Bolt reads `response_urls` of every interaction that has no `response_url`, to build `respond()`, and the id of a
// `channel` that is not undefined (so null is no more welcome than a string).
const interaction = {
  user,
  team,
  enterprise,
  channel: optional(object({ id: string })),
  response_url: optional(string),
  response_urls: optional(arrayOf(object({ response_url: string }))),
  trigger_id: optional(string),
};

const slashCommand = object({
  command: nonEmptyString,
  user_id: nonEmptyString,
  team_id: optional(string),
  channel_id: optional(string),
  enterprise_id: optional(string),
  text: optional(string),
  response_url: optional(string),
  trigger_id: optional(string),
});

const blockActions = object({
  ...interaction,
  message: nullable(object({ ts: optional(string) })),
  container: nullable(object({})),
  actions: arrayOf(
    object({
      action_id: string,
      block_id: optional(string),
      type: optional(string),
      value: optional(string),
    }),
    { nonEmpty: true },
  ),
});

const viewSubmission = object({
  ...interaction,
  view: view({ state: object({ values: recordOf(recordOf(inputState)) }), blocks: arrayOf(object({})) }),
});

const viewClosed = object({ ...interaction, view: view() });

const blockSuggestion = object({
  ...interaction,
  action_id: string,
  block_id: optional(string),
  value: optional(string),
  view: nullable(view()),
  container: nullable(object({})),
});

// The one event the bot subscribes to. Bolt reads `event.channel` (a string, or an object with an `id`: null would
// crash it), `event.item`, the first of `authorizations`, and the user who opened the tab.
const appHomeOpened = object({
  type: string,
  user: nonEmptyString,
  tab: optional(string),
  channel: optional(string),
  item: optional(object({})),
  channel_id: optional(string),
});

const eventCallback = object({
  team_id: optional(string),
  authorizations: optional(arrayOf(object({ team_id: nullable(string), enterprise_id: nullable(string) }))),
  event: object({ type: string }),
});

// Long or odd values are only ever named by this much in a log line.
const maxShown = 40;

/**
 * Returns why `body` (as Bolt decodes it) is not a request the bot answers, naming the first field at fault, or
 * undefined when it is: a slash command, a `block_actions`, `view_submission`, `view_closed` or `block_suggestion`
 * interaction, an `app_home_opened` event, or one of the checks Bolt answers itself (`ssl_check`,
 * `url_verification`).
 */
export function payloadProblem(body: unknown): string | undefined {
  if (!isRecord(body)) return `the body is ${body === null ? 'null' : Array.isArray(body) ? 'an array' : typeof body}`;
  if (body.ssl_check !== undefined && body.ssl_check !== null) return undefined;
  if (body.type === 'url_verification') return string(body.challenge, 'challenge');
  // The same order as Bolt's getTypeAndConversation, so a body is checked as the kind Bolt will dispatch it as.
  if (body.event !== undefined) return eventProblem(body);
  if (body.command !== undefined) return slashCommand(body, 'body');
  if (body.name !== undefined || body.type === 'block_suggestion') {
    return body.type === 'block_suggestion' ? blockSuggestion(body, 'body') : notAnswered(body.type);
  }
  if (body.actions !== undefined || body.type === 'dialog_submission') {
    return body.type === 'block_actions' ? blockActions(body, 'body') : notAnswered(body.type);
  }
  if (body.type === 'view_submission') return viewSubmission(body, 'body');
  if (body.type === 'view_closed') return viewClosed(body, 'body');
  return notAnswered(body.type);
}

function notAnswered(type: unknown): string {
  if (type === undefined) return 'it is no kind of request the bot answers';
  const shown =
    typeof type === 'string' ? JSON.stringify(type.slice(0, maxShown)) : type === null ? 'null' : typeof type;
  return `its type ${shown} is not one the bot answers`;
}

// An Events API delivery: only `event_callback` carries an event, and only `app_home_opened` is subscribed to.
function eventProblem(body: Record<string, unknown>): string | undefined {
  if (body.type !== 'event_callback') return notAnswered(body.type);
  const problem = eventCallback(body, 'body');
  if (problem) return problem;
  const event = body.event as Record<string, unknown>;
  if (event.type !== 'app_home_opened') {
    return `its event type ${JSON.stringify(String(event.type).slice(0, maxShown))} is not one the bot subscribes to`;
  }
  return appHomeOpened(event, 'body.event');
}
