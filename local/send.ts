/**
 * `npm run send`: plays Slack against the bot `npm start` runs. It signs a slash command, a button click or a modal
 * submit with the run's signing secret, prints the ack, waits for the jobs it started, and prints what the bot sent
 * back (response_url posts, DMs, modals) as text. Replies go to response_urls of the fake Slack that `npm start`
 * runs, so a reply that comes later (a modal submit answers the command that opened it) is still shown.
 *
 *   npm run send -- "repos"                          slash command as the local admin
 *   npm run send -- --as viewer "repo delete x"      as another local user (viewer, operator, admin or a U… id)
 *   npm run send -- --click 2 | --click Confirm      a button of the last reply, by number or label
 *   npm run send -- --submit name=ci-robot1 push=payments-api pull=web-frontend  submit the last modal
 *   npm run send -- --submit user=qa-reader access=pull      pickers take names: repositories, users, images
 *   npm run send -- --as viewer --home               opens the Home tab (app_home_opened) and prints what is published
 *
 * An approval (docs/decisions/0015-approvals.md) needs two people: the card posted in the channel is printed with its
 * buttons, and every later `chat.update` of it and reply in its thread too:
 *   npm run send -- --as operator "image delete payments-api/base/node-runtime"
 *   npm run send -- --as operator --click Delete       the card is posted; nothing runs
 *   npm run send -- --click Approve                    the local admin approves; the card is updated
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fieldNameOf } from '../src/slack/ids';
import { signSlackRequest } from './fakes/slack-signature';
import { defaultLocalPort, type LocalSession, localSessionDir, localUsers, readLocalSession } from './local-session';
import { type RenderedButton, renderModalText, renderSlackText } from './slack-text';

/** What the previous `send` left for the next one: the last buttons shown and the last modal opened. */
interface SendState {
  buttons: RenderedButton[];
  view?: Record<string, unknown>;
}

interface Parsed {
  userId: string;
  text?: string;
  click?: string;
  submit?: Record<string, string>;
  home?: boolean;
}

type Json = Record<string, unknown>;

const usage = `usage: npm run send -- [--as viewer|operator|admin|U…] "COMMAND TEXT"
       npm run send -- [--as …] --click LABEL|NUMBER
       npm run send -- [--as …] --submit name=value [name=value …]
       npm run send -- [--as …] --home
(a picker field takes what the picker offers: a repository name, a user name or backend name, an image name)`;

async function main(): Promise<void> {
  const port = Number(process.env.PORT ?? defaultLocalPort);
  const session = readLocalSession(port);
  if (!session) fail(`No local bot on port ${port}: run \`npm start\` first (or set PORT to the port it uses).`);
  const parsed = parseArgs(process.argv.slice(2));
  const state = readState(port);
  const before = await activity(session);
  let body: string;
  let contentType = 'application/x-www-form-urlencoded';
  if (parsed.home) {
    body = homeOpenedBody(session, parsed.userId);
    contentType = 'application/json';
  } else if (parsed.click !== undefined) {
    body = clickBody(session, parsed.userId, findButton(state, parsed.click), await responseUrl(session));
  } else if (parsed.submit !== undefined) {
    if (!state.view) fail('No modal is open: run a command that opens one first, e.g. "user create".');
    body = await submitBody(session, parsed.userId, state.view, parsed.submit);
  } else {
    body = commandBody(session, parsed.userId, parsed.text ?? '', await responseUrl(session));
  }

  const started = Date.now();
  const ack = await post(session, body, contentType);
  console.log(`ack ${ack.status} in ${Date.now() - started} ms`);
  const ackBody = printAck(ack.text);

  const after = await activity(session, before);
  // A modal refused with field errors stays open in Slack, so it can be submitted again.
  const keepView = parsed.submit === undefined || ackBody?.response_action === 'errors';
  const next: SendState = { buttons: state.buttons, view: keepView ? state.view : undefined };
  for (const reply of after.responses.items) {
    // A delete of the working line carries no message: the buttons of the answer before it stay clickable.
    if (reply.body.delete_original) {
      console.log('\n(deletes the working line)');
      continue;
    }
    const kind = [reply.body.response_type ?? 'ephemeral', reply.body.replace_original ? 'replaces the original' : '']
      .filter(Boolean)
      .join(', ');
    next.buttons = printMessage(`reply (${kind})`, reply.body, next.buttons);
  }
  for (const call of after.calls.items) {
    if (call.method === 'chat.postMessage') {
      const channel = String(call.body.channel ?? '');
      const thread = call.body.thread_ts === undefined ? '' : ` (thread of ${String(call.body.thread_ts)})`;
      const title = channel.startsWith('D') ? `DM (${channel})` : `message in ${channel}${thread}`;
      next.buttons = printMessage(title, call.body, next.buttons);
    } else if (call.method === 'chat.update') {
      const where = `${String(call.body.channel ?? '')} ${String(call.body.ts ?? '')}`;
      next.buttons = printMessage(`message updated in place (${where})`, call.body, next.buttons);
    } else if (call.method === 'views.publish') {
      next.buttons = printMessage(`Home tab of ${String(call.body.user_id)}`, call.body.view as Json, next.buttons);
    } else if (call.method.startsWith('views.')) {
      // Like Slack, every opened view has its own id and hash: the bot treats a second submit of one view as a
      // duplicate, so two different forms must never look alike.
      next.view = {
        ...(call.body.view as Json),
        id: `V${randomBytes(5).toString('hex').toUpperCase()}`,
        hash: `${Date.now()}.${randomBytes(4).toString('hex')}`,
      };
      console.log(`\n${renderModalText(next.view)}\nsubmit with: npm run send -- --submit name=value …`);
    }
  }
  writeState(port, next);
}

function parseArgs(args: string[]): Parsed {
  const words: string[] = [];
  let userId: string = localUsers.admin;
  let click: string | undefined;
  let submit: Record<string, string> | undefined;
  let home = false;
  for (let index = 0; index < args.length; index += 1) {
    const arg = args[index]!;
    if (arg === '--as') {
      const who = args[++index] ?? fail(usage);
      userId = who in localUsers ? localUsers[who as keyof typeof localUsers] : who;
    } else if (arg === '--home') {
      home = true;
    } else if (arg === '--click') {
      click = args[++index] ?? fail(usage);
    } else if (arg === '--submit') {
      submit = {};
      for (const pair of args.slice(index + 1)) {
        const at = pair.indexOf('=');
        if (at < 1) fail(`--submit takes name=value pairs; got ${JSON.stringify(pair)}\n${usage}`);
        submit[pair.slice(0, at)] = pair.slice(at + 1);
      }
      break;
    } else if (arg === '--help' || arg === '-h') {
      fail(usage);
    } else {
      words.push(arg);
    }
  }
  if (!home && click === undefined && submit === undefined && words.length === 0) fail(usage);
  return { userId, text: words.join(' '), click, submit, home };
}

function commandBody(session: LocalSession, userId: string, text: string, responseUrl: string): string {
  return new URLSearchParams({
    team_id: session.teamId,
    team_domain: 'local',
    channel_id: session.channelId,
    channel_name: 'local-ops',
    user_id: userId,
    user_name: userId.toLowerCase(),
    command: session.command,
    // Slack escapes what the user typed before sending it (docs/decisions/0009-escaping-and-cutting.md).
    text: text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'),
    api_app_id: 'A0LOCAL',
    response_url: responseUrl,
    trigger_id: triggerId(),
  }).toString();
}

/** An Events API delivery of `app_home_opened`, as Slack posts it when `userId` opens the app's Home tab. */
function homeOpenedBody(session: LocalSession, userId: string): string {
  return JSON.stringify({
    type: 'event_callback',
    team_id: session.teamId,
    api_app_id: 'A0LOCAL',
    event: { type: 'app_home_opened', user: userId, channel: 'D0LOCAL', tab: 'home', event_ts: triggerId() },
    event_id: `Ev${randomBytes(5).toString('hex').toUpperCase()}`,
    event_time: Math.floor(Date.now() / 1000),
  });
}

function clickBody(session: LocalSession, userId: string, button: RenderedButton, responseUrl: string): string {
  if (button.confirm) console.log(`Slack would ask first: "${button.confirm}" (confirmed)`);
  const messageTs = `${Math.floor(Date.now() / 1000)}.000100`;
  return payloadBody({
    type: 'block_actions',
    user: { id: userId, username: userId.toLowerCase(), team_id: session.teamId },
    api_app_id: 'A0LOCAL',
    container: { type: 'message', message_ts: messageTs, channel_id: session.channelId, is_ephemeral: true },
    trigger_id: triggerId(),
    team: { id: session.teamId, domain: 'local' },
    channel: { id: session.channelId, name: 'local-ops' },
    message: { type: 'message', ts: messageTs, text: '' },
    response_url: responseUrl,
    actions: [
      {
        type: 'button',
        action_id: button.action_id,
        block_id: 'b0',
        text: { type: 'plain_text', text: button.label },
        value: button.value,
        action_ts: messageTs,
      },
    ],
  });
}

/** Builds the modal's state as Slack would report it: given values, else each input's initial value. */
async function submitBody(
  session: LocalSession,
  userId: string,
  view: Json,
  given: Record<string, string>,
): Promise<string> {
  const values: Record<string, Record<string, Json>> = {};
  const known: string[] = [];
  for (const block of (view.blocks as Json[] | undefined) ?? []) {
    if (block.type !== 'input') continue;
    const blockId = String(block.block_id);
    const name = fieldNameOf(blockId) ?? blockId;
    known.push(name);
    const element = block.element as Json;
    const actionId = String(element.action_id);
    const typed = given[name];
    const picker = { session, userId, view, blockId, actionId };
    values[blockId] = { [actionId]: await inputState(picker, element, typed) };
  }
  const unknown = Object.keys(given).filter((name) => !known.includes(name));
  if (unknown.length > 0) fail(`The modal has no field ${unknown.join(', ')}; its fields are ${known.join(', ')}.`);
  return payloadBody({
    type: 'view_submission',
    team: { id: session.teamId, domain: 'local' },
    user: { id: userId, name: userId.toLowerCase(), team_id: session.teamId },
    api_app_id: 'A0LOCAL',
    trigger_id: triggerId(),
    view: { id: 'V0LOCAL', type: 'modal', team_id: session.teamId, ...view, state: { values } },
    response_urls: [],
  });
}

/** Where a picker sits, for the options request that resolves a typed name. */
interface PickerSource {
  session: LocalSession;
  userId: string;
  view: Json;
  blockId: string;
  actionId: string;
}

async function inputState(picker: PickerSource, element: Json, typed: string | undefined) {
  const type = String(element.type);
  const options = (element.options as { text: { text: string }; value: string }[] | undefined) ?? [];
  switch (type) {
    case 'checkboxes': {
      const ticked = typed === undefined ? ((element.initial_options as unknown[]) ?? []).length > 0 : typed === 'true';
      return { type, selected_options: ticked ? options : [] };
    }
    case 'static_select': {
      if (typed === undefined) return { type, selected_option: element.initial_option ?? null };
      const option = options.find((candidate) => candidate.value === typed || candidate.text.text === typed);
      if (!option) fail(`${JSON.stringify(typed)} is not one of ${options.map((o) => o.value).join(', ')}.`);
      return { type, selected_option: option };
    }
    case 'external_select': {
      if (typed === undefined) return { type, selected_option: element.initial_option ?? null };
      return { type, selected_option: typed === '' ? null : await pickOption(picker, typed) };
    }
    case 'multi_external_select': {
      if (typed === undefined) return { type, selected_options: element.initial_options ?? [] };
      const names = typed
        .split(',')
        .map((name) => name.trim())
        .filter(Boolean);
      return { type, selected_options: await Promise.all(names.map((name) => pickOption(picker, name))) };
    }
    default:
      return { type, value: typed ?? (element.initial_value as string | undefined) ?? null };
  }
}

/**
 * Resolves a typed name the way a picker does: an options request to the bot from the open modal (Slack sends the
 * view with it, and the bot checks its form), then an exact match on the option's value, its text, or the name or
 * backend name a user option shows as `name (backendName)`.
 */
async function pickOption(picker: PickerSource, name: string) {
  const { session, userId, view } = picker;
  const body = payloadBody({
    type: 'block_suggestion',
    user: { id: userId, name: userId.toLowerCase(), team_id: session.teamId },
    container: { type: 'view', view_id: 'V0LOCAL' },
    api_app_id: 'A0LOCAL',
    action_id: picker.actionId,
    block_id: picker.blockId,
    value: name,
    team: { id: session.teamId, domain: 'local' },
    view: { id: 'V0LOCAL', type: 'modal', team_id: session.teamId, ...view },
  });
  const answer = await post(session, body);
  const options =
    ((JSON.parse(answer.text || '{}') as Json).options as { text: { text: string }; value: string }[]) ?? [];
  const option = options.find(
    ({ text, value }) =>
      value === name || text.text === name || text.text.startsWith(`${name} (`) || text.text.endsWith(` (${name})`),
  );
  if (!option) {
    const offered = options.map((candidate) => candidate.text.text).join(', ');
    fail(`The picker offers no ${JSON.stringify(name)}${offered ? `; it offers ${offered}` : ''}.`);
  }
  return option;
}

function findButton(state: SendState, which: string): RenderedButton {
  const wanted = which.toLowerCase();
  const button = /^\d+$/.test(which)
    ? state.buttons.find((candidate) => candidate.number === Number(which))
    : (state.buttons.find((candidate) => candidate.label.toLowerCase() === wanted) ??
      state.buttons.find((candidate) => candidate.label.toLowerCase().includes(wanted)));
  if (!button) {
    const shown = state.buttons.map((candidate) => `[${candidate.number}] ${candidate.label}`).join('  ');
    fail(shown ? `No button ${JSON.stringify(which)}; the last reply has ${shown}` : 'The last reply has no buttons.');
  }
  return button;
}

async function post(
  session: LocalSession,
  body: string,
  contentType = 'application/x-www-form-urlencoded',
): Promise<{ status: number; text: string }> {
  const response = await fetch(session.url, {
    method: 'POST',
    headers: { 'content-type': contentType, ...signSlackRequest(body, session.signingSecret) },
    body,
  });
  return { status: response.status, text: await response.text() };
}

/** What the bot sent to the fake Slack: Web API calls and response_url posts, each with the count so far. */
interface Activity {
  calls: { next: number; items: { method: string; body: Json }[] };
  responses: { next: number; items: { url: string; body: Json }[] };
}

/** Waits for the bot's jobs to finish and returns what it sent since `since` (only the counts without it). */
async function activity(session: LocalSession, since?: Activity): Promise<Activity> {
  const query = since
    ? `calls=${since.calls.next}&responses=${since.responses.next}`
    : `calls=${Number.MAX_SAFE_INTEGER}&responses=${Number.MAX_SAFE_INTEGER}`;
  const response = await fetch(`${session.localUrl}/activity?${query}`, { signal: AbortSignal.timeout(120_000) });
  return (await response.json()) as Activity;
}

async function responseUrl(session: LocalSession): Promise<string> {
  const response = await fetch(`${session.localUrl}/response-url`);
  return ((await response.json()) as { url: string }).url;
}

function printAck(text: string): Json | undefined {
  if (text === '') return undefined;
  let body: Json;
  try {
    body = JSON.parse(text) as Json;
  } catch {
    console.log(text);
    return undefined;
  }
  if (body.response_action === 'errors') {
    for (const [field, error] of Object.entries(body.errors as Record<string, string>)) {
      console.log(`  ${fieldNameOf(field) ?? field}: ${error}`);
    }
  } else if (body.response_action) {
    console.log(`(modal ${String(body.response_action)})`);
    if (body.view) console.log(renderModalText(body.view as Json));
  } else {
    console.log(renderSlackText(body).text);
  }
  return body;
}

function printMessage(title: string, message: Json, buttons: RenderedButton[]): RenderedButton[] {
  const rendered = renderSlackText(message);
  console.log(`\n--- ${title} ---\n${rendered.text}`);
  return rendered.buttons.length > 0 ? rendered.buttons : buttons;
}

function readState(port: number): SendState {
  try {
    return JSON.parse(readFileSync(join(localSessionDir(port), 'last-reply.json'), 'utf8')) as SendState;
  } catch {
    return { buttons: [] };
  }
}

function writeState(port: number, state: SendState): void {
  writeFileSync(join(localSessionDir(port), 'last-reply.json'), JSON.stringify(state), { mode: 0o600 });
}

function payloadBody(payload: Json): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

function triggerId(): string {
  return `${Date.now()}.${randomBytes(6).toString('hex')}`;
}

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

main().catch((error: Error) => {
  fail(`send failed: ${error.message}`);
});
