//! Intake (受理): what the clerk enters at the counter, and its validation against the item.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::applicant::{
    check_address, check_agent, check_applicant, check_name, power_of_attorney, trim_applicant,
};
use crate::phone::check_phone;
use crate::{
    Agent, Applicant, DeliveryKind, Issue, MaterialForm, MaterialRequirement, ServiceItem,
};

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
    pub fn kind(&self) -> DeliveryKind {
        match self {
            DeliveryMethod::Window => DeliveryKind::Window,
            DeliveryMethod::Post { .. } => DeliveryKind::Courier,
        }
    }

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
    /// 代理人, when someone applies on the applicant's behalf. Left out of the JSON when
    /// absent, so cases sent before agents existed keep their content hash.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent: Option<Agent>,
}

/// An intake that passed validation: normalised values plus any warnings to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidIntake {
    pub draft: IntakeDraft,
    pub warnings: Vec<Issue>,
}

impl IntakeDraft {
    /// Checks everything a 受理 needs, materials complete included, all at once so the
    /// clerk sees every problem in one go.
    pub fn validate(&self, item: &ServiceItem) -> Result<ValidIntake, Vec<Issue>> {
        self.check(item, true)
    }

    /// Checks the form without asking for complete materials: what every outcome needs
    /// (a 补正 or 不予受理 notice names the applicant too).
    pub fn validate_form(&self, item: &ServiceItem) -> Result<ValidIntake, Vec<Issue>> {
        self.check(item, false)
    }

    fn check(&self, item: &ServiceItem, complete: bool) -> Result<ValidIntake, Vec<Issue>> {
        let mut issues = Vec::new();
        let mut draft = self.clone();
        if self.item_code != item.item_code {
            issues.push(Issue::error(
                "item_code",
                "item_mismatch",
                "所选事项与办件不一致，请重新选择事项",
            ));
        }
        check_applicant(&mut issues, &mut draft.applicant);
        if let Some(agent) = &mut draft.agent {
            check_agent(&mut issues, agent, &self.applicant);
        }
        check_name(&mut issues, "contact.name", "联系人", &self.contact.name);
        match check_phone(&self.contact.phone) {
            Ok(phone) => draft.contact.phone = phone,
            Err(msg) => issues.push(Issue::error("contact.phone", "phone", msg)),
        }
        check_delivery(&mut issues, &self.delivery, item);
        check_received(&mut issues, &draft, item);
        if complete {
            let missing = missing_materials(&draft, item);
            if !missing.is_empty() {
                let names: Vec<&str> = missing.iter().map(|m| m.name.as_str()).collect();
                issues.push(Issue::error(
                    "materials",
                    "materials_missing",
                    format!("尚缺必要材料：{}。材料齐全后方可受理", names.join("、")),
                ));
            }
        }
        trim_text(&mut draft);
        let (errors, warnings): (Vec<_>, Vec<_>) = issues.into_iter().partition(Issue::is_error);
        if errors.is_empty() {
            Ok(ValidIntake { draft, warnings })
        } else {
            Err(errors.into_iter().chain(warnings).collect())
        }
    }
}

/// The item's checklist for this intake: the item's lines plus, with an agent, the power of attorney.
pub fn checklist(item: &ServiceItem, with_agent: bool) -> Vec<MaterialRequirement> {
    let mut lines = item.materials.clone();
    if with_agent {
        lines.push(power_of_attorney());
    }
    lines
}

/// Required lines of the checklist the clerk has not ticked as received.
pub fn missing_materials(draft: &IntakeDraft, item: &ServiceItem) -> Vec<MaterialRequirement> {
    checklist(item, draft.agent.is_some())
        .into_iter()
        .filter(|m| m.required && !draft.materials.iter().any(|r| r.code == m.code))
        .collect()
}

fn check_delivery(issues: &mut Vec<Issue>, delivery: &DeliveryMethod, item: &ServiceItem) {
    if !item.delivery_methods.contains(&delivery.kind()) {
        let allowed: Vec<&str> = item.delivery_methods.iter().map(|k| k.label()).collect();
        issues.push(Issue::error(
            "delivery",
            "delivery_not_allowed",
            format!("本事项的办理结果只能{}，请改选出件方式", allowed.join("或")),
        ));
    }
    if let DeliveryMethod::Post { address } = delivery {
        if address.trim().chars().count() < 5 {
            issues.push(Issue::error(
                "delivery.address",
                "required",
                "邮寄送达须填写完整的收件地址",
            ));
        }
        check_address(issues, "delivery.address", address);
    }
}

fn check_received(issues: &mut Vec<Issue>, draft: &IntakeDraft, item: &ServiceItem) {
    let lines = checklist(item, draft.agent.is_some());
    for received in &draft.materials {
        if !lines.iter().any(|m| m.code == received.code) {
            let message = if received.code == crate::applicant::POWER_OF_ATTORNEY_CODE {
                "未填写代理人时无需收取授权委托书，请取消勾选或填写代理人"
            } else {
                "收取的材料不在本事项的材料清单中，请刷新事项后重试"
            };
            issues.push(Issue::error("materials", "unknown_material", message));
        } else if received.count == 0 {
            issues.push(Issue::error(
                "materials",
                "zero_count",
                "收取材料的份数至少为 1",
            ));
        }
    }
}

fn trim_text(draft: &mut IntakeDraft) {
    let t = |s: &mut String| *s = s.trim().to_string();
    trim_applicant(&mut draft.applicant);
    t(&mut draft.contact.name);
    if let Some(agent) = &mut draft.agent {
        t(&mut agent.name);
    }
    if let DeliveryMethod::Post { address } = &mut draft.delivery {
        t(address);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Catalogue, IdType};

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
            agent: None,
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
            address: String::new(),
        };
        let valid = d.validate(&item).expect("warn, not block");
        assert_eq!(valid.warnings.len(), 1);
        assert_eq!(valid.warnings[0].field, "applicant.uscc");
    }
}

#[cfg(test)]
mod agent_tests {
    use super::*;
    use crate::{Catalogue, IdType};

    fn item() -> ServiceItem {
        Catalogue::from_json(include_str!("../../../assets/demo/catalogue.json"))
            .unwrap()
            .items[0]
            .clone()
    }

    fn complete(item: &ServiceItem) -> IntakeDraft {
        IntakeDraft {
            item_code: item.item_code.clone(),
            applicant: Applicant::NaturalPerson {
                name: "王堃喆".into(),
                id_type: IdType::ResidentIdCard,
                id_no: "11010519491231002X".into(),
                address: String::new(),
            },
            contact: ContactInfo {
                name: "王堃喆".into(),
                phone: "13800138000".into(),
            },
            materials: checklist(item, false)
                .iter()
                .filter(|m| m.required)
                .map(|m| ReceivedMaterial {
                    code: m.code.clone(),
                    form: m.form,
                    count: 1,
                })
                .collect(),
            delivery: DeliveryMethod::Window,
            agent: None,
        }
    }

    #[test]
    fn an_agent_adds_the_power_of_attorney_line() {
        let item = item();
        let mut d = complete(&item);
        d.agent = Some(Agent {
            name: "李代办".into(),
            id_type: IdType::ResidentIdCard,
            id_no: "440524188001010014".into(),
            phone: "13900139000".into(),
        });
        let issues = d.validate(&item).unwrap_err();
        assert!(issues[0].message.contains("授权委托书"), "{issues:?}");
        d.materials.push(ReceivedMaterial {
            code: crate::applicant::POWER_OF_ATTORNEY_CODE.into(),
            form: MaterialForm::Original,
            count: 1,
        });
        assert!(d.validate(&item).is_ok());
    }

    #[test]
    fn the_applicant_cannot_be_their_own_agent() {
        let item = item();
        let mut d = complete(&item);
        d.agent = Some(Agent {
            name: "王堃喆".into(),
            id_type: IdType::ResidentIdCard,
            id_no: "11010519491231002x".into(),
            phone: "13900139000".into(),
        });
        let issues = d.validate_form(&item).unwrap_err();
        assert!(issues.iter().any(|i| i.code == "agent_is_applicant"));
    }

    #[test]
    fn delivery_must_be_one_the_item_allows() {
        let mut item = item();
        item.delivery_methods = vec![DeliveryKind::Window];
        let mut d = complete(&item);
        d.delivery = DeliveryMethod::Post {
            address: "广州市白云区太和镇某村 1 号".into(),
        };
        let issues = d.validate_form(&item).unwrap_err();
        assert_eq!(issues[0].code, "delivery_not_allowed");
        assert!(issues[0].message.contains("窗口领取"));
    }

    #[test]
    fn an_overlong_address_is_refused() {
        let item = item();
        let mut d = complete(&item);
        d.applicant = Applicant::NaturalPerson {
            name: "王堃喆".into(),
            id_type: IdType::ResidentIdCard,
            id_no: "11010519491231002X".into(),
            address: "村".repeat(201),
        };
        let issues = d.validate_form(&item).unwrap_err();
        assert_eq!(issues[0].field, "applicant.address");
    }
}
