// The intake screen's keys: F-keys map to actions, lists and pages stay in range, Enter moves on.
import { describe, expect, it } from "vitest";
import { enterMovesOn, intakeAction, movedPosition, moveHighlight, stepPage } from "./keys";

const key = (k: string, mods: Partial<KeyboardEvent> = {}) => ({ key: k, altKey: false, ctrlKey: false, metaKey: false, ...mods });

describe("intake keys", () => {
  it("maps F8, F9 and F10 and nothing else", () => {
    expect(intakeAction(key("F8"))).toBe("check");
    expect(intakeAction(key("F9"))).toBe("preview_print");
    expect(intakeAction(key("F10"))).toBe("customer_screen");
    expect(intakeAction(key("F2"))).toBeNull();
    expect(intakeAction(key("Enter"))).toBeNull();
    expect(intakeAction(key("F9", { ctrlKey: true }))).toBeNull();
  });

  it("keeps the item highlight inside the list", () => {
    expect(moveHighlight(0, 3, "ArrowDown")).toBe(1);
    expect(moveHighlight(2, 3, "ArrowDown")).toBe(2);
    expect(moveHighlight(0, 3, "ArrowUp")).toBe(0);
    expect(moveHighlight(5, 3, "ArrowUp")).toBe(1);
    expect(moveHighlight(1, 3, "End")).toBe(2);
    expect(moveHighlight(0, 0, "ArrowDown")).toBe(-1);
  });

  it("moves a page within its line with Alt+arrows", () => {
    expect(movedPosition(2, 3, "ArrowUp")).toBe(1);
    expect(movedPosition(1, 3, "ArrowUp")).toBeNull();
    expect(movedPosition(2, 3, "ArrowDown")).toBe(3);
    expect(movedPosition(3, 3, "ArrowRight")).toBeNull();
    expect(movedPosition(2, 3, "Enter")).toBeNull();
  });

  it("steps through the large viewer's pages and stops at the ends", () => {
    expect(stepPage(0, 3, "ArrowRight")).toBe(1);
    expect(stepPage(2, 3, "ArrowRight")).toBe(2);
    expect(stepPage(0, 3, "ArrowLeft")).toBe(0);
    expect(stepPage(1, 3, "x")).toBe(1);
  });

  it("lets Enter move on from text fields and selects only", () => {
    expect(enterMovesOn({ tagName: "INPUT", type: "text" })).toBe(true);
    expect(enterMovesOn({ tagName: "INPUT", type: "tel" })).toBe(true);
    expect(enterMovesOn({ tagName: "SELECT" })).toBe(true);
    expect(enterMovesOn({ tagName: "INPUT", type: "checkbox" })).toBe(false);
    expect(enterMovesOn({ tagName: "BUTTON" })).toBe(false);
    expect(enterMovesOn({ tagName: "TEXTAREA" })).toBe(false);
  });
});

describe("the decision sent", () => {
  it("carries the fields of its kind only", async () => {
    const { buildDecision } = await import("./decision");
    const f = { supplementBy: "2026-12-07", defects: [{ code: "M01", problem: "过期" }], reasons: "不属于本站", referral: " " };
    expect(buildDecision("accept", f)).toEqual({ kind: "accept" });
    expect(buildDecision("accept_tolerant", f)).toEqual({ kind: "accept_tolerant", supplement_by: "2026-12-07" });
    expect(buildDecision("request_correction", f)).toEqual({ kind: "request_correction", defects: f.defects });
    expect(buildDecision("reject", f)).toEqual({ kind: "reject", reasons: "不属于本站", referral: null });
  });
});
