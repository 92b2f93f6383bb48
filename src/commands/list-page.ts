/**
 * One page of a list as users see it: read from vCR's own pages, or cut from a list the bot ordered by name. A page
 * past the last one shows the last page, saying so, rather than "Page 99 of 1" with a button to page 98.
 */
import { collect, paginate } from '../vcr/paginate';
import type { Paging } from '../vcr/types';
import { listPageSize } from './args';
import { type Invocation, type Part, pagerPart } from './reply';

/** One page of a list as shown. */
export interface ShownPage<T> {
  items: T[];
  /** The page shown, from 1; the last page when the one asked for was past it. */
  page: number;
  totalPage: number;
  totalItem: number;
  /** The page asked for, when it was past the last page. */
  askedPastEnd?: number;
  /** How many items were ordered, when vCR holds more (`totalItem`) than a list ordered by name reads. */
  orderedOf?: number;
}

/** Reads one page of a vCR list. */
export type PageReader<T> = (page: number, size: number) => Promise<Paging<T>>;

// vCR's page numbers are 32-bit integers (docs/vcr-api.md#shapes); a larger one is past the end of any list anyway.
const maxVcrPage = 2_147_483_647;
// A list ordered by name reads at most this many items: five calls of a hundred (docs/vcr-api.md#still-unknown).
const maxOrdered = 500;

/** Reads page `page` of a vCR list; a page past the last is read again as the last page. */
export async function readPage<T>(read: PageReader<T>, page: number, size = listPageSize): Promise<ShownPage<T>> {
  const first = shownOf(await read(Math.min(page, maxVcrPage), size), page, size);
  if (first.totalPage === 0 || page <= first.totalPage) return first;
  // A vCR that answers a page past the end with the last page's items needs no second read.
  const last = first.items.length > 0 ? first : shownOf(await read(first.totalPage, size), first.totalPage, size);
  return { ...last, page: first.totalPage, askedPastEnd: page };
}

/**
 * Reads a vCR list (at most 500 items, a hundred a call), orders it by name ignoring case, and shows page `page` of
 * it, so that every page follows the one before it in name order.
 */
export async function readPageByName<T extends { name: string }>(
  read: PageReader<T>,
  page: number,
  size = listPageSize,
): Promise<ShownPage<T>> {
  let totalItem = 0;
  const items = await collect(
    paginate(
      async (at, pageSize) => {
        const answer = await read(at, pageSize);
        if (at === 1) totalItem = Number(answer.totalItem) || 0;
        return answer;
      },
      { pageSize: 100, maxItems: maxOrdered },
    ),
  );
  const ordered = [...items].sort(
    (a, b) => a.name.localeCompare(b.name, 'en', { sensitivity: 'base' }) || a.name.localeCompare(b.name),
  );
  const shown = cutPage(ordered, page, size);
  return totalItem > ordered.length ? { ...shown, orderedOf: totalItem } : shown;
}

/** Shows page `page` of `items`, already in order; a page past the last shows the last. */
export function cutPage<T>(items: readonly T[], page: number, size = listPageSize): ShownPage<T> {
  const totalPage = Math.ceil(items.length / size);
  const shownPage = totalPage > 0 ? Math.min(page, totalPage) : page;
  return {
    items: items.slice((shownPage - 1) * size, shownPage * size),
    page: shownPage,
    totalPage,
    totalItem: items.length,
    ...(shownPage < page && totalPage > 0 ? { askedPastEnd: page } : {}),
  };
}

/** The parts under a list: what was asked past the end or left unordered, then the pager that runs `invocation`. */
export function pagerParts(shown: ShownPage<unknown>, invocation: Invocation): Part[] {
  const notes: string[] = [];
  if (shown.askedPastEnd !== undefined) {
    notes.push(
      `There ${shown.totalPage === 1 ? 'is only 1 page' : `are only ${shown.totalPage} pages`}, ` +
        `so this is the last one rather than page ${shown.askedPastEnd}.`,
    );
  }
  if (shown.orderedOf !== undefined) {
    notes.push(
      `In name order among the first ${shown.totalItem} of ${shown.orderedOf}; a filter narrows the list to the rest.`,
    );
  }
  return [
    ...(notes.length > 0 ? [{ type: 'context' as const, text: notes.join('\n') }] : []),
    pagerPart(shown.page, shown, invocation),
  ];
}

function shownOf<T>(answer: Paging<T>, page: number, size: number): ShownPage<T> {
  const items = answer.listData ?? [];
  const totalItem = Number(answer.totalItem) || 0;
  // A usable totalPage wins; without one it follows from the item count.
  const totalPage = Number(answer.totalPage) > 0 ? Number(answer.totalPage) : Math.ceil(totalItem / size);
  return { items, page, totalPage, totalItem };
}
