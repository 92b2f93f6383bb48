import { collect, paginate } from '../../src/vcr/paginate';
import type { Paging } from '../../src/vcr/types';

/** A fake list of `total` numbered items that records every page asked for. */
function numberedList(total: number, overrides: Partial<Paging<number>> = {}) {
  const asked: { page: number; size: number }[] = [];
  const fetchPage = async (page: number, size: number): Promise<Paging<number>> => {
    asked.push({ page, size });
    const start = (page - 1) * size;
    const listData = Array.from({ length: Math.max(0, Math.min(size, total - start)) }, (_, i) => start + i + 1);
    return { listData, page, pageSize: size, totalPage: Math.ceil(total / size), totalItem: total, ...overrides };
  };
  return { asked, fetchPage };
}

describe('paginate', () => {
  it('yields every item of every page when the list spans several pages', async () => {
    // Prepare
    const list = numberedList(7);

    // Act
    const items = await collect(paginate(list.fetchPage, { pageSize: 3 }));

    // Assess
    expect(items).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(list.asked).toEqual([
      { page: 1, size: 3 },
      { page: 2, size: 3 },
      { page: 3, size: 3 },
    ]);
  });

  it('fetches a page only when the items before it are consumed', async () => {
    // Prepare
    const list = numberedList(10);
    const iterator = paginate(list.fetchPage, { pageSize: 2 })[Symbol.asyncIterator]();

    // Act
    const beforeFirst = list.asked.length;
    await iterator.next();
    const afterFirstItem = list.asked.length;
    await iterator.next();
    const afterSecondItem = list.asked.length;
    await iterator.next();
    const afterThirdItem = list.asked.length;

    // Assess
    expect([beforeFirst, afterFirstItem, afterSecondItem, afterThirdItem]).toEqual([0, 1, 1, 2]);
  });

  it('stops at maxItems without fetching the next page when the limit falls on a page end', async () => {
    // Prepare
    const list = numberedList(100);

    // Act
    const items = await collect(paginate(list.fetchPage, { pageSize: 5, maxItems: 10 }));

    // Assess
    expect(items).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(list.asked.map((ask) => ask.page)).toEqual([1, 2]);
  });

  it('stops at an empty page when totalPage is missing', async () => {
    // Prepare
    const list = numberedList(4, { totalPage: undefined as unknown as number });

    // Act
    const items = await collect(paginate(list.fetchPage, { pageSize: 2 }));

    // Assess
    expect(items).toEqual([1, 2, 3, 4]);
    expect(list.asked.map((ask) => ask.page)).toEqual([1, 2, 3]);
  });

  it('stops at an empty page when totalPage claims more pages', async () => {
    // Prepare
    const list = numberedList(2, { totalPage: 50 });

    // Act
    const items = await collect(paginate(list.fetchPage, { pageSize: 2 }));

    // Assess
    expect(items).toEqual([1, 2]);
    expect(list.asked.map((ask) => ask.page)).toEqual([1, 2]);
  });

  it('stops when listData is null', async () => {
    // Prepare
    const fetchPage = async (page: number, size: number): Promise<Paging<number>> => ({
      listData: null,
      page,
      pageSize: size,
      totalPage: 0,
      totalItem: 0,
    });

    // Act
    const items = await collect(paginate(fetchPage));

    // Assess
    expect(items).toEqual([]);
  });

  it('asks for 50 items a page when no page size is given', async () => {
    // Prepare
    const list = numberedList(1);

    // Act
    await collect(paginate(list.fetchPage));

    // Assess
    expect(list.asked).toEqual([{ page: 1, size: 50 }]);
  });
});
