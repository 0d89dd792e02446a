//! The reference district of the window tests: its settings (region 440111, the demo
//! station's token), started at once or late on a port reserved early (so the station begins
//! offline and must find the district on its own), and its officer's side: waiting for the
//! station's cases, deciding them. Shared by several test binaries through #[path].
#![allow(dead_code)]

use std::net::TcpListener as StdListener;
use std::path::Path;
use std::time::{Duration, Instant};

use std::sync::Arc;

use uuid::Uuid;
use yichuang_core::DistrictStatus;
use yichuang_district::{
    DistrictConfig, DistrictServer, DistrictStore, Settings, SqliteStore, officer,
};

/// The demo station's code at the district.
pub const STATION: &str = "440111001";

/// A loopback port that was free a moment ago (nothing listens on it until `start_on`).
pub fn reserve_port() -> u16 {
    let listener = StdListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
    listener.local_addr().expect("local addr").port()
}

/// The reference district's settings: region 440111, the demo station with its token
/// (demo-token), the database `district.db` in `root`, no faults.
pub fn config(root: &Path) -> DistrictConfig {
    DistrictConfig {
        db_path: root.join("district.db"),
        region_code: "440111".into(),
        station_tokens: vec![(STATION.into(), "demo-token".into())],
        faults: None,
    }
}

/// The district of `config` on `listener`.
pub async fn start(listener: tokio::net::TcpListener, config: DistrictConfig) -> DistrictServer {
    DistrictServer::start(listener, config)
        .await
        .expect("district starts")
}

/// The district on any loopback port, its database in `root`.
pub async fn start_any(root: &Path) -> DistrictServer {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind 127.0.0.1:0");
    start(listener, config(root)).await
}

/// A district that knows no device of the demo station yet (database in `root`), the
/// settings to serve it with, and the one-time enrollment code its officer issued.
pub async fn unenrolled(root: &Path) -> (Arc<dyn DistrictStore>, Settings, String) {
    let store: Arc<dyn DistrictStore> =
        Arc::new(SqliteStore::open(&root.join("district.sqlite3")).expect("district store"));
    let (code, _) = officer::issue_enroll_code(&*store, STATION, "白云区京溪街道政务服务中心", 2)
        .await
        .expect("enrollment code");
    (store, Settings::new("440111", root.join("materials")), code)
}

/// Waits (a minute at most) until the district holds `n` cases of the demo station.
pub async fn wait_for_cases(server: &DistrictServer, n: u64) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while server.store().count_cases(STATION).await.unwrap() < n {
        assert!(
            Instant::now() < deadline,
            "the cases never reached the district"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// The district's officer sets `case_id` to `status`, with `note`.
pub async fn decide(
    server: &DistrictServer,
    case_id: Uuid,
    status: DistrictStatus,
    note: Option<String>,
) {
    officer::set_case_status(&**server.store(), case_id, status, note, None, None)
        .await
        .expect("the officer sets the status");
}

pub struct District {
    server: DistrictServer,
}

impl District {
    pub async fn start_on(port: u16, root: &Path) -> District {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
            .await
            .expect("bind the reserved district port");
        District {
            server: start(listener, config(root)).await,
        }
    }

    /// Cases the district stored for the demo station, read from its store.
    pub async fn case_count(&self) -> u64 {
        self.server
            .store()
            .count_cases(STATION)
            .await
            .expect("count cases")
    }
}
