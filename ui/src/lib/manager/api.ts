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

export const managerApi = {
  caseStats: (range: DateRange) => call<CaseStatsView>("manager_case_stats", { range }),
  evaluationStats: (range: DateRange) =>
    call<EvaluationStatsView>("manager_evaluation_stats", { range }),
  pickExportPath: (range: DateRange, format: ExportFormat) =>
    call<string | null>("manager_pick_export_path", { range, format }),
  exportCases: (request: ExportRequest) => call<ExportDone>("manager_export", { request }),
  /** The overdue list a page at a time (the home screen's command, working days in Rust). */
  deadlines: (limit: number, offset: number) => call<DeadlineList>("deadlines", { limit, offset }),
};

/** Progress of a running export. */
export function onExportProgress(handler: (p: ExportProgress) => void): Promise<UnlistenFn> {
  return listen<ExportProgress>("manager-export-progress", (event) => handler(event.payload));
}
