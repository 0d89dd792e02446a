//! What the UI is shown: plain, serialisable views built from domain values (TypeScript via ts-rs).

use serde::Serialize;
use ts_rs::TS;
use yichuang_core::{Case, CaseOutcome, CaseState, Role, SyncState, time};

use crate::intake_views::sync_label;

use crate::AppError;

/// The logged-in clerk, with what their role lets them open.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ClerkInfo {
    pub login: String,
    pub display_name: String,
    pub role: Role,
    /// 窗口人员 / 大厅负责人.
    pub role_label: String,
    /// The screens of the desk this clerk may open, in menu order. The window shows these
    /// and nothing else; every command checks the role again in Rust.
    pub screens: Vec<Screen>,
}

impl ClerkInfo {
    pub fn new(login: String, display_name: String, role: Role) -> Self {
        ClerkInfo {
            login,
            display_name,
            role,
            role_label: role.label().to_string(),
            screens: Screen::for_role(role),
        }
    }
}

/// A screen of the desk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Screen {
    /// 首页: today's cases, deadlines, sync state.
    Home,
    /// 受理: a new intake.
    Intake,
    /// 办件: the queue of cases.
    Queue,
    /// 出件: handing decided cases over.
    Delivery,
    /// 统计: the hall manager's desk.
    Manager,
    /// 设置.
    Settings,
}

impl Screen {
    pub fn for_role(role: Role) -> Vec<Screen> {
        let mut screens = vec![
            Screen::Home,
            Screen::Intake,
            Screen::Queue,
            Screen::Delivery,
        ];
        if role.is_manager() {
            screens.push(Screen::Manager);
        }
        screens.push(Screen::Settings);
        screens
    }
}

/// The station this window serves.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct StationInfo {
    pub station_code: String,
    pub station_name: String,
    pub counter: u8,
    pub region_code: String,
    pub clerk: Option<ClerkInfo>,
    /// The audit log failed its check at start (a record changed or removed): what to do.
    pub audit_warning: Option<String>,
}

/// What the window shows first.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[ts(export)]
pub enum Startup {
    Ready {
        station: StationInfo,
    },
    /// No station database yet: the setup form.
    NeedsSetup,
    /// The database exists but cannot be opened; nothing was changed.
    Failed {
        error: AppError,
    },
}

/// One line of the local queue.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct CaseRow {
    pub id: String,
    pub case_no: String,
    pub official_case_no: Option<String>,
    pub item_name: String,
    pub applicant_name: String,
    /// Accept time to the minute, station time.
    pub accepted_at: String,
    pub due_date: Option<String>,
    pub state: CaseState,
    pub state_label: String,
    /// Set for a 容缺 case whose promised supplement is late: "补齐材料已逾期（应于 2026-12-04 前）".
    pub overdue_label: Option<String>,
    pub sync_state: SyncState,
    pub sync_label: String,
    /// The clerk who took it in (the name printed on its slip).
    pub clerk: String,
    /// Where the district has got with it (审批中, 办结, 待领取 …); none before its first status.
    pub district_status_label: Option<String>,
}

impl From<&Case> for CaseRow {
    fn from(case: &Case) -> Self {
        CaseRow {
            id: case.id.to_string(),
            case_no: case.case_no.clone(),
            official_case_no: case.official_case_no.clone(),
            item_name: case.item_name.clone(),
            applicant_name: case.intake.applicant.name().to_string(),
            accepted_at: time::format_minute(case.accepted_at),
            due_date: case.due_date.map(|d| d.to_string()),
            state: case.state,
            state_label: case.state.label().to_string(),
            overdue_label: overdue_label(&case.outcome),
            sync_state: case.sync_state,
            sync_label: sync_label(case.sync_state).to_string(),
            clerk: case.clerk.clone(),
            district_status_label: None,
        }
    }
}

fn overdue_label(outcome: &CaseOutcome) -> Option<String> {
    let today = time::local_date(jiff::Timestamp::now());
    match outcome {
        CaseOutcome::AcceptedTolerant { supplement_by, .. }
            if outcome.supplement_overdue(today) =>
        {
            Some(format!("补齐材料已逾期（应于 {supplement_by} 前）"))
        }
        _ => None,
    }
}
