//! The one error shape the UI sees: `{kind, message, issues}`; `kind` is stable, `message` Chinese.

use serde::Serialize;
use ts_rs::TS;
use yichuang_core::{CoreError, Issue};

/// Stable error categories the UI can branch on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ErrorKind {
    /// The clerk's input has problems; `issues` lists them per field.
    InvalidInput,
    NotLoggedIn,
    /// The window is locked: the clerk who locked it unlocks with their password, or another logs in.
    Locked,
    BadCredentials,
    /// The logged-in clerk's role may not do this (a hall manager's command).
    Forbidden,
    /// A character cannot be printed with the slip font.
    Unprintable,
    NotProvisioned,
    /// The database key is missing from the OS keyring: restore it with the recovery passphrase.
    KeyMissing,
    Store,
    Print,
    Internal,
}

/// An error as sent over IPC.
#[derive(Debug, Clone, Serialize, TS, thiserror::Error)]
#[error("{message}")]
#[ts(export)]
pub struct AppError {
    pub kind: ErrorKind,
    pub message: String,
    pub issues: Vec<Issue>,
}

impl AppError {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
            issues: Vec::new(),
        }
    }

    pub fn invalid(issues: Vec<Issue>) -> Self {
        let message = issues
            .iter()
            .filter(|i| i.is_error())
            .map(|i| i.message.as_str())
            .collect::<Vec<_>>()
            .join("；");
        Self {
            kind: ErrorKind::InvalidInput,
            message,
            issues,
        }
    }
}

impl From<CoreError> for AppError {
    fn from(e: CoreError) -> Self {
        match e {
            CoreError::Invalid(issues) => AppError::invalid(issues),
            other => AppError::new(ErrorKind::InvalidInput, other.to_string()),
        }
    }
}
