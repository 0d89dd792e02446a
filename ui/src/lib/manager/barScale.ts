// The arithmetic of the statistics' small SVG bar charts (BarChart.svelte): a round top for
// the axis, its tick values, where each bar goes, which day labels fit, and labels shortened
// to fit their column. Pure functions, tested in barScale.test.ts; no chart library.

export interface Bar {
  key: string;
  label: string;
  count: number;
}

/** The smallest 1, 2 or 5 × 10ⁿ at or above `max` (1 for an empty chart). */
export function niceMax(max: number): number {
  if (!(max > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(max));
  for (const step of [1, 2, 5, 10]) {
    if (step * power >= max) return step * power;
  }
  return 10 * power;
}

/** Tick values from 0 to a `niceMax` top in whole, round steps: 5 → 0…5 by 1, 10 → by 2,
 * 20 → by 5, 50 → by 10. */
export function ticks(top: number): number[] {
  const leading = top / 10 ** Math.floor(Math.log10(top));
  const parts = Math.round(leading) === 2 ? 4 : 5;
  const step = Math.max(1, top / parts);
  const out: number[] = [];
  for (let v = 0; v <= top; v += step) out.push(v);
  if (out[out.length - 1] !== top) out.push(top);
  return out;
}

/** `value` of `top` as a length of at most `full`; a non-zero value is at least 1 unit long. */
export function scale(value: number, top: number, full: number): number {
  if (value <= 0 || top <= 0) return 0;
  return Math.max(1, (Math.min(value, top) / top) * full);
}

export interface Placed {
  bar: Bar;
  x: number;
  y: number;
  w: number;
  h: number;
}

/** Columns (one per bar, e.g. per day) in a `width` × `height` plot, bottom at `height`. */
export function columns(bars: Bar[], width: number, height: number, gap = 0.2): Placed[] {
  if (bars.length === 0) return [];
  const top = niceMax(Math.max(...bars.map((b) => b.count)));
  const slot = width / bars.length;
  const w = slot * (1 - gap);
  return bars.map((bar, i) => {
    const h = scale(bar.count, top, height);
    return { bar, x: i * slot + (slot - w) / 2, y: height - h, w, h };
  });
}

/** Rows (one per bar, e.g. per item) of `rowHeight`, bars growing right from 0 to `width`. */
export function rows(bars: Bar[], width: number, rowHeight: number, gap = 0.3): Placed[] {
  if (bars.length === 0) return [];
  const top = niceMax(Math.max(...bars.map((b) => b.count)));
  const h = rowHeight * (1 - gap);
  return bars.map((bar, i) => ({
    bar,
    x: 0,
    y: i * rowHeight + (rowHeight - h) / 2,
    w: scale(bar.count, top, width),
    h,
  }));
}

/** Every how many columns a label is shown so that at most `fit` labels are drawn. */
export function labelEvery(count: number, fit: number): number {
  if (count <= fit || fit <= 0) return 1;
  return Math.ceil(count / fit);
}

/** `label` cut to `max` characters (by code point, so 𠀀-like characters stay whole) with …. */
export function shorten(label: string, max: number): string {
  const chars = Array.from(label);
  if (chars.length <= max) return label;
  return chars.slice(0, Math.max(1, max - 1)).join("") + "…";
}
