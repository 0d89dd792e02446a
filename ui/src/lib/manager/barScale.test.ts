// The charts' arithmetic: round axis tops, whole-number ticks, bars inside the plot and in
// proportion, thinned day labels, long Chinese names cut without breaking a character.
import { describe, expect, it } from "vitest";
import { columns, labelEvery, niceMax, rows, scale, shorten, ticks } from "./barScale";

const bar = (key: string, count: number) => ({ key, label: key, count });

describe("niceMax", () => {
  it("rounds up to 1, 2 or 5 times a power of ten", () => {
    expect(niceMax(0)).toBe(1);
    expect(niceMax(1)).toBe(1);
    expect(niceMax(3)).toBe(5);
    expect(niceMax(7)).toBe(10);
    expect(niceMax(10)).toBe(10);
    expect(niceMax(11)).toBe(20);
    expect(niceMax(180)).toBe(200);
    expect(niceMax(4321)).toBe(5000);
  });
});

describe("ticks", () => {
  it("goes from 0 to the top in whole, round steps", () => {
    expect(ticks(20)).toEqual([0, 5, 10, 15, 20]);
    expect(ticks(1)).toEqual([0, 1]);
    expect(ticks(2)).toEqual([0, 1, 2]);
    expect(ticks(5)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(ticks(10)).toEqual([0, 2, 4, 6, 8, 10]);
    expect(ticks(500)).toEqual([0, 100, 200, 300, 400, 500]);
  });
});

describe("scale", () => {
  it("is proportional, never past the plot, and shows a small non-zero value", () => {
    expect(scale(5, 10, 200)).toBe(100);
    expect(scale(0, 10, 200)).toBe(0);
    expect(scale(20, 10, 200)).toBe(200);
    expect(scale(1, 10000, 200)).toBe(1);
  });
});

describe("columns", () => {
  it("puts one column per bar inside the plot, standing on its bottom", () => {
    const placed = columns([bar("a", 2), bar("b", 0), bar("c", 5)], 300, 100);
    expect(placed).toHaveLength(3);
    expect(placed[2].h).toBe(100);
    expect(placed[0].h).toBe(40);
    expect(placed[0].y + placed[0].h).toBe(100);
    expect(placed[1].h).toBe(0);
    for (const p of placed) {
      expect(p.x).toBeGreaterThanOrEqual(0);
      expect(p.x + p.w).toBeLessThanOrEqual(300);
    }
    expect(placed[1].x).toBeGreaterThan(placed[0].x + placed[0].w);
    expect(columns([], 300, 100)).toEqual([]);
  });
});

describe("rows", () => {
  it("stacks one row per bar, lengths in proportion to the round top", () => {
    const placed = rows([bar("x", 8), bar("y", 3)], 400, 20);
    expect(placed[0].w).toBe(400 * (8 / 10));
    expect(placed[1].w).toBe(400 * (3 / 10));
    expect(placed[1].y).toBeGreaterThan(placed[0].y + placed[0].h);
  });
});

describe("labels", () => {
  it("thins labels to what fits", () => {
    expect(labelEvery(10, 31)).toBe(1);
    expect(labelEvery(31, 10)).toBe(4);
  });

  it("cuts long names by character, keeping rare ones whole", () => {
    expect(shorten("广东省居住证申领", 20)).toBe("广东省居住证申领");
    expect(shorten("城乡居民基本养老保险参保登记", 8)).toBe("城乡居民基本养…");
    expect(shorten("𠀀𠀁𠀂𠀃", 3)).toBe("𠀀𠀁…");
  });
});
