//! Switching clerks never stops or mixes sync: cases keep the clerk who accepted them, and
//! the sync engine sends them whoever is logged in, with the window locked, or with nobody
//! logged in at all (it runs on the store, not on the session). Real station, real district.

use yichuang_core::{Applicant, IdType, IntakeDecision, ReceivedMaterial, Role, SyncState};
use yichuang_station::{NewClerkForm, Station};
use yichuang_sync::{SyncEngine, SyncPhase};
use yichuang_tests::station::demo_station;
use yichuang_tests::sync_env::{
    district_count, fast_config, start_district, unused_addr, wait_status,
};

/// 广东省居住证申领 in the shipped catalogue.
const RESIDENCE_PERMIT: &str = "114401110075061234200011000101";

/// Accepts a 居住证 case for `id_no` as the logged-in clerk.
fn accept(station: &Station, id_no: &str) -> uuid::Uuid {
    let mut form = station.start_intake(RESIDENCE_PERMIT).unwrap();
    let item = station.item(RESIDENCE_PERMIT).unwrap();
    form.draft.applicant = Applicant::NaturalPerson {
        name: "王堃喆".into(),
        id_type: IdType::ResidentIdCard,
        id_no: id_no.into(),
        address: "广州市白云区太和镇".into(),
    };
    form.draft.contact.name = "王堃喆".into();
    form.draft.contact.phone = "13800138000".into();
    form.draft.materials = item
        .materials
        .iter()
        .filter(|m| m.material.required)
        .map(|m| ReceivedMaterial {
            code: m.material.code.clone(),
            form: m.material.form,
            count: m.material.copies,
        })
        .collect();
    station
        .decide(&form, &IntakeDecision::Accept)
        .unwrap()
        .case
        .id
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cases_keep_their_clerk_and_sync_with_the_window_locked_or_nobody_logged_in() {
    let addr = unused_addr();
    let root = tempfile::tempdir().unwrap();
    let t = demo_station(root.path(), &format!("http://{addr}"));
    let station = &t.station;
    station.login("demo", "demo1234").unwrap();
    station
        .add_local_clerk(&NewClerkForm {
            login: "li".into(),
            display_name: "李四".into(),
            password: "li-password".into(),
            role: Role::Clerk,
        })
        .unwrap();

    // demo accepts a case and locks; 李四 logs in (换人登录), accepts one, and logs out.
    let first = accept(station, "11010519491231002X");
    station.lock_session();
    station.login("li", "li-password").unwrap();
    let second = accept(station, "11010519491231002X");
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
