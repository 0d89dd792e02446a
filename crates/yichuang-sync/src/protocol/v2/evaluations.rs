//! Evaluations (好差评) taken at the station, e.g. on the customer-facing screen, sent in
//! batches with one result per record. A case is rated once (一次一评): a second rating of the
//! same case, from the station or from the district's own evaluation page, is a conflict.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// `POST`: an [`EvaluationBatch`]; the answer (200) is an [`EvaluationAnswer`] with one
/// result per record, in the order sent. Whole-request failures touch no record.
pub const EVALUATIONS_BATCH_PATH: &str = "/api/v2/evaluations/batch";

/// Most records in one batch (more is a 413).
pub const MAX_EVALUATION_RECORDS: usize = 1000;

/// One citizen's rating of one case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EvaluationRecord {
    /// Made by the station when the rating is taken (UUIDv7): the idempotency key.
    pub id: Uuid,
    /// The case rated; the district must hold it from this station.
    pub case_id: Uuid,
    /// GB/T 39046's code: 1 非常满意, 2 满意, 3 基本满意, 4 不满意, 5 非常不满意
    /// ([`yichuang_core::EvaluationLevel`]); a province's own score codes are mapped from it by
    /// configuration at the district, never on the wire.
    pub level: u8,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// Where it was given (a configured code, e.g. the station's customer screen).
    pub channel: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub rated_at: Timestamp,
}

/// The body of [`EVALUATIONS_BATCH_PATH`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EvaluationBatch {
    pub records: Vec<EvaluationRecord>,
}

/// What the district did with one evaluation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "result", rename_all = "snake_case")]
pub enum EvaluationResult {
    /// Durably stored now, or earlier with the same content (`duplicate`).
    Stored { id: Uuid, duplicate: bool },
    /// The case is already rated, or this id holds another rating (HTTP meaning 409).
    Conflict { id: Uuid, message: String },
    /// Invalid, or about a case the district does not hold from this station (422).
    Invalid { id: Uuid, message: String },
}

/// The answer to an [`EvaluationBatch`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EvaluationAnswer {
    pub results: Vec<EvaluationResult>,
}

/// The checks both sides make: a level 1–5, a comment and channel within their limits.
pub fn check(record: &EvaluationRecord) -> Result<(), String> {
    yichuang_core::EvaluationLevel::from_code(record.level)?;
    yichuang_core::evaluation::check_text(record.comment.as_deref(), &record.channel)
}
