/** vCR's 1-based paging: parsing `page`/`size` the way the service refuses them, and slicing a list into a Paging body. */
import { EmulatorHttpError } from './emulator-http-error';

/** Page size used when the request gives none. */
export const defaultPageSize = 10;

/** A validated, 1-based page request. */
export interface PageRequest {
  page: number;
  size: number;
}

function parsePositive(raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  // `page=0`, a negative or a non-number are all refused with the one message vCR gives.
  if (!/^\d+$/.test(raw) || Number(raw) < 1) throw new EmulatorHttpError(400, 'Page or size invalid');
  return Number(raw);
}

/** Reads `page` and `size` from a query; missing ones default to page 1 of 10. */
export function parsePageRequest(query: Record<string, string>): PageRequest {
  return { page: parsePositive(query.page, 1), size: parsePositive(query.size, defaultPageSize) };
}

/** Returns the requested page of `items` in the Paging shape `{listData, page, pageSize, totalPage, totalItem}`. */
export function toPaging<T>(items: readonly T[], request: PageRequest) {
  const start = (request.page - 1) * request.size;
  return {
    listData: items.slice(start, start + request.size),
    page: request.page,
    pageSize: request.size,
    totalPage: Math.ceil(items.length / request.size),
    totalItem: items.length,
  };
}

/** True when `value` contains `filter`, ignoring case; an empty filter matches everything. */
export function matchesNameFilter(value: string, filter: string | undefined): boolean {
  return filter === undefined || value.toLowerCase().includes(filter.toLowerCase());
}
