//! Upgrade test from a stored schema-1 database, and the (ignored) test that made that file.
//!
//! `tests/fixtures/station-v1.db` is a real SQLCipher file at user_version 1, keyed with
//! [`FIXTURE_KEY`]. It was written once by `make_v1_fixture` and is never regenerated: it
//! stands for databases already in the field.

use std::path::PathBuf;

use jiff::Timestamp;
use yichuang_core::{
    Applicant, Catalogue, ContactInfo, DeliveryMethod, HolidayCalendar, IdType, IntakeDraft,
    MaterialForm, ReceivedMaterial, StationCode, ValidIntake,
};

use crate::db::{Create, open_keyed};
use crate::{DbKey, KeyringStore, StationPaths, StationSettings, Store, migrations, settings};

/// The fixed test key of the fixture (32 ASCII bytes).
const FIXTURE_KEY: &[u8; 32] = b"yichuang-fixture-key-0001-schema";
const FIXTURE_PASSWORD: &str = "fixture-password-1";
const FIXTURE_ITEM: &str = "FIX-PROMISED-5";

fn fixture_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/station-v1.db")
}

fn fixture_key() -> DbKey {
    DbKey::from_slice(&mut FIXTURE_KEY.to_vec()).unwrap()
}

fn ts(s: &str) -> Timestamp {
    s.parse().unwrap()
}

fn catalogue() -> Catalogue {
    Catalogue::from_json(
        r#"{"version":"fixture-1","region_code":"440111","items":[
        {"item_code":"FIX-PROMISED-5","name":"老年人优待证办理","department":"民政局",
         "kind":"promised","statutory_limit_days":20,"promised_limit_days":5,
         "materials":[{"code":"M01","name":"居民身份证","form":"original","copies":1,"required":true}]}]}"#,
    )
    .unwrap()
}

fn intake() -> ValidIntake {
    let cat = catalogue();
    IntakeDraft {
        item_code: FIXTURE_ITEM.into(),
        applicant: Applicant::NaturalPerson {
            name: "陈䶮".into(),
            id_type: IdType::ResidentIdCard,
            id_no: "440524188001010014".into(),
            address: String::new(),
        },
        contact: ContactInfo {
            name: "陈䶮".into(),
            phone: "13800138000".into(),
        },
        materials: vec![ReceivedMaterial {
            code: "M01".into(),
            form: MaterialForm::Original,
            count: 1,
        }],
        delivery: DeliveryMethod::Window,
        agent: None,
    }
    .validate(cat.item(FIXTURE_ITEM).unwrap())
    .unwrap()
}

/// Writes the schema-1 fixture. Run once by hand:
/// `with-keyring.sh cargo test -p yichuang-store make_v1_fixture -- --ignored`
#[test]
#[ignore = "writes tests/fixtures/station-v1.db; the committed file must not change"]
fn make_v1_fixture() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("station.db");
    let mut conn = open_keyed(&path, &fixture_key(), Create::Yes).unwrap();
    migrations::migrate_to(&mut conn, 1).unwrap();
    let tx = conn.transaction().unwrap();
    settings::write_all(
        &tx,
        &StationSettings {
            station_code: StationCode::try_from("440111017".to_string()).unwrap(),
            station_name: "白云区永平街道便民服务站".into(),
            counter: 1,
            region_code: "440111".into(),
            district_url: "http://127.0.0.1:9".into(),
            evaluation_base_url: "http://127.0.0.1:9/hcp".into(),
        },
    )
    .unwrap();
    // Schema 1 kept the district token in the settings table.
    settings::put(&tx, "district_token", "fixture-token").unwrap();
    tx.commit().unwrap();
    let mut store = Store {
        conn,
        paths: StationPaths::new(dir.path()),
        db_id: String::new(),
        keyring: KeyringStore::new("yichuang-upgrade-test-unused"),
        catalogues: Default::default(),
    };
    store.add_clerk("chenyi", "陈一", FIXTURE_PASSWORD).unwrap();
    store.import_catalogue(&catalogue()).unwrap();
    store
        .import_calendar(
            &HolidayCalendar::from_json(include_str!("../../../assets/calendar/holidays.json"))
                .unwrap(),
        )
        .unwrap();
    let a = store
        .accept_case(intake(), "陈一", ts("2026-11-27T01:00:00Z"))
        .unwrap();
    let b = store
        .accept_case(intake(), "陈一", ts("2026-11-27T02:00:00Z"))
        .unwrap();
    assert!(store.record_synced(a.id, 1, "BY-FIXTURE-0001").unwrap());
    store
        .record_sync_failure(b.id, "连接超时", false, ts("2026-11-27T02:05:00Z"))
        .unwrap();
    assert_eq!(migrations::user_version(&store.conn).unwrap(), 1);
    drop(store);
    std::fs::create_dir_all(fixture_path().parent().unwrap()).unwrap();
    std::fs::copy(&path, fixture_path()).unwrap();
}

#[test]
fn a_schema_1_station_upgrades_to_the_latest_version_and_keeps_its_rows() {
    let dir = tempfile::tempdir().unwrap();
    let paths = StationPaths::new(dir.path());
    std::fs::copy(fixture_path(), paths.db_path()).unwrap();
    let keyring = KeyringStore::new(format!(
        "yichuang-store-test-upgrade-{}",
        std::process::id()
    ));
    let db_id = paths.database_id().unwrap();
    keyring.set(&db_id, &fixture_key()).unwrap();
    let result = std::panic::catch_unwind(|| check_upgraded(&paths, &keyring));
    keyring.delete(&db_id).unwrap();
    let _ = keyring.delete_device_token(&db_id);
    result.unwrap();
}

fn check_upgraded(paths: &StationPaths, keyring: &KeyringStore) {
    {
        let raw = open_keyed(&paths.db_path(), &fixture_key(), Create::No).unwrap();
        assert_eq!(
            migrations::user_version(&raw).unwrap(),
            1,
            "the fixture is at schema 1"
        );
    }
    let mut store = Store::open(paths, keyring).unwrap();
    assert_eq!(
        store.device_token().unwrap().as_deref().map(String::as_str),
        Some("fixture-token"),
        "the token moved from the database into the keyring"
    );
    let left: i64 = store
        .conn
        .query_row(
            "SELECT count(*) FROM settings WHERE key = 'district_token'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(left, 0);
    assert_eq!(
        migrations::user_version(&store.conn).unwrap(),
        migrations::LATEST_VERSION
    );
    let s = store.settings().unwrap();
    assert_eq!(s.station_code.as_str(), "440111017");
    let old_hmac_key: i64 = store
        .conn
        .query_row(
            "SELECT count(*) FROM settings WHERE key = 'evaluation_key'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(old_hmac_key, 0, "the old HMAC key is gone (0012)");
    assert_eq!(
        store
            .verify_clerk("chenyi", FIXTURE_PASSWORD)
            .unwrap()
            .display_name,
        "陈一"
    );
    assert_eq!(store.catalogue().unwrap().version, "fixture-1");

    let cases = store.list_cases(10).unwrap();
    let numbers: Vec<_> = cases.iter().map(|c| c.case_no.as_str()).collect();
    assert_eq!(
        numbers,
        ["L440111017-01-20261127-0002", "L440111017-01-20261127-0001"]
    );
    assert_eq!(
        cases[1].official_case_no.as_deref(),
        Some("BY-FIXTURE-0001")
    );
    assert_eq!(cases[0].intake.applicant.name(), "陈䶮");
    assert_eq!(store.outbox_counts().unwrap(), (1, 0));
    assert_eq!(
        store
            .outbox_due(ts("2026-11-27T02:05:00Z"), 10)
            .unwrap()
            .items[0]
            .attempts,
        1
    );
    assert!(store.verify_audit_chain().unwrap() >= 6);

    // What 0002 added works, and the serial continues where schema 1 left it.
    assert_eq!(store.sync_cursor("cases").unwrap(), None);
    store.set_sync_cursor("cases", "c-42").unwrap();
    assert_eq!(store.sync_cursor("cases").unwrap().as_deref(), Some("c-42"));
    let c = store
        .accept_case(intake(), "陈一", ts("2026-11-27T03:00:00Z"))
        .unwrap();
    assert_eq!(c.case_no, "L440111017-01-20261127-0003");
}
