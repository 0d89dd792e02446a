//! What the UI is shown: plain, serialisable views built from domain values (TypeScript via ts-rs).

use serde::Serialize;
use ts_rs::TS;
use yichuang_core::{Case, Issue, SyncState, time};

use crate::AppError;

/// The logged-in clerk.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ClerkInfo {
    pub login: String,
    pub display_name: String,
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

/// The result of accepting a case.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct AcceptOutcome {
    pub case: Case,
    /// Where the acceptance slip PDF was written.
    pub slip_path: String,
    pub warnings: Vec<Issue>,
    /// Set when the due date was counted without an official holiday calendar.
    pub deadline_notice: Option<String>,
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
    pub state_label: String,
    pub sync_state: SyncState,
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
            state_label: case.state.label().to_string(),
            sync_state: case.sync_state,
        }
    }
}
