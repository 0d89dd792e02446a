// The queue screen's IPC calls (issue 8.4); types from the generated bindings.
import { call } from "../api";
import type { CaseHistory } from "../../bindings/CaseHistory";
import type { CaseQuery } from "../../bindings/CaseQuery";
import type { PageImage } from "../../bindings/PageImage";
import type { QueueFilters } from "../../bindings/QueueFilters";
import type { QueuePage } from "../../bindings/QueuePage";
import type { ScanGroup } from "../../bindings/ScanGroup";

export const queueApi = {
  filters: () => call<QueueFilters>("queue_filters"),
  search: (query: CaseQuery) => call<QueuePage>("queue_search", { query }),
  history: (caseId: string) => call<CaseHistory>("case_history", { caseId }),
  scans: (caseId: string) => call<ScanGroup[]>("case_scans", { caseId }),
  pageImage: (caseId: string, pageId: number) => call<PageImage>("case_page_image", { caseId, pageId }),
};
