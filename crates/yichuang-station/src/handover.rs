//! Handing a decided case's result over (送达, 出件): the logged-in clerk records who took it
//! at the window, their ID checked against the case, or which courier took it by post.

use jiff::Timestamp;
use tracing::instrument;
use uuid::Uuid;
use yichuang_core::ids::normalize_id;
use yichuang_core::{Applicant, Case, Handover, HandoverForm, HandoverMethod, Issue};

use crate::station::store_error;
use crate::{AppError, ErrorKind, Station};

impl Station {
    /// Records the handover of `case_id`'s result. `handover_id` is made when the clerk opens
    /// the form: sending it again (a retry, a double click) returns the first record. At the
    /// window, a recipient's ID given must be the applicant's or the agent's on the case.
    #[instrument(skip_all, fields(case_id = %case_id), err)]
    pub fn record_handover(
        &self,
        case_id: Uuid,
        handover_id: Uuid,
        form: HandoverForm,
    ) -> Result<Handover, AppError> {
        let clerk = self.clerk()?;
        let case = self
            .lock()
            .get_case(case_id)
            .map_err(store_error)?
            .ok_or_else(|| {
                AppError::new(ErrorKind::InvalidInput, "找不到该办件，请刷新列表后重试")
            })?;
        // A retry of a handover already saved returns it before anything is checked again.
        if let Some(saved) = self.lock().handover(case_id).map_err(store_error)?
            && saved.id == handover_id
        {
            return Ok(saved);
        }
        let mut issues = recipient_issues(&case, &form);
        issues.extend(self.unprintable(&form));
        if !issues.is_empty() {
            let unprintable = issues.iter().any(|i| i.code == "unprintable");
            let mut err = AppError::invalid(issues);
            if unprintable {
                err.kind = ErrorKind::Unprintable;
            }
            return Err(err);
        }
        self.lock()
            .record_handover(case_id, handover_id, &form, &clerk.login, Timestamp::now())
            .map_err(store_error)
    }

    /// The recorded handover of a case, if any (for its 送达回证 and the case view).
    pub fn handover(&self, case_id: Uuid) -> Result<Option<Handover>, AppError> {
        self.clerk()?;
        self.lock().handover(case_id).map_err(store_error)
    }

    /// Fields of the 送达回证 holding characters the slip font cannot print.
    fn unprintable(&self, form: &HandoverForm) -> Vec<Issue> {
        let mut fields = vec![
            ("document_name", form.document_name.as_str()),
            ("document_no", form.document_no.as_deref().unwrap_or("")),
            ("recipient_name", &form.recipient_name),
            ("relation", &form.relation),
        ];
        match &form.method {
            HandoverMethod::Window { place } => fields.push(("method.place", place)),
            HandoverMethod::Courier {
                address,
                courier,
                tracking_no,
            } => fields.extend([
                ("method.address", address.as_str()),
                ("method.courier", courier),
                ("method.tracking_no", tracking_no),
            ]),
        }
        fields
            .into_iter()
            .filter_map(|(field, text)| {
                let missing = self.font.missing_chars(text);
                (!missing.is_empty()).then(|| {
                    let chars = missing
                        .iter()
                        .map(|c| format!("“{c}”(U+{:04X})", u32::from(*c)))
                        .collect::<Vec<_>>()
                        .join("、");
                    Issue::error(
                        field,
                        "unprintable",
                        format!("{chars} 无法用回执字体打印，送达回证会漏字。请核对是否录入有误；如确为生僻字，请联系大厅管理员处理"),
                    )
                })
            })
            .collect()
    }
}

/// At the window the result goes only to the applicant or the agent on the case: a
/// recipient's ID given must be one of theirs. A legal person's case without an agent holds
/// no personal ID to compare with (the unit's 经办人 brings its letter): nothing to check.
fn recipient_issues(case: &Case, form: &HandoverForm) -> Vec<Issue> {
    if form.method.by_courier() {
        return Vec::new();
    }
    let Some(given) = form
        .recipient_id_no
        .as_deref()
        .map(normalize_id)
        .filter(|s| !s.is_empty())
    else {
        return Vec::new();
    };
    let mut known: Vec<String> = Vec::new();
    if let Applicant::NaturalPerson { id_no, .. } = &case.intake.applicant {
        known.push(normalize_id(id_no));
    }
    if let Some(agent) = &case.intake.agent {
        known.push(normalize_id(&agent.id_no));
    }
    if known.is_empty() || known.contains(&given) {
        return Vec::new();
    }
    let whose = if case.intake.agent.is_some() {
        "申请人、代理人"
    } else {
        "申请人"
    };
    vec![Issue::error(
        "recipient_id_no",
        "recipient_mismatch",
        format!(
            "领取人证件号码与本办件{whose}的证件号码不一致，不能登记窗口领取。请核对领取人所持证件：结果只能交申请人本人或办件登记的代理人领取"
        ),
    )]
}
