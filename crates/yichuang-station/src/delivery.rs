//! Delivery (出件) at the station: the list of decided cases waiting for their handover,
//! a handover at the window from the recipient's ID alone (who they are on the case decides
//! name and relation), one by courier with its tracking number checked, and the signature
//! on the printed 送达回证. Every command is for any logged-in clerk.

use jiff::{SignedDuration, Timestamp};
use tracing::instrument;
use uuid::Uuid;
use yichuang_core::case_query::read_search_text;
use yichuang_core::ids::normalize_id;
use yichuang_core::time::format_minute;
use yichuang_core::{HandoverForm, HandoverMethod, Issue};
use yichuang_store::AwaitingHandover;

use crate::delivery_courier::{choices, normalize_tracking, tracking_issues};
use crate::delivery_rules::{document_name, issue, matches, mismatch, recipients};
use crate::delivery_views::{
    CourierHandover, DeliveryCase, DeliveryFilter, DeliveryList, HandedRow, ReadyRow,
    WindowHandover,
};
use crate::station::store_error;
use crate::{AppError, ErrorKind, Station};

/// Most cases the ready list reads (a station hands over far fewer in a day).
const READY_LIMIT: usize = 500;
/// How far back the list of handovers goes, and how many it shows.
const RECENT: SignedDuration = SignedDuration::from_hours(7 * 24);
const RECENT_LIMIT: usize = 100;

/// An id the window sent back (a case's, a handover's), or what to do when it is garbled.
pub fn parse_delivery_id(text: &str, what: &str) -> Result<Uuid, AppError> {
    Uuid::parse_str(text.trim()).map_err(|_| {
        AppError::new(
            ErrorKind::InvalidInput,
            format!("{what}有误，请按 F8 刷新出件列表后重试"),
        )
    })
}

impl Station {
    /// The decided cases waiting for their handover and the handovers of the last week,
    /// both narrowed by the search text when one is given.
    #[instrument(skip_all, err)]
    pub fn delivery_list(&self, filter: &DeliveryFilter) -> Result<DeliveryList, AppError> {
        self.clerk()?;
        let wanted = read_search_text(&filter.text);
        let since = Timestamp::now()
            .checked_sub(RECENT)
            .unwrap_or(Timestamp::UNIX_EPOCH);
        let store = self.lock();
        let ready = store
            .awaiting_handover(READY_LIMIT)
            .map_err(store_error)?
            .iter()
            .filter(|a| matches(&a.case, &wanted))
            .map(ReadyRow::new)
            .collect();
        let handed = store
            .recent_handovers(since, RECENT_LIMIT)
            .map_err(store_error)?
            .iter()
            .filter(|r| matches(&r.case, &wanted))
            .map(HandedRow::new)
            .collect();
        Ok(DeliveryList { ready, handed })
    }

    /// One waiting case opened for its handover, with the address to prefill.
    pub fn delivery_case(&self, case_id: Uuid) -> Result<DeliveryCase, AppError> {
        self.clerk()?;
        let a = self.awaiting(case_id)?;
        Ok(DeliveryCase {
            row: ReadyRow::new(&a),
            address: DeliveryCase::address_of(&a),
            couriers: choices(),
            needs_recipient_name: recipients(&a.case).is_empty(),
        })
    }

    /// Hands the result over at the window to the person whose ID was typed or scanned: the
    /// applicant (本人) or the agent registered at intake (代理人). `handover_id` is made when
    /// the clerk opens the case: the same id again returns the first record.
    #[instrument(skip_all, fields(case_id = %case_id), err)]
    pub fn hand_over_at_window(
        &self,
        case_id: Uuid,
        handover_id: Uuid,
        input: &WindowHandover,
    ) -> Result<HandedRow, AppError> {
        self.clerk()?;
        if let Some(done) = self.same_handover(case_id, handover_id)? {
            return Ok(done);
        }
        let a = self.awaiting(case_id)?;
        let given = normalize_id(&input.recipient_id_no);
        if given.is_empty() {
            return Err(issue(
                "recipient_id_no",
                "required",
                "请扫描或输入领取人的证件号码".into(),
            ));
        }
        let known = recipients(&a.case);
        let (recipient_name, relation) = if known.is_empty() {
            // A unit without an agent: its 经办人 brings the unit's letter and names himself.
            let name = input.recipient_name.as_deref().unwrap_or("").trim();
            if name.is_empty() {
                return Err(issue(
                    "recipient_name",
                    "required",
                    "请填写单位经办人的姓名（须持单位介绍信或授权委托书）".into(),
                ));
            }
            (name.to_string(), "单位经办人".to_string())
        } else {
            match known.into_iter().find(|r| r.id_no == given) {
                Some(r) => (r.name, r.relation.to_string()),
                None => return Err(mismatch(&a.case, &given)),
            }
        };
        let form = HandoverForm {
            document_name: document_name(&a),
            document_no: None,
            recipient_name,
            recipient_id_no: Some(given),
            relation,
            method: HandoverMethod::Window {
                place: format!(
                    "{} {} 号窗口",
                    self.settings().station_name,
                    self.settings().counter
                ),
            },
        };
        self.record_handover(case_id, handover_id, form)?;
        self.handed_row(case_id)
    }

    /// Records that the result went by courier; the tracking number is checked against the
    /// courier's format where it is known.
    #[instrument(skip_all, fields(case_id = %case_id), err)]
    pub fn hand_over_by_courier(
        &self,
        case_id: Uuid,
        handover_id: Uuid,
        input: &CourierHandover,
    ) -> Result<HandedRow, AppError> {
        self.clerk()?;
        if let Some(done) = self.same_handover(case_id, handover_id)? {
            return Ok(done);
        }
        let a = self.awaiting(case_id)?;
        let courier = input
            .courier
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let tracking_no = normalize_tracking(&input.tracking_no);
        let address = input.address.trim().to_string();
        let mut issues = tracking_issues(&courier, &tracking_no);
        if address.is_empty() {
            issues.push(Issue::error(
                "address",
                "required",
                "请填写邮寄地址（已按受理时的地址预填，可修改）",
            ));
        }
        if !issues.is_empty() {
            return Err(AppError::invalid(issues));
        }
        let form = HandoverForm {
            document_name: document_name(&a),
            document_no: None,
            recipient_name: a.case.intake.applicant.name().to_string(),
            recipient_id_no: None,
            relation: "申请人（邮寄）".into(),
            method: HandoverMethod::Courier {
                address,
                courier,
                tracking_no,
            },
        };
        self.record_handover(case_id, handover_id, form)?;
        self.handed_row(case_id)
    }

    /// Marks that the recipient signed the printed 送达回证; again returns the first mark.
    #[instrument(skip_all, fields(case_id = %case_id), err)]
    pub fn mark_receipt_signed(&self, case_id: Uuid) -> Result<HandedRow, AppError> {
        let clerk = self.clerk()?;
        self.lock()
            .mark_handover_signed(case_id, &clerk.login, Timestamp::now())
            .map_err(store_error)?;
        self.handed_row(case_id)
    }

    /// The handover of a case as the list shows it.
    pub fn handed_row(&self, case_id: Uuid) -> Result<HandedRow, AppError> {
        self.clerk()?;
        let record = self.lock().handover_record(case_id).map_err(store_error)?;
        record.as_ref().map(HandedRow::new).ok_or_else(|| {
            AppError::new(
                ErrorKind::InvalidInput,
                "该办件尚未登记送达，请刷新出件列表",
            )
        })
    }

    /// A retry of a handover already saved (a double Enter, a retry after a print error).
    fn same_handover(&self, case_id: Uuid, id: Uuid) -> Result<Option<HandedRow>, AppError> {
        let saved = self.lock().handover(case_id).map_err(store_error)?;
        match saved {
            Some(h) if h.id == id => self.handed_row(case_id).map(Some),
            _ => Ok(None),
        }
    }

    /// The case among those waiting, or why it cannot be handed over.
    fn awaiting(&self, case_id: Uuid) -> Result<AwaitingHandover, AppError> {
        let store = self.lock();
        if let Some(h) = store.handover(case_id).map_err(store_error)? {
            return Err(AppError::new(
                ErrorKind::InvalidInput,
                format!(
                    "该办件已于 {} 登记送达（{}），不能重复出件。如需再给一份送达回证，请按 F9 补打",
                    format_minute(h.handed_at),
                    h.form.method.label()
                ),
            ));
        }
        store
            .awaiting_handover(READY_LIMIT)
            .map_err(store_error)?
            .into_iter()
            .find(|a| a.case.id == case_id)
            .ok_or_else(|| {
                AppError::new(
                    ErrorKind::InvalidInput,
                    "该办件目前不在待出件列表中（区级尚未办结或结果尚未送达本站）。请先同步后刷新列表",
                )
            })
    }
}
