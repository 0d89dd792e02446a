/// <reference types="vite/client" />
// The print screens' own words come from the i18n catalogue: no Chinese typed into their
// markup (the print history's headings were). Labels from Rust arrive through expressions.
import { describe, expect, it } from "vitest";

const sources = import.meta.glob("./*.svelte", { query: "?raw", import: "default", eager: true }) as Record<string, string>;

/** The markup alone: no script, style, comments or `{expressions}`. */
function markup(source: string): string {
  return source
    .replace(/<script[\s\S]*?<\/script>/g, "")
    .replace(/<style[\s\S]*?<\/style>/g, "")
    .replace(/<!--[\s\S]*?-->/g, "")
    .replace(/\{[^{}]*\}/g, "");
}

describe("print screens", () => {
  it("are all checked", () => {
    expect(Object.keys(sources)).toEqual(expect.arrayContaining(["./PrintDialog.svelte", "./PrintHistory.svelte"]));
  });

  it("type no Chinese into their markup", () => {
    for (const [file, source] of Object.entries(sources)) {
      const han = markup(source).match(/\p{Script=Han}+/gu) ?? [];
      expect(han, file).toEqual([]);
    }
  });
});
