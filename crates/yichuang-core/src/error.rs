//! Validation issues in Chinese for the clerk, and the crate's error enum.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// How serious an issue found in the clerk's input is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Severity {
    /// The input cannot be accepted as it is.
    Error,
    /// The input may be accepted, but the clerk should look again.
    Warning,
}

/// One problem with one field, in words a clerk understands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Issue {
    /// Dotted path of the field in the intake form, e.g. `applicant.id_no`.
    pub field: String,
    /// Stable machine code, e.g. `id_checksum`.
    pub code: String,
    /// Message in Chinese for the clerk.
    pub message: String,
    pub severity: Severity,
}

impl Issue {
    pub fn error(field: &str, code: &str, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            code: code.into(),
            message: message.into(),
            severity: Severity::Error,
        }
    }
    pub fn warning(field: &str, code: &str, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            code: code.into(),
            message: message.into(),
            severity: Severity::Warning,
        }
    }
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

#[derive(Debug, thiserror::Error)]
pub enum CoreError {
    #[error("办件信息有误：{}", join_messages(.0))]
    Invalid(Vec<Issue>),
    #[error("办件状态不允许此操作：{from:?} 不能转为 {to:?}")]
    IllegalTransition {
        from: crate::CaseState,
        to: crate::CaseState,
    },
    #[error("格式不正确：{0}")]
    Format(String),
}

fn join_messages(issues: &[Issue]) -> String {
    issues
        .iter()
        .filter(|i| i.is_error())
        .map(|i| i.message.as_str())
        .collect::<Vec<_>>()
        .join("；")
}
