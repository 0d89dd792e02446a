// The queue's filter state as the screen keeps it (strings from its inputs) and the CaseQuery
// it becomes; the district-status choice "none" (from Rust) asks for cases not reported yet.
import type { CaseQuery } from "../../bindings/CaseQuery";
import type { CaseState } from "../../bindings/CaseState";
import type { DistrictStatus } from "../../bindings/DistrictStatus";
import type { SyncState } from "../../bindings/SyncState";

export type FilterState = {
  text: string;
  outcome: string;
  status: string;
  sync: string;
  item: string;
  clerk: string;
  from: string;
  to: string;
};

export const NO_DISTRICT_STATUS = "none";

export function emptyFilters(): FilterState {
  return { text: "", outcome: "", status: "", sync: "", item: "", clerk: "", from: "", to: "" };
}

export function toQuery(f: FilterState, offset: number, limit: number): CaseQuery {
  return {
    text: f.text,
    state: (f.outcome || null) as CaseState | null,
    district_status: (f.status && f.status !== NO_DISTRICT_STATUS ? f.status : null) as DistrictStatus | null,
    no_district_status: f.status === NO_DISTRICT_STATUS,
    sync_state: (f.sync || null) as SyncState | null,
    item_code: f.item || null,
    clerk: f.clerk || null,
    from: f.from || null,
    to: f.to || null,
    offset,
    limit,
  };
}
