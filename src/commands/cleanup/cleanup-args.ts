/** Reading `cleanup`'s words and flags into a rule set, and saying a rule set in words. */
import { tagPattern } from '../../config';
import { UserError } from '../../errors';
import type { CleanupRules } from '../../store/cleanup-rules-store';
import { parsePositionals, parsePositiveInt } from '../args';
import type { Args, ParsedArgs } from '../command';
import { counted } from '../image/artifact-fields';
import { repoOf } from '../repository/repository-args';

/** The flags of `cleanup` and `cleanup --save`: the rules, and the patterns that protect. */
export const cleanupFlags: Record<string, 'boolean' | 'value'> = {
  keep: 'value',
  'untagged-older': 'value',
  unpulled: 'value',
  protect: 'value',
};

/** What `cleanup` says when it has no rule: the flags that exist. */
export const ruleFlagsText =
  '`--keep N` (keep the newest N artifacts of each image), `--untagged-older DAYS` (untagged artifacts pushed more ' +
  'than DAYS ago) or `--unpulled DAYS` (artifacts not pulled for DAYS days), and `--protect PATTERN,…` (tags never removed)';

// Ten years: a longer age is surely a typo, and keeps day arithmetic far inside safe integers.
const maxDays = 3650;
// vCR lists 1000 artifacts per image at most in one inventory (src/commands/image/image-lookup.ts).
const maxKeep = 1000;

/** Turns `REPO [IMAGE]` and the rule flags into args; throws `UserError` naming the broken rule. */
export function parseCleanupWords(input: ParsedArgs): Args {
  const [repo, image] = parsePositionals(input, ['REPO'], ['IMAGE']);
  const { flags } = input;
  const value = (name: string) => (typeof flags[name] === 'string' ? (flags[name] as string) : undefined);
  return validateCleanupArgs({
    repo,
    ...(image !== undefined ? { image } : {}),
    ...(value('keep') !== undefined ? { keep: value('keep') } : {}),
    ...(value('untagged-older') !== undefined ? { untaggedOlderDays: value('untagged-older') } : {}),
    ...(value('unpulled') !== undefined ? { unpulledDays: value('unpulled') } : {}),
    ...(value('protect') !== undefined ? { protect: value('protect') } : {}),
  });
}

/** Checks cleanup args from any source and normalizes them: numbers as numbers, patterns as a list. */
export function validateCleanupArgs(args: Args): Args {
  const rules = rulesOf(args);
  const image = typeof args.image === 'string' && args.image.trim() !== '' ? args.image.trim() : undefined;
  return { repo: repoOf(args), ...(image ? { image } : {}), ...rules };
}

/** Reads the rule set of validated or raw args; the rules absent from `args` are absent from it. */
export function rulesOf(args: Args): CleanupRules {
  const count = (name: keyof CleanupRules, what: string, max: number) => {
    const raw = args[name];
    // A form's blank field arrives empty: no rule, like a flag not typed.
    if (raw === undefined || raw === null || raw === '') return {};
    const value = parsePositiveInt(Array.isArray(raw) ? raw.join(' ') : raw, what, name);
    if (value > max) throw new UserError(`${what} must be at most ${max}, not \`${value}\`.`, { field: name });
    return { [name]: value };
  };
  return {
    ...count('keep', '`--keep`', maxKeep),
    ...count('untaggedOlderDays', '`--untagged-older` (days)', maxDays),
    ...count('unpulledDays', '`--unpulled` (days)', maxDays),
    ...(args.protect !== undefined && args.protect !== null && args.protect !== ''
      ? { protect: protectPatterns(args.protect) }
      : {}),
  };
}

/** True when `rules` holds a removal rule (`keep`, `untaggedOlderDays` or `unpulledDays`). */
export function hasRemovalRule(rules: CleanupRules): boolean {
  return rules.keep !== undefined || rules.untaggedOlderDays !== undefined || rules.unpulledDays !== undefined;
}

/**
 * Says a rule set in words, e.g. ``untagged artifacts pushed over 14 days ago, keeping the newest 10 of each image and
 * every digest with a protected tag (`latest`) or an immutable one``.
 */
export function rulesText(rules: CleanupRules & { protect: readonly string[] }): string {
  const selected = [
    ...(rules.untaggedOlderDays !== undefined
      ? [`untagged artifacts pushed over ${days(rules.untaggedOlderDays)} ago`]
      : []),
    ...(rules.unpulledDays !== undefined ? [`artifacts not pulled for ${days(rules.unpulledDays)}`] : []),
  ];
  const kept = [
    ...(rules.keep !== undefined && selected.length > 0 ? [`the newest ${rules.keep} of each image`] : []),
    rules.protect.length > 0
      ? `every digest with a protected tag (${rules.protect.map((pattern) => `\`${pattern}\``).join(', ')}) or an immutable one`
      : 'every digest with an immutable tag',
  ];
  const what =
    selected.length > 0
      ? selected.join(' or ')
      : `all but the newest ${counted(rules.keep ?? 0, 'artifact')} of each image`;
  return `${what}, keeping ${kept.join(' and ')}`;
}

function protectPatterns(value: Args[string]): string[] {
  const raw = Array.isArray(value) ? value.join(',') : String(value ?? '');
  const patterns = [
    ...new Set(
      raw
        .split(',')
        .map((entry) => entry.trim())
        .filter((entry) => entry !== ''),
    ),
  ];
  const bad = patterns.filter((pattern) => !tagPattern.test(pattern));
  if (patterns.length === 0 || bad.length > 0) {
    throw new UserError(
      `\`--protect\` takes tag names or patterns with \`*\`, separated by commas (\`latest,v*,prod-*\`)${bad.length > 0 ? `, not \`${bad[0]}\`` : ''}.`,
      { field: 'protect' },
    );
  }
  return patterns;
}

function days(count: number): string {
  return `${count} ${count === 1 ? 'day' : 'days'}`;
}
