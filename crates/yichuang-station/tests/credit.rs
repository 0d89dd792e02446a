//! The 信用红黑名单 at the counter on a real provisioned station (SQLCipher file, key in the
//! real OS keyring, shipped demo list): run under crates/yichuang-store/with-keyring.sh.

use crate::common;
use yichuang_core::{CaseQuery, CreditList, CreditListKind};
use yichuang_core::{CaseState, IntakeDecision};

use common::{DEMO_ID, RESIDENCE_PERMIT, filled_for, station};
use yichuang_station::{CreditHint, ErrorKind, IntakeForm, Station, StationConfig};

/// A started intake of the residence permit for a natural person with this ID number.
fn filled(station: &Station, id_no: &str) -> IntakeForm {
    filled_for(station, RESIDENCE_PERMIT, id_no)
}

/// 陈国栋, 失信被执行人 in the demo list until 2028-12-31.
const BLACK_ID: &str = "440524188001010014";
/// 周晓敏, 守信红名单 in the demo list until 2028-12-31.
const RED_ID: &str = "440106199005217329";
/// 上海云岭贸易有限公司, 重大税收违法失信主体 until 2029-06-30.
const BLACK_USCC: &str = "91310110666007217T";

/// How many audit records the station holds (the chain is verified on the way).
fn audit_rows(station: &Station) -> u64 {
    let store = station.store();
    let store = store.lock().unwrap();
    store.verify_audit_chain().expect("intact audit chain")
}

fn cases(station: &Station) -> usize {
    station.search_cases(&CaseQuery::default()).unwrap().len()
}

#[test]
fn a_black_hit_refuses_the_decision_until_acknowledged_once() {
    let f = station();
    let form = filled(&f.station, BLACK_ID);

    let hint: CreditHint = f
        .station
        .credit_check(&form.id, BLACK_ID)
        .unwrap()
        .expect("on the black list");
    assert_eq!(hint.kind, CreditListKind::Black);
    assert_eq!(hint.label, "失信黑名单");
    assert_eq!(hint.name, "陈国栋");
    assert_eq!(hint.valid_until.as_deref(), Some("2028-12-31"));
    assert!(hint.needs_acknowledgement && !hint.acknowledged);
    assert!(
        hint.message
            .starts_with("该申请人在失信黑名单中：失信被执行人")
            && hint.message.contains("限制高消费")
            && hint.message.ends_with("确认已知悉后方可提交。"),
        "{}",
        hint.message
    );

    let refused = f
        .station
        .decide(&form, &IntakeDecision::Accept)
        .expect_err("refused before acknowledgement");
    assert_eq!(refused.kind, ErrorKind::InvalidInput);
    let credit: Vec<_> = refused
        .issues
        .iter()
        .filter(|i| i.field == "credit")
        .collect();
    assert_eq!(credit.len(), 1, "{:?}", refused.issues);
    assert_eq!(credit[0].code, "black_list_unacknowledged");
    assert!(credit[0].is_error());
    assert_eq!(credit[0].message, hint.message);
    assert_eq!(cases(&f.station), 0, "nothing saved");

    let before = audit_rows(&f.station);
    let acked = f
        .station
        .acknowledge_black_list(&form.id, BLACK_ID)
        .unwrap();
    assert!(acked.acknowledged && !acked.needs_acknowledgement);
    assert!(acked.message.ends_with("已确认知悉，请依规办理。"));
    assert_eq!(
        audit_rows(&f.station),
        before + 1,
        "acknowledgement audited"
    );
    let again = f
        .station
        .acknowledge_black_list(&form.id, BLACK_ID)
        .unwrap();
    assert_eq!(again, acked);
    assert_eq!(audit_rows(&f.station), before + 1, "audited once");
    let seen = f.station.credit_check(&form.id, BLACK_ID).unwrap().unwrap();
    assert_eq!(seen, acked, "the check reads the acknowledgement back");

    let result = f.station.decide(&form, &IntakeDecision::Accept).unwrap();
    assert!(!result.already_saved);
    assert_eq!(result.case.state, CaseState::Accepted);
    let note = result.credit_note.expect("black note");
    assert!(note.starts_with("失信黑名单"), "{note}");
    assert_eq!(cases(&f.station), 1);
}

#[test]
fn an_acknowledgement_belongs_to_its_intake() {
    let f = station();
    let first = filled(&f.station, BLACK_ID);
    f.station
        .acknowledge_black_list(&first.id, BLACK_ID)
        .unwrap();
    let second = filled(&f.station, BLACK_ID);
    let hint = f
        .station
        .credit_check(&second.id, BLACK_ID)
        .unwrap()
        .unwrap();
    assert!(hint.needs_acknowledgement, "a new intake asks again");
    let refused = f
        .station
        .decide(&second, &IntakeDecision::Accept)
        .unwrap_err();
    assert!(refused.issues.iter().any(|i| i.field == "credit"));
}

#[test]
fn a_black_listed_organisation_is_found_by_its_uscc() {
    let f = station();
    let form = filled(&f.station, DEMO_ID);
    let hint = f
        .station
        .credit_check(&form.id, " 91310110666007217t ")
        .unwrap()
        .expect("listed organisation");
    assert_eq!(hint.kind, CreditListKind::Black);
    assert_eq!(hint.name, "上海云岭贸易有限公司");
    assert!(
        f.station
            .credit_check(&form.id, BLACK_USCC)
            .unwrap()
            .is_some()
    );
}

#[test]
fn a_red_hit_marks_the_green_channel_once() {
    let f = station();
    // The first slip also makes the station's QR signing key (one audit row of its own).
    let first = filled(&f.station, DEMO_ID);
    f.station.decide(&first, &IntakeDecision::Accept).unwrap();
    let plain = filled(&f.station, DEMO_ID);
    let before = audit_rows(&f.station);
    let plain_result = f.station.decide(&plain, &IntakeDecision::Accept).unwrap();
    assert_eq!(plain_result.credit_note, None);
    let plain_rows = audit_rows(&f.station) - before;

    let form = filled(&f.station, RED_ID);
    let hint = f
        .station
        .credit_check(&form.id, RED_ID)
        .unwrap()
        .expect("red");
    assert_eq!(hint.kind, CreditListKind::Red);
    assert_eq!(hint.label, "守信红名单");
    assert!(!hint.needs_acknowledgement && !hint.acknowledged);
    assert_eq!(
        hint.message,
        "该申请人在守信红名单中，本件走绿色通道（容缺受理、优先办理）。"
    );
    let refused = f
        .station
        .acknowledge_black_list(&form.id, RED_ID)
        .unwrap_err();
    assert_eq!(refused.kind, ErrorKind::InvalidInput);

    let before = audit_rows(&f.station);
    let result = f.station.decide(&form, &IntakeDecision::Accept).unwrap();
    let note = result.credit_note.clone().expect("green channel note");
    assert!(
        note.contains("绿色通道") && note.contains("守信红名单"),
        "{note}"
    );
    assert_eq!(
        audit_rows(&f.station) - before,
        plain_rows + 1,
        "the green channel is audited with the case"
    );

    let before = audit_rows(&f.station);
    let repeat = f.station.decide(&form, &IntakeDecision::Accept).unwrap();
    assert!(repeat.already_saved);
    assert_eq!(repeat.credit_note, result.credit_note);
    assert_eq!(
        audit_rows(&f.station),
        before,
        "a repeat press audits nothing"
    );
}

#[test]
fn the_demo_applicant_and_unknown_numbers_are_on_no_list() {
    let f = station();
    let form = filled(&f.station, DEMO_ID);
    assert_eq!(f.station.credit_check(&form.id, DEMO_ID).unwrap(), None);
    assert_eq!(f.station.credit_check(&form.id, "").unwrap(), None);
    assert_eq!(
        f.station
            .credit_check(&form.id, "440308199901101513")
            .unwrap(),
        None
    );
    let result = f.station.decide(&form, &IntakeDecision::Accept).unwrap();
    assert_eq!(result.credit_note, None);
    let refused = f
        .station
        .acknowledge_black_list(&form.id, DEMO_ID)
        .unwrap_err();
    assert_eq!(refused.kind, ErrorKind::InvalidInput);
}

#[test]
fn provisioning_ships_the_demo_list_and_the_district_list_replaces_it() {
    let f = station();
    let shipped = f.station.ensure_credit_list().unwrap();
    assert_eq!(shipped.version, "demo-2026.12");
    let rows = audit_rows(&f.station);
    f.station.ensure_credit_list().unwrap();
    assert_eq!(
        audit_rows(&f.station),
        rows,
        "a station with a list keeps it"
    );

    let district = CreditList {
        version: "district-2026.12.01".into(),
        entries: shipped
            .entries
            .iter()
            .filter(|e| e.subject_no != BLACK_ID)
            .cloned()
            .collect(),
    };
    f.station
        .store()
        .lock()
        .unwrap()
        .import_credit_list(&district)
        .unwrap();
    let form = filled(&f.station, BLACK_ID);
    assert_eq!(f.station.credit_check(&form.id, BLACK_ID).unwrap(), None);
    assert_eq!(
        f.station.ensure_credit_list().unwrap().version,
        "district-2026.12.01"
    );
    f.station.decide(&form, &IntakeDecision::Accept).unwrap();
}

#[test]
fn checks_need_a_logged_in_clerk_and_a_real_intake_id() {
    let f = station();
    let form = filled(&f.station, BLACK_ID);
    let bad = f.station.credit_check("not-an-id", BLACK_ID).unwrap_err();
    assert_eq!(bad.kind, ErrorKind::InvalidInput);
    f.station.logout();
    let out = f.station.credit_check(&form.id, BLACK_ID).unwrap_err();
    assert_eq!(out.kind, ErrorKind::NotLoggedIn);
    let out = f
        .station
        .acknowledge_black_list(&form.id, BLACK_ID)
        .unwrap_err();
    assert_eq!(out.kind, ErrorKind::NotLoggedIn);
}

#[test]
fn a_station_provisioned_before_lists_were_shipped_gets_the_demo_list() {
    use yichuang_core::StationCode;
    use yichuang_store::{KeyringStore, ProvisionInput, StationPaths, Store};

    let dir = tempfile::tempdir().expect("temp dir");
    let config = StationConfig {
        data_dir: dir.path().join("station"),
        keyring_service: format!("yichuang-station-test-{}", uuid::Uuid::now_v7()),
    };
    // Provisioned as it was before this change: catalogue and calendar, no credit list.
    let mut store = Store::provision(
        &StationPaths::new(config.data_dir.clone()),
        &KeyringStore::new(&config.keyring_service),
        ProvisionInput {
            station_code: StationCode::try_from("440111001".to_string()).unwrap(),
            station_name: "白云区测试便民服务站".into(),
            counter: 1,
            region_code: "440111".into(),
            district_url: "http://127.0.0.1:9".into(),
            district_token: "t".into(),
            evaluation_base_url: "http://127.0.0.1:9/hcp".into(),
            recovery_passphrase: "test-recovery-passphrase".into(),
        },
    )
    .unwrap();
    store.add_clerk("demo", "测试窗口人员", "demo1234").unwrap();
    store
        .import_catalogue(&yichuang_station::provision::shipped_catalogue().unwrap())
        .unwrap();
    assert_eq!(store.credit_list().unwrap(), None);
    drop(store);

    let station = Station::open(&config).unwrap();
    station.login("demo", "demo1234").unwrap();
    let form = filled(&station, BLACK_ID);
    let hint = station.credit_check(&form.id, BLACK_ID).unwrap();
    assert!(hint.is_some_and(|h| h.needs_acknowledgement));
    assert_eq!(
        station.ensure_credit_list().unwrap().version,
        "demo-2026.12"
    );
    assert!(station.decide(&form, &IntakeDecision::Accept).is_err());
}
