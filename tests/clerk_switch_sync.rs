//! Switching clerks never stops or mixes sync: cases keep the clerk who accepted them, and
//! the sync engine sends them whoever is logged in, with the window locked, or with nobody
//! logged in at all (it runs on the store, not on the session). Real station, real district.

use yichuang_core::SyncState;
use yichuang_sync::{SyncEngine, SyncPhase};
use yichuang_tests::station::demo_station;
use yichuang_tests::sync_env::{
    district_count, fast_config, start_district, unused_addr, wait_status,
};

/// The station tests' cases: the demo applicant's intake, a second clerk.
#[path = "../crates/yichuang-station/tests/common/cases.rs"]
mod cases;
use cases::{DEMO_ID, RESIDENCE_PERMIT, accepted};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cases_keep_their_clerk_and_sync_with_the_window_locked_or_nobody_logged_in() {
    let addr = unused_addr();
    let root = tempfile::tempdir().unwrap();
    let t = demo_station(root.path(), &format!("http://{addr}"));
    let station = &t.station;
    station.login("demo", "demo1234").unwrap();
    cases::add_li(station);

    // demo accepts a case and locks; 李四 logs in (换人登录), accepts one, and logs out.
    let first = accepted(station, RESIDENCE_PERMIT, DEMO_ID).id;
    station.lock_session();
    station.login("li", "li-password").unwrap();
    let second = accepted(station, RESIDENCE_PERMIT, DEMO_ID).id;
    station.logout();

    // The district comes up; nobody is logged in, and the engine sends both.
    let district_dir = tempfile::tempdir().unwrap();
    let district = start_district(district_dir.path(), addr).await;
    let engine = SyncEngine::start(station.store(), fast_config());
    let mut status = engine.status();
    engine.nudge();
    wait_status(&mut status, "both sent", 20, |s| {
        s.phase == SyncPhase::Idle && s.pending == 0 && s.last_success_at.is_some()
    })
    .await;
    assert_eq!(district_count(&district.url()).await, 2);

    let store = station.store();
    let store = store.lock().unwrap();
    for (id, clerk) in [(first, "测试窗口人员"), (second, "李四")] {
        let case = store.get_case(id).unwrap().unwrap();
        assert_eq!(case.clerk, clerk, "a case keeps the clerk who accepted it");
        assert_eq!(case.sync_state, SyncState::Synced);
    }
}
