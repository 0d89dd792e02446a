//! A case (办件) and its state machine; this skeleton knows draft and accepted.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::{CalendarBasis, CoreError, IntakeDraft};

/// Where a case stands in its life at the station.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum CaseState {
    /// Being filled in; not yet a legal act.
    Draft,
    /// 受理: the acceptance slip was issued.
    Accepted,
}

impl CaseState {
    pub fn label(self) -> &'static str {
        match self {
            CaseState::Draft => "草稿",
            CaseState::Accepted => "已受理",
        }
    }

    /// Checks that the case may move from `self` to `to`.
    pub fn transition(self, to: CaseState) -> Result<CaseState, CoreError> {
        match (self, to) {
            (CaseState::Draft, CaseState::Accepted) => Ok(to),
            (from, to) => Err(CoreError::IllegalTransition { from, to }),
        }
    }
}

/// Where a case stands with the district.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum SyncState {
    /// In the outbox, not yet acknowledged by the district.
    Pending,
    /// Acknowledged by the district with its official case number.
    Synced,
    /// The district refused it for good (e.g. the same id with different content): a clerk must look.
    Quarantined,
}

/// An accepted case as the station keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Case {
    /// Client-generated UUIDv7: the idempotency key towards the district.
    #[ts(type = "string")]
    pub id: Uuid,
    /// Provisional number made at the station.
    pub case_no: String,
    /// The district's number, once synced.
    pub official_case_no: Option<String>,
    pub station_code: String,
    pub item_name: String,
    pub intake: IntakeDraft,
    pub clerk: String,
    pub state: CaseState,
    #[ts(type = "string")]
    pub accepted_at: Timestamp,
    /// Promised due date (None for an immediate item).
    #[ts(type = "string | null")]
    pub due_date: Option<jiff::civil::Date>,
    pub deadline_basis: Option<CalendarBasis>,
    pub sync_state: SyncState,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draft_can_be_accepted_once() {
        assert_eq!(
            CaseState::Draft.transition(CaseState::Accepted).unwrap(),
            CaseState::Accepted
        );
        assert!(CaseState::Accepted.transition(CaseState::Accepted).is_err());
        assert!(CaseState::Accepted.transition(CaseState::Draft).is_err());
    }
}
