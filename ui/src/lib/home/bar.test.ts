import { describe, expect, it } from "vitest";
import type { SyncStatus } from "../../bindings/SyncStatus";
import { barWidth, tone } from "./bar";

function status(kind: SyncStatus["phase"]["kind"], quarantined = 0): SyncStatus {
  const phase = (kind === "retrying" || kind === "offline" || kind === "needs_attention"
    ? { kind, next_in_ms: 1000 }
    : { kind }) as SyncStatus["phase"];
  return {
    phase,
    badge: "",
    detail: "",
    pending_label: "",
    quarantined_label: null,
    last_success_label: "",
    progress_label: null,
    progress_percent: null,
    pending: 0,
    quarantined,
    last_success_at: null,
    last_error: null,
    clock_offset_ms: null,
    progress: null,
  };
}

describe("sync bar", () => {
  it("takes its look from the phase, red when records are blocked", () => {
    expect(tone(status("idle"))).toBe("ok");
    expect(tone(status("syncing"))).toBe("busy");
    expect(tone(status("offline"))).toBe("warn");
    expect(tone(status("retrying"))).toBe("warn");
    expect(tone(status("auth_needed"))).toBe("bad");
    expect(tone(status("needs_attention"))).toBe("bad");
    expect(tone(status("idle", 2))).toBe("bad");
  });

  it("keeps the progress bar within its track", () => {
    expect(barWidth(null)).toBe("0%");
    expect(barWidth(23)).toBe("23%");
    expect(barWidth(140)).toBe("100%");
    expect(barWidth(-5)).toBe("0%");
  });
});
