//! The runner against a scripted stub district and an in-memory outbox: Retry-After,
//! a poison record that must not block the others, nudges, and a prompt shutdown.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Json;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use jiff::Timestamp;
use tokio::sync::watch;
use uuid::Uuid;
use yichuang_sync::protocol::{CaseSubmission, Health, SubmissionAck};
use yichuang_sync::testing::sample_case;
use yichuang_sync::{
    ClientTimeouts, DistrictEndpoint, Outbox, OutboxEntry, SyncConfig, SyncEngine, SyncError,
    SyncPhase, SyncPolicy, SyncStatus,
};

struct Row {
    entry: OutboxEntry,
    next: Timestamp,
    quarantined: bool,
}

/// The outbox of a station that has no database.
struct Fake {
    url: String,
    rows: Vec<Row>,
    synced: Vec<(Uuid, String)>,
}

impl Fake {
    fn new(url: String) -> Self {
        Self {
            url,
            rows: Vec::new(),
            synced: Vec::new(),
        }
    }

    fn push(&mut self, serial: u32) -> Uuid {
        let case = sample_case("440111001", serial);
        let id = case.id;
        self.rows.push(Row {
            entry: OutboxEntry {
                case,
                revision: 1,
                attempts: 0,
            },
            next: Timestamp::UNIX_EPOCH,
            quarantined: false,
        });
        id
    }
}

impl Outbox for Fake {
    fn district_endpoint(&self) -> Result<DistrictEndpoint, SyncError> {
        Ok(DistrictEndpoint {
            url: self.url.clone(),
            token: "t".into(),
        })
    }
    fn outbox_due(&self, now: Timestamp, limit: usize) -> Result<Vec<OutboxEntry>, SyncError> {
        Ok(self
            .rows
            .iter()
            .filter(|r| !r.quarantined && r.next <= now)
            .take(limit)
            .map(|r| r.entry.clone())
            .collect())
    }
    fn record_synced(
        &mut self,
        id: Uuid,
        revision: i64,
        official: &str,
    ) -> Result<bool, SyncError> {
        let before = self.rows.len();
        self.rows
            .retain(|r| !(r.entry.case.id == id && r.entry.revision == revision));
        let cleared = self.rows.len() < before;
        if cleared {
            self.synced.push((id, official.to_string()));
        }
        Ok(cleared)
    }
    fn record_sync_failure(
        &mut self,
        id: Uuid,
        _message: &str,
        permanent: bool,
        next: Timestamp,
    ) -> Result<(), SyncError> {
        for r in self.rows.iter_mut().filter(|r| r.entry.case.id == id) {
            r.entry.attempts += 1;
            r.next = next;
            r.quarantined |= permanent;
        }
        Ok(())
    }
    fn outbox_counts(&self) -> Result<(u32, u32), SyncError> {
        let q = self.rows.iter().filter(|r| r.quarantined).count() as u32;
        Ok((self.rows.len() as u32 - q, q))
    }
}

/// `None`: never answer.
type Script = Arc<dyn Fn(u32, &CaseSubmission) -> Option<Response> + Send + Sync>;

/// A district whose answer to the n-th POST (from 0) is scripted.
async fn stub(script: Script) -> (String, Arc<Mutex<Vec<Instant>>>) {
    let hits = Arc::new(Mutex::new(Vec::new()));
    let counter = Arc::new(AtomicU32::new(0));
    let seen = Arc::clone(&hits);
    let app = axum::Router::new()
        .route(
            "/api/v1/health",
            get(|| async {
                Json(Health {
                    status: "ok".into(),
                    region_code: "440111".into(),
                    protocol_version: 1,
                    server_time: Timestamp::now(),
                })
            }),
        )
        .route(
            "/api/v1/cases",
            post(move |_h: HeaderMap, Json(sub): Json<CaseSubmission>| {
                let n = counter.fetch_add(1, Ordering::SeqCst);
                seen.lock().unwrap().push(Instant::now());
                let script = Arc::clone(&script);
                async move {
                    match script(n, &sub) {
                        Some(r) => r,
                        None => std::future::pending().await,
                    }
                }
            }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, hits)
}

fn ack(sub: &CaseSubmission) -> Response {
    let ack = SubmissionAck {
        id: sub.id,
        official_case_no: format!("440111-2026-{:06}", sub.case_no.len()),
        received_at: Timestamp::now(),
        duplicate: false,
    };
    (StatusCode::CREATED, Json(ack)).into_response()
}

fn config(poll_ms: u64) -> SyncConfig {
    SyncConfig {
        policy: SyncPolicy {
            backoff_base: Duration::from_millis(10),
            backoff_cap: Duration::from_millis(40),
            retry_after_cap: Duration::from_secs(5),
            max_attempts: 3,
            batch_limit: 10,
        },
        poll_interval: Duration::from_millis(poll_ms),
        timeouts: ClientTimeouts {
            connect: Duration::from_millis(500),
            request: Duration::from_secs(30),
        },
    }
}

async fn wait(
    rx: &mut watch::Receiver<SyncStatus>,
    pred: impl FnMut(&SyncStatus) -> bool,
) -> SyncStatus {
    let outcome = tokio::time::timeout(Duration::from_secs(5), rx.wait_for(pred))
        .await
        .map(|r| r.map(|s| s.clone()));
    match outcome {
        Ok(Ok(s)) => s,
        _ => panic!("timed out; last status {:?}", *rx.borrow()),
    }
}

#[tokio::test]
async fn retry_after_from_a_busy_district_is_honoured() {
    let (url, hits) = stub(Arc::new(|n, sub| {
        if n == 0 {
            let mut r = StatusCode::SERVICE_UNAVAILABLE.into_response();
            r.headers_mut()
                .insert("retry-after", HeaderValue::from_static("1"));
            Some(r)
        } else {
            Some(ack(sub))
        }
    }))
    .await;
    let mut fake = Fake::new(url);
    fake.push(1);
    let store = Arc::new(Mutex::new(fake));
    let engine = SyncEngine::start(store.clone(), config(20));
    let mut rx = engine.status();
    let busy = wait(&mut rx, |s| matches!(s.phase, SyncPhase::Retrying { .. })).await;
    assert!(
        matches!(busy.phase, SyncPhase::Retrying { next_in_ms } if next_in_ms >= 1_000),
        "{busy:?}"
    );
    // New intakes nudge the engine, but the district asked for a pause: no early retry.
    for _ in 0..5 {
        engine.nudge();
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    wait(&mut rx, |s| s.phase == SyncPhase::Idle && s.pending == 0).await;
    let hits = hits.lock().unwrap().clone();
    assert_eq!(hits.len(), 2);
    let gap = hits[1] - hits[0];
    assert!(gap >= Duration::from_millis(990), "retried after {gap:?}");
    assert_eq!(store.lock().unwrap().synced.len(), 1);
    engine.shutdown().await;
}

#[tokio::test]
async fn a_poison_record_is_quarantined_without_blocking_the_others() {
    let poison_no = Arc::new(Mutex::new(String::new()));
    let p = Arc::clone(&poison_no);
    let (url, _hits) = stub(Arc::new(move |_n, sub| {
        if sub.case_no == *p.lock().unwrap() {
            Some(StatusCode::INTERNAL_SERVER_ERROR.into_response())
        } else {
            Some(ack(sub))
        }
    }))
    .await;
    let mut fake = Fake::new(url);
    let poison = fake.push(1);
    *poison_no.lock().unwrap() = fake.rows[0].entry.case.case_no.clone();
    let good = fake.push(2);
    let store = Arc::new(Mutex::new(fake));
    let engine = SyncEngine::start(store.clone(), config(20));
    let mut rx = engine.status();
    let end = wait(&mut rx, |s| s.pending == 0 && s.quarantined == 1).await;
    assert_eq!(end.quarantined, 1);
    engine.shutdown().await;
    let fake = store.lock().unwrap();
    assert_eq!(fake.synced.len(), 1);
    assert_eq!(fake.synced[0].0, good);
    let kept = &fake.rows[0];
    assert_eq!(kept.entry.case.id, poison, "quarantined, never dropped");
    assert!(kept.quarantined);
    assert_eq!(kept.entry.attempts, 3);
}

#[tokio::test]
async fn a_nudge_syncs_long_before_the_next_poll() {
    let (url, _hits) = stub(Arc::new(|_n, sub| Some(ack(sub)))).await;
    let store = Arc::new(Mutex::new(Fake::new(url)));
    let engine = SyncEngine::start(store.clone(), config(60_000));
    let mut rx = engine.status();
    wait(&mut rx, |s| s.last_success_at.is_some()).await;
    store.lock().unwrap().push(1);
    let started = Instant::now();
    engine.nudge();
    wait(&mut rx, |s| {
        s.phase == SyncPhase::Idle && store_synced(&store) == 1
    })
    .await;
    assert!(started.elapsed() < Duration::from_secs(2));
    engine.shutdown().await;
}

fn store_synced(store: &Arc<Mutex<Fake>>) -> usize {
    store.lock().map(|f| f.synced.len()).unwrap_or(0)
}

#[tokio::test]
async fn shutdown_does_not_wait_for_a_hanging_district() {
    let (url, hits) = stub(Arc::new(|_n, _sub| None)).await;
    let mut fake = Fake::new(url);
    fake.push(1);
    let store = Arc::new(Mutex::new(fake));
    let engine = SyncEngine::start(store.clone(), config(20));
    let mut rx = engine.status();
    wait(&mut rx, |s| s.phase == SyncPhase::Syncing).await;
    while hits.lock().unwrap().is_empty() {
        tokio::task::yield_now().await;
    }
    let started = Instant::now();
    engine.shutdown().await;
    assert!(
        started.elapsed() < Duration::from_millis(500),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(
        store.lock().unwrap().rows.len(),
        1,
        "the record stays queued"
    );
}
