// The settings page lists only a clerk's own preferences and the read-only station details to
// a plain clerk, and every section, each once, to a hall manager.
import { describe, expect, it } from "vitest";
import { sectionLabel, visibleSections } from "./sections";

describe("settings sections", () => {
  it("shows a clerk only their preferences and the station details", () => {
    expect(visibleSections(false)).toEqual(["prefs", "station"]);
  });

  it("shows a hall manager every section once, preferences first", () => {
    const all = visibleSections(true);
    expect(all[0]).toBe("prefs");
    expect(new Set(all).size).toBe(all.length);
    expect([...all].sort()).toEqual(Object.keys(sectionLabel).sort());
  });
});
