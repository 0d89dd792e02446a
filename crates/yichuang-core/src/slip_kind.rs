//! The papers a counter hands out (DESIGN.md §4), named once: what each is called, which paper
//! it goes on, and which of them a case may print in its present state.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{CaseState, DistrictStatus};

/// One kind of slip or notice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum SlipKind {
    /// 受理通知书 on A4.
    AcceptanceNotice,
    /// The acceptance slip on an 80 mm receipt printer.
    AcceptanceReceipt,
    /// 一次性告知书 (补正材料通知书).
    CorrectionNotice,
    /// 容缺受理通知书 with the applicant's supplement promise.
    TolerantNotice,
    /// 不予受理通知书.
    RejectionNotice,
    /// 送达回证, handed over at the window.
    ServiceReceipt,
    /// 送达回证, sent by courier (快递办).
    CourierServiceReceipt,
    /// 办结 pick-up receipt.
    CompletionReceipt,
}

/// The paper a slip kind is laid out for; each has its own printer in the settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Paper {
    A4,
    /// 80 mm roll of a receipt printer.
    Receipt80,
}

impl Paper {
    pub fn label(self) -> &'static str {
        match self {
            Paper::A4 => "A4 纸",
            Paper::Receipt80 => "80 毫米小票",
        }
    }
}

impl SlipKind {
    pub const ALL: [SlipKind; 8] = [
        SlipKind::AcceptanceNotice,
        SlipKind::AcceptanceReceipt,
        SlipKind::CorrectionNotice,
        SlipKind::TolerantNotice,
        SlipKind::RejectionNotice,
        SlipKind::ServiceReceipt,
        SlipKind::CourierServiceReceipt,
        SlipKind::CompletionReceipt,
    ];

    /// The title printed on the paper and shown in the window.
    pub fn label(self) -> &'static str {
        match self {
            SlipKind::AcceptanceNotice => "受理通知书",
            SlipKind::AcceptanceReceipt => "受理回执（小票）",
            SlipKind::CorrectionNotice => "一次性告知书",
            SlipKind::TolerantNotice => "容缺受理通知书",
            SlipKind::RejectionNotice => "不予受理通知书",
            SlipKind::ServiceReceipt => "送达回证",
            SlipKind::CourierServiceReceipt => "送达回证（邮寄）",
            SlipKind::CompletionReceipt => "办结领取回执",
        }
    }

    /// The stable code stored in the print records.
    pub fn code(self) -> &'static str {
        match self {
            SlipKind::AcceptanceNotice => "acceptance_notice",
            SlipKind::AcceptanceReceipt => "acceptance_receipt",
            SlipKind::CorrectionNotice => "correction_notice",
            SlipKind::TolerantNotice => "tolerant_notice",
            SlipKind::RejectionNotice => "rejection_notice",
            SlipKind::ServiceReceipt => "service_receipt",
            SlipKind::CourierServiceReceipt => "courier_service_receipt",
            SlipKind::CompletionReceipt => "completion_receipt",
        }
    }

    pub fn from_code(code: &str) -> Option<SlipKind> {
        SlipKind::ALL.into_iter().find(|k| k.code() == code)
    }

    pub fn paper(self) -> Paper {
        match self {
            SlipKind::AcceptanceReceipt => Paper::Receipt80,
            _ => Paper::A4,
        }
    }

    /// Which papers a case can print now: the outcome's own notice at intake, and the
    /// handover papers once the district has decided (`handed_over`: a 送达 was recorded,
    /// `by_courier`: it went by post).
    pub fn available(
        state: CaseState,
        district: Option<DistrictStatus>,
        handed_over: Option<bool>,
    ) -> Vec<SlipKind> {
        let mut kinds = match state {
            CaseState::Draft => vec![],
            CaseState::Accepted => vec![SlipKind::AcceptanceNotice, SlipKind::AcceptanceReceipt],
            CaseState::AcceptedTolerant => vec![
                SlipKind::TolerantNotice,
                SlipKind::AcceptanceNotice,
                SlipKind::AcceptanceReceipt,
            ],
            CaseState::AwaitingCorrection => vec![SlipKind::CorrectionNotice],
            CaseState::Rejected => vec![SlipKind::RejectionNotice],
            CaseState::CompletedOnSpot => vec![SlipKind::CompletionReceipt],
        };
        if matches!(
            district,
            Some(
                DistrictStatus::ReadyForPickup | DistrictStatus::Mailed | DistrictStatus::Delivered
            )
        ) && !kinds.contains(&SlipKind::CompletionReceipt)
        {
            kinds.push(SlipKind::CompletionReceipt);
        }
        match handed_over {
            Some(true) => kinds.push(SlipKind::CourierServiceReceipt),
            Some(false) => kinds.push(SlipKind::ServiceReceipt),
            None => {}
        }
        kinds
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_are_distinct() {
        for k in SlipKind::ALL {
            assert_eq!(SlipKind::from_code(k.code()), Some(k));
        }
        let mut codes: Vec<_> = SlipKind::ALL.iter().map(|k| k.code()).collect();
        codes.dedup();
        assert_eq!(codes.len(), SlipKind::ALL.len());
        assert_eq!(SlipKind::from_code("nope"), None);
    }

    #[test]
    fn each_outcome_offers_its_own_notice() {
        let offered = |s| SlipKind::available(s, None, None);
        assert_eq!(
            offered(CaseState::Rejected),
            vec![SlipKind::RejectionNotice]
        );
        assert_eq!(
            offered(CaseState::AwaitingCorrection),
            vec![SlipKind::CorrectionNotice]
        );
        assert!(offered(CaseState::Draft).is_empty());
        assert!(offered(CaseState::Accepted).contains(&SlipKind::AcceptanceReceipt));
        assert_eq!(SlipKind::AcceptanceReceipt.paper(), Paper::Receipt80);
    }

    #[test]
    fn handover_papers_come_after_the_district_decided() {
        let kinds = SlipKind::available(
            CaseState::Accepted,
            Some(DistrictStatus::ReadyForPickup),
            Some(true),
        );
        assert!(kinds.contains(&SlipKind::CompletionReceipt));
        assert!(kinds.contains(&SlipKind::CourierServiceReceipt));
        assert!(!kinds.contains(&SlipKind::ServiceReceipt));
    }
}
