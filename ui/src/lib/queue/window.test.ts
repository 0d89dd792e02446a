// The virtual list's arithmetic: rows shown at a scroll position, pages asked for, scrolling a
// row into view and the keys moving the selection, on a queue of 10,000 cases.
import { describe, expect, it } from "vitest";
import { moveSelection, pagesFor, rowsPerPage, scrollToShow, visibleRange } from "./window";

describe("visibleRange", () => {
  it("shows the rows under the viewport with overscan, never past the ends", () => {
    expect(visibleRange(0, 400, 40, 10_000, 5)).toEqual({ first: 0, last: 16 });
    expect(visibleRange(4000, 400, 40, 10_000, 5)).toEqual({ first: 95, last: 116 });
    expect(visibleRange(399_600, 400, 40, 10_000, 5)).toEqual({ first: 9985, last: 10_000 });
  });
  it("renders only a few dozen rows of 10,000 wherever it is scrolled", () => {
    for (const top of [0, 12_345, 200_000, 399_600]) {
      const { first, last } = visibleRange(top, 600, 40, 10_000);
      expect(last - first).toBeLessThanOrEqual(27);
      expect(first * 40).toBeLessThanOrEqual(top);
      expect(last * 40).toBeGreaterThanOrEqual(Math.min(top + 600, 400_000));
    }
  });
  it("is empty for an empty queue and short for a short one", () => {
    expect(visibleRange(0, 400, 40, 0)).toEqual({ first: 0, last: 0 });
    expect(visibleRange(0, 400, 40, 3)).toEqual({ first: 0, last: 3 });
  });
  it("survives a scroll position past the end (the list got shorter)", () => {
    const { first, last } = visibleRange(10_000, 400, 40, 10);
    expect(first).toBeLessThanOrEqual(last);
    expect(last).toBe(10);
  });
});

describe("pagesFor", () => {
  it("asks for every page that holds a shown row, once", () => {
    expect(pagesFor(0, 16, 100)).toEqual([0]);
    expect(pagesFor(95, 116, 100)).toEqual([0, 1]);
    expect(pagesFor(9985, 10_000, 100)).toEqual([99]);
    expect(pagesFor(5, 5, 100)).toEqual([]);
  });
});

describe("scrollToShow", () => {
  it("scrolls up or down just enough, or not at all", () => {
    expect(scrollToShow(10, 800, 400, 40)).toBe(400);
    expect(scrollToShow(40, 800, 400, 40)).toBe(1240);
    expect(scrollToShow(25, 800, 400, 40)).toBe(800);
  });
});

describe("moveSelection", () => {
  const perPage = rowsPerPage(410, 40);
  it("moves by one, by a page and to the ends, clamped", () => {
    expect(perPage).toBe(10);
    expect(moveSelection("ArrowDown", 0, 10_000, perPage)).toBe(1);
    expect(moveSelection("ArrowUp", 0, 10_000, perPage)).toBe(0);
    expect(moveSelection("PageDown", 5, 10_000, perPage)).toBe(15);
    expect(moveSelection("PageUp", 5, 10_000, perPage)).toBe(0);
    expect(moveSelection("PageDown", 9995, 10_000, perPage)).toBe(9999);
    expect(moveSelection("End", 3, 10_000, perPage)).toBe(9999);
    expect(moveSelection("Home", 300, 10_000, perPage)).toBe(0);
  });
  it("selects the first row from nothing, and ignores other keys and empty lists", () => {
    expect(moveSelection("ArrowDown", -1, 10, perPage)).toBe(0);
    expect(moveSelection("a", 3, 10, perPage)).toBeNull();
    expect(moveSelection("ArrowDown", -1, 0, perPage)).toBeNull();
  });
});
