//! What both stores decide alike about a station's handover (送达): whether it is a repeat,
//! a conflict, about a case the district lacks or has not decided, and the 已送达 status
//! change a stored one adds to the case's history.

use yichuang_core::{DistrictStatus, HandoverMethod};
use yichuang_sync::protocol::v2::handovers::HandoverRecord;
use yichuang_sync::protocol::{ContentHash, canonical_json};

use super::NewStatus;
use crate::DistrictError;

/// What the store did with one handover.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HandoverOutcome {
    /// Stored with the case's 已送达 status now, or earlier with the same content
    /// (`duplicate`).
    Stored { duplicate: bool },
    /// Not stored: the case was handed over under another id, or the id holds another
    /// handover (Chinese).
    Conflict(String),
    /// Not stored: the district holds no such case from this station.
    UnknownCase,
    /// Not stored: the district has not decided the case (its status now, if any).
    Undecided(Option<DistrictStatus>),
}

/// The reasons of [`HandoverOutcome::Conflict`], the same on every store.
pub(crate) const HANDED_OVER_ALREADY: &str = "该办件已登记送达（另一条送达记录），不能重复送达";
pub(crate) const HANDOVER_ID_REUSED: &str = "该送达标识已用于另一条送达记录";

/// The record as kept (canonical JSON) and its content hash.
pub(crate) fn content(record: &HandoverRecord) -> Result<(String, String), DistrictError> {
    let json = canonical_json(record)?;
    let hash = ContentHash::of_canonical(&json).to_string();
    Ok((json, hash))
}

/// The answer to a record whose id is stored already with `stored_hash`.
pub(crate) fn repeat(stored_hash: &str, hash: &str) -> HandoverOutcome {
    if stored_hash == hash {
        HandoverOutcome::Stored { duplicate: true }
    } else {
        HandoverOutcome::Conflict(HANDOVER_ID_REUSED.into())
    }
}

/// Refuses a handover of a case whose current status (`None`: just received, 审批中) is
/// not a decision; a case already 已送达 is a conflict.
pub(crate) fn refusal(current: Option<DistrictStatus>) -> Option<HandoverOutcome> {
    match current {
        Some(DistrictStatus::Delivered) => {
            Some(HandoverOutcome::Conflict(HANDED_OVER_ALREADY.into()))
        }
        Some(s) if s.may_become(DistrictStatus::Delivered) => None,
        other => Some(HandoverOutcome::Undecided(other)),
    }
}

/// The 已送达 step a stored handover adds, at the time of the handover. No personal data:
/// the method's label, and the courier and tracking number of a courier handover.
pub(crate) fn delivered(record: &HandoverRecord) -> NewStatus {
    let (courier, tracking_no) = match &record.form.method {
        HandoverMethod::Window { .. } => (None, None),
        HandoverMethod::Courier {
            courier,
            tracking_no,
            ..
        } => (Some(courier.clone()), Some(tracking_no.clone())),
    };
    NewStatus {
        case_id: record.case_id,
        status: DistrictStatus::Delivered,
        note: Some(record.form.method.label().to_string()),
        courier,
        tracking_no,
        now: record.handed_at,
    }
}

/// The method's code in the district's table.
pub(crate) fn method_code(record: &HandoverRecord) -> &'static str {
    match record.form.method {
        HandoverMethod::Window { .. } => "window",
        HandoverMethod::Courier { .. } => "courier",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_decided_case_may_be_handed_over_once() {
        use DistrictStatus::*;
        assert_eq!(refusal(None), Some(HandoverOutcome::Undecided(None)));
        assert_eq!(
            refusal(Some(Reviewing)),
            Some(HandoverOutcome::Undecided(Some(Reviewing)))
        );
        for decided in [Approved, Denied, ReadyForPickup, Mailed] {
            assert_eq!(refusal(Some(decided)), None, "{decided:?}");
        }
        assert!(matches!(
            refusal(Some(Delivered)),
            Some(HandoverOutcome::Conflict(_))
        ));
        assert_eq!(
            repeat("a", "a"),
            HandoverOutcome::Stored { duplicate: true }
        );
        assert!(matches!(repeat("a", "b"), HandoverOutcome::Conflict(_)));
    }
}
