//! Issue 6 point 4's server errors, when they come from the district's own database: its disk
//! is full while its health answer still says "ok". That is an outage of the district
//! (DESIGN §5: an outage of any length leaves every record queued), not a poison record, so
//! the district answers 503 with Retry-After (it used to answer 500, and the station then
//! blamed and quarantined every record); once the disk has room again the queue drains.
//!
//! The disk-full store is the real SQLite store behind a wrapper whose `store_cases` fails as
//! a full disk does (the district's crate cannot be changed from here).
//!
//! Needs a Secret Service: run under `crates/yichuang-store/with-keyring.sh`.

use crate::common;

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use common::{STATION, Station, TOKEN, config};
use jiff::Timestamp;
use tokio::net::TcpListener;
use uuid::Uuid;
use yichuang_core::StatusChange;
use yichuang_district::secrets::SecretHash;
use yichuang_district::server_tools::register_station_tokens;
use yichuang_district::store::{
    CaseSummary, Device, DeviceHealth, EnrollCode, Enrolled, EvaluationOutcome, HandoverOutcome,
    NewStatus, PreparedRecord, Redeem, RedeemRefusal, Reference, SlipRating, SlipState,
    StoreOutcome,
};
use yichuang_district::{
    DistrictError, DistrictServer, DistrictStore, EvaluationCodes, Faults, SqliteStore,
};
use yichuang_sync::protocol::SubmissionAck;
use yichuang_sync::protocol::v2::downloads::ReferenceKind;
use yichuang_sync::protocol::v2::evaluations::EvaluationRecord;
use yichuang_sync::protocol::v2::handovers::HandoverRecord;
use yichuang_sync::protocol::v2::report::StationReport;
use yichuang_sync::{SyncEngine, SyncPhase};

type Answer<'a, T> = Pin<Box<dyn Future<Output = Result<T, DistrictError>> + Send + 'a>>;

/// The real store, whose case writes fail as on a full disk while `full` is set.
struct DiskFull {
    inner: Arc<dyn DistrictStore>,
    full: AtomicBool,
}

// `DistrictStore` is an `async_trait`; this crate does not depend on that macro, so the
// methods are written out as it expands them, each passing the call on.
impl DistrictStore for DiskFull {
    fn ensure_station<'l0, 'l1, 'l2, 'at>(
        &'l0 self,
        code: &'l1 str,
        name: &'l2 str,
    ) -> Answer<'at, ()>
    where
        'l0: 'at,
        'l1: 'at,
        'l2: 'at,
        Self: 'at,
    {
        self.inner.ensure_station(code, name)
    }

    fn register_device<'l0, 'l1, 'l2, 'l3, 'at>(
        &'l0 self,
        station: &'l1 str,
        device_name: &'l2 str,
        token: &'l3 SecretHash,
        expires_at: Option<Timestamp>,
        now: Timestamp,
    ) -> Answer<'at, i64>
    where
        'l0: 'at,
        'l1: 'at,
        'l2: 'at,
        'l3: 'at,
        Self: 'at,
    {
        self.inner
            .register_device(station, device_name, token, expires_at, now)
    }

    fn device_by_token<'l0, 'l1, 'at>(
        &'l0 self,
        token: &'l1 SecretHash,
        now: Timestamp,
    ) -> Answer<'at, Option<Device>>
    where
        'l0: 'at,
        'l1: 'at,
        Self: 'at,
    {
        self.inner.device_by_token(token, now)
    }

    fn revoke_station_devices<'l0, 'l1, 'at>(
        &'l0 self,
        station: &'l1 str,
        now: Timestamp,
    ) -> Answer<'at, u64>
    where
        'l0: 'at,
        'l1: 'at,
        Self: 'at,
    {
        self.inner.revoke_station_devices(station, now)
    }

    fn issue_enroll_code<'l0, 'at>(&'l0 self, code: EnrollCode) -> Answer<'at, ()>
    where
        'l0: 'at,
        Self: 'at,
    {
        self.inner.issue_enroll_code(code)
    }

    fn redeem_enroll_code<'l0, 'at>(
        &'l0 self,
        redeem: Redeem,
    ) -> Answer<'at, Result<Enrolled, RedeemRefusal>>
    where
        'l0: 'at,
        Self: 'at,
    {
        self.inner.redeem_enroll_code(redeem)
    }

    fn record_report<'l0, 'l1, 'at>(
        &'l0 self,
        device_id: i64,
        report: &'l1 StationReport,
        now: Timestamp,
    ) -> Answer<'at, ()>
    where
        'l0: 'at,
        'l1: 'at,
        Self: 'at,
    {
        self.inner.record_report(device_id, report, now)
    }

    fn device_health<'l0, 'at>(&'l0 self) -> Answer<'at, Vec<DeviceHealth>>
    where
        'l0: 'at,
        Self: 'at,
    {
        self.inner.device_health()
    }

    fn store_cases<'l0, 'l1, 'at>(
        &'l0 self,
        region_code: &'l1 str,
        records: Vec<PreparedRecord>,
        now: Timestamp,
    ) -> Answer<'at, Vec<StoreOutcome>>
    where
        'l0: 'at,
        'l1: 'at,
        Self: 'at,
    {
        if self.full.load(Ordering::SeqCst) {
            return Box::pin(async {
                Err(DistrictError::Io(std::io::Error::new(
                    std::io::ErrorKind::StorageFull,
                    "No space left on device",
                )))
            });
        }
        self.inner.store_cases(region_code, records, now)
    }

    fn find_case<'l0, 'l1, 'at>(
        &'l0 self,
        station: &'l1 str,
        id: Uuid,
    ) -> Answer<'at, Option<SubmissionAck>>
    where
        'l0: 'at,
        'l1: 'at,
        Self: 'at,
    {
        self.inner.find_case(station, id)
    }

    fn store_evaluations<'l0, 'l1, 'l2, 'at>(
        &'l0 self,
        station: &'l1 str,
        records: Vec<EvaluationRecord>,
        codes: &'l2 EvaluationCodes,
        now: Timestamp,
    ) -> Answer<'at, Vec<EvaluationOutcome>>
    where
        'l0: 'at,
        'l1: 'at,
        'l2: 'at,
        Self: 'at,
    {
        self.inner.store_evaluations(station, records, codes, now)
    }

    fn rate_slip<'l0, 'at>(&'l0 self, rating: SlipRating) -> Answer<'at, EvaluationOutcome>
    where
        'l0: 'at,
        Self: 'at,
    {
        self.inner.rate_slip(rating)
    }

    fn slip_state<'l0, 'l1, 'l2, 'at>(
        &'l0 self,
        station: &'l1 str,
        case_no: &'l2 str,
    ) -> Answer<'at, SlipState>
    where
        'l0: 'at,
        'l1: 'at,
        'l2: 'at,
        Self: 'at,
    {
        self.inner.slip_state(station, case_no)
    }

    fn qr_public_keys<'l0, 'l1, 'at>(&'l0 self, station: &'l1 str) -> Answer<'at, Vec<String>>
    where
        'l0: 'at,
        'l1: 'at,
        Self: 'at,
    {
        self.inner.qr_public_keys(station)
    }

    fn count_evaluations<'l0, 'l1, 'at>(&'l0 self, station: &'l1 str) -> Answer<'at, u64>
    where
        'l0: 'at,
        'l1: 'at,
        Self: 'at,
    {
        self.inner.count_evaluations(station)
    }

    fn store_handovers<'l0, 'l1, 'at>(
        &'l0 self,
        station: &'l1 str,
        records: Vec<HandoverRecord>,
        now: Timestamp,
    ) -> Answer<'at, Vec<HandoverOutcome>>
    where
        'l0: 'at,
        'l1: 'at,
        Self: 'at,
    {
        self.inner.store_handovers(station, records, now)
    }

    fn count_handovers<'l0, 'l1, 'at>(&'l0 self, station: &'l1 str) -> Answer<'at, u64>
    where
        'l0: 'at,
        'l1: 'at,
        Self: 'at,
    {
        self.inner.count_handovers(station)
    }

    fn count_cases<'l0, 'l1, 'at>(&'l0 self, station: &'l1 str) -> Answer<'at, u64>
    where
        'l0: 'at,
        'l1: 'at,
        Self: 'at,
    {
        self.inner.count_cases(station)
    }

    fn recent_cases<'l0, 'at>(&'l0 self, limit: u32) -> Answer<'at, Vec<CaseSummary>>
    where
        'l0: 'at,
        Self: 'at,
    {
        self.inner.recent_cases(limit)
    }

    fn record_status<'l0, 'at>(&'l0 self, change: NewStatus) -> Answer<'at, StatusChange>
    where
        'l0: 'at,
        Self: 'at,
    {
        self.inner.record_status(change)
    }

    fn status_changes<'l0, 'l1, 'at>(
        &'l0 self,
        station: &'l1 str,
        after: i64,
        limit: u32,
    ) -> Answer<'at, Vec<StatusChange>>
    where
        'l0: 'at,
        'l1: 'at,
        Self: 'at,
    {
        self.inner.status_changes(station, after, limit)
    }

    fn publish_reference<'l0, 'at>(
        &'l0 self,
        kind: ReferenceKind,
        reference: Reference,
        now: Timestamp,
    ) -> Answer<'at, ()>
    where
        'l0: 'at,
        Self: 'at,
    {
        self.inner.publish_reference(kind, reference, now)
    }

    fn current_reference<'l0, 'at>(&'l0 self, kind: ReferenceKind) -> Answer<'at, Option<Reference>>
    where
        'l0: 'at,
        Self: 'at,
    {
        self.inner.current_reference(kind)
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_district_whose_disk_is_full_quarantines_nothing_and_takes_all_once_it_has_room() {
    let dir = tempfile::tempdir().expect("dir");
    let real: Arc<dyn DistrictStore> =
        Arc::new(SqliteStore::open(&dir.path().join("district.sqlite3")).expect("store"));
    register_station_tokens(real.as_ref(), &[(STATION.into(), TOKEN.into())])
        .await
        .expect("tokens");
    let store = Arc::new(DiskFull {
        inner: real,
        full: AtomicBool::new(true),
    });
    let faults = Faults::new();
    let mut settings = yichuang_district::Settings::new("440111", dir.path());
    settings.faults = Some(faults.clone());
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let dyn_store: Arc<dyn DistrictStore> = store.clone();
    let server = DistrictServer::start_with(listener, settings, dyn_store)
        .await
        .expect("start district");
    let station = Station::provision(&server.url());
    let ids: Vec<Uuid> = (1..=2).map(|n| station.accept(n)).collect();
    assert!(
        common::client(&server.url()).health_v2().await.is_ok(),
        "the district says it is fine"
    );

    // The district says its storage failed (503 with Retry-After): the round stops, nothing
    // is blamed, and the station waits as it was told.
    let engine = SyncEngine::start(Arc::clone(&station.store), config(10));
    let mut rx = engine.status();
    let stopped = common::wait(&mut rx, |s| matches!(s.phase, SyncPhase::Retrying { .. })).await;
    assert_eq!(
        stopped.quarantined, 0,
        "a full disk is not the records' fault"
    );
    assert!(
        stopped
            .last_error
            .as_deref()
            .is_some_and(|e| e.contains("稍后自动重试")),
        "the clerk is told it will retry by itself: {stopped:?}"
    );
    assert_eq!(station.outbox(), (2, 0));
    let due = station
        .lock()
        .outbox_due(Timestamp::now() + jiff::SignedDuration::from_hours(1), 10)
        .expect("due")
        .items;
    assert!(due.iter().all(|d| d.attempts == 0), "{due:?}");

    // Room again: "sync now" sends everything.
    store.full.store(false, Ordering::SeqCst);
    engine.nudge();
    common::wait(&mut rx, |s| {
        s.phase == SyncPhase::Idle && s.pending == 0 && s.quarantined == 0
    })
    .await;
    engine.shutdown().await;
    for id in ids {
        common::assert_synced(&station.case(id));
    }
    server.shutdown().await.expect("stop");
}
