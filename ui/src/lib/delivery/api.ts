// The delivery (出件) screen's IPC calls (issue 8.5); types from the generated bindings. The
// role check, the recipient check and every label are in Rust.
import { call } from "../api";
import type { CourierHandover } from "../../bindings/CourierHandover";
import type { DeliveryCase } from "../../bindings/DeliveryCase";
import type { DeliveryList } from "../../bindings/DeliveryList";
import type { HandedRow } from "../../bindings/HandedRow";
import type { WindowHandover } from "../../bindings/WindowHandover";

export const deliveryApi = {
  list: (text: string) => call<DeliveryList>("delivery_list", { filter: { text } }),
  open: (caseId: string) => call<DeliveryCase>("delivery_case", { caseId }),
  atWindow: (caseId: string, handoverId: string, input: WindowHandover) =>
    call<HandedRow>("delivery_at_window", { caseId, handoverId, input }),
  byCourier: (caseId: string, handoverId: string, input: CourierHandover) =>
    call<HandedRow>("delivery_by_courier", { caseId, handoverId, input }),
  markSigned: (caseId: string) => call<HandedRow>("delivery_mark_signed", { caseId }),
};
