//! What the station downloads: reference data by version and case status changes by cursor.
//!
//! Reference data (`GET /api/v2/reference/{kind}`, kind = `catalogue`, `calendar`,
//! `credit-list` or `clerks`): the station sends `If-None-Match: "<version it has>"`; the
//! district answers 304 when that is current, else 200 with the document and an `ETag` of
//! its version. Status changes (`GET /api/v2/status-changes?after=<seq>&limit=<n>`) come in
//! the order the district made them, only for the calling station's cases.

use serde::{Deserialize, Serialize};
use yichuang_core::StatusChange;

/// `GET {REFERENCE_PATH}/{kind}`.
pub const REFERENCE_PATH: &str = "/api/v2/reference";
/// `GET` with `?after=<seq>&limit=<n>`.
pub const STATUS_CHANGES_PATH: &str = "/api/v2/status-changes";
/// Most status changes in one answer.
pub const MAX_STATUS_CHANGES: usize = 5000;

/// The kinds of reference data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum ReferenceKind {
    /// The service catalogue (`yichuang_core::Catalogue` JSON).
    Catalogue,
    /// The holiday calendar (`yichuang_core::HolidayCalendar` JSON).
    Calendar,
    /// The credit red/black list (`yichuang_core::CreditList` JSON).
    CreditList,
    /// Clerk accounts for offline login ([`ClerkAccounts`]).
    Clerks,
}

impl ReferenceKind {
    pub const ALL: [ReferenceKind; 4] = [
        ReferenceKind::Catalogue,
        ReferenceKind::Calendar,
        ReferenceKind::CreditList,
        ReferenceKind::Clerks,
    ];

    /// The last path segment.
    pub fn path_segment(self) -> &'static str {
        match self {
            ReferenceKind::Catalogue => "catalogue",
            ReferenceKind::Calendar => "calendar",
            ReferenceKind::CreditList => "credit-list",
            ReferenceKind::Clerks => "clerks",
        }
    }

    pub fn from_path_segment(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.path_segment() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            ReferenceKind::Catalogue => "事项目录",
            ReferenceKind::Calendar => "节假日日历",
            ReferenceKind::CreditList => "信用红黑名单",
            ReferenceKind::Clerks => "窗口人员账号",
        }
    }
}

/// The station's clerk accounts, as the district publishes them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClerkAccounts {
    pub version: String,
    pub clerks: Vec<ClerkAccount>,
}

/// One clerk who may log in at the station, offline too.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClerkAccount {
    pub login: String,
    pub display_name: String,
    /// Argon2id PHC string; the district never sends or keeps a plain password.
    pub password_hash: String,
    /// `clerk` or `hall_manager`.
    pub role: String,
    /// A disabled account cannot log in; it stays so its past work keeps its name.
    pub active: bool,
}

impl std::fmt::Debug for ClerkAccount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClerkAccount")
            .field("login", &self.login)
            .field("role", &self.role)
            .field("active", &self.active)
            .finish_non_exhaustive()
    }
}

/// Answer of [`STATUS_CHANGES_PATH`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StatusChanges {
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<Object>))]
    pub changes: Vec<StatusChange>,
    /// The cursor to ask with next (the last `seq` sent, or the one asked with).
    pub next_after: i64,
    /// More changes wait beyond this page.
    pub more: bool,
}
