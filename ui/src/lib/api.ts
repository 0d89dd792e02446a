// Typed calls into the Rust backend. Types come from the generated bindings (ts-rs), never hand-copied.
import { invoke } from "@tauri-apps/api/core";
import { listen, type UnlistenFn } from "@tauri-apps/api/event";
import type { AcceptOutcome } from "../bindings/AcceptOutcome";
import type { AppError } from "../bindings/AppError";
import type { CaseRow } from "../bindings/CaseRow";
import type { Catalogue } from "../bindings/Catalogue";
import type { ClerkInfo } from "../bindings/ClerkInfo";
import type { IntakeDraft } from "../bindings/IntakeDraft";
import type { Issue } from "../bindings/Issue";
import type { ProvisionForm } from "../bindings/ProvisionForm";
import type { Startup } from "../bindings/Startup";
import type { SyncStatus } from "../bindings/SyncStatus";

/** Any failure from the backend, shaped as `{kind, message, issues}`. */
export function asAppError(e: unknown): AppError {
  if (typeof e === "object" && e !== null && "kind" in e && "message" in e) return e as AppError;
  return { kind: "internal", message: `内部错误：${String(e)}`, issues: [] };
}

async function call<T>(cmd: string, args?: Record<string, unknown>): Promise<T> {
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
  catalogue: () => call<Catalogue>("catalogue"),
  validateIntake: (draft: IntakeDraft) => call<Issue[]>("validate_intake", { draft }),
  acceptCase: (draft: IntakeDraft) => call<AcceptOutcome>("accept_case", { draft }),
  listCases: () => call<CaseRow[]>("list_cases"),
  openSlip: (caseId: string) => call<void>("open_slip", { caseId }),
  syncStatus: () => call<SyncStatus>("sync_status"),
  syncNow: () => call<void>("sync_now"),
};

/** Subscribes to sync status pushed by the backend. */
export function onSyncStatus(handler: (s: SyncStatus) => void): Promise<UnlistenFn> {
  return listen<SyncStatus>("sync-status", (event) => handler(event.payload));
}

/** Subscribes to "the queue changed" (a case accepted or synced). */
export function onCasesChanged(handler: () => void): Promise<UnlistenFn> {
  return listen("cases-changed", () => handler());
}
