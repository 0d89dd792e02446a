//! What the home screen (首页) is shown: today's outcome counts and cases, the running
//! deadlines in working days, and the quarantine summary, with their Chinese labels.

use serde::Serialize;
use ts_rs::TS;
use yichuang_core::mask::mask_id;
use yichuang_core::{Case, CaseState, time};

use crate::QuarantineRow;
use crate::intake_views::sync_label;

/// The home screen.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct HomeView {
    /// "2026年11月30日 星期一".
    pub date_label: String,
    /// The five outcomes of today, always all five, in the order of 行政许可法 Art. 32.
    pub counts: Vec<OutcomeTally>,
    /// Today's cases at the station, and the logged-in clerk's.
    pub total: u32,
    pub mine: u32,
    /// Today's newest cases (at most [`crate::home::TODAY_ROWS`]).
    pub cases: Vec<TodayCase>,
    /// Today's cases not listed (the queue, 办件, has them all).
    pub more: u32,
    /// The first overdue and soon-due cases.
    pub deadlines: DeadlineList,
    pub quarantine: QuarantineSummary,
}

/// How many of today's cases ended in one outcome.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct OutcomeTally {
    pub state: CaseState,
    /// 受理, 容缺受理, 一次性告知, 不予受理, 当场办结.
    pub label: String,
    pub total: u32,
    pub mine: u32,
}

/// The outcomes counted on the home screen, with the words of the decision taken.
pub(crate) const TALLIED: [(CaseState, &str); 5] = [
    (CaseState::Accepted, "受理"),
    (CaseState::AcceptedTolerant, "容缺受理"),
    (CaseState::AwaitingCorrection, "一次性告知"),
    (CaseState::Rejected, "不予受理"),
    (CaseState::CompletedOnSpot, "当场办结"),
];

/// One of today's cases.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct TodayCase {
    pub id: String,
    pub case_no: String,
    pub official_case_no: Option<String>,
    pub item_name: String,
    pub applicant_name: String,
    /// The document number with only its first 6 and last 4 characters shown.
    pub applicant_id_masked: String,
    /// "09:05", station time.
    pub accepted_time: String,
    pub state: CaseState,
    pub state_label: String,
    pub sync_label: String,
    /// Accepted by the logged-in clerk.
    pub mine: bool,
}

impl TodayCase {
    pub(crate) fn of(case: &Case, clerk: &str) -> Self {
        TodayCase {
            id: case.id.to_string(),
            case_no: case.case_no.clone(),
            official_case_no: case.official_case_no.clone(),
            item_name: case.item_name.clone(),
            applicant_name: case.intake.applicant.name().to_string(),
            applicant_id_masked: mask_id(case.intake.applicant.id().1),
            accepted_time: time::format_minute(case.accepted_at)
                .split_once(' ')
                .map(|(_, hm)| hm.to_string())
                .unwrap_or_default(),
            state: case.state,
            state_label: case.state.label().to_string(),
            sync_label: sync_label(case.sync_state).to_string(),
            mine: case.clerk == clerk,
        }
    }
}

/// Running deadlines in working days: past due, and due within three working days.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct DeadlineList {
    pub overdue: Vec<DeadlineRow>,
    /// All overdue deadlines (the list holds a page of them).
    pub overdue_total: u32,
    pub due_soon: Vec<DeadlineRow>,
    pub due_soon_total: u32,
    /// "超期 3 件 · 三个工作日内到期 2 件".
    pub summary: String,
    /// Set when a year in the count has no official holiday calendar (Mon–Fri assumed).
    pub calendar_notice: Option<String>,
}

/// One running deadline of a case.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct DeadlineRow {
    pub case_id: String,
    pub case_no: String,
    pub official_case_no: Option<String>,
    pub item_name: String,
    pub applicant_name: String,
    pub applicant_id_masked: String,
    /// "2026-11-26".
    pub due_date: String,
    /// 办理时限 or 容缺补齐材料.
    pub kind_label: String,
    /// "超期 2 个工作日", "剩 1 个工作日", "今日到期".
    pub label: String,
    pub overdue: bool,
    /// Working days past due (overdue) or left (due soon).
    pub working_days: u32,
    pub clerk: String,
    pub mine: bool,
}

/// Quarantined records: how many, and for a hall manager the first few and where to release
/// them; a clerk is told whom to ask.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct QuarantineSummary {
    pub count: u32,
    /// "2 件办件同步受阻，需大厅负责人处理" or "没有同步受阻的办件".
    pub label: String,
    /// The first few (hall manager only; empty for a clerk).
    pub rows: Vec<QuarantineRow>,
    /// The logged-in clerk may release them (on the 统计 screen).
    pub can_release: bool,
    /// For a clerk: "请联系大厅负责人处理"; for a manager: where to release them.
    pub hint: String,
}
