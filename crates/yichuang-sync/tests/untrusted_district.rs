//! A district over HTTPS whose certificate the station does not trust (its private root CA not
//! pinned, another CA pinned, a certificate for another address) is named as such, not as
//! "offline": every request and the enrollment say the certificate is not trusted and where
//! the hall manager pins the root CA; the engine keeps every case queued and shows a state
//! that needs a person; once the right CA is pinned the next round sends everything. A
//! district that is simply gone still reads as unreachable.
//!
//! Needs a Secret Service for the station's store: run under
//! `crates/yichuang-store/with-keyring.sh`.

use crate::common;

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;

use common::{STATION, Station, TOKEN, client_trusting, config, enroll, wait};
use jiff::Timestamp;
use tokio::net::TcpListener;
use yichuang_core::SyncState;
use yichuang_district::server_tools::register_station_tokens;
use yichuang_district::testing_pki::TestPki;
use yichuang_district::{DistrictServer, DistrictStore, Settings, SqliteStore, officer};
use yichuang_sync::engine::Stop;
use yichuang_sync::{Failure, SyncEngine, SyncPhase, SyncStatusView, sync_once};

/// The real district on `ip`:0, over HTTPS with `pki`'s certificate (for `localhost` and
/// 127.0.0.1) or over plain HTTP, knowing the test station's token.
struct TlsDistrict {
    _dir: tempfile::TempDir,
    store: Arc<SqliteStore>,
    server: DistrictServer,
}

impl TlsDistrict {
    async fn start(ip: Ipv4Addr, pki: Option<&TestPki>) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let store =
            Arc::new(SqliteStore::open(&dir.path().join("district.sqlite3")).expect("store"));
        register_station_tokens(store.as_ref(), &[(STATION.into(), TOKEN.into())])
            .await
            .expect("tokens");
        let listener = TcpListener::bind(SocketAddr::from((ip, 0)))
            .await
            .expect("bind");
        let settings = Settings::new("440111", dir.path());
        let dyn_store: Arc<dyn DistrictStore> = store.clone();
        let server = match pki {
            Some(pki) => {
                let tls = pki.identity().expect("identity");
                DistrictServer::start_with_tls(listener, settings, dyn_store, tls).await
            }
            None => DistrictServer::start_with(listener, settings, dyn_store).await,
        }
        .expect("start district");
        Self {
            _dir: dir,
            store,
            server,
        }
    }

    fn url(&self) -> String {
        self.server.url()
    }

    async fn enroll_code(&self) -> String {
        officer::issue_enroll_code(self.store.as_ref(), STATION, "测试站点", 1)
            .await
            .expect("code")
            .0
    }
}

/// What the clerk and the hall manager read: the certificate is not trusted, where the root CA
/// is pinned, the cases are kept; and not that the network is down.
fn assert_tells_to_pin_the_ca(text: &str) {
    for needed in [
        "证书不受本机信任",
        "根证书",
        "“设置 → 区级系统与登记”",
        "办件都保留在本机",
    ] {
        assert!(text.contains(needed), "{needed:?} missing from {text:?}");
    }
    for wrong in ["离线", "无法连接", "网络恢复"] {
        assert!(!text.contains(wrong), "{wrong:?} in {text:?}");
    }
}

/// Every request a station makes gets `expected`: an anonymous one, an authenticated one, and
/// the enrollment.
async fn assert_every_request_gets(
    district: &TlsDistrict,
    ca_pem: Option<&str>,
    expected: &Failure,
) {
    let url = district.url();
    let c = client_trusting(&url, ca_pem);
    assert_eq!(c.health_v2().await.as_ref().err(), Some(expected), "health");
    assert_eq!(
        c.status_changes(0, 10).await.as_ref().err(),
        Some(expected),
        "status changes"
    );
    let code = district.enroll_code().await;
    assert_eq!(
        enroll(&url, ca_pem, code).await.as_ref().err(),
        Some(expected),
        "enrollment"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_private_ca_not_pinned_is_named_as_an_untrusted_certificate() {
    let pki = TestPki::new("区级测试根证书");
    let district = TlsDistrict::start(Ipv4Addr::LOCALHOST, Some(&pki)).await;
    assert!(district.url().starts_with("https://127.0.0.1:"));
    assert_every_request_gets(&district, None, &Failure::Untrusted).await;
    assert_tells_to_pin_the_ca(&Failure::Untrusted.message_zh());

    // What the station's enrollment and the CLI put before it.
    let code = district.enroll_code().await;
    let failure = enroll(&district.url(), None, code).await.unwrap_err();
    assert_tells_to_pin_the_ca(&format!("登记未成功：{}", failure.message_zh()));
    district.server.shutdown().await.expect("stop");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_ca_pinned_is_an_untrusted_certificate_and_the_right_one_is_served() {
    let pki = TestPki::new("区级测试根证书");
    let other = TestPki::new("另一个根证书");
    let district = TlsDistrict::start(Ipv4Addr::LOCALHOST, Some(&pki)).await;
    assert_every_request_gets(&district, Some(&other.ca_pem), &Failure::Untrusted).await;

    let url = district.url();
    let pinned = client_trusting(&url, Some(&pki.ca_pem));
    assert_eq!(
        pinned.health_v2().await.expect("health").region_code,
        "440111"
    );
    assert_eq!(
        pinned
            .status_changes(0, 10)
            .await
            .expect("status changes")
            .changes
            .len(),
        0
    );
    let code = district.enroll_code().await;
    let token = enroll(&url, Some(&pki.ca_pem), code)
        .await
        .expect("enrolled over the pinned CA");
    assert!(!token.is_empty());
    district.server.shutdown().await.expect("stop");
}

/// The right CA pinned, but the certificate is for `localhost` and 127.0.0.1 and the district
/// answers on 127.0.0.2: the name does not match, which waiting does not fix either.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_certificate_for_another_address_is_an_untrusted_certificate() {
    let pki = TestPki::new("区级测试根证书");
    let district = TlsDistrict::start(Ipv4Addr::new(127, 0, 0, 2), Some(&pki)).await;
    assert!(district.url().starts_with("https://127.0.0.2:"));
    assert_every_request_gets(&district, Some(&pki.ca_pem), &Failure::Untrusted).await;
    district.server.shutdown().await.expect("stop");
}

/// No regression: a district that is gone, over plain HTTP or HTTPS, is unreachable; and an
/// https address answered by a plain-HTTP server is no certificate problem.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_district_that_is_gone_is_still_unreachable() {
    let plain = TlsDistrict::start(Ipv4Addr::LOCALHOST, None).await;
    let plain_url = plain.url();
    assert!(plain_url.starts_with("http://"), "{plain_url}");
    let as_https = plain_url.replacen("http://", "https://", 1);
    let failure = client_trusting(&as_https, None)
        .health_v2()
        .await
        .unwrap_err();
    assert_eq!(failure, Failure::Unreachable, "TLS spoken to plain HTTP");
    let c = client_trusting(&plain_url, None);
    assert!(c.health_v2().await.is_ok());
    plain.server.shutdown().await.expect("stop");
    assert_eq!(c.health_v2().await, Err(Failure::Unreachable));

    let pki = TestPki::new("区级测试根证书");
    let tls = TlsDistrict::start(Ipv4Addr::LOCALHOST, Some(&pki)).await;
    let tls_url = tls.url();
    let c = client_trusting(&tls_url, Some(&pki.ca_pem));
    assert!(c.health_v2().await.is_ok());
    tls.server.shutdown().await.expect("stop");
    assert_eq!(c.health_v2().await, Err(Failure::Unreachable));
    // Gone and never trusted: nothing to say about a certificate that was never shown.
    assert_eq!(
        client_trusting(&tls_url, None).health_v2().await,
        Err(Failure::Unreachable)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_engine_keeps_cases_queued_shows_the_certificate_and_sends_once_the_ca_is_pinned() {
    let pki = TestPki::new("区级测试根证书");
    let district = TlsDistrict::start(Ipv4Addr::LOCALHOST, Some(&pki)).await;
    let url = district.url();
    let station = Station::provision(&url);
    let cases = [station.accept(1), station.accept(2)];
    let policy = config(20).policy;

    // However many rounds without the CA: each stops on the certificate, nothing written down.
    let unpinned = client_trusting(&url, None);
    for round in 0..common::MAX_ATTEMPTS * 2 {
        let report = sync_once(&station.store, &unpinned, &policy)
            .await
            .expect("round");
        assert_eq!(
            report.stop,
            Some(Stop::Untrusted),
            "round {round}: {report:?}"
        );
        assert_eq!(
            (report.synced, report.quarantined, report.retry_later),
            (0, 0, 0),
            "round {round}: {report:?}"
        );
        assert_tells_to_pin_the_ca(report.problem.as_deref().unwrap_or_default());
    }
    assert_eq!(station.outbox(), (2, 0), "queued, nothing quarantined");
    let due = station
        .lock()
        .outbox_due(Timestamp::now(), 10)
        .expect("due")
        .items;
    assert_eq!(due.len(), 2);
    assert!(due.iter().all(|d| d.attempts == 0), "{due:?}");

    // The runner, over the station's own settings (no CA pinned), shows it on the window.
    let engine = SyncEngine::start(Arc::clone(&station.store), config(20));
    let mut rx = engine.status();
    let shown = wait(&mut rx, |s| {
        matches!(s.phase, SyncPhase::NeedsAttention { .. }) && s.last_error.is_some()
    })
    .await;
    assert_eq!((shown.pending, shown.quarantined), (2, 0));
    let view = SyncStatusView::from(shown);
    assert_eq!(view.badge, "需处理");
    assert_ne!(view.badge, SyncPhase::Offline { next_in_ms: 0 }.badge());
    assert_tells_to_pin_the_ca(&view.detail);
    for id in cases {
        assert_eq!(station.case(id).sync_state, SyncState::Pending);
    }
    assert_eq!(district.store.count_cases(STATION).await.expect("count"), 0);

    // The hall manager pins the district's root CA; the next round sends everything.
    station
        .lock()
        .set_district_ca(Some(&pki.ca_pem), "大厅负责人")
        .expect("pin the CA");
    engine.nudge();
    let done = wait(&mut rx, |s| {
        s.phase == SyncPhase::Idle && s.pending == 0 && s.last_success_at.is_some()
    })
    .await;
    engine.shutdown().await;
    assert_eq!((done.quarantined, done.last_error), (0, None));
    for id in cases {
        common::assert_synced(&station.case(id));
    }
    assert_eq!(district.store.count_cases(STATION).await.expect("count"), 2);
    district.server.shutdown().await.expect("stop");
}

/// A pinned CA the client cannot even be built from (the file was damaged after the check) is
/// a setting to fix, not an outage: the window says so and not "离线".
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pinned_ca_that_cannot_be_read_needs_a_person_not_a_network() {
    let pki = TestPki::new("区级测试根证书");
    let district = TlsDistrict::start(Ipv4Addr::LOCALHOST, Some(&pki)).await;
    let station = Station::provision(&district.url());
    station.accept(1);
    station
        .lock()
        .set_district_ca(
            Some("-----BEGIN CERTIFICATE-----\nAAECAwQFBgcICQ==\n-----END CERTIFICATE-----\n"),
            "大厅负责人",
        )
        .expect("store the damaged pin");
    let engine = SyncEngine::start(Arc::clone(&station.store), config(20));
    let mut rx = engine.status();
    let shown = wait(&mut rx, |s| {
        matches!(s.phase, SyncPhase::NeedsAttention { .. }) && s.last_error.is_some()
    })
    .await;
    engine.shutdown().await;
    let view = SyncStatusView::from(shown);
    assert_eq!((view.badge.as_str(), view.pending), ("需处理", 1));
    assert!(
        view.detail.contains("根证书") && view.detail.contains("“设置 → 区级系统与登记”"),
        "{}",
        view.detail
    );
    district.server.shutdown().await.expect("stop");
}
