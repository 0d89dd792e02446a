// The arithmetic of the queue's virtualised list: which rows a scroll position shows, which
// pages of rows to ask Rust for, where to scroll so a row is seen, and how the keys move the
// selection. Pure functions, tested with vitest (window.test.ts).

/** Rows [first, last) to render: the visible ones plus `overscan` on each side. */
export function visibleRange(
  scrollTop: number,
  viewportHeight: number,
  rowHeight: number,
  total: number,
  overscan = 5,
): { first: number; last: number } {
  if (total <= 0 || rowHeight <= 0) return { first: 0, last: 0 };
  const top = Math.max(0, scrollTop);
  const first = Math.max(0, Math.floor(top / rowHeight) - overscan);
  const seen = Math.ceil(Math.max(0, viewportHeight) / rowHeight) + 1;
  const last = Math.min(total, Math.floor(top / rowHeight) + seen + overscan);
  return { first: Math.min(first, last), last };
}

/** The page numbers (of `pageSize` rows each) that hold rows [first, last). */
export function pagesFor(first: number, last: number, pageSize: number): number[] {
  if (last <= first || pageSize <= 0) return [];
  const pages: number[] = [];
  for (let p = Math.floor(first / pageSize); p <= Math.floor((last - 1) / pageSize); p++) pages.push(p);
  return pages;
}

/** The scroll position that shows row `index` whole, moving as little as possible. */
export function scrollToShow(index: number, scrollTop: number, viewportHeight: number, rowHeight: number): number {
  const top = index * rowHeight;
  const bottom = top + rowHeight;
  if (top < scrollTop) return top;
  if (bottom > scrollTop + viewportHeight) return Math.max(0, bottom - viewportHeight);
  return scrollTop;
}

/** Rows one PageUp/PageDown moves: the whole rows the viewport shows, at least one. */
export function rowsPerPage(viewportHeight: number, rowHeight: number): number {
  return Math.max(1, Math.floor(viewportHeight / rowHeight));
}

/**
 * The selected row after `key` (↑ ↓ PageUp PageDown Home End), or null for any other key.
 * With nothing selected (-1) any of them selects the first row.
 */
export function moveSelection(key: string, selected: number, total: number, perPage: number): number | null {
  if (total <= 0) return null;
  const clamp = (i: number) => Math.min(total - 1, Math.max(0, i));
  if (selected < 0 && ["ArrowDown", "ArrowUp", "PageDown", "PageUp", "Home"].includes(key)) return 0;
  switch (key) {
    case "ArrowDown":
      return clamp(selected + 1);
    case "ArrowUp":
      return clamp(selected - 1);
    case "PageDown":
      return clamp(selected + perPage);
    case "PageUp":
      return clamp(selected - perPage);
    case "Home":
      return 0;
    case "End":
      return total - 1;
    default:
      return null;
  }
}
