//! Who applies (申请人: natural or legal person) and who acts for them (代理人), with the
//! checks each gets at the counter.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::ids::{IdType, check_id, normalize_id};
use crate::phone::check_phone;
use crate::{Issue, MaterialForm, MaterialRequirement};

/// Longest name a slip prints on one table line before wrapping; names beyond are refused.
pub const MAX_NAME_CHARS: usize = 100;
/// Longest address accepted (a full rural address with building and room fits easily).
pub const MAX_ADDRESS_CHARS: usize = 200;

/// The applicant: a natural person or a legal person (company, organisation).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[ts(export)]
pub enum Applicant {
    NaturalPerson {
        name: String,
        id_type: IdType,
        id_no: String,
        #[serde(default)]
        address: String,
    },
    LegalPerson {
        name: String,
        uscc: String,
        legal_representative: String,
        #[serde(default, skip_serializing_if = "String::is_empty")]
        address: String,
    },
}

impl Applicant {
    pub fn name(&self) -> &str {
        match self {
            Applicant::NaturalPerson { name, .. } | Applicant::LegalPerson { name, .. } => name,
        }
    }

    /// The identifying document type and number.
    pub fn id(&self) -> (IdType, &str) {
        match self {
            Applicant::NaturalPerson { id_type, id_no, .. } => (*id_type, id_no),
            Applicant::LegalPerson { uscc, .. } => (IdType::Uscc, uscc),
        }
    }

    pub fn address(&self) -> &str {
        match self {
            Applicant::NaturalPerson { address, .. } | Applicant::LegalPerson { address, .. } => {
                address
            }
        }
    }
}

/// 代理人: someone handing in the application for the applicant, with a power of attorney.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Agent {
    pub name: String,
    pub id_type: IdType,
    pub id_no: String,
    pub phone: String,
}

/// The checklist line an agent adds to every item: the power of attorney (授权委托书).
pub const POWER_OF_ATTORNEY_CODE: &str = "POA";

pub fn power_of_attorney() -> MaterialRequirement {
    MaterialRequirement {
        code: POWER_OF_ATTORNEY_CODE.into(),
        name: "授权委托书".into(),
        form: MaterialForm::Original,
        copies: 1,
        required: true,
        standard: "委托人签名或盖章，写明委托事项、权限和期限；附代理人身份证件".into(),
        key: true,
        tolerable: false,
    }
}

pub(crate) fn check_applicant(issues: &mut Vec<Issue>, applicant: &mut Applicant) {
    match applicant {
        Applicant::NaturalPerson {
            name,
            id_type,
            id_no,
            address,
        } => {
            if *id_type == IdType::Uscc {
                issues.push(Issue::error(
                    "applicant.id_type",
                    "id_type",
                    "自然人申请请选择个人证件类型；单位申请请选择“法人或其他组织”",
                ));
            }
            check_name(issues, "applicant.name", "申请人姓名", name);
            check_document(issues, "applicant.id_no", *id_type, id_no);
            check_address(issues, "applicant.address", address);
        }
        Applicant::LegalPerson {
            name,
            uscc,
            legal_representative,
            address,
        } => {
            check_name(issues, "applicant.name", "单位名称", name);
            check_name(
                issues,
                "applicant.legal_representative",
                "法定代表人",
                legal_representative,
            );
            check_document(issues, "applicant.uscc", IdType::Uscc, uscc);
            check_address(issues, "applicant.address", address);
        }
    }
}

pub(crate) fn check_agent(issues: &mut Vec<Issue>, agent: &mut Agent, applicant: &Applicant) {
    check_name(issues, "agent.name", "代理人姓名", &agent.name);
    if agent.id_type == IdType::Uscc {
        issues.push(Issue::error(
            "agent.id_type",
            "id_type",
            "代理人须出示本人身份证件，请选择个人证件类型",
        ));
    } else {
        check_document(issues, "agent.id_no", agent.id_type, &mut agent.id_no);
    }
    match check_phone(&agent.phone) {
        Ok(phone) => agent.phone = phone,
        Err(msg) => issues.push(Issue::error("agent.phone", "phone", msg)),
    }
    if applicant.id().1 == agent.id_no && !agent.id_no.is_empty() {
        issues.push(Issue::error(
            "agent.id_no",
            "agent_is_applicant",
            "代理人与申请人是同一人，本人办理无需填写代理人",
        ));
    }
}

pub(crate) fn check_name(issues: &mut Vec<Issue>, field: &str, label: &str, value: &str) {
    let n = value.trim().chars().count();
    if n == 0 {
        issues.push(Issue::error(field, "required", format!("请填写{label}")));
    } else if n > MAX_NAME_CHARS {
        issues.push(Issue::error(
            field,
            "too_long",
            format!("{label}过长（最多 {MAX_NAME_CHARS} 个字）"),
        ));
    }
}

pub(crate) fn check_address(issues: &mut Vec<Issue>, field: &str, value: &str) {
    if value.trim().chars().count() > MAX_ADDRESS_CHARS {
        issues.push(Issue::error(
            field,
            "too_long",
            format!("地址过长（最多 {MAX_ADDRESS_CHARS} 个字），请删去重复部分"),
        ));
    }
}

fn check_document(issues: &mut Vec<Issue>, field: &str, id_type: IdType, value: &mut String) {
    match check_id(id_type, value) {
        Ok(warnings) => {
            *value = normalize_id(value);
            issues.extend(
                warnings
                    .into_iter()
                    .map(|w| Issue::warning(field, "id_checksum", w)),
            );
        }
        Err(msg) => issues.push(Issue::error(field, "id_invalid", msg)),
    }
}

pub(crate) fn trim_applicant(applicant: &mut Applicant) {
    let t = |s: &mut String| *s = s.trim().to_string();
    match applicant {
        Applicant::NaturalPerson { name, address, .. } => {
            t(name);
            t(address);
        }
        Applicant::LegalPerson {
            name,
            legal_representative,
            address,
            ..
        } => {
            t(name);
            t(legal_representative);
            t(address);
        }
    }
}
