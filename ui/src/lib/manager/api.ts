// The hall manager's desk calls into Rust (every one of them manager-only in Rust). Types come
// from the generated bindings; the overdue list, quarantine and print history use their
// existing commands (deadlines, quarantined, release_quarantined, print_history).
import { listen, type UnlistenFn } from "@tauri-apps/api/event";
import { call } from "../api";
import type { CaseStatsView } from "../../bindings/CaseStatsView";
import type { DateRange } from "../../bindings/DateRange";
import type { DeadlineList } from "../../bindings/DeadlineList";
import type { EvaluationStatsView } from "../../bindings/EvaluationStatsView";
import type { ExportDone } from "../../bindings/ExportDone";
import type { ExportFormat } from "../../bindings/ExportFormat";
import type { ExportProgress } from "../../bindings/ExportProgress";
import type { ExportRequest } from "../../bindings/ExportRequest";
import type { RefusedHandoverRow } from "../../bindings/RefusedHandoverRow";

export const managerApi = {
  caseStats: (range: DateRange) => call<CaseStatsView>("manager_case_stats", { range }),
  evaluationStats: (range: DateRange) =>
    call<EvaluationStatsView>("manager_evaluation_stats", { range }),
  pickExportPath: (range: DateRange, format: ExportFormat) =>
    call<string | null>("manager_pick_export_path", { range, format }),
  exportCases: (request: ExportRequest) => call<ExportDone>("manager_export", { request }),
  /** The overdue list a page at a time (the home screen's command, working days in Rust). */
  deadlines: (limit: number, offset: number) => call<DeadlineList>("deadlines", { limit, offset }),
  /** The handovers (送达) the district refused, with its reasons. */
  refusedHandovers: () => call<RefusedHandoverRow[]>("refused_handovers"),
  /** Puts one back in the queue with the reason (checked and audited in Rust); the list left. */
  releaseRefusedHandover: (handoverId: string, reason: string) =>
    call<RefusedHandoverRow[]>("release_refused_handover", { handoverId, reason }),
};

/** Progress of a running export. */
export function onExportProgress(handler: (p: ExportProgress) => void): Promise<UnlistenFn> {
  return listen<ExportProgress>("manager-export-progress", (event) => handler(event.payload));
}
