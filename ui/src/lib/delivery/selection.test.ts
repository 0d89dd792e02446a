// The ready list's keyboard selection.
import { describe, expect, it } from "vitest";
import { keepSelection, moveSelection } from "./selection";

describe("moveSelection", () => {
  it("moves within the list and stops at its ends", () => {
    expect(moveSelection("ArrowDown", 0, 3)).toBe(1);
    expect(moveSelection("ArrowDown", 2, 3)).toBe(2);
    expect(moveSelection("ArrowUp", 0, 3)).toBe(0);
    expect(moveSelection("End", 0, 3)).toBe(2);
    expect(moveSelection("Home", 2, 3)).toBe(0);
  });
  it("ignores other keys and an empty list", () => {
    expect(moveSelection("Enter", 1, 3)).toBeNull();
    expect(moveSelection("ArrowDown", 0, 0)).toBeNull();
  });
});

describe("keepSelection", () => {
  it("finds the chosen case again after a reload", () => {
    expect(keepSelection(["a", "b", "c"], "c")).toBe(2);
    expect(keepSelection(["a", "b"], "gone")).toBe(0);
    expect(keepSelection([], null)).toBe(0);
  });
});
