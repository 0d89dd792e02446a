//! Sync test set-up: a real station store (SQLCipher, key in the real Secret Service), the
//! real district server on 127.0.0.1, fast engine settings, and waiting on the status channel.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, LazyLock, Mutex, MutexGuard};
use std::time::Duration;

use jiff::Timestamp;
use tempfile::TempDir;
use tokio::net::TcpListener;
use tokio::sync::watch;
use yichuang_core::Case;
use yichuang_district::{DistrictConfig, DistrictServer, DistrictStore};
use yichuang_store::{KeyringStore, StationPaths, Store};
use yichuang_sync::testing::provision_test_station;
pub use yichuang_sync::testing::{demo_catalogue, demo_intake};
use yichuang_sync::{ClientTimeouts, SyncConfig, SyncPolicy, SyncStatus};

pub const STATION: &str = "440111001";
pub const TOKEN: &str = "demo-token";

/// A provisioned station in a temp dir; its keyring entry is removed on drop.
pub struct SyncStation {
    pub dir: TempDir,
    pub paths: StationPaths,
    pub keyring: KeyringStore,
    pub store: Arc<Mutex<Store>>,
}

impl SyncStation {
    /// Provisions station 440111001 with the shipped catalogue and calendar.
    pub fn provision(district_url: &str, token: &str) -> Self {
        static N: AtomicU32 = AtomicU32::new(0);
        let dir = tempfile::tempdir().expect("temp dir");
        let paths = StationPaths::new(dir.path().join("station"));
        let keyring = KeyringStore::new(format!(
            "yichuang-sync-test-{}-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed),
            Timestamp::now().as_nanosecond()
        ));
        let store = provision_test_station(&paths, &keyring, STATION, district_url, token);
        Self {
            dir,
            paths,
            keyring,
            store: Arc::new(Mutex::new(store)),
        }
    }

    pub fn lock(&self) -> MutexGuard<'_, Store> {
        self.store.lock().expect("store lock")
    }

    /// Accepts the `n`-th demo case now.
    pub fn accept(&self, n: u32) -> Case {
        self.lock()
            .accept_case(demo_intake(n), "同步测试窗口人员", Timestamp::now())
            .expect("accept")
    }

    pub fn case(&self, case: &Case) -> Case {
        self.lock()
            .get_case(case.id)
            .expect("read")
            .expect("case kept")
    }

    /// (pending, quarantined).
    pub fn outbox(&self) -> (u32, u32) {
        self.lock().outbox_counts().expect("counts")
    }
}

impl Drop for SyncStation {
    fn drop(&mut self) {
        if let Ok(id) = self.paths.database_id() {
            let _ = self.keyring.delete(&id);
        }
    }
}

/// The district config for station 440111001 with [`TOKEN`], its database in `dir`.
pub fn district_config(dir: &Path) -> DistrictConfig {
    DistrictConfig {
        db_path: dir.join("district.sqlite3"),
        region_code: "440111".into(),
        station_tokens: vec![(STATION.into(), TOKEN.into())],
        faults: None,
    }
}

/// The store of each district [`start_district`] started, by its base URL (the latest one
/// on a URL wins, as after a restart on the same port).
static DISTRICT_STORES: LazyLock<Mutex<HashMap<String, Arc<dyn DistrictStore>>>> =
    LazyLock::new(Mutex::default);

/// Starts the real district on `addr` (use `127.0.0.1:0` for any free port).
pub async fn start_district(dir: &Path, addr: SocketAddr) -> DistrictServer {
    let listener = TcpListener::bind(addr).await.expect("bind district");
    let server = DistrictServer::start(listener, district_config(dir))
        .await
        .expect("start district");
    DISTRICT_STORES
        .lock()
        .expect("district stores")
        .insert(server.url(), Arc::clone(server.store()));
    server
}

/// A loopback address nobody listens on: bound, then released.
pub fn unused_addr() -> SocketAddr {
    let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    l.local_addr().expect("addr")
}

/// Engine settings in milliseconds so every test runs in well under a second of waiting.
pub fn fast_config() -> SyncConfig {
    SyncConfig {
        policy: SyncPolicy {
            backoff_base: Duration::from_millis(20),
            backoff_cap: Duration::from_millis(150),
            retry_after_cap: Duration::from_millis(500),
            max_attempts: 5,
            batch_limit: 50,
            load_limit: 500,
        },
        poll_interval: Duration::from_millis(150),
        timeouts: ClientTimeouts {
            connect: Duration::from_millis(500),
            request: Duration::from_secs(3),
        },
    }
}

/// Waits until the status satisfies `pred`, failing with the last status after `secs`.
pub async fn wait_status(
    rx: &mut watch::Receiver<SyncStatus>,
    what: &str,
    secs: u64,
    pred: impl FnMut(&SyncStatus) -> bool,
) -> SyncStatus {
    let outcome = tokio::time::timeout(Duration::from_secs(secs), rx.wait_for(pred))
        .await
        .map(|r| r.map(|s| s.clone()));
    match outcome {
        Ok(Ok(status)) => status,
        Ok(Err(_)) => panic!("sync engine stopped while waiting for {what}"),
        Err(_) => panic!(
            "timed out waiting for {what}; last status {:?}",
            *rx.borrow()
        ),
    }
}

/// How many cases the district at `base_url` (started by [`start_district`]) holds for the
/// test station, read from its store.
pub async fn district_count(base_url: &str) -> u64 {
    let store = DISTRICT_STORES
        .lock()
        .expect("district stores")
        .get(base_url)
        .cloned()
        .unwrap_or_else(|| panic!("no district started at {base_url}"));
    store.count_cases(STATION).await.expect("count cases")
}
