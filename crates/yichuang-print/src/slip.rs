//! The acceptance slip (受理回执) as a plain view model: every field already print-ready text.
//!
//! Field list after GB/T 39046-2020 and public 受理通知书 templates (see DESIGN.md §4). PII is
//! masked here (PIPL): the ID keeps its first 6 and last 4 characters, the phone 3 and 4.

use yichuang_core::mask::{mask_id, mask_phone};
use yichuang_core::time::{format_date_zh, format_minute, local_date};
use yichuang_core::{Applicant, Case, ItemKind, ServiceItem};

/// One labelled line, e.g. `证件号码` → `110105********002X`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SlipField {
    pub label: String,
    pub value: String,
}

/// One received material: name, 原件/复印件 label and count, as printed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SlipMaterial {
    pub name: String,
    pub form: String,
    pub count: String,
}

/// Everything printed on a 受理回执, as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AcceptanceSlip {
    pub title: String,
    /// Provisional number made at the station; stays valid for collecting the result.
    pub case_no: String,
    /// The district's number, once synced (reprints show both).
    pub official_case_no: Option<String>,
    pub item_name: String,
    pub item_code: String,
    pub department: String,
    /// Person: 申请人, 证件类型, 证件号码 (masked), 住址. Legal person: 单位名称,
    /// 统一社会信用代码, 法定代表人.
    pub applicant: Vec<SlipField>,
    pub contact_name: String,
    /// Masked: first 3 and last 4 digits.
    pub contact_phone: String,
    pub materials: Vec<SlipMaterial>,
    /// The accepting body (the station's name).
    pub accepting_body: String,
    pub clerk: String,
    /// Accept time to the minute, China time.
    pub accepted_at: String,
    /// The accept date as written under the seal, e.g. `2026年11月27日`.
    pub accepted_date: String,
    pub statutory_limit: String,
    pub promised_limit: String,
    pub due_date: String,
    /// Set when the deadline was counted without a holiday calendar for some year.
    pub calendar_notice: Option<String>,
    pub fee: String,
    pub progress_query: String,
    pub delivery: String,
    /// Numbered notice lines (告知事项).
    pub notices: Vec<String>,
    pub seal_caption: String,
    /// Encoded in the QR code, never printed as text.
    pub evaluation_payload: String,
    pub evaluation_caption: String,
}

fn working_days(days: u32) -> String {
    format!("{days} 个工作日")
}

/// Collapses every run of whitespace (incl. newlines a reader or paste left in) to one space.
pub(crate) fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

pub(crate) fn field(label: &str, value: &str) -> SlipField {
    SlipField {
        label: label.into(),
        value: one_line(value),
    }
}

pub(crate) fn applicant_fields(applicant: &Applicant) -> Vec<SlipField> {
    match applicant {
        Applicant::NaturalPerson {
            name,
            id_type,
            id_no,
            address,
        } => {
            let mut lines = vec![
                field("申请人", name),
                field("证件类型", id_type.label()),
                field("证件号码", &mask_id(id_no)),
            ];
            if !address.trim().is_empty() {
                lines.push(field("住址", address));
            }
            lines
        }
        Applicant::LegalPerson {
            name,
            uscc,
            legal_representative,
            address,
        } => {
            let mut lines = vec![
                field("申请单位", name),
                field("统一社会信用代码", uscc),
                field("法定代表人", legal_representative),
            ];
            if !address.trim().is_empty() {
                lines.push(field("住所", address));
            }
            lines
        }
    }
}

/// The 进度查询 line of an acceptance slip, with the phone the station prints for questions
/// (the national hotline's wording when the station has no phone of its own).
pub fn progress_query(phone: &str) -> String {
    if phone.trim() == crate::doc::DEFAULT_CONSULT_PHONE {
        return "凭本回执办件编号，可到受理窗口、拨打 12345 政务服务便民热线或登录政务服务网查询办理进度".into();
    }
    format!("凭本回执办件编号，可到受理窗口、拨打 {phone} 或登录政务服务网查询办理进度")
}

impl AcceptanceSlip {
    /// Builds the slip of an accepted case. `evaluation_payload` is the 好差评 QR text
    /// (see `yichuang_core::evaluation_qr::EvaluationQr::to_payload`).
    pub fn from_case(
        case: &Case,
        item: &ServiceItem,
        station_name: &str,
        evaluation_payload: String,
    ) -> AcceptanceSlip {
        let intake = &case.intake;
        let materials = intake
            .materials
            .iter()
            .map(|m| SlipMaterial {
                name: one_line(item.material(&m.code).map_or(&m.code, |r| &r.name)),
                form: m.form.label().into(),
                count: format!("{} 份", m.count),
            })
            .collect();
        let immediate = item.kind == ItemKind::Immediate || item.promised_limit_days == 0;
        let (promised_limit, due_date) = match (immediate, case.due_date) {
            (false, Some(due)) => (working_days(item.promised_limit_days), format_date_zh(due)),
            (false, None) => (
                working_days(item.promised_limit_days),
                "以办理部门通知为准".into(),
            ),
            (true, _) => ("即办件".into(), "当场办结".into()),
        };
        let mut notices = vec![
            "经审查，您提交的申请材料齐全、符合法定形式，本机关决定予以受理。".to_string(),
            "办理时限按工作日计算，受理当日不计入，法定节假日除外。".to_string(),
            "请妥善保管本回执，领取办理结果时须出示本回执及申请人有效身份证件。".to_string(),
        ];
        let calendar_notice = case.deadline_basis.as_ref().and_then(|b| b.notice());
        if let Some(n) = &calendar_notice {
            notices.push(format!("{n}。"));
        }
        AcceptanceSlip {
            title: "受理回执".into(),
            case_no: case.case_no.clone(),
            official_case_no: case.official_case_no.clone(),
            item_name: one_line(&item.name),
            item_code: item.item_code.clone(),
            department: one_line(&item.department),
            applicant: applicant_fields(&intake.applicant),
            contact_name: one_line(&intake.contact.name),
            contact_phone: mask_phone(&intake.contact.phone),
            materials,
            accepting_body: one_line(station_name),
            clerk: one_line(&case.clerk),
            accepted_at: format_minute(case.accepted_at),
            accepted_date: format_date_zh(local_date(case.accepted_at)),
            statutory_limit: working_days(item.statutory_limit_days),
            promised_limit,
            due_date,
            calendar_notice,
            fee: one_line(&item.fee),
            progress_query: progress_query(crate::doc::DEFAULT_CONSULT_PHONE),
            delivery: one_line(&intake.delivery.label()),
            notices,
            seal_caption: "（受理单位印章）".into(),
            evaluation_payload,
            evaluation_caption: "扫码评价 好差评".into(),
        }
    }

    /// Every printed text with the name the clerk knows it by, for the glyph check.
    pub fn printed_fields(&self) -> Vec<(String, &str)> {
        let mut out: Vec<(String, &str)> = vec![
            ("标题".into(), &self.title),
            ("办件编号".into(), &self.case_no),
            ("事项名称".into(), &self.item_name),
            ("事项编码".into(), &self.item_code),
            ("承办部门".into(), &self.department),
        ];
        if let Some(no) = &self.official_case_no {
            out.push(("统一办件编号".into(), no));
        }
        out.extend(
            self.applicant
                .iter()
                .map(|f| (f.label.clone(), f.value.as_str())),
        );
        out.push(("联系人".into(), &self.contact_name));
        out.push(("联系电话".into(), &self.contact_phone));
        for (i, m) in self.materials.iter().enumerate() {
            let n = i + 1;
            out.push((format!("第 {n} 项材料名称"), &m.name));
            out.push((format!("第 {n} 项材料形式"), &m.form));
            out.push((format!("第 {n} 项材料份数"), &m.count));
        }
        out.extend([
            ("受理单位".into(), self.accepting_body.as_str()),
            ("受理人".into(), &self.clerk),
            ("受理时间".into(), &self.accepted_at),
            ("受理日期".into(), &self.accepted_date),
            ("法定时限".into(), &self.statutory_limit),
            ("承诺时限".into(), &self.promised_limit),
            ("承诺办结日期".into(), &self.due_date),
            ("收费标准".into(), &self.fee),
            ("进度查询".into(), &self.progress_query),
            ("结果送达方式".into(), &self.delivery),
            ("印章区".into(), &self.seal_caption),
            ("评价提示".into(), &self.evaluation_caption),
        ]);
        out.extend(self.notices.iter().map(|n| ("告知事项".into(), n.as_str())));
        out
    }
}

#[cfg(test)]
#[path = "slip_tests.rs"]
mod tests;
