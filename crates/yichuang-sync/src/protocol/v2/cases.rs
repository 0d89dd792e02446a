//! Batched upload of cases: many records per request, one result per record.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::materials::MaterialRef;
use crate::protocol::CaseSubmission;

/// `POST`: a [`CaseBatch`]; the answer (200) is a [`BatchAnswer`] with one result per record,
/// in the order sent. Whole-request failures (401, 403, 413, 429, 5xx) touch no record.
pub const CASES_BATCH_PATH: &str = "/api/v2/cases/batch";

/// Most records in one batch (more is a 413).
pub const MAX_BATCH_RECORDS: usize = 1000;

/// One case as the station holds it, at one revision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CaseRecord {
    /// The case itself; its content hash decides duplicate (same) or conflict (changed).
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub submission: CaseSubmission,
    /// The station's revision of this case (bumped by every local edit); the district
    /// stores the highest it was sent.
    pub revision: i64,
    /// District clock minus station clock (ms) as the station knew it when it recorded the
    /// case; `None` if it had never reached the district. Lets the district correct
    /// `accepted_at` from a station whose clock was wrong.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clock_offset_ms: Option<i64>,
    /// Scanned pages of the case, by content; the bytes travel separately (materials).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub materials: Vec<MaterialRef>,
}

/// The body of [`CASES_BATCH_PATH`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CaseBatch {
    pub records: Vec<CaseRecord>,
}

/// What the district did with one record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "result", rename_all = "snake_case")]
pub enum RecordResult {
    /// Durably stored now, or earlier with the same content (`duplicate`).
    Stored {
        id: Uuid,
        official_case_no: String,
        #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
        received_at: Timestamp,
        duplicate: bool,
    },
    /// The id is stored with different content (HTTP meaning 409): quarantine it.
    Conflict { id: Uuid, message: String },
    /// The record's content is invalid (HTTP meaning 422): quarantine it.
    Invalid { id: Uuid, message: String },
}

impl RecordResult {
    pub fn id(&self) -> Uuid {
        match self {
            RecordResult::Stored { id, .. }
            | RecordResult::Conflict { id, .. }
            | RecordResult::Invalid { id, .. } => *id,
        }
    }
}

/// The answer to a [`CaseBatch`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BatchAnswer {
    pub results: Vec<RecordResult>,
}
