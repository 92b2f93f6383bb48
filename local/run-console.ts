/**
 * The interactive console of `npm start`: a person types what they would type in Slack, the console sends it as a
 * signed Slack request to the real HTTP entry (in-process), waits for the bot's jobs, and prints everything the bot
 * sent, labelled with where it went. Buttons become numbered choices, modals a few prompts, confirm dialogs a y/n
 * question. From a pipe it reads one line after another and ends at the end of input
 * (docs/decisions/0020-local-console.md).
 */
import { stripVTControlCharacters, styleText } from 'node:util';
import { createActivityDescriber, type MessageOrigin } from './activity-describer';
import { type ConsoleContext, consoleCommands } from './console-commands';
import { createLineReader, type LineReader } from './console-line-reader';
import { localUsers } from './local-session';
import {
  createLocalSlackDriver,
  fieldKey,
  inputBlocks,
  LocalDriverError,
  type LocalSlackDriver,
  openedView,
  type SlackAck,
} from './local-slack-driver';
import { type LocalStack, localNames, localUserRoles, localWorkspace } from './local-stack';
import { slackEvent } from './slack-http-server';
import { printable, type RenderedButton, renderSlackText, type TextStyler, terminalText } from './slack-text';
import { watchPassSummary } from './watch-pass-text';

/**
 * Whether the console talks to a person (both streams are terminals: prompts, line editing, history) and whether it
 * prints colours (only to a terminal, and never when NO_COLOR is set to anything but the empty string).
 */
export function consoleModeOf(options: {
  inputIsTTY: boolean;
  outputIsTTY: boolean;
  env: Record<string, string | undefined>;
}): { terminal: boolean; color: boolean } {
  return {
    terminal: options.inputIsTTY && options.outputIsTTY,
    color: options.outputIsTTY && !options.env.NO_COLOR,
  };
}

/** What `runConsole` reads from, writes to, and drives. */
export interface ConsoleOptions {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  /** The running stack the console drives; the caller starts and closes it. */
  stack: LocalStack;
  /** True when a person types at a terminal: prompts, line editing and history; false for a pipe. */
  terminal: boolean;
  /** Whether to print colours (a terminal without NO_COLOR). */
  color: boolean;
  /** The demo user who acts first (admin by default). */
  user?: keyof typeof localUsers;
}

// Every reply about an error the bot logged carries its ref, "Something went wrong (ref …)" for a bug
// (src/slack/failure-reply.ts); the console's exit code reports them, a refusal or a usage answer has none.
const botFailure = /\(ref `?[0-9a-f]{6,}`?\)/;

/** A button on show, with where its message sits so a click carries the right origin. */
interface ShownButton extends RenderedButton {
  origin: MessageOrigin;
}

/**
 * Runs the console until the end of input or `:quit`, and resolves its exit code: 0, or 1 when the bot failed at
 * least once (a non-2xx answer, a "Something went wrong" reply) or the console itself hit an error.
 */
export async function runConsole(options: ConsoleOptions): Promise<number> {
  const { stack, terminal } = options;
  const style: TextStyler = options.color ? (styles, text) => styleText(styles, text) : (_styles, text) => text;
  // A reader that went away (`npm start | head -3`) ends the console after the line at hand, like the end of input:
  // nothing more is run for nobody to see, and no EPIPE crashes the process.
  let outputClosed = false;
  options.output.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') throw error;
    outputClosed = true;
  });
  const print = (text: string): void => {
    // A pipe closed before the console started (its banner met the EPIPE) is already destroyed.
    if ((options.output as { destroyed?: boolean }).destroyed) outputClosed = true;
    if (!outputClosed) options.output.write(`${text}\n`);
  };
  const reader: LineReader = createLineReader({ input: options.input, output: options.output, terminal });
  const nameOf = localNames.userName;
  const channelNameOf = localNames.channelName;
  // Whose reply a response_url carries: a reply to a request goes to its requester even after another user acts.
  const responseUrlOwners = new Map<string, string>();
  const describe = createActivityDescriber({
    ...localNames,
    responseUrlOwner: (url) => responseUrlOwners.get(url),
  });
  const newResponseUrl = () => {
    const url = stack.slack.responseUrl();
    responseUrlOwners.set(url, userName);
    return url;
  };
  const driver: LocalSlackDriver = createLocalSlackDriver({
    workspace: localWorkspace,
    signingSecret: stack.signingSecret,
    post: async (body, headers) => {
      const result = await stack.handlers.http(slackEvent({ body, headers }));
      return { status: result.statusCode, text: typeof result.body === 'string' ? result.body : '' };
    },
  });

  let userName: keyof typeof localUsers = options.user ?? 'admin';
  let buttons: ShownButton[] = [];
  let failed = false;
  let quitting = false;
  let seenCalls = stack.slack.calls.length;
  let seenResponses = stack.slack.responses.length;

  const userId = () => localUsers[userName];
  const ask = async (prompt: string): Promise<string | undefined> => {
    const line = await reader.next(prompt);
    // From a pipe nothing shows what was answered: echo it, so the output reads as a transcript.
    if (!terminal && line !== undefined) print(`${prompt}${printable(line)}`);
    return line;
  };
  const noteFailure = (text: string) => {
    if (botFailure.test(stripVTControlCharacters(text))) failed = true;
  };

  const checkAck = (ack: SlackAck, what: string): boolean => {
    if (ack.status >= 200 && ack.status < 300) return true;
    failed = true;
    print(
      style(['red', 'bold'], `The bot answered ${ack.status} to ${what}${ack.text ? `: ${printable(ack.text)}` : ''}.`),
    );
    return false;
  };

  // Prints a message's text; returns the buttons it shows, numbered after `first - 1`.
  const printMessage = (where: string, message: Record<string, unknown>, origin: MessageOrigin, first: number) => {
    const rendered = renderSlackText(message, { style, nameOf, channelNameOf, firstButton: first });
    noteFailure(rendered.text);
    print(style(['magenta'], `→ ${where}`));
    if (rendered.text) print(indent(rendered.text));
    return rendered.buttons.map((button) => ({ ...button, origin }));
  };

  // Prints what the bot sent since last time; a modal it opened is filled in right away.
  const showActivity = async (): Promise<void> => {
    await stack.handlers.idle();
    const calls = stack.slack.calls.slice(seenCalls);
    const responses = stack.slack.responses.slice(seenResponses);
    seenCalls += calls.length;
    seenResponses += responses.length;
    const deliveries = describe({ calls, responses });
    const shown: ShownButton[] = [];
    let view: Record<string, unknown> | undefined;
    for (const delivery of deliveries) {
      if (delivery.kind === 'message') {
        shown.push(...printMessage(delivery.where, delivery.message, delivery.origin, shown.length + 1));
      } else if (delivery.kind === 'deleted') {
        if (terminal) print(style(['dim'], `→ ${delivery.where}`));
      } else {
        view = delivery.view;
      }
    }
    // A batch with no buttons (an audit line, a DM) leaves the earlier buttons clickable, as they are in Slack.
    if (shown.length > 0) buttons = shown;
    if (view) await fillModal(openedView(view));
  };

  const showAck = (ack: SlackAck) => {
    if (!ack.text) return;
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(ack.text) as Record<string, unknown>;
    } catch {
      noteFailure(ack.text);
      print(indent(printable(ack.text)));
      return;
    }
    if (body.text || body.blocks) {
      const shown = printMessage(`reply only ${userName} sees`, body, { isEphemeral: true }, 1);
      if (shown.length > 0) buttons = shown;
    }
  };

  const promptField = async (view: Record<string, unknown>, block: Record<string, unknown>, current?: string) => {
    const element = (block.element ?? {}) as Record<string, unknown>;
    const name = fieldKey(block);
    const label = terminalText(block.label);
    const initial = current ?? initialText(element);
    const type = String(element.type);
    // A field asked again follows the bot's error, which says more than the hint.
    if (block.hint && terminal && current === undefined) print(style(['dim'], `  ${terminalText(block.hint)}`));
    let choices: string[] = [];
    if (type === 'static_select') {
      choices = ((element.options as { value: string }[] | undefined) ?? []).map((option) => option.value);
    } else if (type === 'external_select' || type === 'multi_external_select') {
      // What the picker offers now: the same options request Slack sends when the menu opens.
      const offered = await driver.options(userId(), view, name, '');
      choices = offered.map((option) => option.text.text);
    }
    if (choices.length > 0) {
      print(
        style(
          ['dim'],
          `  ${label} offers: ${choices.map((choice, index) => `${index + 1}) ${printable(choice)}`).join('  ')}`,
        ),
      );
    }
    const kind = type === 'checkboxes' ? ' (y/n)' : type === 'multi_external_select' ? ' (comma separated)' : '';
    // Some labels say it already, e.g. "Why? (optional; …)".
    const optional = block.optional && !/optional/i.test(label) ? ' (optional)' : '';
    const shown = initial ? ` [${printable(initial)}]` : '';
    for (;;) {
      const answer = await ask(`  ${label}${kind}${optional}${shown}: `);
      if (answer === undefined || answer.trim() === ':cancel') return undefined;
      const typed = answer.trim();
      const value = typed === '' ? initial : typed === '-' ? '' : typed;
      // A number picks from the list shown; user options read `name (backendName)`, and the name is enough.
      const parts = (type === 'multi_external_select' ? value.split(',') : [value])
        .map((part) => part.trim())
        .filter((part) => part !== '')
        .map((part) => (/^\d+$/.test(part) && choices[Number(part) - 1] ? choices[Number(part) - 1]! : part))
        .map((part) => (type.includes('external') ? part.replace(/ \(.*\)$/, '') : part));
      const unknown = type.includes('external') ? await unknownOptions(view, name, parts) : [];
      if (unknown.length === 0) return parts.join(', ');
      print(style(['yellow'], `  ${label} offers no ${unknown.join(', ')}; answer with a name or number shown.`));
    }
  };

  // The picker's own answer for each typed name decides, as Slack only lets a person pick what it offers.
  const unknownOptions = async (view: Record<string, unknown>, field: string, names: string[]) => {
    const unknown: string[] = [];
    for (const name of names) {
      const offered = await driver.options(userId(), view, field, name);
      if (!offered.some((option) => option.text.text === name || option.text.text.startsWith(`${name} (`))) {
        unknown.push(JSON.stringify(name));
      }
    }
    return unknown;
  };

  // Asks for each field, submits, and asks again for the fields the bot refused, with its words.
  const fillModal = async (view: Record<string, unknown>): Promise<void> => {
    print(style(['bold'], `→ modal opened: ${terminalText(view.title)}`));
    for (const block of (view.blocks as Record<string, unknown>[] | undefined) ?? []) {
      if (block.type !== 'input') {
        const { text } = renderSlackText({ blocks: [block] }, { style, nameOf, channelNameOf });
        if (text) print(indent(text));
      }
    }
    const given: Record<string, string> = {};
    let toAsk = inputBlocks(view);
    for (;;) {
      for (const block of toAsk) {
        const value = await promptField(view, block, given[fieldKey(block)]);
        if (value === undefined) {
          print('  (modal closed, nothing submitted)');
          return;
        }
        given[fieldKey(block)] = value;
      }
      let ack: SlackAck;
      try {
        ack = await driver.submit(userId(), view, given);
      } catch (error) {
        if (!(error instanceof LocalDriverError)) throw error;
        print(style(['yellow'], `  ${printable(error.message)}`));
        toAsk = inputBlocks(view);
        continue;
      }
      if (!checkAck(ack, 'the modal')) return;
      const body = ack.text ? (JSON.parse(ack.text) as Record<string, unknown>) : {};
      if (body.response_action === 'errors') {
        const errors = body.errors as Record<string, string>;
        for (const [blockId, error] of Object.entries(errors)) {
          const block = inputBlocks(view).find((candidate) => candidate.block_id === blockId);
          print(
            style(['yellow'], `  ✗ ${block ? terminalText(block.label) : printable(blockId)}: ${printable(error)}`),
          );
        }
        toAsk = inputBlocks(view).filter((block) => String(block.block_id) in errors);
        continue;
      }
      if ((body.response_action === 'update' || body.response_action === 'push') && body.view) {
        await showActivity();
        return fillModal(openedView(body.view as Record<string, unknown>));
      }
      return showActivity();
    }
  };

  const click = async (which: number | string): Promise<void> => {
    const wanted = String(which).toLowerCase();
    const button =
      typeof which === 'number'
        ? buttons.find((candidate) => candidate.number === which)
        : (buttons.find((candidate) => candidate.label.toLowerCase() === wanted) ??
          buttons.find((candidate) => candidate.label.toLowerCase().includes(wanted)));
    if (!button) {
      const shown = buttons.map((candidate) => `[${candidate.number}] ${candidate.label}`).join('  ');
      const asked = typeof which === 'number' ? `[${which}]` : JSON.stringify(which);
      print(shown ? `No button ${asked}; shown now: ${shown}` : 'No buttons are shown now.');
      return;
    }
    if (button.confirm) {
      // Slack asks before sending a click whose button has a confirm dialog; "no" sends nothing.
      const title = button.confirmTitle ? `${button.confirmTitle}: ` : '';
      const answer = await ask(`${style(['yellow'], `${title}${button.confirm}`)} [y/N] `);
      if (!/^y(es)?$/i.test(answer?.trim() ?? '')) {
        print('  (cancelled; nothing sent)');
        return;
      }
    }
    const origin = button.origin;
    const ack = await driver.click(userId(), button, {
      responseUrl: origin.responseUrl ?? newResponseUrl(),
      channelId: origin.channelId,
      messageTs: origin.messageTs,
      isEphemeral: origin.isEphemeral,
      homeViewId: origin.homeViewId,
    });
    if (checkAck(ack, `the click on ${button.label}`)) showAck(ack);
    await showActivity();
  };

  const context: ConsoleContext = {
    stack,
    get userName() {
      return userName;
    },
    setUser(name) {
      if (!(name in localUsers)) return false;
      userName = name as keyof typeof localUsers;
      return true;
    },
    users: Object.entries(localUsers).map(([name, id]) => ({
      name,
      userId: id,
      role: localUserRoles[name as keyof typeof localUsers],
    })),
    click,
    openHome: async () => {
      if (checkAck(await driver.openHome(userId()), 'opening the Home tab')) await showActivity();
    },
    runWatchPass: async () => {
      print(watchPassSummary(await stack.handlers.schedule()));
      await showActivity();
    },
    print,
    quit: () => {
      quitting = true;
    },
  };

  const runLine = async (line: string): Promise<void> => {
    const text = line.trim();
    if (text === '') return;
    if (text.startsWith(':')) {
      const [name = '', ...args] = text.slice(1).split(/\s+/);
      const command = consoleCommands.find((candidate) => candidate.name === name);
      if (!command) return print(`No console command :${printable(name)}; :help lists them.`);
      return command.run(context, args);
    }
    if (/^\d+$/.test(text)) return click(Number(text));
    // `/vcr` followed by any white space (a tab too), or alone, is the slash command; anything else is its text.
    const [first = ''] = text.split(/\s/, 1);
    const commandText = first === localWorkspace.command ? text.slice(first.length).trim() : text.replace(/^\//, '');
    const responseUrl = newResponseUrl();
    const ack = await driver.command(userId(), commandText, responseUrl);
    if (!checkAck(ack, 'the command')) return showActivity();
    // The ack is the working line; when the job's reply replaces it, as it does for every command, it is not shown.
    await stack.handlers.idle();
    const replaced = stack.slack.responses
      .slice(seenResponses)
      .some(
        (response) => response.url === responseUrl && (response.body.replace_original || response.body.delete_original),
      );
    if (!replaced) showAck(ack);
    await showActivity();
  };

  for (;;) {
    const line = await reader.next(style(['bold'], `${userName}> `));
    if (line === undefined) break;
    if (!terminal && line.trim() !== '') print(`\n${userName}> ${printable(line)}`);
    try {
      await runLine(line);
    } catch (error) {
      failed = true;
      print(style(['red'], `console error: ${printable(error instanceof Error ? error.message : String(error))}`));
    }
    if (quitting || outputClosed) break;
  }
  reader.close();
  return failed ? 1 : 0;
}

function initialText(element: Record<string, unknown>): string {
  if (typeof element.initial_value === 'string') return element.initial_value;
  const option = element.initial_option as { text?: { text?: string }; value?: string } | undefined;
  if (option) return element.type === 'static_select' ? String(option.value) : String(option.text?.text ?? '');
  const options = element.initial_options as { text?: { text?: string } }[] | undefined;
  if (element.type === 'checkboxes') return options && options.length > 0 ? 'y' : '';
  return (options ?? []).map((option) => option.text?.text ?? '').join(', ');
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => (line ? `  ${line}` : line))
    .join('\n');
}
