//! One set-up for the sync crate's tests: a station on the real store (SQLCipher, key in the
//! real Secret Service) and the real district on 127.0.0.1:0 with scripted faults.
#![allow(dead_code)] // each test file uses a part

mod killable;
mod relay;

#[allow(unused_imports)] // each test file uses a part
pub use killable::KillableDistrict;
#[allow(unused_imports)]
pub use relay::{Relay, Trap};

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use jiff::Timestamp;
use tempfile::TempDir;
use tokio::net::TcpListener;
use tokio::sync::watch;
use uuid::Uuid;
use yichuang_core::{Case, SyncState};
use yichuang_district::server_tools::register_station_tokens;
use yichuang_district::{
    DistrictConfig, DistrictServer, DistrictStore, Faults, Settings, SqliteStore,
};
use yichuang_store::{KeyringStore, StationPaths, Store};
use yichuang_sync::testing::{demo_intake, provision_test_station};
use yichuang_sync::{
    ClientTimeouts, DistrictClient, DistrictEndpoint, SyncConfig, SyncPolicy, SyncStatus,
};

pub const STATION: &str = "440111001";
pub const TOKEN: &str = "runner-test-token";
pub const MAX_ATTEMPTS: u32 = 3;

/// A provisioned station in a temp dir; its keyring entry is removed on drop.
pub struct Station {
    _dir: TempDir,
    pub paths: StationPaths,
    keyring: KeyringStore,
    pub store: Arc<Mutex<Store>>,
}

impl Station {
    pub fn provision(district_url: &str) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let paths = StationPaths::new(dir.path().join("station"));
        let keyring = KeyringStore::new(format!("yichuang-test-{}", Uuid::now_v7()));
        let store = provision_test_station(&paths, &keyring, STATION, district_url, TOKEN);
        Self {
            _dir: dir,
            paths,
            keyring,
            store: Arc::new(Mutex::new(store)),
        }
    }

    /// Opens the station's database afresh and drops the old handle, as a restart of the
    /// app does (what the new handle sees is what was committed to the file).
    pub fn restart(&mut self) {
        let reopened = Store::open(&self.paths, &self.keyring).expect("reopen");
        let old = std::mem::replace(&mut self.store, Arc::new(Mutex::new(reopened)));
        assert_eq!(
            Arc::strong_count(&old),
            1,
            "nobody else holds the old store"
        );
    }

    pub fn lock(&self) -> MutexGuard<'_, Store> {
        self.store.lock().expect("store lock")
    }

    /// Accepts the `n`-th test case now; returns its id.
    pub fn accept(&self, n: u32) -> Uuid {
        self.lock()
            .accept_case(demo_intake(n), "同步测试窗口人员", Timestamp::now())
            .expect("accept")
            .id
    }

    pub fn case(&self, id: Uuid) -> Case {
        self.lock().get_case(id).expect("read").expect("case kept")
    }

    /// (pending, quarantined).
    pub fn outbox(&self) -> (u32, u32) {
        self.lock().outbox_counts().expect("counts")
    }
}

impl Drop for Station {
    fn drop(&mut self) {
        if let Ok(id) = self.paths.database_id() {
            let _ = self.keyring.delete(&id);
        }
    }
}

/// The real district on 127.0.0.1:0, scripted through `faults`.
pub struct District {
    _dir: TempDir,
    pub server: DistrictServer,
    pub faults: Faults,
}

pub async fn district() -> District {
    district_for(vec![(STATION.into(), TOKEN.into())]).await
}

/// The real district knowing only `stations` (`(station code, token)`).
pub async fn district_for(stations: Vec<(String, String)>) -> District {
    let dir = tempfile::tempdir().expect("temp dir");
    let faults = Faults::new();
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let config = DistrictConfig {
        db_path: dir.path().join("district.sqlite3"),
        region_code: "440111".into(),
        station_tokens: stations,
        faults: Some(faults.clone()),
    };
    let server = DistrictServer::start(listener, config)
        .await
        .expect("start district");
    District {
        _dir: dir,
        server,
        faults,
    }
}

pub fn config(poll_ms: u64) -> SyncConfig {
    SyncConfig {
        policy: SyncPolicy {
            backoff_base: Duration::from_millis(10),
            backoff_cap: Duration::from_millis(40),
            retry_after_cap: Duration::from_secs(5),
            max_attempts: MAX_ATTEMPTS,
            batch_limit: 10,
            load_limit: 100,
        },
        poll_interval: Duration::from_millis(poll_ms),
        timeouts: ClientTimeouts {
            connect: Duration::from_millis(500),
            request: Duration::from_secs(30),
        },
    }
}

pub async fn wait(
    rx: &mut watch::Receiver<SyncStatus>,
    pred: impl FnMut(&SyncStatus) -> bool,
) -> SyncStatus {
    let outcome = tokio::time::timeout(Duration::from_secs(10), rx.wait_for(pred))
        .await
        .map(|r| r.map(|s| s.clone()));
    match outcome {
        Ok(Ok(s)) => s,
        _ => panic!("timed out; last status {:?}", *rx.borrow()),
    }
}

pub fn assert_synced(case: &Case) {
    assert_eq!(case.sync_state, SyncState::Synced, "{case:?}");
    let official = case.official_case_no.as_deref().unwrap_or_default();
    assert!(official.starts_with("440111-"), "{official:?}");
}

/// The real district with a handle on its store, so a test can act as its officer
/// (`record_status`, `publish_reference`) while stations talk to it over HTTP.
pub struct OfficerDistrict {
    _dir: TempDir,
    pub server: DistrictServer,
    pub faults: Faults,
    pub store: Arc<SqliteStore>,
}

pub async fn officer_district() -> OfficerDistrict {
    let dir = tempfile::tempdir().expect("temp dir");
    let faults = Faults::new();
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let store = Arc::new(SqliteStore::open(&dir.path().join("district.sqlite3")).expect("store"));
    register_station_tokens(store.as_ref(), &[(STATION.into(), TOKEN.into())])
        .await
        .expect("tokens");
    let mut settings = Settings::new("440111", dir.path());
    settings.faults = Some(faults.clone());
    let dyn_store: Arc<dyn DistrictStore> = store.clone();
    let server = DistrictServer::start_with(listener, settings, dyn_store)
        .await
        .expect("start district");
    OfficerDistrict {
        _dir: dir,
        server,
        faults,
        store,
    }
}

/// A v2 client of the test station.
pub fn client(url: &str) -> DistrictClient {
    client_trusting(url, None)
}

/// A v2 client of the test station trusting the platform's roots (`None`) or only `ca_pem`.
pub fn client_trusting(url: &str, ca_pem: Option<&str>) -> DistrictClient {
    DistrictClient::new(
        DistrictEndpoint {
            url: url.into(),
            token: TOKEN.into(),
            ca_pem: ca_pem.map(str::to_string),
        },
        ClientTimeouts::default(),
    )
    .expect("client")
}

/// Trades the officer's one-time `code` for a device token of the test station, as the
/// settings window does (trusting only `ca_pem` when given).
pub async fn enroll(
    url: &str,
    ca_pem: Option<&str>,
    code: String,
) -> Result<String, yichuang_sync::Failure> {
    DistrictClient::for_enrollment(url, ca_pem.map(str::to_string), ClientTimeouts::default())
        .expect("enrollment client")
        .enroll(&yichuang_sync::protocol::v2::enroll::EnrollRequest {
            code,
            station_code: STATION.into(),
            device_name: "1 号窗口".into(),
            app_version: "test".into(),
            qr_public_key: None,
        })
        .await
        .map(|e| e.device_token)
}

// ---------------------------------------------------------------------------------------
// Both district stores, a district that can be killed and started again on its address, and
// a relay that stops one exchange where a test wants it.

/// Which store the district keeps its records in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Sqlite,
    Postgres,
}

/// The PostgreSQL server of the tests, if one is named (outside CI a missing one is a skip,
/// said on stderr; on CI it fails the test).
pub fn postgres_url(test: &str) -> Option<String> {
    const VAR: &str = "YICHUANG_TEST_PG_URL";
    match std::env::var(VAR) {
        Ok(url) => Some(url),
        Err(_) => {
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "{VAR} is not set: CI must run the sync tests on PostgreSQL too ({test})"
            );
            use std::io::Write;
            // Straight to stderr: the harness swallows `eprintln!` of a passing test.
            let _ = writeln!(
                std::io::stderr(),
                "skipped postgres::{test}: {VAR} is not set (PostgreSQL half of the sync tests)"
            );
            None
        }
    }
}

/// Defines `sqlite::<test>` and `postgres::<test>` for each async `fn <test>(Kind)` listed
/// (`#[macro_use]` on `common` in main.rs puts it in scope of every test module).
macro_rules! on_both_stores {
    ($($test:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $test() {
                    super::$test($crate::common::Kind::Sqlite).await
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $test() {
                    if $crate::common::postgres_url(stringify!($test)).is_some() {
                        super::$test($crate::common::Kind::Postgres).await
                    }
                }
            )*
        }
    };
}

/// Where a district's data lives: what survives its server (a restart opens it again).
#[derive(Clone)]
pub struct StorePlace {
    /// The SQLite file's directory and the material files' (`materials/`), on both stores.
    pub dir: std::path::PathBuf,
    pg: Option<yichuang_district::store::PgConfig>,
}

impl StorePlace {
    /// Opens the store (connects, on PostgreSQL), on the runtime it is called from.
    pub async fn open(&self) -> Arc<dyn DistrictStore> {
        match &self.pg {
            None => {
                Arc::new(SqliteStore::open(&self.dir.join("district.sqlite3")).expect("sqlite"))
            }
            Some(config) => {
                let options = yichuang_district::store::PgOptions {
                    max_connections: 4,
                    ..Default::default()
                };
                Arc::new(
                    yichuang_district::store::PgStore::connect_with(config.clone(), options)
                        .await
                        .expect("postgres store"),
                )
            }
        }
    }

    /// The server's settings for this data (region 440111).
    pub fn settings(&self, faults: Option<Faults>) -> Settings {
        let mut settings = Settings::new("440111", &self.dir);
        settings.faults = faults;
        settings
    }
}

/// A district's data for one test: a temp dir, and on PostgreSQL a database of its own that
/// [`DistrictData::remove`] drops (a failed test leaves it, `yc_sync_*`, for a look).
pub struct DistrictData {
    _dir: TempDir,
    pub place: StorePlace,
    admin: Option<(yichuang_district::store::PgConfig, String)>,
}

impl DistrictData {
    pub async fn new(kind: Kind) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let (pg, admin) = match kind {
            Kind::Sqlite => (None, None),
            Kind::Postgres => {
                let url = postgres_url("district data").expect("postgres url");
                let admin = yichuang_district::store::parse_url(&url).expect("pg url");
                let name = format!("yc_sync_{}", Uuid::now_v7().simple());
                let config = yichuang_district::store::create_database(&admin, &name)
                    .await
                    .expect("create test database");
                (Some(config), Some((admin, name)))
            }
        };
        Self {
            place: StorePlace {
                dir: dir.path().to_path_buf(),
                pg,
            },
            _dir: dir,
            admin,
        }
    }

    /// Drops the PostgreSQL database (nothing to do on SQLite: the temp dir goes on drop).
    pub async fn remove(self) {
        if let Some((admin, name)) = &self.admin {
            yichuang_district::store::drop_database(admin, name)
                .await
                .expect("drop test database");
        }
    }
}

/// The real district on 127.0.0.1:0 over either store, knowing the test station's token,
/// with its store at hand for the officer's actions.
pub struct KindDistrict {
    pub data: DistrictData,
    pub store: Arc<dyn DistrictStore>,
    pub server: DistrictServer,
    pub faults: Faults,
}

pub async fn district_on(kind: Kind) -> KindDistrict {
    let data = DistrictData::new(kind).await;
    let store = data.place.open().await;
    register_station_tokens(store.as_ref(), &[(STATION.into(), TOKEN.into())])
        .await
        .expect("tokens");
    let faults = Faults::new();
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let server = DistrictServer::start_with(
        listener,
        data.place.settings(Some(faults.clone())),
        Arc::clone(&store),
    )
    .await
    .expect("start district");
    KindDistrict {
        data,
        store,
        server,
        faults,
    }
}

impl KindDistrict {
    pub fn url(&self) -> String {
        self.server.url()
    }

    /// Stops the server and drops its data (the PostgreSQL database too).
    pub async fn stop(self) {
        self.server.shutdown().await.expect("stop district");
        drop(self.store);
        self.data.remove().await;
    }
}

/// A PNG of noise (so it does not compress away), `seed` making each one different.
pub fn noisy_png(seed: u32) -> Vec<u8> {
    let mut state = seed.wrapping_mul(2_654_435_761).max(1);
    let img = image::RgbImage::from_fn(320, 240, |_, _| {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        let [a, b, c, _] = state.to_le_bytes();
        image::Rgb([a, b, c])
    });
    let mut out = Vec::new();
    img.write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
        .expect("png");
    out
}

/// One sync round of `station` against `district` with the default policy.
pub async fn round(station: &Station, district: &KindDistrict) -> yichuang_sync::SyncReport {
    yichuang_sync::sync_once(
        &station.store,
        &client(&district.url()),
        &yichuang_sync::SyncPolicy::default(),
    )
    .await
    .expect("round")
}
