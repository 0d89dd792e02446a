//! The values that cross the store trait: plain data, no database types.

use jiff::Timestamp;
use uuid::Uuid;
use yichuang_core::DistrictStatus;
use yichuang_sync::protocol::v2::materials::MaterialRef;
use yichuang_sync::protocol::{CaseSubmission, ContentHash, SubmissionAck};

use crate::secrets::SecretHash;

/// A device allowed to call the district.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Device {
    pub id: i64,
    pub station_code: String,
}

/// A one-time enrollment code as the store keeps it.
#[derive(Debug, Clone)]
pub struct EnrollCode {
    pub code: SecretHash,
    pub station_code: String,
    pub station_name: String,
    pub issued_at: Timestamp,
    pub expires_at: Timestamp,
}

/// A station trading a code for a device token.
#[derive(Debug, Clone)]
pub struct Redeem {
    pub code: SecretHash,
    pub station_code: String,
    pub device_name: String,
    pub app_version: String,
    pub token: SecretHash,
    /// The device's evaluation-QR public key (hex), when it sent one.
    pub qr_public_key: Option<String>,
    pub now: Timestamp,
}

/// A code traded successfully.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Enrolled {
    pub device_id: i64,
    pub station_name: String,
}

/// Why a code was refused (nothing was written).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RedeemRefusal {
    /// Unknown, spent or expired: the district says which only in its own log.
    Unusable,
    /// The code was issued for another station.
    WrongStation,
}

/// One validated record ready to store.
#[derive(Debug, Clone)]
pub struct PreparedRecord {
    pub submission: CaseSubmission,
    pub hash: ContentHash,
    /// The submission's canonical JSON.
    pub body: String,
    pub revision: i64,
    pub clock_offset_ms: Option<i64>,
    pub materials: Vec<MaterialRef>,
    /// Which protocol brought it: 2 for everything stored now (1 marks cases kept from the
    /// old v1 endpoint).
    pub protocol: u32,
}

/// What the store did with one record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreOutcome {
    Created(SubmissionAck),
    /// Same id, same content: the first ack (`duplicate: true`).
    Duplicate(SubmissionAck),
    /// Same id, different content: nothing written.
    Conflict,
}

/// What the store did with one evaluation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EvaluationOutcome {
    /// Stored now, or earlier with the same content (`duplicate`).
    Stored { duplicate: bool },
    /// Not stored: the case is rated already, or the id holds another rating (Chinese).
    Conflict(String),
    /// Not stored: the district holds no such case from this station.
    UnknownCase,
}

/// The Chinese reasons of [`EvaluationOutcome::Conflict`], the same on every store.
pub(crate) use yichuang_core::evaluation::ALREADY_RATED;
pub(crate) const ID_REUSED: &str = "该评价标识已用于另一条评价";

/// A status change the district officer records.
#[derive(Debug, Clone)]
pub struct NewStatus {
    pub case_id: Uuid,
    pub status: DistrictStatus,
    pub note: Option<String>,
    pub courier: Option<String>,
    pub tracking_no: Option<String>,
    pub now: Timestamp,
}

/// One version of a reference document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    pub version: String,
    /// The JSON document as published.
    pub document: String,
}

/// A device's row on the officer's health page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceHealth {
    pub station_code: String,
    pub station_name: String,
    pub device_id: i64,
    pub device_name: String,
    pub live: bool,
    pub last_seen_at: Option<Timestamp>,
    pub app_version: Option<String>,
    pub queue_depth: Option<u32>,
    pub quarantined: Option<u32>,
    pub materials_pending: Option<u32>,
    pub last_error: Option<String>,
}

/// A case on the officer's page (no personal data: numbers, item and status only).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseSummary {
    pub id: Uuid,
    pub station_code: String,
    pub official_case_no: String,
    pub item_code: String,
    pub received_at: Timestamp,
    pub status: Option<DistrictStatus>,
}
