//! What the engine needs from the station store, as a narrow trait so the engine sees only
//! the outbox; [`yichuang_store::Store`] implements it (tests use the real store too).

use std::collections::HashMap;

use jiff::Timestamp;
use uuid::Uuid;
use yichuang_core::{Case, Catalogue, CreditList, HolidayCalendar, StatusChange};

use crate::SyncError;
use crate::protocol::v2::downloads::{ClerkAccounts, ReferenceKind};
use crate::protocol::v2::evaluations::EvaluationRecord;
use crate::protocol::v2::handovers::HandoverRecord;
use crate::protocol::v2::materials::MaterialRef;
pub use yichuang_store::{EvaluationSent, HandoverSent};

/// One outbox row: the case as it stands and the revision that a sync must acknowledge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxEntry {
    pub case: Case,
    /// Bumped by every local edit; `record_synced` only clears the row at this revision.
    pub revision: i64,
    /// Failed attempts so far.
    pub attempts: u32,
    /// District clock minus station clock (ms) as the station knew it when it recorded the
    /// case, if it had reached the district by then.
    pub clock_offset_ms: Option<i64>,
}

/// The rows due to be sent: the readable ones, and those whose case cannot be read locally
/// (`(case id as stored, why)`), which go to quarantine instead of blocking the others.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Due {
    pub entries: Vec<OutboxEntry>,
    pub unreadable: Vec<(String, String)>,
}

/// Where and as whom to reach the district (from the station settings).
#[derive(Clone, PartialEq, Eq)]
pub struct DistrictEndpoint {
    pub url: String,
    pub token: String,
    /// PEM of the district's CA when the station pins it (only that CA is then trusted).
    pub ca_pem: Option<String>,
}

impl std::fmt::Debug for DistrictEndpoint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DistrictEndpoint")
            .field("url", &self.url)
            .field("token", &"<redacted>")
            .field("ca_pinned", &self.ca_pem.is_some())
            .finish()
    }
}

/// The district's answer about one record, for [`Outbox::record_outcomes`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RecordOutcome {
    /// Stored by the district at `revision` with its official number.
    Acknowledged {
        case_id: Uuid,
        revision: i64,
        official_case_no: String,
    },
    /// Not stored: counted, with the message and the next attempt; `permanent` quarantines.
    Failed {
        case_id: Uuid,
        message: String,
        permanent: bool,
        next_attempt_at: Timestamp,
    },
}

/// What recording a batch of outcomes did to the outbox.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OutcomeCounts {
    pub synced: u32,
    /// Acknowledged, but edited meanwhile: the newer revision stays queued.
    pub superseded: u32,
    pub retry_later: u32,
    pub quarantined: u32,
}

/// What applying one page of status changes did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StatusCounts {
    /// Stored as their case's new status.
    pub applied: u32,
    /// For a case the station does not hold, or a step its current status may not take.
    pub skipped: u32,
}

/// A downloaded reference document, parsed as its type.
#[derive(Debug, Clone)]
pub enum ReferenceData {
    Catalogue(Catalogue),
    Calendar(HolidayCalendar),
    CreditList(CreditList),
    Clerks(ClerkAccounts),
}

impl ReferenceData {
    /// Parses `json` as a document of `kind`.
    pub fn parse(kind: ReferenceKind, json: &[u8]) -> Result<Self, serde_json::Error> {
        Ok(match kind {
            ReferenceKind::Catalogue => ReferenceData::Catalogue(serde_json::from_slice(json)?),
            ReferenceKind::Calendar => ReferenceData::Calendar(serde_json::from_slice(json)?),
            ReferenceKind::CreditList => ReferenceData::CreditList(serde_json::from_slice(json)?),
            ReferenceKind::Clerks => ReferenceData::Clerks(serde_json::from_slice(json)?),
        })
    }
}

/// Whether the store took a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReferenceApplied {
    Applied,
    /// The store refused its content (Chinese reason); nothing of it was written.
    Refused(String),
}

/// The station store as seen by the sync engine. Calls are synchronous and short.
pub trait Outbox: Send + 'static {
    fn district_endpoint(&self) -> Result<DistrictEndpoint, SyncError>;
    /// The case ids of the rows due at `now`, oldest first, at most `limit` (read once per
    /// round).
    fn outbox_due_order(&self, now: Timestamp, limit: usize) -> Result<Vec<String>, SyncError>;
    /// The rows of `case_ids` with their cases, in that order (a page of the round).
    fn outbox_entries(&self, case_ids: &[String]) -> Result<Due, SyncError>;
    /// Clears the row if still at `revision`; false when the case changed meanwhile.
    fn record_synced(
        &mut self,
        case_id: Uuid,
        revision: i64,
        official_case_no: &str,
    ) -> Result<bool, SyncError>;
    /// Counts a failed attempt; `permanent` moves the case to quarantine (never deletes it).
    fn record_sync_failure(
        &mut self,
        case_id: Uuid,
        message: &str,
        permanent: bool,
        next_attempt_at: Timestamp,
    ) -> Result<(), SyncError>;
    /// Records every outcome of one district answer at once (one transaction).
    fn record_outcomes(&mut self, outcomes: &[RecordOutcome]) -> Result<OutcomeCounts, SyncError>;
    /// (pending, quarantined).
    fn outbox_counts(&self) -> Result<(u32, u32), SyncError>;
    /// The last status change applied (0 before the first).
    fn status_cursor(&self) -> Result<i64, SyncError>;
    /// Applies a page of status changes and moves the cursor to `next_after`, in ONE
    /// transaction; changes the store cannot use are counted as skipped, not errors.
    fn apply_status_changes(
        &mut self,
        changes: &[StatusChange],
        next_after: i64,
    ) -> Result<StatusCounts, SyncError>;
    /// The version of `kind` the station has from the district, if any.
    fn reference_version(&self, kind: ReferenceKind) -> Result<Option<String>, SyncError>;
    /// Makes `doc` the current `kind` document and remembers `version`, in one transaction.
    fn apply_reference(
        &mut self,
        version: &str,
        doc: ReferenceData,
    ) -> Result<ReferenceApplied, SyncError>;
    /// Notes the district's clock offset (ms) measured this round; cases recorded from now
    /// on carry it.
    fn note_clock_offset(&mut self, offset_ms: i64) -> Result<(), SyncError>;
    /// The scanned pages on the material lines of each case, as their records name them
    /// (one read for a whole round; a case without pages may be left out).
    fn cases_materials(
        &self,
        case_ids: &[Uuid],
    ) -> Result<HashMap<Uuid, Vec<MaterialRef>>, SyncError>;
    /// Evaluations to send, oldest first (only of cases the district holds).
    fn evaluations_to_send(&self, limit: usize) -> Result<Vec<EvaluationRecord>, SyncError>;
    /// What the district answered about sent evaluations (one transaction).
    fn record_evaluations_sent(&mut self, answers: &[EvaluationSent]) -> Result<(), SyncError>;
    /// Handovers (送达) to send, oldest first: only of cases the district holds, none it
    /// refused.
    fn handovers_to_send(&self, limit: usize) -> Result<Vec<HandoverRecord>, SyncError>;
    /// What the district answered about sent handovers (one transaction).
    fn record_handovers_sent(&mut self, answers: &[HandoverSent]) -> Result<(), SyncError>;
    /// Handovers (pending, refused): counted with the cases in the sync status.
    fn handover_counts(&self) -> Result<(u32, u32), SyncError>;
    /// Page files of decided cases the district has not confirmed, smallest first.
    fn materials_to_upload(&self, limit: usize) -> Result<Vec<MaterialRef>, SyncError>;
    /// The bytes of a page file as scanned.
    fn material_bytes(&self, sha256: &str) -> Result<Vec<u8>, SyncError>;
    /// The district holds these files whole (one transaction).
    fn record_materials_uploaded(&mut self, sha256: &[String]) -> Result<(), SyncError>;
    /// The file is damaged here (its bytes do not match its name): set apart, never deleted.
    fn record_material_poisoned(&mut self, sha256: &str, message: &str) -> Result<(), SyncError>;
}
