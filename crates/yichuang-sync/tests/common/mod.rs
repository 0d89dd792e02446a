//! One set-up for the sync crate's tests: a station on the real store (SQLCipher, key in the
//! real Secret Service) and the real district on 127.0.0.1:0 with scripted faults.
#![allow(dead_code)] // each test file uses a part

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
    DistrictClient::new(
        DistrictEndpoint {
            url: url.into(),
            token: TOKEN.into(),
            ca_pem: None,
        },
        ClientTimeouts::default(),
    )
    .expect("client")
}
