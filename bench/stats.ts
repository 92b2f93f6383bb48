/** Order statistics and number formats of the bench's table. */

/** The median, p99 and maximum of some runs. */
export interface Summary {
  runs: number;
  median: number;
  p99: number;
  max: number;
}

/** Summarizes `values` (nearest-rank percentiles); throws when there are none. */
export function summarize(values: number[]): Summary {
  if (values.length === 0) throw new Error('No runs to summarize');
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
  return { runs: values.length, median: rank(0.5), p99: rank(0.99), max: sorted[sorted.length - 1]! };
}

/** Milliseconds with one decimal under 100, whole above. */
export function ms(value: number): string {
  return value < 100 ? `${value.toFixed(1)} ms` : `${Math.round(value)} ms`;
}

/** Bytes as MB (10^6) with the exact count. */
export function megabytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(2)} MB`;
}

/** Bytes as KB (10^3). */
export function kilobytes(bytes: number): string {
  return `${Math.round(bytes / 1e3)} KB`;
}

/** A ratio `a / b` as `12×`, with one decimal under 10. */
export function times(a: number, b: number): string {
  const ratio = a / b;
  return `${ratio < 10 ? ratio.toFixed(1) : Math.round(ratio)}×`;
}
