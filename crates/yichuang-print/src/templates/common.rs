//! Pieces several papers share: the item and applicant fields, material columns, the seal
//! caption, and the error for a paper the case's outcome does not call for.

use yichuang_core::mask::mask_phone;
use yichuang_core::{Case, MaterialForm, NoticeMaterial, ServiceItem};

use crate::doc::{Closing, Column};
use crate::slip::{applicant_fields, field, one_line};
use crate::{PrintError, SlipField};

pub(crate) const STATION_SEAL: &str = "（受理单位印章）";

/// 事项名称, 事项编码, 承办部门.
pub(crate) fn item_fields(item: &ServiceItem) -> Vec<SlipField> {
    vec![
        field("事项名称", &item.name),
        field("事项编码", &item.item_code),
        field("承办部门", &item.department),
    ]
}

/// The applicant (ID masked) and the contact (phone masked).
pub(crate) fn party_fields(case: &Case) -> Vec<SlipField> {
    let mut fields = applicant_fields(&case.intake.applicant);
    fields.push(field("联系人", &case.intake.contact.name));
    fields.push(field("联系电话", &mask_phone(&case.intake.contact.phone)));
    fields
}

/// The applicant's name as a salutation, e.g. `王堃喆：`.
pub(crate) fn salutation(case: &Case) -> String {
    format!("{}：", one_line(case.intake.applicant.name()))
}

/// `原件 1 份`.
pub(crate) fn form_and_copies(form: MaterialForm, copies: u32) -> String {
    format!("{} {copies} 份", form.label())
}

pub(crate) fn standard_or_guide(m: &NoticeMaterial) -> String {
    let standard = one_line(&m.standard);
    if standard.is_empty() {
        "按办事指南要求提供".into()
    } else {
        standard
    }
}

pub(crate) fn column(title: &str, width_mm: Option<f32>, centered: bool) -> Column {
    Column {
        title: title.into(),
        width_mm,
        centered,
    }
}

pub(crate) fn not_for_this_case(paper: &str, reason: &str) -> PrintError {
    PrintError::NotForThisCase {
        paper: paper.into(),
        reason: reason.into(),
    }
}

/// The closing of a notice handed to the applicant: the clerk (经办人), the applicant's
/// signature line, the station's seal and the notice's date.
pub(crate) fn clerk_and_applicant_closing(clerk: String, date: String) -> Closing {
    Closing {
        signatures: vec![
            SlipField {
                label: "经办人".into(),
                value: clerk,
            },
            SlipField {
                label: "申请人（签收）".into(),
                value: String::new(),
            },
        ],
        seal_caption: STATION_SEAL.into(),
        date,
    }
}
