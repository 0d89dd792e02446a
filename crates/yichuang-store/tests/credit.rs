//! The demo 信用红黑名单 in a real station: hits, misses, expiry, acknowledgement, re-import.

use crate::common;

use common::TestStation;
use jiff::civil::Date;
use uuid::Uuid;
use yichuang_core::{CreditList, CreditListKind};
use yichuang_store::StoreError;

const CLERK: &str = "zhangsan";

fn demo() -> CreditList {
    CreditList::from_json(include_str!("../../../assets/demo/credit-list.json")).unwrap()
}

fn today() -> Date {
    "2026-11-27".parse().unwrap()
}

fn count(t: &TestStation, sql: &str) -> i64 {
    t.raw_connection().query_row(sql, [], |r| r.get(0)).unwrap()
}

#[test]
fn the_demo_list_answers_black_red_miss_and_ignores_expired_entries() {
    let t = TestStation::new("credit-check");
    let mut store = t.provision();
    assert_eq!(store.credit_list().unwrap(), None);
    assert_eq!(
        store.credit_check("440524188001010014", today()).unwrap(),
        None,
        "no list yet: nobody is listed"
    );
    store.import_credit_list(&demo()).unwrap();
    assert_eq!(store.credit_list().unwrap(), Some(demo()));

    let black = store.credit_check("440524188001010014", today()).unwrap();
    let black = black.expect("black-listed person");
    assert_eq!(black.kind, CreditListKind::Black);
    assert!(black.measure.contains("不适用容缺受理"));
    let firm = store.credit_check(" 91310110666007217t ", today()).unwrap();
    assert_eq!(firm.map(|e| e.kind), Some(CreditListKind::Black));

    let red = store.credit_check("44011119560101001x", today()).unwrap();
    assert_eq!(red.map(|e| e.kind), Some(CreditListKind::Red));

    assert_eq!(
        store.credit_check("11010519491231002X", today()).unwrap(),
        None
    );
    // 刘建明's entry ended on 2026-03-31: in force that day, ignored the next.
    let last_day = "2026-03-31".parse().unwrap();
    assert!(
        store
            .credit_check("440111197209151634", last_day)
            .unwrap()
            .is_some()
    );
    assert_eq!(
        store.credit_check("440111197209151634", today()).unwrap(),
        None
    );

    let (target, actor): (String, String) = t
        .raw_connection()
        .query_row(
            "SELECT target, actor FROM audit_log WHERE event = 'credit_list.imported'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(
        (target.as_str(), actor.as_str()),
        ("demo-2026.12", "system")
    );
}

#[test]
fn a_black_list_hit_is_acknowledged_once_and_audited_without_personal_data() {
    let t = TestStation::new("credit-ack");
    let mut store = t.provision();
    store.import_credit_list(&demo()).unwrap();
    let intake = Uuid::now_v7();
    let entry = store
        .credit_check("440524188001010014", today())
        .unwrap()
        .unwrap();
    assert!(!store.black_list_acknowledged(intake).unwrap());
    assert!(store.acknowledge_black_list(intake, &entry, CLERK).unwrap());
    assert!(store.black_list_acknowledged(intake).unwrap());
    assert!(!store.black_list_acknowledged(Uuid::now_v7()).unwrap());
    assert!(
        !store.acknowledge_black_list(intake, &entry, CLERK).unwrap(),
        "a second click records nothing new"
    );

    let (kind, reason, clerk): (String, String, String) = t
        .raw_connection()
        .query_row(
            "SELECT subject_kind, entry_reason, clerk FROM credit_acknowledgements",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!((kind.as_str(), clerk.as_str()), ("person", CLERK));
    assert_eq!(reason, entry.reason);
    let (actor, target, result): (String, String, String) = t
        .raw_connection()
        .query_row(
            "SELECT actor, target, result FROM audit_log
             WHERE event = 'credit.black_list_acknowledged'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!((actor.as_str(), result.as_str()), (CLERK, "ok"));
    assert_eq!(target, intake.to_string());
    let personal = "SELECT count(*) FROM audit_log
        WHERE target LIKE '%440524%' OR target LIKE '%陈国栋%' OR target LIKE '%失信%'";
    assert_eq!(count(&t, personal), 0);
    store.verify_audit_chain().unwrap();

    let red = store
        .credit_check("440106199005217329", today())
        .unwrap()
        .unwrap();
    let err = store
        .acknowledge_black_list(intake, &red, CLERK)
        .unwrap_err();
    assert!(matches!(err, StoreError::InvalidInput(_)), "{err}");
    assert_eq!(count(&t, "SELECT count(*) FROM credit_acknowledgements"), 1);
}

#[test]
fn a_new_import_replaces_the_current_list_and_survives_reopen() {
    let t = TestStation::new("credit-reimport");
    let mut store = t.provision();
    store.import_credit_list(&demo()).unwrap();
    let mut next = demo();
    next.version = "demo-2027.01".into();
    // 陈国栋 was taken off the list; 张三 was added.
    next.entries
        .retain(|e| e.subject_no != "440524188001010014");
    let mut added = next.entries[0].clone();
    added.subject_no = "11010519491231002X".into();
    next.entries.push(added);
    store.import_credit_list(&next).unwrap();

    drop(store);
    let store = t.open();
    assert_eq!(
        store.credit_list().unwrap().unwrap().version,
        "demo-2027.01"
    );
    assert_eq!(
        store.credit_check("440524188001010014", today()).unwrap(),
        None
    );
    assert!(
        store
            .credit_check("11010519491231002X", today())
            .unwrap()
            .is_some()
    );
    assert_eq!(count(&t, "SELECT count(*) FROM credit_list"), 2);
    assert_eq!(
        count(
            &t,
            "SELECT count(*) FROM audit_log WHERE event = 'credit_list.imported'"
        ),
        2
    );

    let mut store = store;
    let mut blank = demo();
    blank.version = "  ".into();
    let err = store.import_credit_list(&blank).unwrap_err();
    assert!(matches!(err, StoreError::InvalidInput(_)), "{err}");
    assert_eq!(
        store.credit_list().unwrap().unwrap().version,
        "demo-2027.01"
    );
}
