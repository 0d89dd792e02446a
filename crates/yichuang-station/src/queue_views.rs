//! What the queue screen is shown (issue 8.4): its filter choices with their Chinese labels,
//! a page of cases with the total, a case's history and its scans by material.

use serde::Serialize;
use ts_rs::TS;

use crate::intake_views::{Choice, PageView};
use crate::views::CaseRow;

/// The value of the district-status choice "未回传" (no status from the district yet); the
/// window sends it back as `no_district_status` of the query.
pub const NO_DISTRICT_STATUS: &str = "none";

/// The queue's filter choices, each list in the order the selects show it.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct QueueFilters {
    /// 受理结果: 已受理, 容缺受理, 待补正, 不予受理, 当场办结.
    pub outcomes: Vec<Choice>,
    /// 办理状态 at the district, and "未回传" ([`NO_DISTRICT_STATUS`]).
    pub statuses: Vec<Choice>,
    /// 未同步, 已同步, 同步受阻.
    pub sync_states: Vec<Choice>,
    /// The current catalogue's items (value: item code).
    pub items: Vec<Choice>,
    /// The station's clerks (value: the name the cases keep).
    pub clerks: Vec<Choice>,
}

/// One page of the queue search.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct QueuePage {
    /// Cases matching the search in all, or the count cap when `more` is set.
    pub total: u32,
    /// More cases match than the queue counts (yichuang_store::COUNT_CAP): the list holds
    /// the newest `total` of them and the clerk narrows the search to see others.
    pub more: bool,
    /// Where `rows` starts in the newest-first list.
    pub offset: u32,
    pub rows: Vec<CaseRow>,
    /// How long the store took (count and page), in milliseconds, for the benchmark note.
    pub store_ms: f64,
}

/// One step of a case's history.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct HistoryEntry {
    /// Station time to the minute.
    pub at: String,
    /// Who did it: the clerk's name, 区级平台, 同步 or 系统.
    pub who: String,
    /// What happened, in Chinese (受理, 补打 受理通知书（第 2 份）, 办结 …).
    pub label: String,
    /// More about it (a reprint's reason, a decision's note, a tracking number), if any.
    pub detail: Option<String>,
    /// intake, outcome, status, supplement, print, scan, handover, sync, other.
    pub kind: String,
}

/// A case's whole history, oldest first.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct CaseHistory {
    pub case: CaseRow,
    pub item_code: String,
    pub entries: Vec<HistoryEntry>,
}

/// The scanned pages of one material line of a case.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ScanGroup {
    pub material_code: String,
    /// The material's name in the current catalogue (its code when the item changed).
    pub material_name: String,
    pub pages: Vec<PageView>,
}
