/** Formatting shared by command replies: sizes, dates, usage bars, digests. */

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

/** Cuts text to `max` characters with an ellipsis. */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;
}
