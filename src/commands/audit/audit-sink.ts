/**
 * Where every outcome of a change goes: the audit record in the table and one line in the audit channel. The runner
 * (every end of an operation), admission (every refusal of a change) and approvals all call `record`, and nothing else
 * writes audit records or posts audit lines (docs/decisions/0016-audit-and-freeze.md).
 */
import { createHash } from 'node:crypto';
import type { RichText } from '../../rich-text';
import type { AuditRecord } from '../../store/audit-store';

/** Records outcomes; implemented in the Slack layer, which also posts the line (src/slack/audit-trail.ts). */
export interface AuditSink {
  /**
   * Writes `record` and posts `line` in the audit channel once per record id. Never rejects: a failure is logged, and
   * resolves with a line for the requester when the channel post failed. `bound` limits the wait (a deadline).
   */
  record(
    record: AuditRecord,
    line: RichText,
    options?: { bound?: <T>(work: Promise<T>) => Promise<T> },
  ): Promise<RichText | undefined>;
}

/** Returns a short hash of what a preview pinned (keys sorted), or undefined when nothing was pinned. */
export function planHashOf(pin: Record<string, unknown>): string | undefined {
  if (Object.keys(pin).length === 0) return undefined;
  return createHash('sha256').update(stableJson(pin)).digest('hex').slice(0, 16);
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, child]) => child !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, child]) => `${JSON.stringify(key)}:${stableJson(child)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
