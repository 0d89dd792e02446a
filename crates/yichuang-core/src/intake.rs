//! Intake (受理): what the clerk enters at the counter, and its validation against the item.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::ids::{IdType, check_id, normalize_id};
use crate::phone::check_phone;
use crate::{Issue, MaterialForm, ServiceItem};

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
}

/// The contact person and phone for this case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ContactInfo {
    pub name: String,
    pub phone: String,
}

/// How the result will be handed over (出件).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[ts(export)]
pub enum DeliveryMethod {
    /// 窗口领取.
    Window,
    /// 快递办 / 邮寄 to this address.
    Post { address: String },
}

impl DeliveryMethod {
    pub fn label(&self) -> String {
        match self {
            DeliveryMethod::Window => "窗口领取".into(),
            DeliveryMethod::Post { address } => format!("邮寄送达：{address}"),
        }
    }
}

/// A material the clerk ticked as received.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ReceivedMaterial {
    pub code: String,
    pub form: MaterialForm,
    pub count: u32,
}

/// The intake form as the clerk filled it in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct IntakeDraft {
    pub item_code: String,
    pub applicant: Applicant,
    pub contact: ContactInfo,
    pub materials: Vec<ReceivedMaterial>,
    pub delivery: DeliveryMethod,
}

/// An intake that passed validation: normalised values plus any warnings to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidIntake {
    pub draft: IntakeDraft,
    pub warnings: Vec<Issue>,
}

const MAX_NAME_CHARS: usize = 100;

fn check_name(issues: &mut Vec<Issue>, field: &str, label: &str, value: &str) {
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

impl IntakeDraft {
    /// Checks everything at once, so the clerk sees every problem in one go.
    pub fn validate(&self, item: &ServiceItem) -> Result<ValidIntake, Vec<Issue>> {
        let mut issues = Vec::new();
        let mut draft = self.clone();
        if self.item_code != item.item_code {
            issues.push(Issue::error(
                "item_code",
                "item_mismatch",
                "所选事项与办件不一致，请重新选择事项",
            ));
        }
        match &mut draft.applicant {
            Applicant::NaturalPerson {
                name,
                id_type,
                id_no,
                ..
            } => {
                check_name(&mut issues, "applicant.name", "申请人姓名", name);
                check_document(&mut issues, "applicant.id_no", *id_type, id_no);
            }
            Applicant::LegalPerson {
                name,
                uscc,
                legal_representative,
            } => {
                check_name(&mut issues, "applicant.name", "单位名称", name);
                check_name(
                    &mut issues,
                    "applicant.legal_representative",
                    "法定代表人",
                    legal_representative,
                );
                check_document(&mut issues, "applicant.uscc", IdType::Uscc, uscc);
            }
        }
        check_name(&mut issues, "contact.name", "联系人", &self.contact.name);
        match check_phone(&self.contact.phone) {
            Ok(phone) => draft.contact.phone = phone,
            Err(msg) => issues.push(Issue::error("contact.phone", "phone", msg)),
        }
        if let DeliveryMethod::Post { address } = &self.delivery
            && address.trim().chars().count() < 5
        {
            issues.push(Issue::error(
                "delivery.address",
                "required",
                "邮寄送达须填写完整的收件地址",
            ));
        }
        check_materials(&mut issues, self, item);
        trim_text(&mut draft);
        let (errors, warnings): (Vec<_>, Vec<_>) = issues.into_iter().partition(Issue::is_error);
        if errors.is_empty() {
            Ok(ValidIntake { draft, warnings })
        } else {
            Err(errors.into_iter().chain(warnings).collect())
        }
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

fn check_materials(issues: &mut Vec<Issue>, draft: &IntakeDraft, item: &ServiceItem) {
    for received in &draft.materials {
        if item.material(&received.code).is_none() {
            issues.push(Issue::error(
                "materials",
                "unknown_material",
                "收取的材料不在本事项的材料清单中，请刷新事项后重试",
            ));
        } else if received.count == 0 {
            issues.push(Issue::error(
                "materials",
                "zero_count",
                "收取材料的份数至少为 1",
            ));
        }
    }
    let missing: Vec<&str> = item
        .materials
        .iter()
        .filter(|m| m.required && !draft.materials.iter().any(|r| r.code == m.code))
        .map(|m| m.name.as_str())
        .collect();
    if !missing.is_empty() {
        issues.push(Issue::error(
            "materials",
            "materials_missing",
            format!("尚缺必要材料：{}。材料齐全后方可受理", missing.join("、")),
        ));
    }
}

fn trim_text(draft: &mut IntakeDraft) {
    let t = |s: &mut String| *s = s.trim().to_string();
    match &mut draft.applicant {
        Applicant::NaturalPerson { name, address, .. } => {
            t(name);
            t(address);
        }
        Applicant::LegalPerson {
            name,
            legal_representative,
            ..
        } => {
            t(name);
            t(legal_representative);
        }
    }
    t(&mut draft.contact.name);
    if let DeliveryMethod::Post { address } = &mut draft.delivery {
        t(address);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Catalogue;

    fn item() -> ServiceItem {
        let cat =
            Catalogue::from_json(include_str!("../../../assets/demo/catalogue.json")).unwrap();
        cat.items[0].clone()
    }

    fn draft(item: &ServiceItem) -> IntakeDraft {
        IntakeDraft {
            item_code: item.item_code.clone(),
            applicant: Applicant::NaturalPerson {
                name: " 王堃喆 ".into(),
                id_type: IdType::ResidentIdCard,
                id_no: "11010519491231002x".into(),
                address: "广州市白云区".into(),
            },
            contact: ContactInfo {
                name: "王堃喆".into(),
                phone: "138-0013-8000".into(),
            },
            materials: item
                .materials
                .iter()
                .filter(|m| m.required)
                .map(|m| ReceivedMaterial {
                    code: m.code.clone(),
                    form: m.form,
                    count: m.copies.max(1),
                })
                .collect(),
            delivery: DeliveryMethod::Window,
        }
    }

    #[test]
    fn valid_draft_is_normalised() {
        let item = item();
        let valid = draft(&item).validate(&item).expect("valid");
        assert_eq!(
            valid.draft.applicant.id(),
            (IdType::ResidentIdCard, "11010519491231002X")
        );
        assert_eq!(valid.draft.applicant.name(), "王堃喆");
        assert_eq!(valid.draft.contact.phone, "13800138000");
        assert!(valid.warnings.is_empty());
    }

    #[test]
    fn every_problem_is_listed_at_once_in_chinese() {
        let item = item();
        let mut d = draft(&item);
        d.applicant = Applicant::NaturalPerson {
            name: "".into(),
            id_type: IdType::ResidentIdCard,
            id_no: "440308199901101513".into(),
            address: String::new(),
        };
        d.contact.phone = "12345".into();
        d.materials.clear();
        let issues = d.validate(&item).unwrap_err();
        let fields: Vec<_> = issues.iter().map(|i| i.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "applicant.name",
                "applicant.id_no",
                "contact.phone",
                "materials"
            ]
        );
        assert!(issues.iter().all(|i| {
            i.message
                .chars()
                .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
        }));
    }

    #[test]
    fn legal_person_with_bad_uscc_check_only_warns() {
        let item = item();
        let mut d = draft(&item);
        d.applicant = Applicant::LegalPerson {
            name: "厦门某某有限公司".into(),
            uscc: "91350211M00013FA1N".into(),
            legal_representative: "陈某".into(),
        };
        let valid = d.validate(&item).expect("warn, not block");
        assert_eq!(valid.warnings.len(), 1);
        assert_eq!(valid.warnings[0].field, "applicant.uscc");
    }
}
