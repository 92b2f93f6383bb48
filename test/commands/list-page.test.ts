import { cutPage, readPage, readPageByName } from '../../src/commands/list-page';
import type { Paging } from '../../src/vcr/types';

/** A vCR list of `names`, paged as vCR pages it; `clamps` answers a page past the end with the last one. */
function listOf(names: string[], options: { clamps?: boolean } = {}) {
  const asked: number[] = [];
  const read = async (page: number, size: number): Promise<Paging<{ name: string }>> => {
    asked.push(page);
    const totalPage = Math.ceil(names.length / size);
    const at = options.clamps ? Math.min(page, totalPage) : page;
    const listData = names.slice((at - 1) * size, at * size).map((name) => ({ name }));
    return { listData, page: at, pageSize: size, totalPage, totalItem: names.length };
  };
  return { read, asked };
}

const names = (count: number) => Array.from({ length: count }, (_, index) => `n${String(index).padStart(2, '0')}`);

describe('readPage', () => {
  it('reads the last page again and says which page was asked when the page asked is past it', async () => {
    // Prepare
    const list = listOf(names(25));

    // Act
    const shown = await readPage(list.read, 7);

    // Assess
    expect(shown).toMatchObject({ page: 3, totalPage: 3, totalItem: 25, askedPastEnd: 7 });
    expect(shown.items.map((item) => item.name)).toEqual(['n20', 'n21', 'n22', 'n23', 'n24']);
    expect(list.asked).toEqual([7, 3]);
  });

  it('asks vCR for no page beyond its 32-bit page numbers', async () => {
    // Prepare
    const list = listOf(names(3));

    // Act
    const shown = await readPage(list.read, 99_999_999_999);

    // Assess
    expect(list.asked).toEqual([2_147_483_647, 1]);
    expect(shown).toMatchObject({ page: 1, askedPastEnd: 99_999_999_999 });
  });

  it('reads once when vCR answers a page past the end with the last page itself', async () => {
    // Prepare
    const list = listOf(names(12), { clamps: true });

    // Act
    const shown = await readPage(list.read, 5);

    // Assess
    expect(list.asked).toEqual([5]);
    expect(shown).toMatchObject({ page: 2, totalPage: 2, askedPastEnd: 5 });
  });

  it('shows an empty first page of an empty list without a second read', async () => {
    // Prepare
    const list = listOf([]);

    // Act
    const shown = await readPage(list.read, 4);

    // Assess
    expect(list.asked).toEqual([4]);
    expect(shown).toEqual({ items: [], page: 4, totalPage: 0, totalItem: 0 });
  });
});

describe('readPageByName', () => {
  it('orders every item vCR holds by name before cutting the page', async () => {
    // Prepare
    const list = listOf(['zeta', 'Alpha', 'mid', 'beta', 'Gamma', 'alpha2']);

    // Act
    const shown = await readPageByName(list.read, 2, 4);

    // Assess
    expect(shown.items.map((item) => item.name)).toEqual(['mid', 'zeta']);
    expect(shown).toMatchObject({ page: 2, totalPage: 2, totalItem: 6 });
  });
});

describe('cutPage', () => {
  it('shows the last page when the page asked is past it', () => {
    // Act
    const shown = cutPage(names(12), 9);

    // Assess
    expect(shown).toMatchObject({ page: 2, totalPage: 2, totalItem: 12, askedPastEnd: 9 });
    expect(shown.items).toEqual(['n10', 'n11']);
  });
});
