//! The sync page's engine side: the district view (never the token), an address the station
//! would not use is refused, and quarantined cases are listed and released by the logged-in
//! clerk with a reason. Real station, run under crates/yichuang-store/with-keyring.sh.

use crate::common;

use common::{RESIDENCE_PERMIT, filled, station};
use jiff::Timestamp;
use uuid::Uuid;
use yichuang_core::IntakeDecision;
use yichuang_station::ErrorKind;

#[test]
fn the_district_view_says_enrolled_and_refuses_clear_text_to_another_machine() {
    let f = station();
    let view = f.station.district().unwrap();
    assert!(view.enrolled, "provisioned with a token");
    assert!(view.enrolled_label.starts_with("已登记"));
    assert_eq!(view.url, "http://127.0.0.1:9");
    let refused = f
        .station
        .set_district_url("http://192.168.1.20:8741")
        .unwrap_err();
    assert_eq!(refused.kind, ErrorKind::InvalidInput);
    assert!(refused.message.contains("https"), "{refused:?}");
    let changed = f
        .station
        .set_district_url("https://zwfw.example.gov.cn/")
        .unwrap();
    assert_eq!(changed.url, "https://zwfw.example.gov.cn/");
    assert!(
        changed.enrolled,
        "changing the address keeps the enrollment"
    );
}

#[test]
fn a_quarantined_case_is_listed_and_released_by_the_clerk() {
    let f = station();
    let form = filled(&f.station, RESIDENCE_PERMIT);
    let case = f
        .station
        .decide(&form, &IntakeDecision::Accept)
        .unwrap()
        .case;
    f.station
        .store()
        .lock()
        .unwrap()
        .record_sync_failure(
            Uuid::parse_str(&case.id.to_string()).unwrap(),
            "区级系统已有同一编号但内容不同的办件，需人工核对",
            true,
            Timestamp::now(),
        )
        .unwrap();
    let rows = f.station.quarantined().unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].case_no, case.case_no);
    assert!(rows[0].reason.contains("内容不同"));
    assert!(rows[0].releasable);

    let no_reason = f
        .station
        .release_quarantined(&[rows[0].case_id.clone()], "")
        .unwrap_err();
    assert_eq!(no_reason.kind, ErrorKind::InvalidInput);
    assert_eq!(
        f.station
            .release_quarantined(&[rows[0].case_id.clone()], "区级已删除重复记录")
            .unwrap(),
        1
    );
    assert!(f.station.quarantined().unwrap().is_empty());

    f.station.logout();
    assert_eq!(
        f.station.quarantined().unwrap_err().kind,
        ErrorKind::NotLoggedIn
    );
}
