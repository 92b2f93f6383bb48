/** The one registry every command goes through: typed text, buttons and modal submits all resolve here. */

import { UserError } from '../errors';
import type { Freeze } from '../store/freeze-store';
import { parsePositiveInt, parseWords, tokenize } from './args';
import { listAudit } from './audit/list-audit';
import { cleanupCommands } from './cleanup/cleanup-commands';
import type { CommandSpec, ReadContext } from './command';
import { commandIds } from './command-ids';
import { imageCommands } from './image/image-commands';
import type { Invocation } from './reply';
import { repositoryCommands } from './repository/repository-commands';
import { helpReply } from './system/help-reply';
import { systemCommands } from './system/system-commands';
import { userCommands } from './user/user-commands';

const helpCommand: CommandSpec = {
  id: commandIds.help,
  words: ['help'],
  usage: 'help [command]',
  summary: 'Lists the commands, or shows how to use one.',
  role: 'viewer',
  kind: 'read',
  parse: ({ positional }) => ({ topic: positional.join(' ') || undefined }),
  run: async (ctx, args) =>
    helpReply(
      commands,
      typeof args.topic === 'string' ? args.topic : undefined,
      ctx.slashCommand,
      await frozenNow(ctx),
    ),
};

// Help is answered in the ack, within Slack's 3 s: the freeze read (usually cached) gets this long at most.
const helpFreezeReadMs = 500;

// Help still answers when the freeze cannot be read in time: it only loses the line that would say so.
async function frozenNow(ctx: ReadContext): Promise<Freeze | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${helpFreezeReadMs} ms`)), helpFreezeReadMs);
  });
  try {
    return await ctx.freeze.current({ bound: (read) => Promise.race([read, late]) });
  } catch (error) {
    ctx.logger.warn('Could not read the freeze for help', { error: error instanceof Error ? error : String(error) });
    return undefined;
  } finally {
    clearTimeout(timer);
  }
}

/** A set of commands with lookups by id and by words; built by `createRegistry`. */
export interface Registry {
  /** Every command, in the order help lists them. */
  readonly commands: readonly CommandSpec[];
  byId: ReadonlyMap<string, CommandSpec>;
}

/**
 * Builds a registry from `specs`; throws when two commands share an id or the same words, since a button, a stored
 * operation or a typed command would then reach whichever came first.
 */
export function createRegistry(specs: readonly CommandSpec[]): Registry {
  const byId = new Map<string, CommandSpec>();
  const byWords = new Map<string, CommandSpec>();
  for (const spec of specs) {
    const words = spec.selectedBy ? `${spec.words.join(' ')} --${spec.selectedBy}` : spec.words.join(' ');
    if (byId.has(spec.id)) throw new Error(`Two commands have the id ${JSON.stringify(spec.id)}`);
    const taken = byWords.get(words);
    if (taken) throw new Error(`Commands ${taken.id} and ${spec.id} both answer to ${JSON.stringify(words)}`);
    byId.set(spec.id, spec);
    byWords.set(words, spec);
  }
  return { commands: specs, byId };
}

const registry = createRegistry([
  helpCommand,
  ...repositoryCommands,
  ...imageCommands,
  ...cleanupCommands,
  ...userCommands,
  listAudit,
  ...systemCommands,
]);

/** Every command, in the order help lists them. */
export const commands: readonly CommandSpec[] = registry.commands;
const byId = registry.byId;

/** Finds a command by its stable id, as carried by buttons, modals and jobs. */
export function findCommandById(id: string): CommandSpec | undefined {
  return byId.get(id);
}

/**
 * Finds the command whose words start `words` (the longest match wins: `repo delete` before `repo`); of two with the
 * same words, the one whose `selectedBy` flag is typed (`cleanup REPO --save`).
 */
export function matchCommand(words: string[]): { spec: CommandSpec; rest: string[] } | undefined {
  let best: CommandSpec | undefined;
  for (const spec of commands) {
    const fits = spec.words.every((word, i) => words[i]?.toLowerCase() === word);
    const selected = spec.selectedBy === undefined || words.some((word) => isFlag(word, spec.selectedBy ?? ''));
    const longer = !best || spec.words.length > best.words.length;
    const picked = best?.words.length === spec.words.length && spec.selectedBy !== undefined;
    if (fits && selected && (longer || picked)) best = spec;
  }
  return best ? { spec: best, rest: words.slice(best.words.length) } : undefined;
}

function isFlag(word: string, name: string): boolean {
  const lower = word.toLowerCase();
  return lower === `--${name}` || lower.startsWith(`--${name}=`);
}

/**
 * The longest word a command takes, in characters: an image reference (repository, image path, tag or digest) fits
 * with room to spare.
 */
export const maxWordLength = 512;

/**
 * Turns the text after the slash command into an invocation without calling vCR. Empty text means help; an
 * unknown word is a `UserError` whose hint points at help. Every read takes `--share`; lists take `--page N` too.
 */
export function parseCommandText(text: string, command = '/vcr'): Invocation {
  const words = tokenize(text);
  if (words.length === 0) return { command: commandIds.help, args: {} };
  // A pasted blob would go into a vCR URL and be refused there as a failure of the bot; no name is near this long.
  const long = words.find((word) => word.length > maxWordLength);
  if (long !== undefined) {
    throw new UserError(
      `A word of ${long.length} characters is too long: names, references, filters and options are at most ${maxWordLength}.`,
      { hint: `Try \`${command} help\` for the commands and what they take.` },
    );
  }
  const match = matchCommand(words);
  if (!match) {
    throw new UserError(`Unknown command \`${words[0]}\`.`, { hint: `Try \`${command} help\` for the list.` });
  }
  const { spec, rest } = match;
  const usage = `\`${command} ${spec.usage}\``;
  const flags = {
    ...(spec.paged ? { page: 'value' as const } : {}),
    ...(spec.kind === 'read' ? { share: 'boolean' as const } : {}),
    ...spec.flags,
  };
  const common: Invocation['args'] = {};
  try {
    const parsed = parseWords(rest, flags, usage);
    if (spec.paged && parsed.flags.page !== undefined) common.page = parsePositiveInt(parsed.flags.page, 'The page');
    if (spec.kind === 'read' && parsed.flags.share) common.share = true;
    delete parsed.flags.page;
    delete parsed.flags.share;
    return { command: spec.id, args: { ...spec.parse(parsed), ...common } };
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    const unknown = unknownSubcommand(spec, rest, command);
    if (unknown) throw unknown;
    throw error.hint ? error : new UserError(error.text, { hint: `Usage: ${usage}` });
  }
}

/**
 * When `spec` heads other commands (`repo` heads `repo create`, `repo delete`…) and more words came than it takes,
 * the first word was meant as a subcommand: the error names it and lists the real ones, rather than "unexpected word"
 * about a later word.
 */
function unknownSubcommand(spec: CommandSpec, rest: string[], command: string): UserError | undefined {
  // The words that are not options, nor the value after one (`--page 2`).
  const words = rest.filter(
    (word, i) => !word.startsWith('--') && !(rest[i - 1]?.startsWith('--') && !rest[i - 1]?.includes('=')),
  );
  const subcommands = commands.filter(
    (other) => other.words.length === spec.words.length + 1 && spec.words.every((word, i) => other.words[i] === word),
  );
  if (subcommands.length === 0 || words.length < 2 || rest[0] !== words[0]) return undefined;
  const group = `${command} ${spec.words.join(' ')}`;
  const names = subcommands.map((other) => `\`${other.words.at(-1)}\``).join(', ');
  return new UserError(`Unknown subcommand \`${words[0]}\` of \`${group}\`.`, {
    hint: `\`${group}\` takes ${names}, or on its own: \`${command} ${spec.usage}\`. See \`${command} help ${spec.words.join(' ')}\`.`,
  });
}
