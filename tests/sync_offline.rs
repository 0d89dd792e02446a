//! The runner on its own: intake goes on while the district is away, the outbox keeps every
//! case, and sync resumes by itself (timer, no manual call) once the district is back or the
//! token is fixed.

use yichuang_core::SyncState;
use yichuang_sync::{SyncEngine, SyncPhase};
use yichuang_tests::sync_env::{
    SyncStation, TOKEN, district_count, fast_config, start_district, unused_addr,
};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn offline_intake_waits_then_syncs_on_its_own() {
    let addr = unused_addr();
    let url = format!("http://{addr}");
    let station = SyncStation::provision(&url, TOKEN);
    let engine = SyncEngine::start(station.store.clone(), fast_config());
    let mut status = engine.status();

    let first = station.accept(1);
    engine.nudge();
    let offline = yichuang_tests::sync_env::wait_status(&mut status, "offline", 15, |s| {
        matches!(s.phase, SyncPhase::Offline { .. }) && s.pending == 1
    })
    .await;
    assert!(offline.last_error.is_some());
    assert_eq!(offline.last_success_at, None);

    // Intake goes on while the district is away; nothing is lost.
    let second = station.accept(2);
    engine.nudge();
    yichuang_tests::sync_env::wait_status(&mut status, "two pending", 15, |s| {
        s.pending == 2 && matches!(s.phase, SyncPhase::Offline { .. })
    })
    .await;
    assert_eq!(station.outbox(), (2, 0));
    assert_eq!(station.case(&first).sync_state, SyncState::Pending);

    // The district comes up on the address the station knows; no nudge from here on.
    let district_dir = tempfile::tempdir().expect("dir");
    let started = std::time::Instant::now();
    let district = start_district(district_dir.path(), addr).await;
    let done = yichuang_tests::sync_env::wait_status(&mut status, "synced", 15, |s| {
        s.phase == SyncPhase::Idle && s.pending == 0
    })
    .await;
    eprintln!(
        "resynced {:?} after the district came up",
        started.elapsed()
    );
    assert!(done.last_success_at.is_some());
    assert_eq!(done.last_error, None);
    assert!(done.clock_offset_ms.is_some_and(|ms| ms.abs() < 2_000));
    for case in [&first, &second] {
        let kept = station.case(case);
        assert_eq!(kept.sync_state, SyncState::Synced);
        assert!(kept.official_case_no.is_some());
    }
    assert_eq!(district_count(&district.url()).await, 2);

    // The district goes away again: the engine notices on its timer.
    district.shutdown().await.expect("stop district");
    yichuang_tests::sync_env::wait_status(&mut status, "offline again", 15, |s| {
        matches!(s.phase, SyncPhase::Offline { .. })
    })
    .await;
    engine.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refused_token_keeps_the_data_and_resumes_after_the_token_changes() {
    let district_dir = tempfile::tempdir().expect("dir");
    let district = start_district(district_dir.path(), "127.0.0.1:0".parse().expect("addr")).await;
    let station = SyncStation::provision(&district.url(), "expired-token");
    let case = station.accept(1);
    let engine = SyncEngine::start(station.store.clone(), fast_config());
    let mut status = engine.status();
    let auth = yichuang_tests::sync_env::wait_status(&mut status, "auth needed", 15, |s| {
        s.phase == SyncPhase::AuthNeeded
    })
    .await;
    assert_eq!((auth.pending, auth.quarantined), (1, 0));
    assert_eq!(station.case(&case).sync_state, SyncState::Pending);
    assert_eq!(district_count(&district.url()).await, 0);

    // The hall manager enters the new token; the engine picks it up by itself.
    station
        .lock()
        .set_district(&district.url(), Some(TOKEN), "manager")
        .expect("new token");
    yichuang_tests::sync_env::wait_status(&mut status, "synced", 15, |s| {
        s.phase == SyncPhase::Idle && s.pending == 0
    })
    .await;
    assert_eq!(station.case(&case).sync_state, SyncState::Synced);
    assert_eq!(district_count(&district.url()).await, 1);
    engine.shutdown().await;
    district.shutdown().await.expect("stop district");
}
