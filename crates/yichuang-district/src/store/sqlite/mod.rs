//! [`DistrictStore`] on one SQLite file (WAL, `synchronous=FULL`): one writer connection
//! behind a mutex, every call run off the async workers.

mod cases;
mod devices;
mod evaluations;
mod handovers;
mod migrations;
mod reference;
mod slips;
#[cfg(test)]
mod tests;

use std::path::Path;
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use jiff::Timestamp;
use rusqlite::Connection;
use uuid::Uuid;
use yichuang_core::StatusChange;
use yichuang_sync::protocol::SubmissionAck;
use yichuang_sync::protocol::v2::downloads::ReferenceKind;
use yichuang_sync::protocol::v2::evaluations::EvaluationRecord;
use yichuang_sync::protocol::v2::handovers::HandoverRecord;
use yichuang_sync::protocol::v2::report::StationReport;

use super::{
    CaseSummary, Device, DeviceHealth, DistrictStore, EnrollCode, Enrolled, EvaluationOutcome,
    HandoverOutcome, NewStatus, PreparedRecord, Redeem, RedeemRefusal, Reference, SlipRating,
    SlipState, StoreOutcome,
};
use crate::DistrictError;
use crate::evaluation_codes::EvaluationCodes;
use crate::secrets::SecretHash;

/// The district's data in a plain (unkeyed) SQLite file.
#[derive(Clone)]
pub struct SqliteStore {
    conn: Arc<Mutex<Connection>>,
}

impl std::fmt::Debug for SqliteStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SqliteStore")
    }
}

impl SqliteStore {
    /// Opens (creating and migrating as needed) the database at `path`. Acknowledged means
    /// durable: WAL with `synchronous=FULL` syncs the log at every commit.
    pub fn open(path: &Path) -> Result<Self, DistrictError> {
        let mut conn = Connection::open(path)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        migrations::migrate(&mut conn)?;
        Ok(Self {
            conn: Arc::new(Mutex::new(conn)),
        })
    }

    /// Runs `f` on the connection in a blocking thread.
    async fn run<T, F>(&self, f: F) -> Result<T, DistrictError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T, DistrictError> + Send + 'static,
    {
        let conn = Arc::clone(&self.conn);
        tokio::task::spawn_blocking(move || {
            let mut conn = conn.lock().map_err(|_| DistrictError::Task)?;
            f(&mut conn)
        })
        .await
        .map_err(|_| DistrictError::Task)?
    }
}

#[async_trait]
impl DistrictStore for SqliteStore {
    async fn ensure_station(&self, code: &str, name: &str) -> Result<(), DistrictError> {
        let (code, name) = (code.to_string(), name.to_string());
        self.run(move |c| devices::ensure_station(c, &code, &name, Timestamp::now()))
            .await
    }

    async fn register_device(
        &self,
        station: &str,
        device_name: &str,
        token: &SecretHash,
        expires_at: Option<Timestamp>,
        now: Timestamp,
    ) -> Result<i64, DistrictError> {
        let (station, name, token) = (station.to_string(), device_name.to_string(), token.clone());
        self.run(move |c| {
            let tx = c.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
            devices::ensure_station(&tx, &station, &station, now)?;
            let id = devices::register_device(&tx, &station, &name, &token, expires_at, now)?;
            tx.commit()?;
            Ok(id)
        })
        .await
    }

    async fn device_by_token(
        &self,
        token: &SecretHash,
        now: Timestamp,
    ) -> Result<Option<Device>, DistrictError> {
        let token = token.clone();
        self.run(move |c| devices::device_by_token(c, &token, now))
            .await
    }

    async fn revoke_station_devices(
        &self,
        station: &str,
        now: Timestamp,
    ) -> Result<u64, DistrictError> {
        let station = station.to_string();
        self.run(move |c| devices::revoke_station(c, &station, now))
            .await
    }

    async fn issue_enroll_code(&self, code: EnrollCode) -> Result<(), DistrictError> {
        self.run(move |c| devices::issue_code(c, &code)).await
    }

    async fn redeem_enroll_code(
        &self,
        redeem: Redeem,
    ) -> Result<Result<Enrolled, RedeemRefusal>, DistrictError> {
        self.run(move |c| devices::redeem(c, &redeem)).await
    }

    async fn record_report(
        &self,
        device_id: i64,
        report: &StationReport,
        now: Timestamp,
    ) -> Result<(), DistrictError> {
        let report = report.clone();
        self.run(move |c| devices::record_report(c, device_id, &report, now))
            .await
    }

    async fn device_health(&self) -> Result<Vec<DeviceHealth>, DistrictError> {
        self.run(|c| devices::health(c, Timestamp::now())).await
    }

    async fn store_cases(
        &self,
        region_code: &str,
        records: Vec<PreparedRecord>,
        now: Timestamp,
    ) -> Result<Vec<StoreOutcome>, DistrictError> {
        let region = region_code.to_string();
        self.run(move |c| cases::store_cases(c, &region, &records, now))
            .await
    }

    async fn store_evaluations(
        &self,
        station: &str,
        records: Vec<EvaluationRecord>,
        codes: &EvaluationCodes,
        now: Timestamp,
    ) -> Result<Vec<EvaluationOutcome>, DistrictError> {
        let (station, codes) = (station.to_string(), codes.clone());
        self.run(move |c| evaluations::store_evaluations(c, &station, &records, &codes, now))
            .await
    }

    async fn rate_slip(&self, rating: SlipRating) -> Result<EvaluationOutcome, DistrictError> {
        self.run(move |c| evaluations::rate_slip(c, &rating, Timestamp::now()))
            .await
    }

    async fn slip_state(&self, station: &str, case_no: &str) -> Result<SlipState, DistrictError> {
        let (station, case_no) = (station.to_string(), case_no.to_string());
        self.run(move |c| slips::slip_state(c, &station, &case_no))
            .await
    }

    async fn qr_public_keys(&self, station: &str) -> Result<Vec<String>, DistrictError> {
        let station = station.to_string();
        self.run(move |c| devices::qr_public_keys(c, &station))
            .await
    }

    async fn count_evaluations(&self, station: &str) -> Result<u64, DistrictError> {
        let station = station.to_string();
        self.run(move |c| evaluations::count(c, &station)).await
    }

    async fn store_handovers(
        &self,
        station: &str,
        records: Vec<HandoverRecord>,
        now: Timestamp,
    ) -> Result<Vec<HandoverOutcome>, DistrictError> {
        let station = station.to_string();
        self.run(move |c| handovers::store_handovers(c, &station, &records, now))
            .await
    }

    async fn count_handovers(&self, station: &str) -> Result<u64, DistrictError> {
        let station = station.to_string();
        self.run(move |c| handovers::count(c, &station)).await
    }

    async fn find_case(
        &self,
        station: &str,
        id: Uuid,
    ) -> Result<Option<SubmissionAck>, DistrictError> {
        let station = station.to_string();
        self.run(move |c| cases::find_case(c, &station, id)).await
    }

    async fn count_cases(&self, station: &str) -> Result<u64, DistrictError> {
        let station = station.to_string();
        self.run(move |c| cases::count_cases(c, &station)).await
    }

    async fn recent_cases(&self, limit: u32) -> Result<Vec<CaseSummary>, DistrictError> {
        self.run(move |c| cases::recent_cases(c, limit)).await
    }

    async fn record_status(&self, change: NewStatus) -> Result<StatusChange, DistrictError> {
        self.run(move |c| reference::record_status(c, &change))
            .await
    }

    async fn status_changes(
        &self,
        station: &str,
        after: i64,
        limit: u32,
    ) -> Result<Vec<StatusChange>, DistrictError> {
        let station = station.to_string();
        self.run(move |c| reference::status_changes(c, &station, after, limit))
            .await
    }

    async fn publish_reference(
        &self,
        kind: ReferenceKind,
        reference: Reference,
        now: Timestamp,
    ) -> Result<(), DistrictError> {
        self.run(move |c| reference::publish(c, kind, &reference, now))
            .await
    }

    async fn current_reference(
        &self,
        kind: ReferenceKind,
    ) -> Result<Option<Reference>, DistrictError> {
        self.run(move |c| reference::current(c, kind)).await
    }
}

pub(crate) fn parse_ts(s: &str) -> Result<Timestamp, DistrictError> {
    s.parse()
        .map_err(|_| DistrictError::Corrupt(format!("时间“{s}”无法读取")))
}

pub(crate) fn read_uuid(s: &str) -> Result<Uuid, DistrictError> {
    Uuid::parse_str(s).map_err(|_| DistrictError::Corrupt("标识无法读取".into()))
}

pub(crate) fn parse_opt_ts(s: Option<String>) -> Result<Option<Timestamp>, DistrictError> {
    s.as_deref().map(parse_ts).transpose()
}
