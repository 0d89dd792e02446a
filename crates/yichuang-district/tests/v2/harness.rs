//! The protocol suite's harness: a real district on 127.0.0.1:0 over any store.
//!
//! A store joins the suite by one [`Backend`] (how to open its data for a test, again after
//! a restart) and one line in `for_each_backend!` (main.rs).

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use jiff::Timestamp;
use reqwest::{RequestBuilder, StatusCode};
use serde::Serialize;
use tokio::net::TcpListener;
use yichuang_district::secrets::SecretHash;
use yichuang_district::store::EnrollCode;
use yichuang_district::{DistrictServer, DistrictStore, Faults, Settings, SqliteStore};
use yichuang_sync::protocol::v2::enroll::{ENROLL_PATH, EnrollRequest, Enrollment};

pub const STATION: &str = "440111001";
pub const OTHER_STATION: &str = "440111002";

/// How a store is opened for a test.
#[async_trait]
pub trait Backend: Sync {
    /// The store whose data lives at `place` (a fresh temp dir per test); opening the same
    /// place again must give the same data (a restart).
    async fn open(&self, place: &Path) -> Arc<dyn DistrictStore>;
}

pub struct Sqlite;

#[async_trait]
impl Backend for Sqlite {
    async fn open(&self, place: &Path) -> Arc<dyn DistrictStore> {
        Arc::new(SqliteStore::open(&place.join("district.sqlite3")).expect("open sqlite store"))
    }
}

/// A running district with its data dir and a device token of each test station.
pub struct District {
    pub dir: tempfile::TempDir,
    pub store: Arc<dyn DistrictStore>,
    pub server: Option<DistrictServer>,
    pub faults: Faults,
    pub http: reqwest::Client,
    pub url: String,
}

impl District {
    pub async fn start(backend: &dyn Backend) -> District {
        Self::start_tuned(backend, |_| {}).await
    }

    /// Starts with settings changed by `tune` (timeouts, concurrency).
    pub async fn start_tuned(backend: &dyn Backend, tune: impl FnOnce(&mut Settings)) -> District {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = backend.open(dir.path()).await;
        let faults = Faults::new();
        let mut settings = Settings::new("440111", dir.path());
        settings.faults = Some(faults.clone());
        settings.admin_token = Some("admin-token-for-tests-0123".into());
        tune(&mut settings);
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let server = DistrictServer::start_with(listener, settings, Arc::clone(&store))
            .await
            .expect("start district");
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client");
        District {
            url: server.url(),
            dir,
            store,
            server: Some(server),
            faults,
            http,
        }
    }

    /// Stops the server, closes the store, opens the same data again and serves it on a new
    /// port.
    pub async fn restart(&mut self, backend: &dyn Backend) {
        if let Some(server) = self.server.take() {
            server.shutdown().await.expect("shutdown");
        }
        self.store = backend.open(self.dir.path()).await;
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let mut settings = Settings::new("440111", self.dir.path());
        settings.faults = Some(self.faults.clone());
        let server = DistrictServer::start_with(listener, settings, Arc::clone(&self.store))
            .await
            .expect("restart district");
        self.url = server.url();
        self.server = Some(server);
    }

    pub fn data_dir(&self) -> PathBuf {
        self.dir.path().to_path_buf()
    }

    pub fn get(&self, path: &str, token: &str) -> RequestBuilder {
        self.http
            .get(format!("{}{path}", self.url))
            .bearer_auth(token)
    }

    pub fn post(&self, path: &str, token: &str, body: &impl Serialize) -> RequestBuilder {
        self.http
            .post(format!("{}{path}", self.url))
            .bearer_auth(token)
            .json(body)
    }

    /// Issues a code for `station` valid for `valid` (negative: already expired).
    pub async fn code_for(&self, station: &str, valid: Duration, expired: bool) -> String {
        let code = format!("code-{}", uuid::Uuid::now_v7().simple());
        let now = Timestamp::now();
        let span = jiff::SignedDuration::try_from(valid).expect("duration");
        let expires_at = if expired { now - span } else { now + span };
        self.store
            .issue_enroll_code(EnrollCode {
                code: SecretHash::of(&yichuang_district::secrets::normalize_enroll_code(&code)),
                station_code: station.into(),
                station_name: format!("测试站点{station}"),
                issued_at: now,
                expires_at,
            })
            .await
            .expect("issue code");
        code
    }

    pub async fn enroll_raw(&self, code: &str, station: &str) -> reqwest::Response {
        self.enroll_with_key(code, station, None).await
    }

    /// Enrollment that registers the device's evaluation-QR public key (hex).
    pub async fn enroll_with_key(
        &self,
        code: &str,
        station: &str,
        qr_public_key: Option<String>,
    ) -> reqwest::Response {
        let req = EnrollRequest {
            code: code.into(),
            station_code: station.into(),
            device_name: "1 号窗口".into(),
            app_version: "0.1.0".into(),
            qr_public_key,
        };
        self.http
            .post(format!("{}{ENROLL_PATH}", self.url))
            .json(&req)
            .send()
            .await
            .expect("enroll request")
    }

    /// A fresh device token of `station` through the real enrollment.
    pub async fn enroll(&self, station: &str) -> String {
        let code = self
            .code_for(station, Duration::from_secs(3600), false)
            .await;
        let resp = self.enroll_raw(&code, station).await;
        assert_eq!(resp.status(), StatusCode::CREATED);
        resp.json::<Enrollment>()
            .await
            .expect("enrollment")
            .device_token
    }

    pub async fn stop(mut self) {
        if let Some(server) = self.server.take() {
            server.shutdown().await.expect("shutdown");
        }
    }
}

/// The `ErrorBody` of an error answer, checked to be JSON with a Chinese message.
pub async fn error_body(resp: reqwest::Response) -> yichuang_sync::protocol::ErrorBody {
    let body: yichuang_sync::protocol::ErrorBody = resp.json().await.expect("ErrorBody JSON");
    assert!(
        body.message
            .chars()
            .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
        "message in Chinese: {}",
        body.message
    );
    body
}

/// Sends only the head of a request declaring `content_length` body bytes and returns the
/// answer's text: shows the district refuses from the headers, without reading the body.
pub async fn answer_to_head_only(
    d: &District,
    method: &str,
    path: &str,
    headers: &[(&str, String)],
    content_length: u64,
) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut tcp = tokio::net::TcpStream::connect(d.url.trim_start_matches("http://"))
        .await
        .expect("connect");
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nHost: district\r\nContent-Length: {content_length}\r\n"
    );
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    tcp.write_all(head.as_bytes()).await.expect("write head");
    let mut answer = vec![0u8; 8192];
    let n = tokio::time::timeout(Duration::from_secs(5), tcp.read(&mut answer))
        .await
        .expect("answered without the body")
        .expect("read answer");
    String::from_utf8_lossy(&answer[..n]).into_owned()
}
