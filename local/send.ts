/**
 * `npm run send`: plays Slack against the demo bot `npm run serve` runs when no Slack credentials are set (for one
 * interactive process, `npm start` is the console instead). It signs a slash command, a button click or a modal
 * submit with the run's signing secret, prints the ack, waits for the jobs it started, and prints what the bot sent
 * back (response_url posts, DMs, modals) as text. Replies go to response_urls of the fake Slack that `npm run serve`
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
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fieldNameOf } from '../src/slack/ids';
import { type ActivityCall, createActivityDescriber, type MessageOrigin } from './activity-describer';
import type { FakeSlackResponse } from './fakes/slack-api';
import { defaultLocalPort, type LocalSession, localSessionDir, localUsers, readLocalSession } from './local-session';
import { createLocalSlackDriver, LocalDriverError, type LocalSlackDriver, openedView } from './local-slack-driver';
import { localNames } from './local-stack';
import { printable, type RenderedButton, renderModalText, renderSlackText } from './slack-text';

/** A button shown by an earlier `send`, with where its message sits. */
type SavedButton = RenderedButton & { origin?: MessageOrigin };

/** What the previous `send` left for the next one: the last buttons shown and the last modal opened. */
interface SendState {
  buttons: SavedButton[];
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

const usage = `usage: npm run send -- [--as viewer|operator|admin|admin2|U…] "COMMAND TEXT"
       npm run send -- [--as …] --click LABEL|NUMBER
       npm run send -- [--as …] --submit name=value [name=value …]
       npm run send -- [--as …] --home
(a picker field takes what the picker offers: a repository name, a user name or backend name, an image name)
It drives the demo bot of \`npm run serve\` (started with no Slack credentials); \`npm start\` is the one-process console.`;

const describe = createActivityDescriber(localNames);

async function main(): Promise<void> {
  const port = Number(process.env.PORT ?? defaultLocalPort);
  const session = readLocalSession(port);
  if (!session) fail(`No local bot on port ${port}: run \`npm run serve\` first (or set PORT to the port it uses).`);
  const parsed = parseArgs(process.argv.slice(2));
  const state = readState(port);
  const driver = createLocalSlackDriver({
    workspace: session,
    signingSecret: session.signingSecret,
    post: async (body, headers) => {
      const response = await fetch(session.url, { method: 'POST', headers, body });
      return { status: response.status, text: await response.text() };
    },
  });
  const before = await activity(session);
  const started = Date.now();
  const ack = await act(driver, session, parsed, state);
  console.log(`ack ${ack.status} in ${Date.now() - started} ms`);
  const ackBody = printAck(ack.text);

  const after = await activity(session, before);
  // A modal refused with field errors stays open in Slack, so it can be submitted again.
  const keepView = parsed.submit === undefined || ackBody?.response_action === 'errors';
  const next: SendState = { buttons: state.buttons, view: keepView ? state.view : undefined };
  for (const delivery of describe({ calls: after.calls.items, responses: after.responses.items })) {
    // A delete of the working line carries no message: the buttons of the answer before it stay clickable.
    if (delivery.kind === 'deleted') {
      console.log(`\n(${delivery.where})`);
    } else if (delivery.kind === 'message') {
      const rendered = renderSlackText(delivery.message, {
        nameOf: localNames.userName,
        channelNameOf: localNames.channelName,
      });
      console.log(`\n--- ${delivery.where} ---\n${rendered.text}`);
      if (rendered.buttons.length > 0) {
        next.buttons = rendered.buttons.map((button) => ({ ...button, origin: delivery.origin }));
      }
    } else {
      next.view = openedView(delivery.view);
      console.log(`\n${renderModalText(next.view)}\nsubmit with: npm run send -- --submit name=value …`);
    }
  }
  writeState(port, next);
}

async function act(driver: LocalSlackDriver, session: LocalSession, parsed: Parsed, state: SendState) {
  try {
    if (parsed.click !== undefined) {
      const button = findButton(state, parsed.click);
      // Slack would ask first; sending the click from the command line is the answer yes.
      if (button.confirm) console.log(`Slack would ask first: "${button.confirm}" (confirmed)`);
      const origin = button.origin ?? { isEphemeral: true };
      return await driver.click(parsed.userId, button, {
        ...origin,
        responseUrl: origin.responseUrl ?? (await responseUrl(session)),
      });
    }
    if (parsed.home) return await driver.openHome(parsed.userId);
    if (parsed.submit !== undefined) {
      if (!state.view) fail('No modal is open: run a command that opens one first, e.g. "user create".');
      return await driver.submit(parsed.userId, state.view, parsed.submit);
    }
    return await driver.command(parsed.userId, parsed.text ?? '', await responseUrl(session));
  } catch (error) {
    if (error instanceof LocalDriverError) fail(error.message);
    throw error;
  }
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
      if (who in localUsers) userId = localUsers[who as keyof typeof localUsers];
      // Anything else must look like a Slack user id: a typo of a name would otherwise act as an unknown reader.
      else if (/^[UW][A-Z0-9]{2,}$/.test(who)) userId = who;
      else fail(`No demo user ${JSON.stringify(who)}: one of ${Object.keys(localUsers).join(', ')}, or a U… id.`);
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

function findButton(state: SendState, which: string): SavedButton {
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

/** What the bot sent to the fake Slack: Web API calls and response_url posts, each with the count so far. */
interface Activity {
  calls: { next: number; items: ActivityCall[] };
  responses: { next: number; items: FakeSlackResponse[] };
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
    console.log(printable(text));
    return undefined;
  }
  if (body.response_action === 'errors') {
    for (const [field, error] of Object.entries(body.errors as Record<string, string>)) {
      console.log(`  ${printable(fieldNameOf(field) ?? field)}: ${printable(error)}`);
    }
  } else if (body.response_action) {
    console.log(`(modal ${String(body.response_action)})`);
    if (body.view) console.log(renderModalText(body.view as Json));
  } else {
    console.log(renderSlackText(body).text);
  }
  return body;
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

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

main().catch((error: Error) => {
  fail(`send failed: ${error.message}`);
});
