// The catalogue's own logic: placeholders, and both languages listing the same keys with the
// same placeholders (a translation that drops {name} would show the clerk a hole).
import { describe, expect, it } from "vitest";
import { en, format, zh } from "./catalogue";

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe("catalogue", () => {
  it("fills placeholders and leaves unknown ones visible", () => {
    expect(format("第 {counter} 号窗口", { counter: 3 })).toBe("第 3 号窗口");
    expect(format("{a}-{b}", { a: "x" })).toBe("x-{b}");
    expect(format("无占位")).toBe("无占位");
  });

  it("has an English text with the same placeholders for every Chinese key", () => {
    const zhKeys = Object.keys(zh).sort();
    expect(Object.keys(en).sort()).toEqual(zhKeys);
    for (const key of zhKeys) {
      const k = key as keyof typeof zh;
      expect(placeholders(en[k]), key).toEqual(placeholders(zh[k]));
      expect(zh[k].trim().length, key).toBeGreaterThan(0);
      expect(en[k].trim().length, key).toBeGreaterThan(0);
    }
  });

  it("keys are namespaced by area", () => {
    for (const key of Object.keys(zh)) expect(key).toMatch(/^[a-z_]+\.[a-z0-9_.]+$/);
  });
});
