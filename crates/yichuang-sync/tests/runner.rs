//! The runner against the real station store and the real district with injected faults:
//! Retry-After, a poison record that must not block the others, nudges, and a prompt
//! shutdown. Needs a Secret Service: run under `crates/yichuang-store/with-keyring.sh`.

use crate::common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use common::{MAX_ATTEMPTS, Station, assert_synced, config, district, wait};
use yichuang_core::SyncState;
use yichuang_sync::{SyncEngine, SyncPhase};

#[tokio::test]
async fn retry_after_from_a_busy_district_is_honoured() {
    let district = district().await;
    district.faults.unavailable(1, 1);
    let station = Station::provision(&district.server.url());
    let id = station.accept(1);
    let engine = SyncEngine::start(Arc::clone(&station.store), config(20));
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
    let hits = district.faults.submissions();
    assert_eq!(hits.len(), 2, "{hits:?}");
    let gap = hits[1].1 - hits[0].1;
    assert!(gap >= Duration::from_millis(990), "retried after {gap:?}");
    assert_synced(&station.case(id));
    engine.shutdown().await;
}

#[tokio::test]
async fn a_poison_record_is_quarantined_without_blocking_the_others() {
    let district = district().await;
    let station = Station::provision(&district.server.url());
    let poison = station.accept(1);
    let good = station.accept(2);
    district.faults.poison(poison);
    let engine = SyncEngine::start(Arc::clone(&station.store), config(20));
    let mut rx = engine.status();
    let end = wait(&mut rx, |s| s.pending == 0 && s.quarantined == 1).await;
    assert_eq!(end.quarantined, 1);
    engine.shutdown().await;

    assert_synced(&station.case(good));
    let kept = station.case(poison);
    assert_eq!(kept.sync_state, SyncState::Quarantined, "never dropped");
    assert_eq!(kept.official_case_no, None);
    assert_eq!(station.outbox(), (0, 1));
    // Sent in the first batch with the good one, then alone once per blamed attempt.
    assert_eq!(
        district.faults.submissions_of(poison),
        MAX_ATTEMPTS as usize + 1
    );
    // In the first batch (refused whole), then in the half without the poison one.
    assert_eq!(district.faults.submissions_of(good), 2);
    // The good record got through before the poison one's last try: it was not held up.
    let log = district.faults.submissions();
    let good_at = log
        .iter()
        .position(|(id, _)| *id == good)
        .expect("good was sent");
    let last_poison = log
        .iter()
        .rposition(|(id, _)| *id == poison)
        .expect("poison was sent");
    assert!(
        good_at < last_poison,
        "the good record waited for the poison one: {log:?}"
    );
}

#[tokio::test]
async fn a_nudge_syncs_long_before_the_next_poll() {
    let district = district().await;
    let station = Station::provision(&district.server.url());
    let engine = SyncEngine::start(Arc::clone(&station.store), config(60_000));
    let mut rx = engine.status();
    wait(&mut rx, |s| s.last_success_at.is_some()).await;
    let id = station.accept(1);
    let started = Instant::now();
    engine.nudge();
    wait(&mut rx, |s| {
        s.phase == SyncPhase::Idle && station.case(id).sync_state == SyncState::Synced
    })
    .await;
    // Far below the 60 s poll, with headroom for a loaded 2-core CI machine.
    assert!(
        started.elapsed() < Duration::from_secs(8),
        "{:?}",
        started.elapsed()
    );
    assert_synced(&station.case(id));
    engine.shutdown().await;
}

#[tokio::test]
async fn shutdown_does_not_wait_for_a_hanging_district() {
    let district = district().await;
    district.faults.hold(Some(Duration::from_secs(60)));
    let station = Station::provision(&district.server.url());
    let id = station.accept(1);
    let engine = SyncEngine::start(Arc::clone(&station.store), config(20));
    tokio::time::timeout(Duration::from_secs(10), district.faults.arrived(1))
        .await
        .expect("the submission reaches the district");
    assert_eq!(engine.status().borrow().phase, SyncPhase::Syncing);
    let started = Instant::now();
    engine.shutdown().await;
    // Far below the 60 s hold, with headroom for a loaded 2-core CI machine.
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(station.outbox(), (1, 0), "the record stays queued");
    let case = station.case(id);
    assert_eq!(case.sync_state, SyncState::Pending);
    assert_eq!(case.official_case_no, None);
    assert_eq!(district.faults.submissions().len(), 1);
}

#[tokio::test]
async fn cases_carry_the_district_clock_offset_known_when_they_were_taken() {
    let district = district().await;
    let station = Station::provision(&district.server.url());
    let before = station.accept(1);
    assert_eq!(
        station.lock().case_clock_offset(before).expect("read"),
        None,
        "the station had never reached the district"
    );
    let engine = SyncEngine::start(Arc::clone(&station.store), config(20));
    let mut rx = engine.status();
    wait(&mut rx, |s| s.pending == 0 && s.clock_offset_ms.is_some()).await;
    engine.shutdown().await;
    let after = station.accept(2);
    let offset = station.lock().case_clock_offset(after).expect("read");
    assert!(
        offset.is_some_and(|ms| ms.abs() < 5_000),
        "same machine, so within seconds: {offset:?}"
    );
}
