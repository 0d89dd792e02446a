//! The 信用红黑名单 at the counter: what the clerk is told about an applicant on a list, the
//! clerk's acknowledgement of a 失信黑名单 hit (no decision is saved without it), and the
//! 守信红名单 green channel (容缺受理、优先办理) a decision is marked with.
//!
//! The list names people: neither the number nor the name ever reaches a log or the audit
//! (the store audits the intake or case id only).

use jiff::Timestamp;
use serde::Serialize;
use tracing::{instrument, warn};
use ts_rs::TS;
use uuid::Uuid;
use yichuang_core::{Applicant, CreditEntry, CreditList, CreditListKind, Issue, time};

use crate::provision::shipped_credit_list;
use crate::station::store_error;
use crate::{AppError, ErrorKind, Station};

/// Audit event of a case accepted through the 守信红名单 green channel (target: the case id).
pub const GREEN_CHANNEL_EVENT: &str = "credit.green_channel";

/// An applicant's entry on the red/black list as the intake screen shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct CreditHint {
    pub kind: CreditListKind,
    /// "失信黑名单" or "守信红名单".
    pub label: String,
    /// The listed subject's name, to compare with the person at the counter.
    pub name: String,
    /// 失信 or 守信 事由.
    pub reason: String,
    /// 惩戒措施 or 激励措施.
    pub measure: String,
    /// The body that listed the subject.
    pub authority: String,
    /// Last day the entry applies (`2028-12-31`); `None` means until revoked.
    pub valid_until: Option<String>,
    /// A black-list hit not yet acknowledged for this intake: the decision is refused until it is.
    pub needs_acknowledgement: bool,
    pub acknowledged: bool,
    /// What the clerk is told, in Chinese.
    pub message: String,
}

impl CreditHint {
    fn new(entry: &CreditEntry, acknowledged: bool) -> Self {
        let black = entry.kind == CreditListKind::Black;
        CreditHint {
            kind: entry.kind,
            label: entry.kind.label().to_string(),
            name: entry.name.clone(),
            reason: entry.reason.clone(),
            measure: entry.measure.clone(),
            authority: entry.authority.clone(),
            valid_until: entry.valid_until.map(|d| d.to_string()),
            needs_acknowledgement: black && !acknowledged,
            acknowledged: black && acknowledged,
            message: message(entry, acknowledged),
        }
    }
}

fn sentence(text: &str) -> &str {
    text.trim().trim_end_matches(['。', '；', ';', '.'])
}

fn message(entry: &CreditEntry, acknowledged: bool) -> String {
    match entry.kind {
        CreditListKind::Black => format!(
            "该申请人在失信黑名单中：{}。{}。{}",
            sentence(&entry.reason),
            sentence(&entry.measure),
            if acknowledged {
                "已确认知悉，请依规办理。"
            } else {
                "请依规办理，确认已知悉后方可提交。"
            }
        ),
        CreditListKind::Red => {
            "该申请人在守信红名单中，本件走绿色通道（容缺受理、优先办理）。".to_string()
        }
    }
}

/// The line a decision's result carries for a listed applicant (`DecisionResult::credit_note`).
pub(crate) fn credit_note(entry: Option<&CreditEntry>) -> Option<String> {
    entry.map(|e| match e.kind {
        CreditListKind::Red => format!(
            "守信红名单 · 绿色通道（容缺受理、优先办理）：{}",
            sentence(&e.measure)
        ),
        CreditListKind::Black => format!(
            "失信黑名单 · 已确认知悉，依规办理：{}",
            sentence(&e.measure)
        ),
    })
}

fn parse_intake_id(id: &str) -> Result<Uuid, AppError> {
    Uuid::parse_str(id.trim())
        .map_err(|_| AppError::new(ErrorKind::InvalidInput, "受理单标识有误，请重新开始受理"))
}

impl Station {
    /// The current red/black list; a station with none yet (provisioned before lists were
    /// shipped) gets the shipped demo list, like the catalogue, until the district sends one.
    #[instrument(skip_all, err)]
    pub fn ensure_credit_list(&self) -> Result<CreditList, AppError> {
        self.clerk()?;
        let mut store = self.lock();
        if let Some(list) = store.credit_list().map_err(store_error)? {
            return Ok(list);
        }
        let list = shipped_credit_list()?;
        store.import_credit_list(&list).map_err(store_error)?;
        Ok(list)
    }

    /// The entry in force today for this ID number or 统一社会信用代码, if any.
    pub(crate) fn credit_entry(&self, subject_no: &str) -> Result<Option<CreditEntry>, AppError> {
        if subject_no.trim().is_empty() {
            return Ok(None);
        }
        let list = self.ensure_credit_list()?;
        let today = time::local_date(Timestamp::now());
        Ok(list.check(subject_no, today).cloned())
    }

    /// What the intake screen shows once the applicant's number is typed: `None` when the
    /// applicant is on no list.
    #[instrument(skip_all, err)]
    pub fn credit_check(
        &self,
        intake_id: &str,
        subject_no: &str,
    ) -> Result<Option<CreditHint>, AppError> {
        self.clerk()?;
        let id = parse_intake_id(intake_id)?;
        let Some(entry) = self.credit_entry(subject_no)? else {
            return Ok(None);
        };
        let acknowledged = entry.kind == CreditListKind::Black
            && self
                .lock()
                .black_list_acknowledged(id)
                .map_err(store_error)?;
        Ok(Some(CreditHint::new(&entry, acknowledged)))
    }

    /// The clerk saw the 失信黑名单 hit for this intake (audited once by the store, with the
    /// intake id only); returns the hint as it now reads.
    #[instrument(skip_all, err)]
    pub fn acknowledge_black_list(
        &self,
        intake_id: &str,
        subject_no: &str,
    ) -> Result<CreditHint, AppError> {
        let clerk = self.clerk()?;
        let id = parse_intake_id(intake_id)?;
        let entry = match self.credit_entry(subject_no)? {
            Some(entry) if entry.kind == CreditListKind::Black => entry,
            _ => {
                return Err(AppError::new(
                    ErrorKind::InvalidInput,
                    "该申请人不在失信黑名单中，无需确认",
                ));
            }
        };
        self.lock()
            .acknowledge_black_list(id, &entry, &clerk.login)
            .map_err(store_error)?;
        Ok(CreditHint::new(&entry, true))
    }

    /// The applicant's entry when a decision is about to be saved, and the issue that refuses
    /// it: a black-list hit nobody acknowledged for this intake.
    pub(crate) fn credit_at_decision(
        &self,
        intake_id: Uuid,
        applicant: &Applicant,
    ) -> Result<(Option<CreditEntry>, Option<Issue>), AppError> {
        let entry = self.credit_entry(applicant.id().1)?;
        let Some(black) = entry.as_ref().filter(|e| e.kind == CreditListKind::Black) else {
            return Ok((entry, None));
        };
        let acknowledged = self
            .lock()
            .black_list_acknowledged(intake_id)
            .map_err(store_error)?;
        let issue = (!acknowledged)
            .then(|| Issue::error("credit", "black_list_unacknowledged", message(black, false)));
        Ok((entry, issue))
    }

    /// Records in the audit that a new case went through the 守信红名单 green channel (target:
    /// the case id). The case is already saved: a failure here is logged, not raised.
    pub(crate) fn record_green_channel(
        &self,
        case_id: Uuid,
        entry: Option<&CreditEntry>,
        clerk: &str,
    ) {
        if entry.is_none_or(|e| e.kind != CreditListKind::Red) {
            return;
        }
        let recorded = self
            .lock()
            .audit(clerk, GREEN_CHANNEL_EVENT, &case_id.to_string(), "ok");
        if let Err(e) = recorded {
            warn!(case_id = %case_id, error = %e, "green channel not audited");
        }
    }
}
