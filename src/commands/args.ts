/**
 * Reading what a command is given: the text of a slash command split into words and flags (undoing Slack's escaping
 * on the way), its positional words, and the page and filter every list takes.
 */
import { UserError } from '../errors';
import type { Args, ParsedArgs } from './command';

/**
 * Splits text into words; double or single quotes (also Slack's curly ones) keep spaces inside a word. The text is
 * what the user typed: the Slack layer has decoded Slack's format already (src/slack/decode-command-text.ts).
 */
export function tokenize(text: string): string[] {
  const clean = text.replace(/[\u201c\u201d]/g, '"').replace(/[\u2018\u2019]/g, "'");
  const words: string[] = [];
  const pattern = /"([^"]*)"|'([^']*)'|(\S+)/g;
  for (const match of clean.matchAll(pattern)) words.push(match[1] ?? match[2] ?? match[3] ?? '');
  return words;
}

/**
 * Separates positionals from flags. `spec` names each allowed flag as taking a value or not; any other flag is
 * refused by name so a typo never runs a different command than the user meant.
 */
export function parseWords(words: string[], spec: Record<string, 'boolean' | 'value'>, usage: string): ParsedArgs {
  const positional: string[] = [];
  const flags: Record<string, string | true> = {};
  for (let i = 0; i < words.length; i++) {
    const word = words[i] ?? '';
    if (!word.startsWith('--') || word === '--') {
      positional.push(word);
      continue;
    }
    const [rawName, inlineValue] = splitOnce(word.slice(2), '=');
    const name = rawName.toLowerCase();
    const kind = spec[name];
    if (!kind) throw new UserError(`Unknown option \`--${name}\`.`, { hint: `Usage: ${usage}` });
    if (kind === 'boolean') {
      if (inlineValue !== undefined)
        throw new UserError(`Option \`--${name}\` takes no value.`, { hint: `Usage: ${usage}` });
      flags[name] = true;
      continue;
    }
    const value = inlineValue ?? words[++i];
    if (value === undefined || value === '' || (inlineValue === undefined && value.startsWith('--'))) {
      throw new UserError(`Option \`--${name}\` needs a value.`, { hint: `Usage: ${usage}` });
    }
    flags[name] = value;
  }
  return { positional, flags };
}

/**
 * Returns the positional words named by `required` then `optional`, in order; throws `UserError` naming the first
 * missing word or the first word too many. Never calls vCR.
 */
export function parsePositionals(
  input: ParsedArgs,
  required: readonly string[],
  optional: readonly string[] = [],
): (string | undefined)[] {
  const words = input.positional;
  if (words.length < required.length) throw new UserError(`Missing ${required[words.length]}.`);
  const extra = words[required.length + optional.length];
  if (extra !== undefined) throw new UserError(`Unexpected word \`${extra}\`.`);
  return [...required, ...optional].map((_, index) => words[index]);
}

/** Parses a command that takes no words: it has no args, and any word typed is refused. */
export function parseNoWords(input: ParsedArgs): Args {
  parsePositionals(input, []);
  return {};
}

/** Reads a positive whole number, or throws a `UserError` that says which value broke the rule. */
export function parsePositiveInt(value: string | number | boolean | undefined, what: string, field?: string): number {
  const text = String(value ?? '').trim();
  if (!/^\d+$/.test(text) || Number(text) < 1 || !Number.isSafeInteger(Number(text))) {
    throw new UserError(`${what} must be a whole number of 1 or more, not \`${text || '(empty)'}\`.`, { field });
  }
  return Number(text);
}

/** The page size every list asks vCR for; Slack lists stay readable at ten rows (docs/slack-limits.md). */
export const listPageSize = 10;

/** Parses the optional `FILTER` word of a list command. */
export function parseFilterWord(input: ParsedArgs): Args {
  const [filter] = parsePositionals(input, [], ['FILTER']);
  return filter === undefined ? {} : { filter };
}

/** Returns the 1-based page asked for, 1 when none was. */
export function pageOf(args: Args): number {
  if (args.page === undefined) return 1;
  return parsePositiveInt(Array.isArray(args.page) ? args.page.join(' ') : args.page, 'The page', 'page');
}

/** Returns `args.filter` trimmed, or undefined when it is absent or blank; anything but text is refused. */
export function filterOf(args: Args): string | undefined {
  if (args.filter !== undefined && typeof args.filter !== 'string') {
    throw new UserError('The filter must be text.', { field: 'filter' });
  }
  const filter = typeof args.filter === 'string' ? args.filter.trim() : '';
  return filter === '' ? undefined : filter;
}

/** Normalizes the `filter` and `page` of a paged read; the caller checks its other args itself. */
export function validatePagedRead(args: Args): Args {
  const page = args.page === undefined ? {} : { page: pageOf(args) };
  return { ...args, filter: filterOf(args), ...page };
}

/** Says that a page past the last one was asked for, and how many pages there are. */
export function pastEnd(page: number, totalPage: number): string {
  return `Page ${page} is past the end: there ${totalPage === 1 ? 'is 1 page' : `are ${totalPage} pages`}.`;
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const at = text.indexOf(separator);
  return at === -1 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
}
