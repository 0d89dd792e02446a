// Calls about the customer-facing screen: the clerk's window puts a case on it; the customer
// window reads its view, hears changes and sends the tapped level. Types from the bindings.
import { invoke } from "@tauri-apps/api/core";
import { listen, type UnlistenFn } from "@tauri-apps/api/event";
import type { AppError } from "../bindings/AppError";
import type { CustomerView } from "../bindings/CustomerView";
import type { EvaluationMoment } from "../bindings/EvaluationMoment";

function asAppError(e: unknown): AppError {
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

export const customerApi = {
  /** The clerk's window: show this case's evaluation on the customer screen. */
  show: (caseId: string, moment: EvaluationMoment) => call<CustomerView>("customer_show", { caseId, moment }),
  /** The customer window: what it shows now. */
  view: () => call<CustomerView>("customer_view"),
  /** The customer window: the level tapped (GB/T 39046 code) for the shown case. */
  rate: (evaluationId: string, code: number) => call<CustomerView>("customer_rate", { evaluationId, code }),
};

/** Every change of the customer screen, pushed by the backend. */
export function onCustomerView(handler: (v: CustomerView) => void): Promise<UnlistenFn> {
  return listen<CustomerView>("customer-view", (e) => handler(e.payload));
}
