//! The district protocol: wire types shared by the station client and the district server.
//! The endpoints are protocol v2's ([`v2`], documented in docs/openapi-v2.json); this module
//! keeps what v2 builds on: the case as submitted ([`CaseSubmission`], its content hash), the
//! district's acknowledgement and the error body every refusal carries.

mod hash;
pub mod v2;

pub use hash::{ContentHash, canonical_json};

use jiff::{Timestamp, civil::Date};
use serde::{Deserialize, Serialize};
use uuid::Uuid;
use yichuang_core::{Case, CaseOutcome, IntakeDraft, StationCode};

/// One accepted case as the station sends it to the district.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseSubmission {
    /// Client-generated UUIDv7: the idempotency key.
    pub id: Uuid,
    pub station_code: StationCode,
    /// The provisional number printed on the slip.
    pub case_no: String,
    pub item_code: String,
    pub item_name: String,
    pub intake: IntakeDraft,
    pub clerk: String,
    pub accepted_at: Timestamp,
    pub due_date: Option<Date>,
    /// Any outcome other than a plain 受理 (容缺, 补正, 不予受理, 当场办结); absent for a
    /// plain 受理 so cases sent before outcomes existed keep their content hash.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<CaseOutcome>,
}

impl CaseSubmission {
    /// The submission for a case accepted at this station.
    pub fn from_case(case: &Case) -> Result<Self, yichuang_core::CoreError> {
        Ok(Self {
            id: case.id,
            station_code: StationCode::try_from(case.station_code.clone())?,
            case_no: case.case_no.clone(),
            item_code: case.intake.item_code.clone(),
            item_name: case.item_name.clone(),
            intake: case.intake.clone(),
            clerk: case.clerk.clone(),
            accepted_at: case.accepted_at,
            due_date: case.due_date,
            outcome: (case.outcome != CaseOutcome::Accepted).then(|| case.outcome.clone()),
        })
    }

    /// SHA-256 over the canonical JSON of the whole submission (keys sorted, no spaces).
    pub fn content_hash(&self) -> Result<ContentHash, serde_json::Error> {
        ContentHash::of(self)
    }
}

/// The district's answer to a stored (or already stored) submission.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubmissionAck {
    pub id: Uuid,
    /// The district's case number, e.g. `440111-2026-000001`.
    pub official_case_no: String,
    /// When the district first stored the case.
    pub received_at: Timestamp,
    /// True when this id was already stored with the same content.
    pub duplicate: bool,
}

/// Machine-readable class of an error answer; the station maps it to a clerk's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    Unauthorized,
    Forbidden,
    BadRequest,
    Conflict,
    NotFound,
    /// The record's content is invalid (422).
    Invalid,
    /// The body is over the limit (413).
    TooLarge,
    /// The district is busy (429/503).
    Busy,
    Internal,
    /// A kind this client does not know yet.
    #[serde(other)]
    Other,
}

/// Body of every error answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub kind: ErrorKind,
    /// Chinese text fit for a clerk; never contains personal data.
    pub message: String,
}

/// Answer of the health endpoint (`v2::HEALTH_PATH`): liveness and the server clock.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Health {
    pub status: String,
    pub region_code: String,
    pub protocol_version: u32,
    pub server_time: Timestamp,
}

#[cfg(test)]
mod tests;
