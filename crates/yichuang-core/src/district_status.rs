//! Where the district has got with a case after the station sent it: 审批中 → 办结 or
//! 不予许可 → 待领取 (at the window) or 已寄出 (快递办), then 已送达 once the station's
//! handover (送达) reaches it. The station learns it by sync and hands the result over (出件)
//! once the case is ready.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

/// One step of the district's handling of a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum DistrictStatus {
    /// 审批中: the back office is deciding.
    Reviewing,
    /// 办结: decided in the applicant's favour (准予).
    Approved,
    /// 不予许可: decided against the applicant, with reasons.
    Denied,
    /// 待领取: the result is at the station's window for the applicant to collect.
    ReadyForPickup,
    /// 已寄出: the result was posted (快递办), with courier and tracking number.
    Mailed,
    /// 已送达: the station handed the result over (送达回证 signed at the window, or posted
    /// by the station's courier); recorded by the district when the station's handover
    /// reaches it.
    Delivered,
}

impl DistrictStatus {
    /// Every step, in the order a case goes through them (the queue's status filter lists these).
    pub const ALL: [DistrictStatus; 6] = [
        DistrictStatus::Reviewing,
        DistrictStatus::Approved,
        DistrictStatus::Denied,
        DistrictStatus::ReadyForPickup,
        DistrictStatus::Mailed,
        DistrictStatus::Delivered,
    ];

    pub fn label(self) -> &'static str {
        match self {
            DistrictStatus::Reviewing => "审批中",
            DistrictStatus::Approved => "办结",
            DistrictStatus::Denied => "不予许可",
            DistrictStatus::ReadyForPickup => "待领取",
            DistrictStatus::Mailed => "已寄出",
            DistrictStatus::Delivered => "已送达",
        }
    }

    /// Whether a status may follow `self` (a repeat of the same status is allowed: the
    /// district may correct a note or a tracking number).
    pub fn may_become(self, next: DistrictStatus) -> bool {
        use DistrictStatus::*;
        self == next
            || matches!(
                (self, next),
                (Reviewing, Approved | Denied)
                    | (Approved | Denied, ReadyForPickup | Mailed)
                    | (ReadyForPickup, Mailed)
                    | (Approved | Denied | ReadyForPickup | Mailed, Delivered)
            )
    }

    /// The result can be handed over at the window (出件).
    pub fn ready_for_delivery(self) -> bool {
        self == DistrictStatus::ReadyForPickup
    }
}

/// One change of a case's district status, numbered by the district in the order it made
/// them (`seq` is the download cursor).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct StatusChange {
    /// Increases with every change the district records, over all its stations.
    #[ts(type = "number")]
    pub seq: i64,
    #[ts(type = "string")]
    pub case_id: Uuid,
    /// The district's case number.
    pub official_case_no: String,
    pub status: DistrictStatus,
    #[ts(type = "string")]
    pub changed_at: Timestamp,
    /// The decision's text (准予 with a licence number, or the reasons of 不予许可), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// 快递办: the courier company.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub courier: Option<String>,
    /// 快递办: the tracking number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tracking_no: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::DistrictStatus::*;

    #[test]
    fn statuses_move_forward_only() {
        assert!(Reviewing.may_become(Approved));
        assert!(Reviewing.may_become(Denied));
        assert!(Approved.may_become(ReadyForPickup));
        assert!(Denied.may_become(Mailed));
        assert!(ReadyForPickup.may_become(Mailed));
        assert!(Mailed.may_become(Mailed));
        assert!(!Approved.may_become(Reviewing));
        assert!(!Reviewing.may_become(ReadyForPickup));
        assert!(!Mailed.may_become(ReadyForPickup));
        assert!(ReadyForPickup.may_become(Delivered));
        assert!(Mailed.may_become(Delivered));
        assert!(!Reviewing.may_become(Delivered));
        assert!(!Delivered.may_become(ReadyForPickup));
        assert!(ReadyForPickup.ready_for_delivery());
        assert!(!Approved.ready_for_delivery());
    }
}
