// The sync bar's own logic: which look the badge takes, and the progress bar's width.
import type { SyncStatus } from "../../bindings/SyncStatus";

export type Tone = "ok" | "busy" | "warn" | "bad";

/** The badge's look for the engine's phase, and red whenever records are blocked. */
export function tone(status: SyncStatus): Tone {
  if (status.quarantined > 0) return "bad";
  switch (status.phase.kind) {
    case "idle":
      return "ok";
    case "syncing":
      return "busy";
    case "retrying":
    case "offline":
      return "warn";
    default:
      return "bad";
  }
}

/** The progress bar's width as a CSS percentage, kept within 0–100. */
export function barWidth(percent: number | null): string {
  if (percent === null || Number.isNaN(percent)) return "0%";
  return `${Math.min(100, Math.max(0, Math.round(percent)))}%`;
}
