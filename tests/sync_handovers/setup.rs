//! The set-up of the handover sync tests: the real district on either store (SQLite in a
//! temp dir, PostgreSQL in a database of its own), a station with a case the district has
//! decided, and the handover a clerk records for it.

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use jiff::Timestamp;
use tokio::net::TcpListener;
use uuid::Uuid;
use yichuang_core::{Case, DistrictStatus, Handover, HandoverForm, HandoverMethod};
use yichuang_district::server_tools::register_station_tokens;
use yichuang_district::store::{PgConfig, PgOptions, PgStore, create_database, drop_database};
use yichuang_district::{DistrictServer, DistrictStore, Faults, Settings, SqliteStore, officer};
use yichuang_sync::{ClientTimeouts, DistrictClient, DistrictEndpoint, SyncReport, sync_once};
use yichuang_tests::sync_env::{STATION, SyncStation, TOKEN, fast_config};

/// Which district store a test runs on.
#[derive(Clone)]
pub(crate) enum Kind {
    Sqlite,
    Postgres {
        admin: Box<PgConfig>,
        database: String,
    },
}

impl Kind {
    /// PostgreSQL with a fresh database, or `None` (after a line saying so) without a server.
    pub(crate) async fn postgres(test: &str) -> Option<Kind> {
        let Ok(url) = std::env::var("YICHUANG_TEST_PG_URL") else {
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "YICHUANG_TEST_PG_URL is not set: CI must run {test} on PostgreSQL"
            );
            let _ = std::io::Write::write_all(
                &mut std::io::stderr(),
                format!("skipped postgres::{test}: YICHUANG_TEST_PG_URL is not set\n").as_bytes(),
            );
            return None;
        };
        let admin = yichuang_district::store::parse_url(&url).expect("YICHUANG_TEST_PG_URL");
        let database = format!("yc_handover_{}", Uuid::now_v7().simple());
        Some(Kind::Postgres {
            admin: Box::new(admin),
            database,
        })
    }

    /// The district's store (the same data on every call for one test).
    pub(crate) async fn open(&self, dir: &Path) -> Arc<dyn DistrictStore> {
        let store: Arc<dyn DistrictStore> = match self {
            Kind::Sqlite => {
                Arc::new(SqliteStore::open(&dir.join("district.sqlite3")).expect("open"))
            }
            Kind::Postgres { admin, database } => {
                let config = create_database(admin, database).await.expect("database");
                Arc::new(
                    PgStore::connect_with(config, PgOptions::default())
                        .await
                        .expect("open postgres"),
                )
            }
        };
        register_station_tokens(&*store, &[(STATION.into(), TOKEN.into())])
            .await
            .expect("station token");
        store
    }

    pub(crate) async fn cleanup(self) {
        if let Kind::Postgres { admin, database } = self {
            drop_database(&admin, &database)
                .await
                .expect("drop database");
        }
    }
}

/// The real district on `addr` (port 0: any), with scripted faults.
pub(crate) struct District {
    pub(crate) server: DistrictServer,
    pub(crate) faults: Faults,
}

impl District {
    /// A district on any port with a data folder of its own (kept for a restart).
    pub(crate) async fn start_new(kind: &Kind) -> (tempfile::TempDir, District) {
        let dir = tempfile::tempdir().expect("dir");
        let district = District::start(kind, dir.path(), any_port()).await;
        (dir, district)
    }

    pub(crate) async fn start(kind: &Kind, dir: &Path, addr: SocketAddr) -> District {
        let store = kind.open(dir).await;
        let faults = Faults::new();
        let mut settings = Settings::new("440111", dir);
        settings.faults = Some(faults.clone());
        let listener = TcpListener::bind(addr).await.expect("bind district");
        let server = DistrictServer::start_with(listener, settings, store)
            .await
            .expect("start district");
        District { server, faults }
    }

    pub(crate) fn store(&self) -> &dyn DistrictStore {
        &**self.server.store()
    }

    /// How many handovers the district holds for the station's cases.
    pub(crate) async fn handovers(&self) -> u64 {
        self.store()
            .count_handovers(STATION)
            .await
            .expect("count handovers")
    }

    pub(crate) async fn stop(self) {
        self.server.shutdown().await.expect("stop district");
    }

    /// The officer decides: 办结, then 待领取 at the station's window.
    pub(crate) async fn ready_for_pickup(&self, case: &Case) {
        for status in [DistrictStatus::Approved, DistrictStatus::ReadyForPickup] {
            officer::set_case_status(self.store(), case.id, status, None, None, None)
                .await
                .expect("decide");
        }
    }

    /// The statuses the district holds for `case`, oldest first.
    pub(crate) async fn statuses(&self, case: &Case) -> Vec<DistrictStatus> {
        let changes = self
            .store()
            .status_changes(STATION, 0, 1000)
            .await
            .expect("status changes");
        changes
            .into_iter()
            .filter(|c| c.case_id == case.id)
            .map(|c| c.status)
            .collect()
    }
}

pub(crate) fn any_port() -> SocketAddr {
    "127.0.0.1:0".parse().expect("addr")
}

pub(crate) fn client(url: &str, request: Duration) -> DistrictClient {
    DistrictClient::new(
        DistrictEndpoint {
            url: url.into(),
            token: TOKEN.into(),
            ca_pem: None,
        },
        ClientTimeouts {
            connect: Duration::from_millis(500),
            request,
        },
    )
    .expect("client")
}

pub(crate) async fn round(station: &SyncStation, url: &str) -> SyncReport {
    sync_once(
        &station.store,
        &client(url, Duration::from_secs(3)),
        &fast_config().policy,
    )
    .await
    .expect("sync round")
}

/// A case accepted, sent, decided 待领取 at the district and pulled back by the station.
pub(crate) async fn decided_case(station: &SyncStation, district: &District, n: u32) -> Case {
    let case = station.accept(n);
    assert_eq!(round(station, &district.server.url()).await.synced, 1);
    district.ready_for_pickup(&case).await;
    round(station, &district.server.url()).await;
    let status = station.lock().district_status(case.id).expect("status");
    assert_eq!(
        status.map(|s| s.status),
        Some(DistrictStatus::ReadyForPickup)
    );
    case
}

pub(crate) fn window_form() -> HandoverForm {
    HandoverForm {
        document_name: "准予行政许可决定书".into(),
        document_no: Some("穗白审〔2026〕12号".into()),
        recipient_name: "王堃喆".into(),
        recipient_id_no: Some("11010519491231002X".into()),
        relation: "本人".into(),
        method: HandoverMethod::Window {
            place: "白云区政务服务中心 3 号窗口".into(),
        },
    }
}

pub(crate) fn hand_over(station: &SyncStation, case: &Case) -> Handover {
    station
        .lock()
        .record_handover(
            case.id,
            Uuid::now_v7(),
            &window_form(),
            "同步测试窗口人员",
            Timestamp::now(),
        )
        .expect("record handover")
}

/// (pending, refused) handovers at the station.
pub(crate) fn handovers(station: &SyncStation) -> (u32, u32) {
    station.lock().handover_counts().expect("handover counts")
}

macro_rules! on_both_stores {
    ($($test:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $test() {
                    super::$test(super::Kind::Sqlite).await
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $test() {
                    if let Some(kind) = super::Kind::postgres(stringify!($test)).await {
                        super::$test(kind.clone()).await;
                        kind.cleanup().await;
                    }
                }
            )*
        }
    };
}
