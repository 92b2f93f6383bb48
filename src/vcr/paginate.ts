/** Walks every page of a vCR list lazily. */
import type { Paging } from './types';

/** Options of `paginate`. */
export interface PaginateOptions {
  /** Items asked per page; 50 by default (vCR's maximum page size is unpublished: docs/vcr-api.md#still-unknown). */
  pageSize?: number;
  /** Stops after this many items, without fetching further pages. */
  maxItems?: number;
}

/**
 * Yields every item of a paged list, fetching page `n + 1` only once page `n` is consumed; stops at `totalPage`, at an
 * empty page or at `maxItems`.
 */
export async function* paginate<T>(
  fetchPage: (page: number, size: number) => Promise<Paging<T>>,
  options: PaginateOptions = {},
): AsyncIterable<T> {
  const pageSize = options.pageSize ?? 50;
  const maxItems = options.maxItems ?? Number.POSITIVE_INFINITY;
  if (maxItems <= 0) return;
  let yielded = 0;
  for (let page = 1; ; page += 1) {
    const result = await fetchPage(page, pageSize);
    const items = result.listData ?? [];
    for (const item of items) {
      yield item;
      yielded += 1;
      if (yielded >= maxItems) return;
    }
    // A page without a usable `totalPage` only ends at an empty page.
    const totalPage = Number(result.totalPage);
    if (items.length === 0 || (Number.isFinite(totalPage) && page >= totalPage)) return;
  }
}

/** Collects an async iterable into an array, e.g. `await collect(paginate(...))`. */
export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}
