// The print dialog's focus trap: Tab from the last control wraps to the first, Shift+Tab from
// the first to the last, a focus outside the dialog comes back in, and in between the
// browser's own order (which stays inside) is left alone.
import { describe, expect, it } from "vitest";
import { isTab, wrapTarget } from "./focusTrap";

const controls = ["关闭", "受理通知书", "打印机", "打印"] as const;

describe("wrapTarget", () => {
  it("wraps Tab from the last control to the first", () => {
    expect(wrapTarget(controls, "打印", false)).toBe("关闭");
  });

  it("wraps Shift+Tab from the first control to the last", () => {
    expect(wrapTarget(controls, "关闭", true)).toBe("打印");
  });

  it("leaves the browser's order alone inside the dialog", () => {
    expect(wrapTarget(controls, "关闭", false)).toBeNull();
    expect(wrapTarget(controls, "打印机", false)).toBeNull();
    expect(wrapTarget(controls, "打印", true)).toBeNull();
  });

  it("brings a focus that escaped (or sits on the page) back in", () => {
    expect(wrapTarget(controls, null, false)).toBe("关闭");
    expect(wrapTarget(controls, null, true)).toBe("打印");
    expect(wrapTarget(controls, "办件编号搜索" as (typeof controls)[number], false)).toBe("关闭");
  });

  it("a dialog with a single control keeps the focus on it", () => {
    expect(wrapTarget(["关闭"], "关闭", false)).toBe("关闭");
    expect(wrapTarget(["关闭"], "关闭", true)).toBe("关闭");
  });

  it("has nowhere to go in an empty dialog", () => {
    expect(wrapTarget([], null, false)).toBeNull();
  });
});

describe("isTab", () => {
  it("knows Tab, and Shift+Tab as WebKitGTK reports it (key Unidentified, code Tab)", () => {
    expect(isTab({ key: "Tab", code: "Tab", keyCode: 9 })).toBe(true);
    expect(isTab({ key: "Unidentified", code: "Tab", keyCode: 9 })).toBe(true);
    expect(isTab({ key: "Unidentified", code: "", keyCode: 9 })).toBe(true);
    expect(isTab({ key: "Enter", code: "Enter", keyCode: 13 })).toBe(false);
    expect(isTab({ key: "Shift", code: "ShiftLeft", keyCode: 16 })).toBe(false);
  });
});
