//! Nothing stranded: a wrong address, a token of another station, a captive portal's page
//! or its redirect stop the round and leave every record queued as it was (no attempt
//! counted, nothing quarantined), and the clerk is told what to fix.
//!
//! Needs a Secret Service: run under `crates/yichuang-store/with-keyring.sh`.

use crate::common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use common::{STATION, Station, config, district, district_for, wait};
use jiff::Timestamp;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use yichuang_sync::{SyncEngine, SyncPhase, SyncStatus};

/// Runs the engine until it has made at least `rounds` rounds that ended in
/// `NeedsAttention`; returns the last status.
async fn attention_after_rounds(station: &Station, rounds: usize) -> SyncStatus {
    let engine = SyncEngine::start(Arc::clone(&station.store), config(20));
    let mut rx = engine.status();
    let mut seen = 0;
    let mut last = None;
    while seen < rounds {
        let s = wait(&mut rx, |s| {
            matches!(s.phase, SyncPhase::NeedsAttention { .. }) && s.last_error.is_some()
        })
        .await;
        seen += 1;
        last = Some(s);
        rx.mark_unchanged();
        let _ = tokio::time::timeout(Duration::from_secs(5), rx.changed()).await;
    }
    engine.shutdown().await;
    last.expect("at least one round")
}

/// Every record still waits as it was queued: not quarantined, no attempt counted.
fn assert_untouched(station: &Station, n: usize) {
    assert_eq!(station.outbox(), (n as u32, 0), "nothing quarantined");
    let due = station
        .lock()
        .outbox_due(Timestamp::now(), 100)
        .expect("due")
        .items;
    assert_eq!(due.len(), n);
    assert!(due.iter().all(|d| d.attempts == 0), "no attempt counted");
}

#[tokio::test]
async fn a_wrong_district_address_quarantines_nothing() {
    let district = district().await;
    let station = Station::provision(&format!("{}/not-the-api", district.server.url()));
    station.accept(1);
    station.accept(2);
    let end = attention_after_rounds(&station, 3).await;
    assert!(
        end.last_error.as_deref().unwrap_or("").contains("地址"),
        "{end:?}"
    );
    assert_untouched(&station, 2);
    assert_eq!(district.faults.submissions().len(), 0);
}

#[tokio::test]
async fn a_token_of_another_station_quarantines_nothing() {
    let district = district_for(vec![("440111099".into(), common::TOKEN.into())]).await;
    let station = Station::provision(&district.server.url());
    station.accept(1);
    let end = attention_after_rounds(&station, 3).await;
    assert!(
        end.last_error.as_deref().unwrap_or("").contains("站点编码"),
        "{end:?}"
    );
    assert_untouched(&station, 1);
    assert_ne!(STATION, "440111099");
}

/// A captive portal on 127.0.0.1:0: answers every request with `response`; counts the
/// requests that reached `/portal/login` (where its redirect points).
async fn captive_portal(response: &'static str) -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    let login_hits = Arc::new(AtomicUsize::new(0));
    let hits = Arc::clone(&login_hits);
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let hits = Arc::clone(&hits);
            tokio::spawn(async move {
                let mut buf = vec![0u8; 64 * 1024];
                let n = socket.read(&mut buf).await.unwrap_or(0);
                if String::from_utf8_lossy(&buf[..n]).contains(" /portal/login") {
                    hits.fetch_add(1, Ordering::SeqCst);
                }
                let _ = socket.write_all(response.as_bytes()).await;
                let _ = socket.shutdown().await;
            });
        }
    });
    (url, login_hits)
}

#[tokio::test]
async fn a_captive_portal_page_quarantines_nothing() {
    let (url, _) = captive_portal(
        "HTTP/1.1 200 OK\r\ncontent-type: text/html; charset=utf-8\r\nconnection: close\r\n\r\n\
         <html><body>请先登录上网认证</body></html>",
    )
    .await;
    let station = Station::provision(&url);
    station.accept(1);
    let end = attention_after_rounds(&station, 3).await;
    assert!(
        end.last_error.as_deref().unwrap_or("").contains("认证"),
        "{end:?}"
    );
    assert_untouched(&station, 1);
}

#[tokio::test]
async fn a_captive_portal_redirect_is_not_followed() {
    let (url, login_hits) = captive_portal(
        "HTTP/1.1 302 Found\r\nlocation: /portal/login\r\ncontent-length: 0\r\nconnection: close\r\n\r\n",
    )
    .await;
    let station = Station::provision(&url);
    station.accept(1);
    attention_after_rounds(&station, 3).await;
    assert_untouched(&station, 1);
    assert_eq!(
        login_hits.load(Ordering::SeqCst),
        0,
        "the case (and the token) never went where the redirect pointed"
    );
}

#[tokio::test]
async fn an_outage_of_any_length_counts_no_attempt() {
    let district = district().await;
    let faults = &district.faults;
    faults.fail_path("/api/v2/cases/batch", 10_000, 500, None);
    faults.fail_path("/api/v2/health", 10_000, 503, Some(1));
    let station = Station::provision(&district.server.url());
    station.accept(1);
    station.accept(2);
    let engine = SyncEngine::start(Arc::clone(&station.store), config(10));
    // Many rounds: more than the records' max_attempts.
    let rounds = common::MAX_ATTEMPTS as usize * 3;
    tokio::time::timeout(Duration::from_secs(20), async {
        while faults.requests_to("/api/v2/cases/batch") < rounds {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await
    .expect("rounds kept coming");
    engine.shutdown().await;
    assert_untouched(&station, 2);
}

#[tokio::test]
async fn a_batch_too_large_for_the_district_is_sent_in_halves() {
    let district = district().await;
    district
        .faults
        .fail_path("/api/v2/cases/batch", 1, 413, None);
    let station = Station::provision(&district.server.url());
    let a = station.accept(1);
    let b = station.accept(2);
    let engine = SyncEngine::start(Arc::clone(&station.store), config(20));
    let mut rx = engine.status();
    wait(&mut rx, |s| s.pending == 0 && s.last_success_at.is_some()).await;
    engine.shutdown().await;
    common::assert_synced(&station.case(a));
    common::assert_synced(&station.case(b));
    assert_eq!(district.faults.requests_to("/api/v2/cases/batch"), 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_district_restarted_between_batches_loses_and_doubles_nothing() {
    use yichuang_district::{DistrictConfig, DistrictServer};
    let dir = tempfile::tempdir().expect("dir");
    let start = |port: u16| {
        let db_path = dir.path().join("district.sqlite3");
        async move {
            let listener = TcpListener::bind(("127.0.0.1", port)).await.expect("bind");
            let config = DistrictConfig {
                db_path,
                region_code: "440111".into(),
                station_tokens: vec![(STATION.into(), common::TOKEN.into())],
                faults: None,
            };
            DistrictServer::start(listener, config)
                .await
                .expect("start")
        }
    };
    let first = start(0).await;
    let port = first.local_addr().port();
    let station = Station::provision(&first.url());
    for n in 1..=5 {
        station.accept(n);
    }
    let client = common::client(&first.url());
    let mut policy = config(20).policy;
    policy.batch_limit = 2;
    policy.load_limit = 2;

    // One batch goes through, then the district stops.
    let report = yichuang_sync::sync_once(&station.store, &client, &policy)
        .await
        .expect("round");
    assert_eq!((report.synced, report.stop), (2, None));
    first.shutdown().await.expect("stop");
    let report = yichuang_sync::sync_once(&station.store, &client, &policy)
        .await
        .expect("round");
    assert!(report.stop.is_some(), "offline: {report:?}");
    assert_untouched(&station, 3);

    // Back on the same address with the same data: the rest go, nothing twice.
    let second = start(port).await;
    for _ in 0..5 {
        let report = yichuang_sync::sync_once(&station.store, &client, &policy)
            .await
            .expect("round");
        if report.pending == 0 {
            break;
        }
    }
    assert_eq!(station.outbox(), (0, 0));
    let listed = station.lock().list_cases(10).expect("list");
    let mut numbers: Vec<String> = listed
        .into_iter()
        .map(|row| row.official_case_no.expect("official number"))
        .collect();
    numbers.sort();
    numbers.dedup();
    assert_eq!(
        numbers.len(),
        5,
        "five cases, five district numbers: {numbers:?}"
    );
    second.shutdown().await.expect("stop");
}
