// Typed calls into the Rust backend. Types come from the generated bindings (ts-rs), never hand-copied.
import { invoke } from "@tauri-apps/api/core";
import { listen, type UnlistenFn } from "@tauri-apps/api/event";
import type { AppError } from "../bindings/AppError";
import type { CaseQuery } from "../bindings/CaseQuery";
import type { CaseRow } from "../bindings/CaseRow";
import type { ClerkInfo } from "../bindings/ClerkInfo";
import type { CreditHint } from "../bindings/CreditHint";
import type { DecisionResult } from "../bindings/DecisionResult";
import type { DraftSummary } from "../bindings/DraftSummary";
import type { FormOptions } from "../bindings/FormOptions";
import type { IntakeDecision } from "../bindings/IntakeDecision";
import type { IntakeForm } from "../bindings/IntakeForm";
import type { Issue } from "../bindings/Issue";
import type { ItemView } from "../bindings/ItemView";
import type { ReturningApplicant } from "../bindings/ReturningApplicant";
import type { ProvisionForm } from "../bindings/ProvisionForm";
import type { Startup } from "../bindings/Startup";
import type { SyncStatus } from "../bindings/SyncStatus";
import type { DistrictView } from "../bindings/DistrictView";
import type { QuarantineRow } from "../bindings/QuarantineRow";
import type { ArrivedScan } from "../bindings/ArrivedScan";
import type { PageImage } from "../bindings/PageImage";
import type { PageView } from "../bindings/PageView";
import type { ReuseOffer } from "../bindings/ReuseOffer";
import type { ScanFolder } from "../bindings/ScanFolder";

/** Any failure from the backend, shaped as `{kind, message, issues}`. */
export function asAppError(e: unknown): AppError {
  if (typeof e === "object" && e !== null && "kind" in e && "message" in e) return e as AppError;
  return { kind: "internal", message: `内部错误：${String(e)}`, issues: [] };
}

/** One IPC call; a failure is always an AppError (for the per-area api files). */
export async function call<T>(cmd: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(cmd, args);
  } catch (e) {
    throw asAppError(e);
  }
}

export const api = {
  startup: () => call<Startup>("startup"),
  provision: (form: ProvisionForm) => call<Startup>("provision", { form }),
  recoverKey: (passphrase: string) => call<Startup>("recover_key", { passphrase }),
  login: (login: string, password: string) => call<ClerkInfo>("login", { login, password }),
  logout: () => call<void>("logout"),
  formOptions: () => call<FormOptions>("form_options"),
  searchItems: (query: string) => call<ItemView[]>("search_items", { query }),
  item: (itemCode: string) => call<ItemView>("item", { itemCode }),
  startIntake: (itemCode: string) => call<IntakeForm>("start_intake", { itemCode }),
  saveDraft: (form: IntakeForm) => call<boolean>("save_draft", { form }),
  drafts: () => call<DraftSummary[]>("drafts"),
  discardDraft: (id: string) => call<boolean>("discard_draft", { id }),
  checkIntake: (form: IntakeForm, decision: IntakeDecision) => call<Issue[]>("check_intake", { form, decision }),
  decide: (form: IntakeForm, decision: IntakeDecision) => call<DecisionResult>("decide", { form, decision }),
  completeCorrection: (form: IntakeForm, decision: IntakeDecision) =>
    call<DecisionResult>("complete_correction", { form, decision }),
  correctionForm: (caseId: string) => call<IntakeForm>("correction_form", { caseId }),
  recordSupplement: (caseId: string) => call<DecisionResult>("record_supplement", { caseId }),
  returningApplicant: (idNo: string) => call<ReturningApplicant | null>("returning_applicant", { idNo }),
  searchCases: (query: CaseQuery) => call<CaseRow[]>("search_cases", { query }),
  creditCheck: (intakeId: string, subjectNo: string) =>
    call<CreditHint | null>("credit_check", { intakeId, subjectNo }),
  acknowledgeBlackList: (intakeId: string, subjectNo: string) =>
    call<CreditHint>("acknowledge_black_list", { intakeId, subjectNo }),
  syncStatus: () => call<SyncStatus>("sync_status"),
  syncNow: () => call<void>("sync_now"),
  district: () => call<DistrictView>("district"),
  setDistrictUrl: (url: string) => call<DistrictView>("set_district_url", { url }),
  enroll: (url: string, code: string, deviceName: string) =>
    call<DistrictView>("enroll", { url, code, deviceName }),
  quarantined: () => call<QuarantineRow[]>("quarantined"),
  releaseQuarantined: (caseIds: string[], reason: string) =>
    call<number>("release_quarantined", { caseIds, reason }),
};

/** Subscribes to sync status pushed by the backend. */
export function onSyncStatus(handler: (s: SyncStatus) => void): Promise<UnlistenFn> {
  return listen<SyncStatus>("sync-status", (event) => handler(event.payload));
}

/** Subscribes to "the queue changed" (a case accepted or synced). */
export function onCasesChanged(handler: () => void): Promise<UnlistenFn> {
  return listen("cases-changed", () => handler());
}

/** Scanned pages on checklist lines, the file dialog and the watched scan folder. */
export const scanApi = {
  pages: (intakeId: string) => call<PageView[]>("scan_pages", { intakeId }),
  attachFile: (intakeId: string, materialCode: string, path: string) =>
    call<PageView>("scan_attach_file", { intakeId, materialCode, path }),
  attachArrived: (intakeId: string, materialCode: string, name: string) =>
    call<PageView>("scan_attach_arrived", { intakeId, materialCode, name }),
  movePage: (pageId: number, position: number) => call<PageView>("scan_move_page", { pageId, position }),
  removePage: (pageId: number) => call<boolean>("scan_remove_page", { pageId }),
  pageImage: (pageId: number) => call<PageImage>("scan_page_image", { pageId }),
  reusable: (intakeId: string, materialCode: string, idNo: string) =>
    call<ReuseOffer[]>("scan_reusable", { intakeId, materialCode, idNo }),
  reuse: (intakeId: string, materialCode: string, pageId: number) =>
    call<PageView>("scan_reuse", { intakeId, materialCode, pageId }),
  folder: () => call<ScanFolder>("scan_folder"),
  setFolder: (path: string) => call<ScanFolder>("scan_set_folder", { path }),
  watchStart: () => call<ScanFolder>("scan_watch_start"),
  pickFiles: () => call<string[]>("scan_pick_files"),
  pickFolder: () => call<string | null>("scan_pick_folder"),
};

/** Subscribes to new files in the watched scan folder (pushed by the backend). */
export function onScanArrived(handler: (scan: ArrivedScan) => void): Promise<UnlistenFn> {
  return listen<ArrivedScan>("scan-arrived", (event) => handler(event.payload));
}
