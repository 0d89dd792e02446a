// A settings section's save: 已保存 and no issues after a save Rust took; a refusal naming
// fields is shown beside them only (no error line), any other refusal as the error line; the
// section is busy only while the call runs.
import { describe, expect, it } from "vitest";
import type { AppError } from "../../bindings/AppError";
import { SectionSave } from "./sectionSave.svelte";

const refusal = (issues: AppError["issues"]): AppError => ({
  kind: "invalid_input",
  message: "请检查标出的项目",
  issues,
});

describe("a settings section's save", () => {
  it("shows what was stored and 已保存, and clears earlier issues", async () => {
    const s = new SectionSave();
    s.issues = [{ field: "phone", code: "phone", message: "电话号码不正确", severity: "error" }];
    let shown = "";
    let busyDuring = false;
    await s.save(
      async () => {
        busyDuring = s.busy;
        return "020-12345678";
      },
      (stored) => (shown = stored),
    );
    expect(shown).toBe("020-12345678");
    expect(busyDuring).toBe(true);
    expect(s.busy).toBe(false);
    expect(s.issues).toEqual([]);
    expect(s.message).toBe("已保存");
    expect(s.error).toBeNull();
  });

  it("shows a refusal naming fields beside them, and any other as the error line", async () => {
    const s = new SectionSave();
    const issues: AppError["issues"] = [
      { field: "counter", code: "counter", message: "窗口号应为 1 至 999", severity: "error" },
    ];
    await s.save(() => Promise.reject(refusal(issues)), () => {});
    expect(s.issues).toEqual(issues);
    expect(s.error).toBeNull();
    expect(s.message).toBeNull();
    await s.save(() => Promise.reject(refusal([])), () => {});
    expect(s.error).toBe("请检查标出的项目");
    expect(s.busy).toBe(false);
  });

  it("loads what is stored, or says why it could not", async () => {
    const s = new SectionSave();
    let shown = 0;
    await s.load(async () => 15, (stored) => (shown = stored));
    expect(shown).toBe(15);
    expect(s.error).toBeNull();
    await s.load(() => Promise.reject(refusal([])), () => {});
    expect(s.error).toBe("请检查标出的项目");
  });

  it("says nothing when the write did nothing (a dialog cancelled)", async () => {
    const s = new SectionSave();
    let shown = false;
    await s.save(async () => null, () => (shown = true));
    expect(shown).toBe(false);
    expect(s.message).toBeNull();
    expect(s.error).toBeNull();
    expect(s.busy).toBe(false);
  });
});
