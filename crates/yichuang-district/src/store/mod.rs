//! Persistence behind one trait, so the same server and the same protocol tests run on
//! SQLite and on PostgreSQL: every method is one atomic unit of work, and an
//! `Ok` means it is durably committed (the server acknowledges only after that).

pub(crate) mod handovers;
mod postgres;
mod sqlite;
mod types;

use async_trait::async_trait;
use jiff::Timestamp;
use uuid::Uuid;
use yichuang_core::StatusChange;
use yichuang_sync::protocol::SubmissionAck;
use yichuang_sync::protocol::v2::downloads::ReferenceKind;
use yichuang_sync::protocol::v2::evaluations::EvaluationRecord;
use yichuang_sync::protocol::v2::handovers::HandoverRecord;
use yichuang_sync::protocol::v2::report::StationReport;

pub use handovers::HandoverOutcome;
pub use postgres::{
    PgConfig, PgOptions, PgStore, create_database, create_database_with, drop_database,
    drop_database_with, parse_url,
};
pub use sqlite::SqliteStore;
pub(crate) use types::{ALREADY_RATED, ID_REUSED};
pub use types::{
    CaseProgress, CaseSummary, Device, DeviceHealth, EnrollCode, Enrolled, EvaluationOutcome,
    NewStatus, PreparedRecord, ProvinceCodes, Redeem, RedeemRefusal, Reference, SlipRating,
    SlipState, StatusStep, StoreOutcome, StoredEvaluation,
};

use crate::DistrictError;
use crate::evaluation_codes::EvaluationCodes;
use crate::secrets::SecretHash;

/// Everything the district keeps, except material bytes (files under the data dir, see
/// `crate::vault`). Implementations must be safe to share between request tasks.
///
/// A second implementation (PostgreSQL) plugs into the server with
/// `DistrictServer::start_with(listener, settings, Arc::new(store))` and into the protocol
/// test suite (`tests/v2`) by one constructor in its `Backend` list.
#[async_trait]
pub trait DistrictStore: Send + Sync + 'static {
    // --- stations and devices ---

    /// Creates the station if missing (an existing station keeps its name).
    async fn ensure_station(&self, code: &str, name: &str) -> Result<(), DistrictError>;

    /// Registers a device token of `station` (created if missing) unless a device with this
    /// token hash exists already; returns the device id either way.
    async fn register_device(
        &self,
        station: &str,
        device_name: &str,
        token: &SecretHash,
        expires_at: Option<Timestamp>,
        now: Timestamp,
    ) -> Result<i64, DistrictError>;

    /// The live device holding this token: `None` when unknown, revoked or expired at `now`.
    async fn device_by_token(
        &self,
        token: &SecretHash,
        now: Timestamp,
    ) -> Result<Option<Device>, DistrictError>;

    /// Revokes every device of `station`; returns how many were live.
    async fn revoke_station_devices(
        &self,
        station: &str,
        now: Timestamp,
    ) -> Result<u64, DistrictError>;

    /// Stores a one-time enrollment code (by hash) for a station, creating the station.
    async fn issue_enroll_code(&self, code: EnrollCode) -> Result<(), DistrictError>;

    /// In one transaction: checks the code (known, unspent, unexpired, of this station),
    /// spends it and registers the device with the new token's hash.
    async fn redeem_enroll_code(
        &self,
        redeem: Redeem,
    ) -> Result<Result<Enrolled, RedeemRefusal>, DistrictError>;

    /// Writes a device's health report and its last-seen time.
    async fn record_report(
        &self,
        device_id: i64,
        report: &StationReport,
        now: Timestamp,
    ) -> Result<(), DistrictError>;

    /// Every device of every station with its last report, by station then device.
    async fn device_health(&self) -> Result<Vec<DeviceHealth>, DistrictError>;

    // --- cases ---

    /// Stores the records of one batch in ONE transaction, allocating official numbers
    /// `REGION-YEAR-NNNNNN` in it; one outcome per record, in order.
    async fn store_cases(
        &self,
        region_code: &str,
        records: Vec<PreparedRecord>,
        now: Timestamp,
    ) -> Result<Vec<StoreOutcome>, DistrictError>;

    /// The ack of a stored case of `station` (`duplicate: true`), if there is one.
    async fn find_case(
        &self,
        station: &str,
        id: Uuid,
    ) -> Result<Option<SubmissionAck>, DistrictError>;

    /// How many cases the district holds for `station`.
    async fn count_cases(&self, station: &str) -> Result<u64, DistrictError>;

    /// The newest cases of all stations with their current status, newest first.
    async fn recent_cases(&self, limit: u32) -> Result<Vec<CaseSummary>, DistrictError>;

    // --- evaluations ---

    /// The evaluation-QR public keys (hex) of every device the station ever enrolled, revoked
    /// ones included: a slip printed before a revocation stays valid on paper.
    async fn qr_public_keys(&self, station: &str) -> Result<Vec<String>, DistrictError>;

    /// Stores the evaluations of one batch from `station` in ONE transaction, one outcome
    /// per record, in order: a case is rated once (一次一评, whichever channel gave it, the
    /// district's page included), an id holds one rating. Each is recorded with the
    /// province's codes `codes` maps it to.
    async fn store_evaluations(
        &self,
        station: &str,
        records: Vec<EvaluationRecord>,
        codes: &EvaluationCodes,
        now: Timestamp,
    ) -> Result<Vec<EvaluationOutcome>, DistrictError>;

    /// Records a rating given on the district's page for a verified slip, unless the case
    /// is rated already (`Conflict`, 一次一评). A case the district does not hold yet is
    /// rated by the station and slip number, and linked when it arrives.
    async fn rate_slip(&self, rating: SlipRating) -> Result<EvaluationOutcome, DistrictError>;

    /// What the district knows of the case `station` printed as `case_no` (its own number,
    /// or the official one): the case with its statuses, and its rating, if any.
    async fn slip_state(&self, station: &str, case_no: &str) -> Result<SlipState, DistrictError>;

    /// How many evaluations the district holds for cases of `station`.
    async fn count_evaluations(&self, station: &str) -> Result<u64, DistrictError>;

    // --- handovers (送达) ---

    /// Stores the handovers of one batch from `station` in ONE transaction, one outcome per
    /// record, in order: one per case, only of a case the district holds from `station` and
    /// has decided; each stored one adds the case's 已送达 status change in that transaction.
    async fn store_handovers(
        &self,
        station: &str,
        records: Vec<HandoverRecord>,
        now: Timestamp,
    ) -> Result<Vec<HandoverOutcome>, DistrictError>;

    /// How many handovers the district holds for cases of `station`.
    async fn count_handovers(&self, station: &str) -> Result<u64, DistrictError>;

    // --- district decisions ---

    /// Records a status change with the next `seq`, unless the case is unknown
    /// (`NotFound`) or its current status may not become the new one (`Invalid`).
    async fn record_status(&self, change: NewStatus) -> Result<StatusChange, DistrictError>;

    /// Status changes of `station`'s cases with `seq > after`, by `seq`, at most `limit`.
    async fn status_changes(
        &self,
        station: &str,
        after: i64,
        limit: u32,
    ) -> Result<Vec<StatusChange>, DistrictError>;

    // --- reference data ---

    /// Publishes `document` as the current version of `kind`. Publishing the same version
    /// again with the same document is a no-op; with another document it is `Conflict`.
    async fn publish_reference(
        &self,
        kind: ReferenceKind,
        reference: Reference,
        now: Timestamp,
    ) -> Result<(), DistrictError>;

    /// The current version of `kind`, if any was published.
    async fn current_reference(
        &self,
        kind: ReferenceKind,
    ) -> Result<Option<Reference>, DistrictError>;
}
