//! The rules of a handover at the window that the delivery screen relies on: who may collect
//! (the applicant, the agent registered at intake), the refusal of anyone else with what to
//! do, the document's name, and how the search text picks cases.

use yichuang_core::case_query::TextMatch;
use yichuang_core::ids::normalize_id;
use yichuang_core::mask::mask_id;
use yichuang_core::{Applicant, Case, DistrictStatus, Issue};
use yichuang_store::AwaitingHandover;

use crate::AppError;

/// Someone the result may be given to at the window.
pub(crate) struct Recipient {
    pub name: String,
    pub id_no: String,
    pub relation: &'static str,
}

/// The applicant (a natural person) and the agent registered at intake.
pub(crate) fn recipients(case: &Case) -> Vec<Recipient> {
    let mut out = Vec::new();
    if let Applicant::NaturalPerson { name, id_no, .. } = &case.intake.applicant {
        out.push(Recipient {
            name: name.clone(),
            id_no: normalize_id(id_no),
            relation: "本人",
        });
    }
    if let Some(agent) = &case.intake.agent {
        out.push(Recipient {
            name: agent.name.clone(),
            id_no: normalize_id(&agent.id_no),
            relation: "代理人",
        });
    }
    out
}

/// The refusal of an ID that is neither the applicant's nor the agent's, with what to do
/// when a third person comes with the applicant's authorisation.
pub(crate) fn mismatch(case: &Case, given: &str) -> AppError {
    let whose = if case.intake.agent.is_some() {
        "申请人、代理人"
    } else {
        "申请人"
    };
    issue(
        "recipient_id_no",
        "recipient_mismatch",
        format!(
            "证件号码 {} 与本办件{whose}的证件号码都不一致，不能领取。请核对是否刷错了证件；如为他人持授权委托书代领，因受理时未登记该代理人，窗口不能交付：请申请人本人{}持证件领取，或经申请人同意改为邮寄送达",
            mask_id(given),
            if case.intake.agent.is_some() {
                "或登记的代理人"
            } else {
                ""
            }
        ),
    )
}

pub(crate) fn issue(field: &str, code: &str, message: String) -> AppError {
    AppError::invalid(vec![Issue::error(field, code, message)])
}

/// The document handed over: the item's result, or the decision refusing it.
pub(crate) fn document_name(a: &AwaitingHandover) -> String {
    match a.decision {
        Some((DistrictStatus::Denied, _)) => format!("{}不予许可决定书", a.case.item_name),
        _ => format!("{}办理结果", a.case.item_name),
    }
}

/// The case fits one of the ways the search text was read (no text: every case).
pub(crate) fn matches(case: &Case, wanted: &[TextMatch]) -> bool {
    if wanted.is_empty() {
        return true;
    }
    let mut names = vec![case.intake.applicant.name().to_lowercase()];
    let mut ids = vec![normalize_id(case.intake.applicant.id().1)];
    if let Some(agent) = &case.intake.agent {
        names.push(agent.name.to_lowercase());
        ids.push(normalize_id(&agent.id_no));
    }
    let numbers = [Some(&case.case_no), case.official_case_no.as_ref()];
    wanted.iter().any(|w| match w {
        TextMatch::Name(piece) => {
            let piece: String = piece
                .chars()
                .filter(|c| !c.is_whitespace())
                .flat_map(char::to_lowercase)
                .collect();
            names.iter().any(|n| n.contains(&piece))
        }
        TextMatch::IdNo(id) => ids.iter().any(|i| i == id),
        TextMatch::IdTail(tail) => ids.iter().any(|i| i.ends_with(tail.as_str())),
        TextMatch::CaseNoPrefix(p) => numbers
            .iter()
            .flatten()
            .any(|n| n.to_uppercase().starts_with(p.as_str())),
    })
}
