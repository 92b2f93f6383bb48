/** `repo history REPO`: a repository's usage history, newest first, ten entries per page. */

import type { HistoryEntry } from '../../vcr/types';
import { pageOf, pastEnd } from '../args';
import type { CommandSpec } from '../command';
import { commandIds } from '../command-ids';
import { formatDate, truncate } from '../format';
import { pagerParts, readPage } from '../list-page';
import type { ListItem, Reply } from '../reply';
import { parseRepositoryRef, repoOf, validateRepositoryRead } from './repository-args';
import { resolveRepository } from './resolve-repository';

// History keys are unpublished (docs/vcr-api.md#still-unknown): these are the names the console's columns suggest,
// first match wins. Any other key is still shown, as `key: value`.
const knownKeys = {
  time: ['actionTime', 'time', 'timestamp', 'createdAt', 'createdTime', 'date', 'actionDate'],
  user: ['userName', 'username', 'user', 'actor', 'operator', 'createdBy'],
  action: ['action', 'operation', 'actionType', 'event'],
  resourceName: ['resourceName', 'resource', 'name', 'target'],
  resourceType: ['resourceType', 'type'],
} as const;
// Internal ids say nothing to a reader: `id` numbers the entry and `repoId` is the repository already named.
const hiddenKeys = new Set(['id', 'repoId']);
const maxValue = 200;

/** Lists what happened in a repository (who did what to which resource, when), newest first. */
export const repositoryHistory: CommandSpec = {
  id: commandIds.repoHistory,
  words: ['repo', 'history'],
  usage: 'repo history REPO',
  summary: 'Shows the usage history of a repository, newest first.',
  role: 'viewer',
  kind: 'read',
  paged: true,
  parse: parseRepositoryRef,
  validate: validateRepositoryRead,
  run: async (ctx, args): Promise<Reply> => {
    const repo = await resolveRepository(ctx.vcr, repoOf(args), { slashCommand: ctx.slashCommand });
    const page = pageOf(args);
    const shown = await readPage((at, size) => ctx.vcr.history.list(repo.uuid, { page: at, size }), page);
    const entries = newestFirst(shown.items);
    const empty = shown.totalItem > 0 ? pastEnd(shown.page, shown.totalPage) : `\`${repo.name}\` has no history yet.`;
    return {
      text: `History of ${repo.name}: ${shown.totalItem} entries`,
      parts: [
        { type: 'header', text: `History of ${repo.name}` },
        { type: 'list', empty, items: entries.map(historyItem) },
        ...pagerParts(shown, { command: commandIds.repoHistory, args: { repo: repo.uuid } }),
      ],
    };
  },
};

/** Renders one entry: the known keys as a sentence, every other key as `key: value`. */
function historyItem(entry: HistoryEntry): ListItem {
  const used = new Set<string>();
  const pick = (keys: readonly string[]): unknown => {
    const key = keys.find((candidate) => !isBlank(entry[candidate]));
    if (key === undefined) return undefined;
    used.add(key);
    return entry[key];
  };
  const time = pick(knownKeys.time);
  const user = pick(knownKeys.user);
  const action = pick(knownKeys.action);
  const resourceType = pick(knownKeys.resourceType);
  const resourceName = pick(knownKeys.resourceName);

  const what = [action, resourceType]
    .filter((value) => value !== undefined)
    .map(valueText)
    .concat(resourceName === undefined ? [] : [`\`${valueText(resourceName)}\``])
    .join(' ');
  const when = [time === undefined ? '' : formatDate(time), user === undefined ? '' : `by ${valueText(user)}`]
    .filter(Boolean)
    .join(' ');
  const rest = Object.entries(entry)
    .filter(([key]) => !used.has(key) && !hiddenKeys.has(key))
    .map(([key, value]) => `${key}: ${isBlank(value) ? '–' : valueText(value)}`);
  if (what === '') return { title: when || 'Entry', lines: rest };
  return { title: what, lines: [...(when ? [when] : []), ...rest] };
}

function isBlank(value: unknown): boolean {
  return value === undefined || value === null || value === '';
}

function valueText(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return truncate(text ?? String(value), maxValue);
}

/** Orders one page newest first when every entry has a readable time; otherwise keeps vCR's order. */
function newestFirst(entries: HistoryEntry[]): HistoryEntry[] {
  const timeOf = (entry: HistoryEntry): number => {
    const key = knownKeys.time.find((candidate) => !isBlank(entry[candidate]));
    const value = key === undefined ? undefined : entry[key];
    return typeof value === 'string' || typeof value === 'number' ? new Date(value).getTime() : Number.NaN;
  };
  const timed = entries.map((entry, index) => ({ entry, index, time: timeOf(entry) }));
  if (timed.some(({ time }) => Number.isNaN(time))) return entries;
  return timed.sort((a, b) => b.time - a.time || a.index - b.index).map(({ entry }) => entry);
}
