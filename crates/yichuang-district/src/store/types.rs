//! The values that cross the store trait: plain data, no database types.

use jiff::Timestamp;
use uuid::Uuid;
use yichuang_core::DistrictStatus;
use yichuang_sync::protocol::v2::materials::MaterialRef;
use yichuang_sync::protocol::{CaseSubmission, ContentHash, SubmissionAck};

pub use crate::evaluation_codes::ProvinceCodes;
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

/// A rating given on the district's evaluation page (`/hcp`) for the case a verified slip
/// names: recorded against the station and the slip's case number, linked to the case when
/// the district holds it (now or once it arrives).
#[derive(Debug, Clone)]
pub struct SlipRating {
    /// Made by the district (UUIDv7).
    pub id: Uuid,
    pub station_code: String,
    /// The number printed on the slip (provisional when printed offline).
    pub case_no: String,
    pub item_code: String,
    /// GB/T 39046's code, 1–5.
    pub level: u8,
    pub comment: Option<String>,
    /// The channel code of the slip's payload, as given.
    pub channel: String,
    /// The province's codes it was mapped to.
    pub codes: ProvinceCodes,
    pub rated_at: Timestamp,
}

/// A rating as the district keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredEvaluation {
    pub id: Uuid,
    /// `None` while the rated case has not arrived from its station.
    pub case_id: Option<Uuid>,
    pub case_no: String,
    pub item_code: String,
    /// GB/T 39046's code, 1–5.
    pub level: u8,
    pub comment: Option<String>,
    /// The channel code as given.
    pub channel: String,
    /// The province's codes, mapped when recorded (`None` for ratings recorded before the
    /// district mapped codes).
    pub codes: Option<ProvinceCodes>,
    pub rated_at: Timestamp,
}

/// One step of a case's district status, for the citizen's progress page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusStep {
    pub status: DistrictStatus,
    pub at: Timestamp,
    /// The courier of a posted result (never the note or the tracking number).
    pub courier: Option<String>,
}

/// A case as the citizen's pages show it: numbers, item, dates and statuses, no personal data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseProgress {
    pub id: Uuid,
    /// The station's number (the slip's).
    pub case_no: String,
    pub official_case_no: String,
    pub item_code: String,
    /// The item's name as the station sent it.
    pub item_name: Option<String>,
    pub received_at: Timestamp,
    /// Oldest first.
    pub statuses: Vec<StatusStep>,
}

/// What the district knows of the case a verified slip names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SlipState {
    pub station_name: Option<String>,
    /// `None` while the case has not arrived (printed offline, not synced yet).
    pub case: Option<CaseProgress>,
    pub evaluation: Option<StoredEvaluation>,
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
