//! The five ways an application ends at the counter (行政许可法 Art. 32) and what each one's
//! paper notice needs: 受理, 容缺受理, 补正 (一次性告知), 不予受理, and 即办件 done on the spot.

use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::intake::missing_materials;
use crate::{CaseState, IntakeDraft, Issue, ItemKind, MaterialForm, ServiceItem, ValidIntake};

/// Longest supplement promise for 容缺受理, in calendar days from the intake.
pub const MAX_SUPPLEMENT_DAYS: i64 = 30;
const MAX_REASON_CHARS: usize = 500;

/// What the clerk decides for an application.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[ts(export)]
pub enum IntakeDecision {
    /// 受理: materials complete.
    Accept,
    /// 容缺受理: only non-key, tolerable materials missing; the applicant promises them by a date.
    AcceptTolerant {
        /// Empty (None) until the clerk enters it; refused then with a message.
        #[serde(default)]
        #[ts(type = "string | null")]
        supplement_by: DateField,
    },
    /// 补正: tell everything missing or defective, once; the case waits.
    RequestCorrection {
        #[serde(default)]
        defects: Vec<MaterialDefect>,
    },
    /// 不予受理: with reasons and, when another authority is competent, where to apply.
    Reject {
        reasons: String,
        #[serde(default)]
        referral: Option<String>,
    },
    /// 即办件 completed on the spot.
    CompleteOnSpot {
        #[serde(default)]
        result: String,
    },
}

/// A received material that does not meet its standard (for the 补正 notice).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct MaterialDefect {
    pub code: String,
    /// What is wrong, in the clerk's words, e.g. "复印件不清晰".
    pub problem: String,
}

/// A checklist line a notice lists: missing, or received but not meeting its standard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct NoticeMaterial {
    pub code: String,
    pub name: String,
    pub form: MaterialForm,
    pub copies: u32,
    pub standard: String,
    /// Empty when missing; what is wrong when received but defective.
    #[serde(default)]
    pub problem: String,
}

/// What the case's outcome notice needs, stored with the case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[ts(export)]
pub enum CaseOutcome {
    Accepted,
    AcceptedTolerant {
        missing: Vec<NoticeMaterial>,
        #[ts(type = "string")]
        supplement_by: Date,
        #[ts(type = "string | null")]
        supplemented_at: Option<Timestamp>,
    },
    CorrectionRequested {
        items: Vec<NoticeMaterial>,
        #[ts(type = "string")]
        notified_at: Timestamp,
    },
    Rejected {
        reasons: String,
        referral: Option<String>,
    },
    CompletedOnSpot {
        result: String,
    },
}

impl CaseOutcome {
    pub fn state(&self) -> CaseState {
        match self {
            CaseOutcome::Accepted => CaseState::Accepted,
            CaseOutcome::AcceptedTolerant {
                supplemented_at: Some(_),
                ..
            } => CaseState::Accepted,
            CaseOutcome::AcceptedTolerant { .. } => CaseState::AcceptedTolerant,
            CaseOutcome::CorrectionRequested { .. } => CaseState::AwaitingCorrection,
            CaseOutcome::Rejected { .. } => CaseState::Rejected,
            CaseOutcome::CompletedOnSpot { .. } => CaseState::CompletedOnSpot,
        }
    }

    /// A 容缺 supplement promised before `today` and not yet handed in.
    pub fn supplement_overdue(&self, today: Date) -> bool {
        matches!(self, CaseOutcome::AcceptedTolerant { supplement_by, supplemented_at: None, .. } if *supplement_by < today)
    }

    /// Whether the promised time limit runs (and a due date is counted) from this outcome.
    pub fn starts_the_clock(&self) -> bool {
        matches!(
            self,
            CaseOutcome::Accepted | CaseOutcome::AcceptedTolerant { .. }
        )
    }
}

/// The appeal rights every 不予受理 notice states (行政复议法 Art. 20; 行政诉讼法 Art. 46).
pub const APPEAL_RIGHTS: &str = "如不服本决定，可自收到本通知书之日起六十日内依法申请行政复议，\
或者自收到本通知书之日起六个月内依法向人民法院提起行政诉讼。";

/// A decision checked against the form and the item: the normalised intake and the outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decided {
    pub intake: ValidIntake,
    pub outcome: CaseOutcome,
}

/// Checks `decision` for `draft` on `today` (the station's day) at `now`; every problem at once.
pub fn decide(
    draft: &IntakeDraft,
    item: &ServiceItem,
    decision: &IntakeDecision,
    today: Date,
    now: Timestamp,
) -> Result<Decided, Vec<Issue>> {
    let complete = matches!(
        decision,
        IntakeDecision::Accept | IntakeDecision::CompleteOnSpot { .. }
    );
    let mut issues = Vec::new();
    let valid = if complete {
        draft.validate(item)
    } else {
        draft.validate_form(item)
    };
    let missing = missing_materials(draft, item);
    let outcome = match decision {
        IntakeDecision::Accept => CaseOutcome::Accepted,
        IntakeDecision::CompleteOnSpot { result } => {
            if item.kind != ItemKind::Immediate {
                issues.push(Issue::error(
                    "decision",
                    "not_immediate",
                    "本事项为承诺件，不能当场办结，请选择受理",
                ));
            }
            let result = result.trim();
            CaseOutcome::CompletedOnSpot {
                result: if result.is_empty() {
                    "当场办结"
                } else {
                    result
                }
                .into(),
            }
        }
        IntakeDecision::AcceptTolerant { supplement_by } => {
            check_tolerable(&mut issues, &missing, supplement_by.0, today);
            CaseOutcome::AcceptedTolerant {
                missing: missing.iter().map(|m| notice_line(m, "")).collect(),
                supplement_by: supplement_by.0.unwrap_or(today),
                supplemented_at: None,
            }
        }
        IntakeDecision::RequestCorrection { defects } => {
            let items = correction_items(&mut issues, draft, item, &missing, defects);
            CaseOutcome::CorrectionRequested {
                items,
                notified_at: now,
            }
        }
        IntakeDecision::Reject { reasons, referral } => {
            check_reasons(&mut issues, reasons, referral.as_deref());
            CaseOutcome::Rejected {
                reasons: reasons.trim().into(),
                referral: referral
                    .as_deref()
                    .map(str::trim)
                    .filter(|r| !r.is_empty())
                    .map(Into::into),
            }
        }
    };
    match valid {
        Ok(intake) if issues.is_empty() => Ok(Decided { intake, outcome }),
        Ok(intake) => Err(issues.into_iter().chain(intake.warnings).collect()),
        Err(mut form) => {
            form.append(&mut issues);
            Err(form)
        }
    }
}

/// A date from the window's date field: `""` or `null` is no date yet.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct DateField(pub Option<Date>);

impl<'de> Deserialize<'de> for DateField {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text: Option<String> = Option::deserialize(d)?;
        match text.as_deref().map(str::trim) {
            None | Some("") => Ok(DateField(None)),
            Some(t) => t
                .parse()
                .map(|d| DateField(Some(d)))
                .map_err(serde::de::Error::custom),
        }
    }
}

impl From<Date> for DateField {
    fn from(date: Date) -> Self {
        DateField(Some(date))
    }
}

fn notice_line(m: &crate::MaterialRequirement, problem: &str) -> NoticeMaterial {
    NoticeMaterial {
        code: m.code.clone(),
        name: m.name.clone(),
        form: m.form,
        copies: m.copies,
        standard: m.standard.clone(),
        problem: problem.trim().into(),
    }
}

fn check_tolerable(
    issues: &mut Vec<Issue>,
    missing: &[crate::MaterialRequirement],
    supplement_by: Option<Date>,
    today: Date,
) {
    if missing.is_empty() {
        issues.push(Issue::error(
            "decision",
            "nothing_missing",
            "材料已齐全，请直接受理",
        ));
    }
    let blocking: Vec<&str> = missing
        .iter()
        .filter(|m| m.key || !m.tolerable)
        .map(|m| m.name.as_str())
        .collect();
    if !blocking.is_empty() {
        issues.push(Issue::error(
            "materials",
            "not_tolerable",
            format!(
                "{} 为关键材料或不可容缺，不能容缺受理，请一次性告知补正",
                blocking.join("、")
            ),
        ));
    }
    let latest = today.saturating_add(jiff::Span::new().days(MAX_SUPPLEMENT_DAYS));
    let Some(supplement_by) = supplement_by else {
        issues.push(Issue::error(
            "decision.supplement_by",
            "required",
            "请填写申请人承诺补齐材料的日期",
        ));
        return;
    };
    if supplement_by <= today || supplement_by > latest {
        issues.push(Issue::error(
            "decision.supplement_by",
            "supplement_date",
            format!("承诺补齐日期须在今天之后的 {MAX_SUPPLEMENT_DAYS} 天以内"),
        ));
    }
}

fn correction_items(
    issues: &mut Vec<Issue>,
    draft: &IntakeDraft,
    item: &ServiceItem,
    missing: &[crate::MaterialRequirement],
    defects: &[MaterialDefect],
) -> Vec<NoticeMaterial> {
    let lines = crate::intake::checklist(item, draft.agent.is_some());
    let mut items: Vec<NoticeMaterial> = missing.iter().map(|m| notice_line(m, "")).collect();
    for defect in defects {
        match lines.iter().find(|m| m.code == defect.code) {
            None => issues.push(Issue::error(
                "decision.defects",
                "unknown_material",
                "需补正的材料不在本事项的材料清单中，请刷新事项后重试",
            )),
            Some(m) if defect.problem.trim().is_empty() => issues.push(Issue::error(
                "decision.defects",
                "problem_required",
                format!("请写明“{}”需要补正的问题", m.name),
            )),
            Some(m) if !items.iter().any(|i| i.code == m.code) => {
                items.push(notice_line(m, &defect.problem));
            }
            Some(_) => {}
        }
    }
    if items.is_empty() {
        issues.push(Issue::error(
            "decision",
            "nothing_to_correct",
            "材料齐全且无需补正，请直接受理",
        ));
    }
    items
}

fn check_reasons(issues: &mut Vec<Issue>, reasons: &str, referral: Option<&str>) {
    let n = reasons.trim().chars().count();
    if n == 0 {
        issues.push(Issue::error(
            "decision.reasons",
            "required",
            "请写明不予受理的理由",
        ));
    } else if n > MAX_REASON_CHARS {
        issues.push(Issue::error(
            "decision.reasons",
            "too_long",
            format!("不予受理理由过长（最多 {MAX_REASON_CHARS} 个字）"),
        ));
    }
    if referral.is_some_and(|r| r.trim().chars().count() > 100) {
        issues.push(Issue::error(
            "decision.referral",
            "too_long",
            "告知的受理机关名称过长（最多 100 个字）",
        ));
    }
}

#[cfg(test)]
#[path = "outcome_tests.rs"]
mod tests;
