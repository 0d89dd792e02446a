//! Issue 8 point 5, "both sync back": a handover (送达) recorded at the station reaches the
//! district through the sync engine, on both district stores. Recorded offline it waits and
//! goes once the district is back; a lost answer costs nothing (the resend is a duplicate,
//! one handover and one 已送达 at the district); a handover whose case is not at the district
//! waits for it; a refusal of one handover sets that one apart and nothing else.
//!
//! Needs a Secret Service: run under `crates/yichuang-store/with-keyring.sh`; the PostgreSQL
//! half needs `YICHUANG_TEST_PG_URL` (it says it skipped without it, and fails on CI).

use std::sync::{Arc, Mutex};
use std::time::Duration;

use jiff::Timestamp;
use tokio::net::TcpListener;
use uuid::Uuid;
use yichuang_core::{DistrictStatus, SyncState};
use yichuang_sync::protocol::v2::cases::CASES_BATCH_PATH;
use yichuang_sync::protocol::v2::handovers::{HANDOVERS_BATCH_PATH, HandoverBatch, HandoverRecord};
use yichuang_sync::{SyncEngine, SyncPhase, sync_once};
use yichuang_tests::sync_env::{SyncStation, TOKEN, fast_config, wait_status};

/// The relay of the sync crate's restart tests: it passes a request on and keeps the
/// district's answer from the station (it takes `Arc`, `Mutex` and `TcpListener` from here).
#[allow(dead_code)] // its mid-body trap is for the upload tests
#[path = "../crates/yichuang-sync/tests/common/relay.rs"]
mod relay;
use relay::{Relay, Trap};

#[macro_use]
#[path = "sync_handovers/setup.rs"]
mod setup;
use setup::*;

on_both_stores!(
    a_handover_recorded_offline_reaches_the_district_when_it_is_back,
    a_handover_whose_answer_was_lost_is_stored_once,
    a_handover_waits_until_its_case_is_at_the_district,
    a_refused_handover_is_set_apart_alone,
);

async fn a_handover_recorded_offline_reaches_the_district_when_it_is_back(kind: Kind) {
    let (dir, district) = District::start_new(&kind).await;
    let addr = district.server.local_addr();
    let station = SyncStation::provision(&district.server.url(), TOKEN);
    let case = decided_case(&station, &district, 1).await;

    // The district goes away; the clerk hands the result over all the same.
    district.stop().await;
    let engine = SyncEngine::start(station.store.clone(), fast_config());
    let mut status = engine.status();
    let handover = hand_over(&station, &case);
    engine.nudge();
    let offline = wait_status(&mut status, "offline with the handover pending", 15, |s| {
        matches!(s.phase, SyncPhase::Offline { .. }) && s.pending == 1
    })
    .await;
    assert_eq!(offline.quarantined, 0);
    assert_eq!(handovers(&station), (1, 0));
    assert_eq!(station.outbox(), (0, 0), "the case itself went before");

    // Back on the same address with the same data: the engine sends it on its own timer.
    let district = District::start(&kind, dir.path(), addr).await;
    let done = wait_status(&mut status, "handover sent", 15, |s| {
        s.phase == SyncPhase::Idle && s.pending == 0
    })
    .await;
    assert_eq!(done.quarantined, 0);
    assert_eq!(handovers(&station), (0, 0));
    assert_eq!(district.handovers().await, 1);
    assert_eq!(
        district.statuses(&case).await,
        [
            DistrictStatus::Approved,
            DistrictStatus::ReadyForPickup,
            DistrictStatus::Delivered
        ]
    );
    // The station's next pull shows it: 已送达, with the method as the note.
    round(&station, &district.server.url()).await;
    let pulled = station
        .lock()
        .district_status(case.id)
        .expect("status")
        .expect("a status");
    assert_eq!(pulled.status, DistrictStatus::Delivered);
    assert_eq!(pulled.status.label(), "已送达");
    assert_eq!(pulled.note.as_deref(), Some(handover.form.method.label()));
    engine.shutdown().await;
    district.stop().await;
}

async fn a_handover_whose_answer_was_lost_is_stored_once(kind: Kind) {
    let (_dir, district) = District::start_new(&kind).await;
    let relay = Relay::start(district.server.local_addr()).await;
    let station = SyncStation::provision(&relay.url, TOKEN);
    let case = decided_case(&station, &district, 1).await;
    hand_over(&station, &case);

    // The district stores the handover; its answer never reaches the station.
    let sprung = relay.arm(&format!("POST {HANDOVERS_BATCH_PATH}"), Trap::AnswerLost);
    let short = client(&relay.url, Duration::from_millis(1500));
    let lost = sync_once(&station.store, &short, &fast_config().policy)
        .await
        .expect("round");
    sprung.await.expect("the answer was held back");
    assert!(lost.stop.is_some(), "{lost:?}");
    assert_eq!((lost.handovers_sent, lost.handovers_refused), (0, 0));
    assert_eq!(handovers(&station), (1, 0), "still queued, nothing refused");
    assert_eq!(district.handovers().await, 1);

    // The retry is a duplicate at the district: sent once, one 已送达.
    let retry = round(&station, &relay.url).await;
    assert_eq!((&retry.stop, retry.handovers_sent), (&None, 1), "{retry:?}");
    assert_eq!(handovers(&station), (0, 0));
    assert_eq!(district.handovers().await, 1);
    let delivered = district
        .statuses(&case)
        .await
        .into_iter()
        .filter(|s| *s == DistrictStatus::Delivered)
        .count();
    assert_eq!(delivered, 1);
    // Nothing left to send: a further round sends no handover.
    let again = round(&station, &relay.url).await;
    assert_eq!(again.handovers_sent, 0);
    district.stop().await;
}

async fn a_handover_waits_until_its_case_is_at_the_district(kind: Kind) {
    let (_dir, district) = District::start_new(&kind).await;
    let url = district.server.url();
    let station = SyncStation::provision(&url, TOKEN);
    let case = decided_case(&station, &district, 1).await;
    // The clerk saves the case again (same content): it is queued to be sent once more.
    let intake = yichuang_core::ValidIntake {
        draft: case.intake.clone(),
        warnings: Vec::new(),
    };
    station
        .lock()
        .update_intake(case.id, intake, "同步测试窗口人员", Timestamp::now())
        .expect("save again");
    assert_eq!(station.case(&case).sync_state, SyncState::Pending);
    hand_over(&station, &case);

    // The case's batch fails this round: the handover is not even offered to the district.
    district.faults.fail_path(CASES_BATCH_PATH, 1, 500, None);
    let first = round(&station, &url).await;
    assert_eq!(first.synced, 0, "{first:?}");
    assert_eq!(district.faults.requests_to(HANDOVERS_BATCH_PATH), 0);
    assert_eq!(handovers(&station), (1, 0));
    assert_eq!(
        first.pending, 2,
        "the case and its handover wait: {first:?}"
    );
    assert_eq!(district.handovers().await, 0);

    // Once the case is back at the district, the handover follows in the same round.
    tokio::time::sleep(fast_config().policy.backoff_cap).await;
    let second = round(&station, &url).await;
    assert_eq!((second.synced, second.handovers_sent), (1, 1), "{second:?}");
    assert_eq!(second.pending, 0);
    assert_eq!(district.handovers().await, 1);
    district.stop().await;
}

async fn a_refused_handover_is_set_apart_alone(kind: Kind) {
    let (_dir, district) = District::start_new(&kind).await;
    let url = district.server.url();
    let station = SyncStation::provision(&url, TOKEN);
    let first = decided_case(&station, &district, 1).await;
    let second = decided_case(&station, &district, 2).await;

    // Another device of the station handed the first case over already (under its own id).
    let elsewhere = HandoverRecord {
        id: Uuid::now_v7(),
        case_id: first.id,
        form: window_form(),
        clerk: "另一台电脑的窗口人员".into(),
        handed_at: Timestamp::now(),
    };
    let resp = reqwest::Client::new()
        .post(format!("{url}{HANDOVERS_BATCH_PATH}"))
        .bearer_auth(TOKEN)
        .json(&HandoverBatch {
            records: vec![elsewhere],
        })
        .send()
        .await
        .expect("post");
    assert!(resp.status().is_success());

    let refused = hand_over(&station, &first);
    hand_over(&station, &second);
    let report = round(&station, &url).await;
    assert_eq!(report.stop, None, "{report:?}");
    assert_eq!((report.handovers_sent, report.handovers_refused), (1, 1));
    assert_eq!((report.pending, report.quarantined_total), (0, 1));
    assert_eq!(handovers(&station), (0, 1));
    assert_eq!(station.outbox(), (0, 0), "no case is quarantined");
    let list = station.lock().refused_handovers().expect("refused");
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].handover.id, refused.id);
    assert_eq!(list[0].case_no, first.case_no);
    assert!(list[0].reason.contains("已登记送达"), "{}", list[0].reason);
    assert_eq!(district.handovers().await, 2);
    assert_eq!(
        district.statuses(&second).await.last(),
        Some(&DistrictStatus::Delivered)
    );

    // A refused handover is not sent again by itself; a hall manager's release queues it.
    let next = round(&station, &url).await;
    assert_eq!((next.handovers_sent, next.handovers_refused), (0, 0));
    let released = station
        .lock()
        .release_refused_handover(
            refused.id,
            "demo",
            "区级已核实为同一次送达",
            Timestamp::now(),
        )
        .expect("release");
    assert!(released);
    assert_eq!(handovers(&station), (1, 0));
    district.stop().await;
}
