//! Issue 6 point 4, "token expiry", on both district stores: the district stops taking the
//! station's device token (the officer revokes it, or it expires). Every round then stops
//! with AuthNeeded (401) and touches nothing, however many rounds; the clerk is told in
//! Chinese what to do; the runner sends nothing more with the refused token; and after the
//! station enrolls again with a fresh one-time code the queue (cases and a scanned page)
//! drains completely.
//!
//! Needs a Secret Service: run under `crates/yichuang-store/with-keyring.sh`; the PostgreSQL
//! half needs `YICHUANG_TEST_PG_URL`.

use crate::common;

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use common::{DistrictData, Kind, MAX_ATTEMPTS, STATION, Station, TOKEN, config, wait};
use jiff::{SignedDuration, Timestamp};
use tokio::net::TcpListener;
use uuid::Uuid;
use yichuang_core::SyncState;
use yichuang_district::secrets::SecretHash;
use yichuang_district::{DistrictServer, Faults, officer};
use yichuang_sync::engine::Stop;
use yichuang_sync::protocol::v2::cases::CASES_BATCH_PATH;
use yichuang_sync::{
    ClientTimeouts, DistrictClient, DistrictEndpoint, Failure, SyncEngine, SyncPhase,
    SyncStatusView, sync_once,
};

on_both_stores!(
    a_revoked_token_stops_every_round_untouched_until_the_station_enrolls_again,
    an_expired_token_stops_every_round_untouched_until_the_station_enrolls_again,
);

/// How the district comes to refuse the token the station holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Refusal {
    /// The officer revokes the station's devices (`revoke_station_devices`).
    Revoked,
    /// The token was issued with an expiry, which passes between two rounds.
    Expired,
}

async fn a_revoked_token_stops_every_round_untouched_until_the_station_enrolls_again(kind: Kind) {
    token_refused_then_enrolled_again(kind, Refusal::Revoked).await;
}

async fn an_expired_token_stops_every_round_untouched_until_the_station_enrolls_again(kind: Kind) {
    token_refused_then_enrolled_again(kind, Refusal::Expired).await;
}

/// What the clerk reads when the token is refused: Chinese, names the one-time code and
/// re-enrollment, and says the cases are kept.
fn assert_tells_to_enroll_again(text: &str) {
    for needed in ["接入凭据", "接入码", "重新登记", "办件都保留在本机"] {
        assert!(text.contains(needed), "{needed:?} missing from {text:?}");
    }
}

fn client_with(url: &str, token: &str) -> DistrictClient {
    DistrictClient::new(
        DistrictEndpoint {
            url: url.into(),
            token: token.into(),
            ca_pem: None,
        },
        ClientTimeouts::default(),
    )
    .expect("client")
}

async fn token_refused_then_enrolled_again(kind: Kind, refusal: Refusal) {
    let data = DistrictData::new(kind).await;
    let store = data.place.open().await;
    let faults = Faults::new();
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let server = DistrictServer::start_with(
        listener,
        data.place.settings(Some(faults.clone())),
        Arc::clone(&store),
    )
    .await
    .expect("start district");
    let url = server.url();
    let station = Station::provision(&url);
    let policy = config(20).policy;
    let old = common::client(&url);

    // The token works: the first case goes up. One that expires is issued just before, with
    // time enough for that round even on a busy machine.
    let first = station.accept(1);
    let expires_at =
        (refusal == Refusal::Expired).then(|| Timestamp::now() + SignedDuration::from_secs(3));
    store
        .register_device(
            STATION,
            "1 号窗口",
            &SecretHash::of(TOKEN),
            expires_at,
            Timestamp::now(),
        )
        .await
        .expect("device");
    let report = sync_once(&station.store, &old, &policy)
        .await
        .expect("round");
    assert_eq!((report.synced, &report.stop), (1, &None), "{report:?}");

    // More intake, a scanned page with it; then the district stops taking the token.
    let waiting: Vec<Uuid> = (2..=4).map(|n| station.accept(n)).collect();
    let page = station
        .lock()
        .attach_page_bytes(
            waiting[0],
            "M01",
            "扫描.png",
            common::noisy_png(3),
            "窗口人员",
        )
        .expect("attach");
    match refusal {
        Refusal::Revoked => {
            let revoked = store
                .revoke_station_devices(STATION, Timestamp::now())
                .await
                .expect("revoke");
            assert_eq!(revoked, 1);
        }
        Refusal::Expired => {
            // Waiting for the wall clock itself: no event announces an expiry.
            let at = expires_at.expect("expiry");
            let left = at.duration_since(Timestamp::now());
            let left = Duration::try_from(left).unwrap_or(Duration::ZERO);
            tokio::time::sleep(left + Duration::from_millis(50)).await;
        }
    }

    // However many rounds: each stops at once with AuthNeeded and writes nothing down.
    for round in 0..MAX_ATTEMPTS * 2 {
        let report = sync_once(&station.store, &old, &policy)
            .await
            .expect("round");
        assert_eq!(
            report.stop,
            Some(Stop::AuthNeeded),
            "round {round}: {report:?}"
        );
        assert_eq!(
            (
                report.synced,
                report.quarantined,
                report.retry_later,
                report.materials_confirmed,
                report.materials_poisoned
            ),
            (0, 0, 0, 0, 0),
            "round {round}: {report:?}"
        );
        assert_tells_to_enroll_again(report.problem.as_deref().unwrap_or_default());
    }
    assert_untouched(&station, &waiting);
    assert_eq!(
        station.lock().material_counts().expect("counts"),
        (1, 0),
        "the page waits, not set apart"
    );
    assert_eq!(store.count_cases(STATION).await.expect("count"), 1);

    // The runner shows it on the window: the badge and the sentence saying what to do.
    let engine = SyncEngine::start(Arc::clone(&station.store), config(20));
    let mut rx = engine.status();
    let refused = wait(&mut rx, |s| {
        s.phase == SyncPhase::AuthNeeded && s.last_error.is_some()
    })
    .await;
    assert_eq!((refused.pending, refused.quarantined), (3, 0));
    let view = SyncStatusView::from(refused);
    assert_eq!(view.badge, "需重新登记");
    assert_tells_to_enroll_again(&view.detail);
    let batches_before = faults.requests_to(CASES_BATCH_PATH);

    // The officer issues a one-time code; the station trades it for a new token.
    let (code, _) = officer::issue_enroll_code(store.as_ref(), STATION, "测试站点", 1)
        .await
        .expect("code");
    let device_token = common::enroll(&url, None, code).await.expect("enroll");
    assert_ne!(device_token, TOKEN);
    station
        .lock()
        .set_district(&url, Some(&device_token), "站点管理员")
        .expect("new token");
    engine.nudge();
    let done = wait(&mut rx, |s| {
        s.phase == SyncPhase::Idle && s.pending == 0 && s.last_success_at.is_some()
    })
    .await;
    engine.shutdown().await;
    assert_eq!((done.quarantined, done.last_error), (0, None));
    assert_eq!(
        faults.requests_to(CASES_BATCH_PATH),
        batches_before + 1,
        "one batch with the new token; none with the refused one while it waited"
    );

    // Everything is there, once.
    assert_eq!(station.outbox(), (0, 0));
    assert_eq!(station.lock().material_counts().expect("counts"), (0, 0));
    let mut numbers = HashSet::new();
    for id in std::iter::once(first).chain(waiting.iter().copied()) {
        let case = station.case(id);
        common::assert_synced(&case);
        numbers.insert(case.official_case_no.expect("number"));
    }
    assert_eq!(numbers.len(), 4);
    assert_eq!(store.count_cases(STATION).await.expect("count"), 4);
    let renewed = client_with(&url, &device_token);
    assert_eq!(
        renewed.material_offset(&page.sha256).await.expect("head"),
        None,
        "the page is whole at the district"
    );
    assert_eq!(
        old.material_offset(&page.sha256).await,
        Err(Failure::AuthNeeded),
        "the old token stays refused"
    );

    server.shutdown().await.expect("stop");
    drop(store);
    data.remove().await;
}

/// Every record still waits as queued: none quarantined, no attempt counted.
fn assert_untouched(station: &Station, waiting: &[Uuid]) {
    assert_eq!(
        station.outbox(),
        (waiting.len() as u32, 0),
        "nothing quarantined"
    );
    let due = station
        .lock()
        .outbox_due(Timestamp::now(), 100)
        .expect("due")
        .items;
    assert_eq!(due.len(), waiting.len());
    assert!(
        due.iter().all(|d| d.attempts == 0),
        "no attempt counted: {due:?}"
    );
    for id in waiting {
        assert_eq!(station.case(*id).sync_state, SyncState::Pending);
    }
}

/// The district's address, the enrollment with a one-time code and the pinned root CA are
/// in the settings window's “区级系统与登记” section (the 同步 page is gone): every text
/// that sends someone to fix them names that place.
#[test]
fn the_clerk_is_sent_to_the_settings_section_where_enrollment_is() {
    use yichuang_sync::SyncError;
    for text in [
        Failure::AuthNeeded.message_zh(),
        Failure::WrongAddress { status: 404 }.message_zh(),
        Failure::Untrusted.message_zh(),
        SyncError::NotEnrolled.to_string(),
        SyncError::BadUrl("x".into()).to_string(),
        SyncError::InsecureUrl("http://10.0.0.8".into()).to_string(),
        SyncError::BadToken.to_string(),
        SyncError::BadCa(None).to_string(),
        SyncPhase::AuthNeeded.label().to_string(),
        SyncPhase::NeedsAttention { next_in_ms: 0 }
            .label()
            .to_string(),
    ] {
        assert!(text.contains("“设置 → 区级系统与登记”"), "{text}");
        assert!(!text.contains("“同步”"), "{text}");
    }
}
