// Typed calls of the print dialog and the print history (src-tauri/print_commands.rs); the
// types come from the generated bindings.
import { invoke } from "@tauri-apps/api/core";
import { asAppError } from "../api";
import type { Paper } from "../../bindings/Paper";
import type { PrintHistoryQuery } from "../../bindings/PrintHistoryQuery";
import type { PrintOptions } from "../../bindings/PrintOptions";
import type { PrintOutcome } from "../../bindings/PrintOutcome";
import type { PrintRecord } from "../../bindings/PrintRecord";
import type { SlipKind } from "../../bindings/SlipKind";

async function call<T>(cmd: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(cmd, args);
  } catch (e) {
    throw asAppError(e);
  }
}

export const printApi = {
  options: (caseId: string) => call<PrintOptions>("print_options", { caseId }),
  /** The paper's PDF bytes, for pdf.js (never counted as a print). */
  preview: (caseId: string, kind: SlipKind) => call<ArrayBuffer>("print_preview", { caseId, kind }),
  /** The dialog's printer choice for this paper `kind` alone (another paper of the same size keeps its printer). */
  setPrinter: (paper: Paper, printer: string, kind: SlipKind) => call<void>("print_set_printer", { paper, printer, kind }),
  print: (jobId: string, caseId: string, kind: SlipKind, reprintReason: string | null) =>
    call<PrintOutcome>("print_slip", { jobId, caseId, kind, reprintReason }),
  retry: (jobId: string) => call<PrintOutcome>("print_retry", { jobId }),
  cancel: (jobId: string) => call<PrintOutcome>("print_cancel", { jobId }),
  history: (query: PrintHistoryQuery) => call<PrintRecord[]>("print_history", { query }),
};
