//! What the delivery (出件) window shows and sends: the ready list, a handed-over line with its
//! sync state and signature, the forms of a window and a courier handover. Every label is
//! made here in Rust; the window only shows them.

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use yichuang_core::mask::mask_id;
use yichuang_core::time::format_minute;
use yichuang_core::{
    Applicant, DeliveryKind, DeliveryMethod, DistrictStatus, Handover, HandoverMethod, SlipKind,
};
use yichuang_store::{AwaitingHandover, HandoverRecord};

/// The search of the delivery window: a piece of a name, an ID number (whole or its last
/// digits) or a case number, read as the queue reads it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DeliveryFilter {
    #[serde(default)]
    pub text: String,
}

/// The delivery window's two lists.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct DeliveryList {
    /// Decided cases waiting for their handover, longest waiting first.
    pub ready: Vec<ReadyRow>,
    /// Handed over in the last days, newest first.
    pub handed: Vec<HandedRow>,
}

/// A decided case waiting for its handover.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ReadyRow {
    pub case_id: String,
    pub case_no: String,
    pub official_case_no: Option<String>,
    pub item_name: String,
    pub applicant_name: String,
    /// The applicant's ID number masked (110105********002X), as the slips print it.
    pub applicant_id_masked: String,
    /// "代理人：李代理（440524********0014）" when an agent was registered at intake.
    pub agent_label: Option<String>,
    /// "办结（准予）" or "不予许可", with the district's note when it gave one.
    pub decision_label: String,
    /// The district's current status: "待领取", "办结".
    pub district_label: String,
    /// When the district set it, to the minute (station time).
    pub district_at: String,
    /// The delivery chosen at intake.
    pub intake_delivery: DeliveryKind,
    /// "窗口领取" or "邮寄送达：广州市…".
    pub intake_delivery_label: String,
    /// The result can be handed over at the window now (the district says 待领取).
    pub window_ok: bool,
    /// The result can go by courier now (办结 or 待领取).
    pub courier_ok: bool,
}

impl ReadyRow {
    pub(crate) fn new(a: &AwaitingHandover) -> Self {
        let case = &a.case;
        let (_, id_no) = case.intake.applicant.id();
        let decision_label = match &a.decision {
            Some((DistrictStatus::Denied, note)) => with_note("不予许可", note),
            Some((_, note)) => with_note("办结（准予）", note),
            None => a.district.label.clone(),
        };
        ReadyRow {
            case_id: case.id.to_string(),
            case_no: case.case_no.clone(),
            official_case_no: case.official_case_no.clone(),
            item_name: case.item_name.clone(),
            applicant_name: case.intake.applicant.name().to_string(),
            applicant_id_masked: mask_id(id_no),
            agent_label: case
                .intake
                .agent
                .as_ref()
                .map(|g| format!("代理人：{}（{}）", g.name, mask_id(&g.id_no))),
            decision_label,
            district_label: a.district.label.clone(),
            district_at: format_minute(a.district.changed_at),
            intake_delivery: case.intake.delivery.kind(),
            intake_delivery_label: case.intake.delivery.label(),
            window_ok: a.district.status.ready_for_delivery(),
            courier_ok: matches!(
                a.district.status,
                DistrictStatus::Approved | DistrictStatus::ReadyForPickup
            ),
        }
    }
}

/// Who took a handover: the recipient, their relation and masked ID at the window; the
/// courier and tracking number by post.
pub(crate) fn recipient_label(h: &Handover) -> String {
    match &h.form.method {
        HandoverMethod::Window { .. } => {
            let id = h
                .form
                .recipient_id_no
                .as_deref()
                .map(|id| format!("，{}", mask_id(id)))
                .unwrap_or_default();
            format!("{}（{}{id}）", h.form.recipient_name, h.form.relation)
        }
        HandoverMethod::Courier {
            courier,
            tracking_no,
            ..
        } => format!("{courier} {tracking_no}"),
    }
}

fn with_note(label: &str, note: &Option<String>) -> String {
    match note.as_deref().map(str::trim).filter(|n| !n.is_empty()) {
        Some(n) => format!("{label}：{n}"),
        None => label.to_string(),
    }
}

/// Where a recorded handover stands with the district.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum HandoverSync {
    /// Recorded here, not yet acknowledged by the district.
    Pending,
    /// The district holds it.
    Sent,
    /// The district refused it for good: a hall manager looks at it (sync page).
    Refused,
}

impl HandoverSync {
    pub fn label(self) -> &'static str {
        match self {
            HandoverSync::Pending => "待上传",
            HandoverSync::Sent => "已上传",
            HandoverSync::Refused => "区级退回，请大厅负责人处理",
        }
    }
}

/// A recorded handover, as the window lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct HandedRow {
    pub case_id: String,
    pub handover_id: String,
    pub case_no: String,
    pub item_name: String,
    pub applicant_name: String,
    /// "直接送达（窗口领取）" or "邮寄送达（快递）".
    pub method_label: String,
    pub by_courier: bool,
    /// "王堃喆（本人，110105********002X）" or "中国邮政 EMS 1180512345678".
    pub recipient_label: String,
    pub handed_at: String,
    /// The clerk's login (送达人).
    pub clerk: String,
    pub sync: HandoverSync,
    pub sync_label: String,
    /// The district's reason when it refused the handover.
    pub sync_note: Option<String>,
    /// When the recipient signed the 送达回证 (window handovers), to the minute.
    pub signed_at: Option<String>,
    /// "已签收（2026-12-01 10:32）", "待签收" or, by courier, "快递面单签收".
    pub signed_label: String,
    /// The 送达回证 to print for it.
    pub receipt: SlipKind,
    /// "送达回证".
    pub receipt_label: String,
}

impl HandedRow {
    pub(crate) fn new(r: &HandoverRecord) -> Self {
        let h = &r.handover;
        let recipient_label = recipient_label(h);
        let receipt = match &h.form.method {
            HandoverMethod::Window { .. } => SlipKind::ServiceReceipt,
            HandoverMethod::Courier { .. } => SlipKind::CourierServiceReceipt,
        };
        let sync = match (r.sent, &r.refused) {
            (true, _) => HandoverSync::Sent,
            (false, Some(_)) => HandoverSync::Refused,
            (false, None) => HandoverSync::Pending,
        };
        let signed_at = r.signed_at.map(format_minute);
        let signed_label = match (&h.form.method, &signed_at) {
            (HandoverMethod::Courier { .. }, _) => "快递面单签收".to_string(),
            (_, Some(at)) => format!("已签收（{at}）"),
            (_, None) => "待签收".to_string(),
        };
        HandedRow {
            case_id: h.case_id.to_string(),
            handover_id: h.id.to_string(),
            case_no: r.case.case_no.clone(),
            item_name: r.case.item_name.clone(),
            applicant_name: r.case.intake.applicant.name().to_string(),
            method_label: h.form.method.label().to_string(),
            by_courier: h.form.method.by_courier(),
            recipient_label,
            handed_at: format_minute(h.handed_at),
            clerk: h.clerk.clone(),
            sync,
            sync_label: sync.label().to_string(),
            sync_note: r.refused.clone(),
            signed_at,
            signed_label,
            receipt,
            receipt_label: receipt.label().to_string(),
        }
    }
}

/// One case opened for its handover: the line, what to prefill and the choices.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct DeliveryCase {
    pub row: ReadyRow,
    /// The address given at intake for the post, else the applicant's address.
    pub address: String,
    /// Couriers whose tracking numbers are checked, with the format as a hint.
    pub couriers: Vec<CourierChoice>,
    /// A legal person's case without an agent: the unit's 经办人 gives their name.
    pub needs_recipient_name: bool,
}

impl DeliveryCase {
    pub(crate) fn address_of(a: &AwaitingHandover) -> String {
        match (&a.case.intake.delivery, &a.case.intake.applicant) {
            (DeliveryMethod::Post { address }, _) => address.clone(),
            (_, Applicant::NaturalPerson { address, .. })
            | (_, Applicant::LegalPerson { address, .. }) => address.clone(),
        }
    }
}

/// A courier the window offers, with the tracking number's format.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct CourierChoice {
    pub name: String,
    /// "13 位数字，或 2 位字母 + 9 位数字 + 2 位字母".
    pub format_hint: String,
}

/// What the clerk enters at the window: the recipient's ID as typed or scanned.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct WindowHandover {
    pub recipient_id_no: String,
    /// Only for a legal person's case without an agent (the unit's 经办人).
    #[serde(default)]
    pub recipient_name: Option<String>,
}

/// What the clerk enters for a courier handover.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CourierHandover {
    pub courier: String,
    pub tracking_no: String,
    pub address: String,
}
