/** Splits the text of a slash command into words and flags, undoing Slack's escaping on the way. */
import { UserError } from '../errors';
import type { ParsedArgs } from './command';

/** Splits text into words; double or single quotes (also Slack's curly ones) keep spaces inside a word. */
export function tokenize(text: string): string[] {
  const clean = unescapeSlack(text)
    .replace(/[\u201c\u201d]/g, '"')
    .replace(/[\u2018\u2019]/g, "'");
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

/** Reads a positive whole number, or throws a `UserError` that says which value broke the rule. */
export function parsePositiveInt(value: string | number | boolean | undefined, what: string, field?: string): number {
  const text = String(value ?? '').trim();
  if (!/^\d+$/.test(text) || Number(text) < 1 || !Number.isSafeInteger(Number(text))) {
    throw new UserError(`${what} must be a whole number of 1 or more, not \`${text || '(empty)'}\`.`, { field });
  }
  return Number(text);
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const at = text.indexOf(separator);
  return at === -1 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
}

// Slack escapes &, < and > in command text and wraps links it detected as <url|label> (docs: formatting text).
function unescapeSlack(text: string): string {
  return text
    .replace(/<([^<>|]*)\|([^<>]*)>/g, '$2')
    .replace(/<([^<>]*)>/g, '$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}
