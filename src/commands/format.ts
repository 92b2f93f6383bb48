/** Formatting shared by command replies: sizes, dates, usage bars, digests. */

import { dateText, type Markup } from '../rich-text';

const units = ['B', 'KB', 'MB', 'GB', 'TB'];

/** Formats a byte count with binary units, e.g. `1.5 GB`. */
export function formatBytes(bytes: number | null | undefined): string {
  if (typeof bytes !== 'number' || !Number.isFinite(bytes) || bytes < 0) return 'unknown';
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

/** Formats an ISO date as `YYYY-MM-DD HH:MM UTC`, or says `never`/`unknown`; tolerant of any input. */
export function formatDate(value: unknown, empty = 'never'): string {
  if (value === null || value === undefined || value === '') return empty;
  const date = new Date(typeof value === 'number' || typeof value === 'string' ? value : String(value));
  if (Number.isNaN(date.getTime())) return String(value);
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/**
 * A time (epoch ms) that each Slack reader sees in their own time zone, `format` in Slack's date tokens
 * (docs/slack-limits.md); where a client cannot, it reads the UTC minute, e.g. `2026-12-05 20:39 UTC`.
 */
export function slackDate(epochMs: number, format?: string): Markup {
  return dateText(Math.floor(epochMs / 1000), formatDate(epochMs), format);
}

/** Draws a ten-cell bar with the percentage, e.g. `▓▓▓░░░░░░░ 30%`. */
export function usageBar(used: number, limit: number): string {
  if (!(limit > 0) || !(used >= 0)) return '░░░░░░░░░░ ?';
  const ratio = Math.min(used / limit, 1);
  const filled = Math.round(ratio * 10);
  return `${'▓'.repeat(filled)}${'░'.repeat(10 - filled)} ${Math.round((used / limit) * 100)}%`;
}

/** Bytes in one GB as vCR counts quotas (binary). */
export const bytesPerGb = 1024 ** 3;

/** Shortens `sha256:<64 hex>` to `sha256:<first 12>`. */
export function shortDigest(digest: string): string {
  return digest.replace(/^(sha256:[0-9a-f]{12})[0-9a-f]+$/, '$1');
}

/**
 * Cuts text to at most `max` UTF-16 code units (what Slack's limits count, and never fewer than its characters),
 * ending with an ellipsis when it was cut, and only between grapheme clusters, so no emoji or accent is split.
 */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  return max < 1 ? '' : `${wholeCharactersWithin(text, max - 1)}…`;
}

// One segmenter for the process: building one costs far more than using it (Node ≥ 20 ships full ICU).
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** Returns the longest prefix of `text` made of whole grapheme clusters that fits in `max` UTF-16 code units. */
export function wholeCharactersWithin(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 0) return '';
  // The cluster that holds code unit `max` starts at the last boundary within `max`; ICU finds it from nearby text
  // without walking the clusters before it.
  return text.slice(0, graphemes.segment(text).containing(max)!.index);
}
