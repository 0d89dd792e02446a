// The filter state becomes the CaseQuery Rust reads: empty inputs are no filter, "none" asks
// for cases the district has not reported yet.
import { describe, expect, it } from "vitest";
import { emptyFilters, toQuery } from "./query";

describe("toQuery", () => {
  it("sends no filter for empty inputs", () => {
    const q = toQuery(emptyFilters(), 0, 100);
    expect(q).toMatchObject({ text: "", state: null, district_status: null, no_district_status: false });
    expect(q).toMatchObject({ sync_state: null, item_code: null, clerk: null, from: null, to: null });
    expect([q.offset, q.limit]).toEqual([0, 100]);
  });
  it("reads the status choice", () => {
    const f = { ...emptyFilters(), status: "none", outcome: "rejected", from: "2026-11-01" };
    expect(toQuery(f, 200, 100)).toMatchObject({ no_district_status: true, district_status: null, state: "rejected", from: "2026-11-01", offset: 200 });
    expect(toQuery({ ...f, status: "reviewing" }, 0, 100)).toMatchObject({ no_district_status: false, district_status: "reviewing" });
  });
});
