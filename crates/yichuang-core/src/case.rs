//! A case (办件) and its state machine at the station: a draft ends in one of the five
//! outcomes of 行政许可法 Art. 32; a 补正 case waits for its materials, a 容缺 case for its supplement.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::{CalendarBasis, CaseOutcome, CoreError, IntakeDraft};

/// Where a case stands in its life at the station.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum CaseState {
    /// Being filled in; not yet a legal act.
    Draft,
    /// 受理: the acceptance slip was issued.
    Accepted,
    /// 容缺受理: accepted with non-key materials promised by a date.
    AcceptedTolerant,
    /// 补正: the one-time notice was issued; the case waits for the materials.
    AwaitingCorrection,
    /// 不予受理.
    Rejected,
    /// 即办件 completed on the spot.
    CompletedOnSpot,
}

impl CaseState {
    pub fn label(self) -> &'static str {
        match self {
            CaseState::Draft => "草稿",
            CaseState::Accepted => "已受理",
            CaseState::AcceptedTolerant => "容缺受理",
            CaseState::AwaitingCorrection => "待补正",
            CaseState::Rejected => "不予受理",
            CaseState::CompletedOnSpot => "当场办结",
        }
    }

    /// Every state, in the order the queue's filter lists them.
    pub const ALL: [CaseState; 6] = [
        CaseState::Draft,
        CaseState::Accepted,
        CaseState::AcceptedTolerant,
        CaseState::AwaitingCorrection,
        CaseState::Rejected,
        CaseState::CompletedOnSpot,
    ];

    /// Checks that the case may move from `self` to `to`.
    pub fn transition(self, to: CaseState) -> Result<CaseState, CoreError> {
        use CaseState::*;
        let allowed = match self {
            // A draft ends in any outcome.
            Draft => to != Draft,
            // Once corrected, the application is decided again (its accept date is the completion day).
            AwaitingCorrection => {
                matches!(to, Accepted | AcceptedTolerant | CompletedOnSpot | Rejected)
            }
            // The promised material was handed in.
            AcceptedTolerant => to == Accepted,
            Accepted | Rejected | CompletedOnSpot => false,
        };
        if allowed {
            Ok(to)
        } else {
            Err(CoreError::IllegalTransition { from: self, to })
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
    /// What the outcome notice needs (missing materials, reasons, promise date).
    pub outcome: CaseOutcome,
    /// When the application was registered; for a 补正 case, replaced by the day the
    /// materials became complete (行政许可法 Art. 32).
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
    use CaseState::*;

    #[test]
    fn a_draft_ends_in_any_outcome_once() {
        for to in [
            Accepted,
            AcceptedTolerant,
            AwaitingCorrection,
            Rejected,
            CompletedOnSpot,
        ] {
            assert_eq!(Draft.transition(to).unwrap(), to);
        }
        assert!(Draft.transition(Draft).is_err());
    }

    #[test]
    fn final_outcomes_do_not_move() {
        for from in [Accepted, Rejected, CompletedOnSpot] {
            for to in CaseState::ALL {
                assert!(from.transition(to).is_err(), "{from:?} -> {to:?}");
            }
        }
    }

    #[test]
    fn waiting_cases_move_on_when_completed() {
        assert!(AwaitingCorrection.transition(Accepted).is_ok());
        assert!(AwaitingCorrection.transition(Rejected).is_ok());
        assert!(AwaitingCorrection.transition(AwaitingCorrection).is_err());
        assert!(AcceptedTolerant.transition(Accepted).is_ok());
        assert!(AcceptedTolerant.transition(Rejected).is_err());
    }
}
