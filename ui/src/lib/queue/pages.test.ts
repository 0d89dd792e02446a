// The queue's page cache: each page fetched once, rows found by index, a failed page retried.
import { describe, expect, it } from "vitest";
import { PAGE_SIZE, RowPages } from "./pages";

function fake(total: number) {
  const calls: number[] = [];
  let fail = false;
  const pages = new RowPages<number>(async (offset, limit) => {
    calls.push(offset);
    if (fail) throw new Error("offline");
    const rows = Array.from({ length: Math.max(0, Math.min(limit, total - offset)) }, (_, i) => offset + i);
    return { total, offset, rows };
  });
  return { pages, calls, setFail: (f: boolean) => (fail = f) };
}

describe("RowPages", () => {
  it("keeps Rust's word that more cases match than it counted", async () => {
    const pages = new RowPages<number>(async (offset) => ({ total: 10_000, more: true, offset, rows: [offset] }));
    expect(pages.more).toBe(false);
    await pages.ensure([0]);
    expect(pages.total).toBe(10_000);
    expect(pages.more).toBe(true);
  });
  it("fetches each page once and finds rows by index", async () => {
    const { pages, calls } = fake(10_000);
    expect(await pages.ensure([0, 1])).toBe(true);
    expect(await pages.ensure([1])).toBe(false);
    expect(calls).toEqual([0, PAGE_SIZE]);
    expect(pages.total).toBe(10_000);
    expect(pages.row(150)).toBe(150);
    expect(pages.row(250)).toBeUndefined();
  });
  it("asks again for a page whose fetch failed", async () => {
    const { pages, calls, setFail } = fake(500);
    setFail(true);
    await expect(pages.ensure([2])).rejects.toThrow("offline");
    setFail(false);
    expect(await pages.ensure([2])).toBe(true);
    expect(calls).toEqual([200, 200]);
    expect(pages.row(299)).toBe(299);
  });
});
