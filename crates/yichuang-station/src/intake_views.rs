//! What the intake screen is shown: items with their Chinese labels, the choices of each
//! select, drafts to resume, a returning applicant, and a decision's result. The window
//! renders these; it keeps no labels or rules of its own.

use crate::customer::EvaluationMoment;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use yichuang_core::case_query::MAX_QUERY_ROWS;
use yichuang_core::intake::checklist;
use yichuang_core::{
    Agent, Applicant, Case, CaseState, ContactInfo, IdType, IntakeDraft, Issue, ItemKind,
    MaterialRequirement, ServiceItem, SlipKind, SyncState,
};

/// A value of a select and its label.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Choice {
    pub value: String,
    pub label: String,
}

fn choice<T: Serialize>(value: T, label: &str) -> Choice {
    let value = match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    };
    Choice {
        value,
        label: label.to_string(),
    }
}

/// The choices every intake and queue form offers.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct FormOptions {
    /// Documents a natural person (or an agent) identifies with.
    pub person_id_types: Vec<Choice>,
    /// The document a new applicant or agent starts with (居民身份证).
    pub default_id_type: IdType,
    /// What the clerk may decide (行政许可法 Art. 32), in the order the screen offers them.
    pub decisions: Vec<Choice>,
    /// Outcomes of a case, for the queue's filter.
    pub states: Vec<Choice>,
    pub sync_states: Vec<Choice>,
    pub max_query_rows: u32,
    /// The supplement date a 容缺受理 offers first: a week from today (station time).
    pub default_supplement_by: String,
}

impl FormOptions {
    pub fn new() -> Self {
        let person = [
            IdType::ResidentIdCard,
            IdType::HkMoTwResidencePermit,
            IdType::HkMoTravelPermit,
            IdType::TwTravelPermit,
            IdType::Passport,
            IdType::ForeignPermanentResident,
        ];
        FormOptions {
            person_id_types: person.iter().map(|t| choice(t, t.label())).collect(),
            default_id_type: IdType::ResidentIdCard,
            decisions: decisions(true),
            states: CaseState::ALL[1..]
                .iter()
                .map(|s| choice(s, s.label()))
                .collect(),
            sync_states: [
                SyncState::Pending,
                SyncState::Synced,
                SyncState::Quarantined,
            ]
            .iter()
            .map(|s| choice(s, sync_label(*s)))
            .collect(),
            max_query_rows: MAX_QUERY_ROWS,
            default_supplement_by: yichuang_core::time::local_date(jiff::Timestamp::now())
                .saturating_add(jiff::Span::new().days(7))
                .to_string(),
        }
    }
}

impl Default for FormOptions {
    fn default() -> Self {
        Self::new()
    }
}

/// What the clerk may decide, in the order offered; 当场办结 only for an 即办件.
fn decisions(immediate: bool) -> Vec<Choice> {
    [
        ("accept", "受理"),
        ("accept_tolerant", "容缺受理"),
        ("request_correction", "一次性告知补正"),
        ("reject", "不予受理"),
        ("complete_on_spot", "当场办结（即办件）"),
    ]
    .iter()
    .filter(|(value, _)| immediate || *value != "complete_on_spot")
    .map(|(value, label)| Choice {
        value: (*value).into(),
        label: (*label).into(),
    })
    .collect()
}

/// The sync state as the clerk reads it (one wording everywhere).
pub fn sync_label(state: SyncState) -> &'static str {
    match state {
        SyncState::Pending => "未同步",
        SyncState::Synced => "已同步",
        SyncState::Quarantined => "同步受阻",
    }
}

/// One checklist line with its labels.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct MaterialLine {
    pub material: MaterialRequirement,
    /// 原件 / 复印件 / 原件及复印件, with the count: "原件 2 份".
    pub form_label: String,
    /// "关键材料", "可容缺", or empty.
    pub flags_label: String,
}

/// A service item as the intake screen shows it.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ItemView {
    pub item: ServiceItem,
    /// "承诺件 · 法定 15 / 承诺 10 个工作日" or "即办件".
    pub limits_label: String,
    pub delivery_choices: Vec<Choice>,
    pub immediate: bool,
    /// The decisions this item offers (当场办结 only for an 即办件), in the screen's order.
    pub decisions: Vec<Choice>,
    pub cross_city_label: Option<String>,
    /// The checklist without an agent; with an agent, [`ItemView::agent_line`] is added.
    pub materials: Vec<MaterialLine>,
    pub agent_line: MaterialLine,
}

fn material_line(m: MaterialRequirement) -> MaterialLine {
    let mut flags = Vec::new();
    if m.key {
        flags.push("关键材料");
    }
    if m.tolerable {
        flags.push("可容缺");
    }
    if !m.required {
        flags.push("视情形提供");
    }
    MaterialLine {
        form_label: format!("{} {} 份", m.form.label(), m.copies),
        flags_label: flags.join(" · "),
        material: m,
    }
}

impl From<&ServiceItem> for ItemView {
    fn from(item: &ServiceItem) -> Self {
        let limits_label = match item.kind {
            ItemKind::Immediate => "即办件 · 当场办结".to_string(),
            ItemKind::Promised => format!(
                "承诺件 · 法定 {} / 承诺 {} 个工作日",
                item.statutory_limit_days, item.promised_limit_days
            ),
        };
        let agent_line = checklist(item, true)
            .pop()
            .map(material_line)
            .unwrap_or_else(|| material_line(yichuang_core::applicant::power_of_attorney()));
        ItemView {
            limits_label,
            delivery_choices: item
                .delivery_methods
                .iter()
                .map(|k| choice(k, k.label()))
                .collect(),
            immediate: item.kind == ItemKind::Immediate,
            decisions: decisions(item.kind == ItemKind::Immediate),
            cross_city_label: item.cross_city.then(|| "跨城通办".to_string()),
            materials: item.materials.iter().cloned().map(material_line).collect(),
            agent_line,
            item: item.clone(),
        }
    }
}

/// An intake as the window holds it: the id its case will carry, and the form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct IntakeForm {
    pub id: String,
    pub draft: IntakeDraft,
}

/// A saved, unfinished intake of the logged-in clerk.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct DraftSummary {
    pub form: IntakeForm,
    pub item_name: String,
    pub applicant_name: String,
    /// Last saved, to the minute.
    pub updated_at: String,
}

/// What an earlier case of the same applicant prefills.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ReturningApplicant {
    pub applicant: Applicant,
    pub contact: ContactInfo,
    pub agent: Option<Agent>,
    /// "上次办理：广东省居住证申领（2026-11-27）".
    pub last_visit: String,
}

impl From<&Case> for ReturningApplicant {
    fn from(case: &Case) -> Self {
        ReturningApplicant {
            applicant: case.intake.applicant.clone(),
            contact: case.intake.contact.clone(),
            agent: case.intake.agent.clone(),
            last_visit: format!(
                "上次办理：{}（{}）",
                case.item_name,
                yichuang_core::time::local_date(case.accepted_at)
            ),
        }
    }
}

/// The result of a decision on an intake (any outcome).
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct DecisionResult {
    pub case: Case,
    /// "已受理", "容缺受理", "待补正", "不予受理", "当场办结".
    pub state_label: String,
    /// True when this was a repeat: the case had been saved by an earlier press.
    pub already_saved: bool,
    /// The papers the case can print now (the print dialog's `print_options` labels them);
    /// the first is the outcome's own paper, the one the print dialog opens on.
    pub papers: Vec<SlipKind>,
    /// The customer screen asks for the evaluation by itself (a first save of an outcome
    /// that is rated: see [`EvaluationMoment::after_decision`]); a repeated press does not.
    pub show_on_customer_screen: bool,
    /// When the clerk puts the evaluation on the customer screen: what it asks about.
    pub evaluation_moment: EvaluationMoment,
    pub warnings: Vec<Issue>,
    /// Set when the due date was counted without an official holiday calendar.
    pub deadline_notice: Option<String>,
    /// The applicant's 信用红黑名单 entry in force at the decision: a 守信红名单 one marks the
    /// green channel (容缺受理、优先办理), a 失信黑名单 one says it was acknowledged.
    pub credit_note: Option<String>,
}

/// One scanned page on a checklist line, as the window shows it (labels made in Rust).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct PageView {
    /// What `move_page`, `remove_page`, `page_image` and `reuse` take.
    #[ts(type = "number")]
    pub id: i64,
    pub intake_id: String,
    pub material_code: String,
    /// 1, 2, 3, ... within the line.
    pub position: u32,
    /// The file name it came with (shown to the clerk; never logged).
    pub name: String,
    pub is_pdf: bool,
    /// "JPEG 图片 · 2480×3508 · 1.2 MB" or "PDF 文件 · 3 页 · 0.4 MB".
    pub description: String,
    /// A small JPEG (a plain page icon for a PDF) as a `data:` URL.
    pub thumbnail: String,
    /// 减材料: "复用自 L440111001-01-20261127-0001" when taken from an earlier case.
    pub reused_label: Option<String>,
}

/// A page's original for the large viewer (opening it is audited as `scan.opened`).
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct PageImage {
    #[ts(type = "number")]
    pub page_id: i64,
    /// `image/jpeg` or `image/png` (a TIFF is converted to JPEG for display).
    pub mime: String,
    pub data_url: String,
}

/// 减材料: a page of the same applicant's earlier case that fits a line of this intake.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ReuseOffer {
    pub page: PageView,
    /// "复用上次的居民身份证扫描件（L440111001-01-20261127-0001，2026-11-27）".
    pub label: String,
}

/// A new file the document camera saved into the watched scan folder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct ArrivedScan {
    /// The file's name in the scan folder: what `attach_scan` takes.
    pub name: String,
    pub path: String,
}

/// The watched scan folder and whether it is the station's default.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct ScanFolder {
    pub path: String,
    pub is_default: bool,
}
