//! Accepting cases, serials across restarts, the queue, search and the outbox for the sync engine.

use crate::common;

use common::{IMMEDIATE, PROMISED, TestStation, intake, ts};
use yichuang_core::{Applicant, CalendarBasis, CaseState, CoreError, IdType, SyncState};
use yichuang_store::StoreError;

#[test]
fn accepting_makes_case_outbox_and_audit_rows_with_a_working_day_deadline() {
    let t = TestStation::new("accept");
    let mut store = t.provision();
    // 2026-09-30 10:00 in China; 3 working days over National Day end on make-up Saturday 10-10.
    let now = ts("2026-09-30T02:00:00Z");
    let case = store.accept_case(intake(PROMISED), "张三", now).unwrap();
    assert_eq!(case.case_no, "L440111001-03-20260930-0001");
    assert_eq!(case.state, CaseState::Accepted);
    assert_eq!(case.sync_state, SyncState::Pending);
    assert_eq!(case.due_date, Some("2026-10-10".parse().unwrap()));
    assert!(matches!(
        case.deadline_basis,
        Some(CalendarBasis::Calendar { .. })
    ));
    assert_eq!(case.id.get_version_num(), 7);
    assert_eq!(
        store.get_case(case.id).unwrap().as_ref(),
        Some(&case),
        "reads back exactly"
    );

    let immediate = store.accept_case(intake(IMMEDIATE), "张三", now).unwrap();
    assert_eq!(immediate.case_no, "L440111001-03-20260930-0002");
    assert_eq!(immediate.due_date, None);
    assert_eq!(immediate.deadline_basis, None);

    assert_eq!(store.outbox_counts().unwrap(), (2, 0));
    let due = store.outbox_due(now, 10).unwrap().items;
    assert_eq!(due.len(), 2);
    assert!(due.iter().all(|d| d.revision == 1 && d.attempts == 0));
    assert!(store.verify_audit_chain().unwrap() >= 3);
}

#[test]
fn unknown_items_and_missing_catalogues_are_refused_without_using_a_serial() {
    let t = TestStation::new("unknown");
    let mut store = t.provision();
    let now = ts("2026-11-27T01:00:00Z");
    let mut bad = intake(PROMISED);
    bad.draft.item_code = "NOT-IN-CATALOGUE".into();
    let err = store.accept_case(bad, "张三", now).unwrap_err();
    assert!(matches!(err, StoreError::UnknownItem { .. }), "{err}");
    let mut incomplete = intake(PROMISED);
    incomplete.draft.materials.clear();
    let err = store.accept_case(incomplete, "张三", now).unwrap_err();
    assert!(
        matches!(err, StoreError::Core(CoreError::Invalid(_))),
        "{err}"
    );
    let ok = store.accept_case(intake(PROMISED), "张三", now).unwrap();
    assert!(
        ok.case_no.ends_with("-0001"),
        "failed attempts used no serial: {}",
        ok.case_no
    );
    assert_eq!(store.list_cases(10).unwrap().len(), 1);
}

#[test]
fn serials_survive_restarts_and_restart_per_day() {
    let t = TestStation::new("serials");
    let day1 = ts("2026-11-27T01:00:00Z");
    let mut store = t.provision();
    let a = store.accept_case(intake(PROMISED), "张三", day1).unwrap();
    let b = store.accept_case(intake(PROMISED), "张三", day1).unwrap();
    drop(store);
    let mut store = t.open();
    let c = store.accept_case(intake(PROMISED), "张三", day1).unwrap();
    drop(store);
    let mut store = t.open();
    let d = store.accept_case(intake(IMMEDIATE), "李四", day1).unwrap();
    // 16:30 UTC is already the next day in China.
    let e = store
        .accept_case(intake(PROMISED), "李四", ts("2026-11-27T16:30:00Z"))
        .unwrap();
    let numbers: Vec<_> = [&a, &b, &c, &d, &e]
        .iter()
        .map(|c| c.case_no.as_str())
        .collect();
    assert_eq!(
        numbers,
        [
            "L440111001-03-20261127-0001",
            "L440111001-03-20261127-0002",
            "L440111001-03-20261127-0003",
            "L440111001-03-20261127-0004",
            "L440111001-03-20261128-0001",
        ]
    );
    let listed: Vec<_> = store
        .list_cases(10)
        .unwrap()
        .into_iter()
        .map(|c| c.case_no)
        .collect();
    assert_eq!(
        listed.first().map(String::as_str),
        Some("L440111001-03-20261128-0001"),
        "newest first"
    );
    assert_eq!(listed.len(), 5);
    assert_eq!(store.list_cases(2).unwrap().len(), 2);
}

#[test]
fn search_finds_provisional_and_official_numbers() {
    let t = TestStation::new("search");
    let mut store = t.provision();
    let now = ts("2026-11-27T01:00:00Z");
    let a = store.accept_case(intake(PROMISED), "张三", now).unwrap();
    let b = store.accept_case(intake(PROMISED), "张三", now).unwrap();
    assert!(store.record_synced(b.id, 1, "BY2026112700042").unwrap());
    let found = |q: &str| -> Vec<String> {
        store
            .find_cases(q)
            .unwrap()
            .into_iter()
            .map(|c| c.case_no)
            .collect()
    };
    assert_eq!(found("20261127-0001"), [a.case_no.as_str()]);
    assert_eq!(
        found("l440111001-03-20261127-0001"),
        [a.case_no.as_str()],
        "ASCII case ignored"
    );
    assert_eq!(found("by2026112700042"), [b.case_no.as_str()]);
    assert_eq!(
        found("700042"),
        [b.case_no.as_str()],
        "the end of the district's number"
    );
    assert_eq!(found("L440111001-03-20261127").len(), 2);
    assert!(found("%").is_empty(), "wildcards are literal");
    assert!(found("   ").is_empty());
    let synced = store.get_case(b.id).unwrap().unwrap();
    assert_eq!(synced.official_case_no.as_deref(), Some("BY2026112700042"));
    assert_eq!(synced.sync_state, SyncState::Synced);
}

#[test]
fn an_edit_during_a_sync_survives_the_acknowledgement_of_the_old_revision() {
    let t = TestStation::new("stale");
    let mut store = t.provision();
    let now = ts("2026-11-27T01:00:00Z");
    let case = store.accept_case(intake(PROMISED), "张三", now).unwrap();
    let sent = store.outbox_due(now, 10).unwrap().items.remove(0);
    assert_eq!(sent.revision, 1);

    // The clerk corrects the phone while the sync is in flight.
    let mut edited = intake(PROMISED);
    edited.draft.contact.phone = "13900139000".into();
    store.update_intake(case.id, edited, "张三", now).unwrap();
    assert_eq!(store.case_revision(case.id).unwrap(), 2);

    assert!(
        !store.record_synced(case.id, sent.revision, "BY-1").unwrap(),
        "stale revision"
    );
    assert_eq!(
        store.outbox_counts().unwrap(),
        (1, 0),
        "the row stays for the next round"
    );
    let next = store.outbox_due(now, 10).unwrap().items;
    assert_eq!(next.len(), 1);
    assert_eq!(next[0].revision, 2);
    assert_eq!(next[0].case.intake.contact.phone, "13900139000");
    let still = store.get_case(case.id).unwrap().unwrap();
    assert_eq!(still.sync_state, SyncState::Pending);
    assert_eq!(still.official_case_no, None);

    assert!(store.record_synced(case.id, 2, "BY-1").unwrap());
    assert_eq!(store.outbox_counts().unwrap(), (0, 0));
    assert!(
        !store.record_synced(case.id, 2, "BY-1").unwrap(),
        "a repeated ack is harmless"
    );
    assert_eq!(
        store.get_case(case.id).unwrap().unwrap().sync_state,
        SyncState::Synced
    );
}

#[test]
fn failures_back_off_and_permanent_ones_are_quarantined_never_deleted() {
    let t = TestStation::new("failures");
    let mut store = t.provision();
    let now = ts("2026-11-27T01:00:00Z");
    let a = store.accept_case(intake(PROMISED), "张三", now).unwrap();
    let b = store.accept_case(intake(PROMISED), "张三", now).unwrap();

    let later = ts("2026-11-27T01:05:00Z");
    store
        .record_sync_failure(a.id, "连接被拒绝", false, later)
        .unwrap();
    let due_now: Vec<_> = store
        .outbox_due(now, 10)
        .unwrap()
        .items
        .into_iter()
        .map(|i| i.case.id)
        .collect();
    assert_eq!(due_now, [b.id], "a waits for its next attempt");
    let due_later = store.outbox_due(later, 10).unwrap().items;
    assert_eq!(due_later.len(), 2);
    assert_eq!(
        due_later
            .iter()
            .find(|i| i.case.id == a.id)
            .unwrap()
            .attempts,
        1
    );

    store
        .record_sync_failure(b.id, "409 内容不一致", true, later)
        .unwrap();
    assert_eq!(store.outbox_counts().unwrap(), (1, 1));
    assert!(
        store
            .outbox_due(ts("2030-01-01T00:00:00Z"), 10)
            .unwrap()
            .items
            .iter()
            .all(|i| i.case.id != b.id)
    );
    let quarantined = store.get_case(b.id).unwrap().unwrap();
    assert_eq!(quarantined.sync_state, SyncState::Quarantined);
    drop(store);
    let mut store = t.open();
    assert_eq!(
        store.outbox_counts().unwrap(),
        (1, 1),
        "kept across restarts"
    );
    assert!(matches!(
        store.record_sync_failure(uuid::Uuid::now_v7(), "x", false, later),
        Err(StoreError::NotInOutbox { .. })
    ));
}

#[test]
fn search_keys_follow_a_rename_and_a_new_accept_time() {
    let t = TestStation::new("search-keys");
    let mut store = t.provision();
    let now = ts("2026-11-27T01:00:00Z");
    let case = store.accept_case(intake(PROMISED), "张三", now).unwrap();
    let other = store.accept_case(intake(PROMISED), "张三", now).unwrap();
    let found = |store: &yichuang_store::Store, q: &str| -> Vec<String> {
        let mut v: Vec<String> = store
            .find_cases(q)
            .unwrap()
            .into_iter()
            .map(|c| c.case_no)
            .collect();
        v.sort();
        v
    };
    let both = {
        let mut v = vec![case.case_no.clone(), other.case_no.clone()];
        v.sort();
        v
    };
    // Found while their keys are pending (read directly) and once they are written.
    for written in [false, true] {
        if written {
            assert_eq!(store.write_search_keys(100).unwrap(), 2);
        }
        assert_eq!(found(&store, "堃喆"), both);
        assert_eq!(found(&store, "11010519491231002x"), both, "full ID");
        assert_eq!(found(&store, "1231002X"), both, "last digits of the ID");
        let serial = &case.case_no[case.case_no.len() - 4..];
        assert_eq!(
            found(&store, &case.case_no),
            vec![case.case_no.clone()],
            "whole number, once"
        );
        assert_eq!(
            found(&store, serial),
            vec![case.case_no.clone()],
            "its end, once"
        );
        let start = &case.case_no[..case.case_no.len() - 5];
        assert_eq!(found(&store, start), both, "the number's start, each once");
    }
    assert_eq!(store.search_keys_pending().unwrap(), 0);

    // The clerk corrects the applicant: a different person with a different ID.
    let mut edited = intake(PROMISED);
    edited.draft.applicant = Applicant::NaturalPerson {
        name: "李娜".into(),
        id_type: IdType::ResidentIdCard,
        id_no: "440106199005217329".into(),
        address: "广州市天河区".into(),
    };
    store.update_intake(case.id, edited, "张三", now).unwrap();
    assert_eq!(
        store.search_keys_pending().unwrap(),
        1,
        "the rewrite's keys follow"
    );
    for written in [false, true] {
        if written {
            assert_eq!(store.write_search_keys(100).unwrap(), 1);
        }
        assert_eq!(
            found(&store, "堃喆"),
            vec![other.case_no.clone()],
            "old name gone"
        );
        assert_eq!(found(&store, "李娜"), vec![case.case_no.clone()]);
        assert_eq!(found(&store, "娜"), vec![case.case_no.clone()]);
        assert_eq!(
            found(&store, "440106199005217329"),
            vec![case.case_no.clone()]
        );
        assert_eq!(found(&store, "7329"), vec![case.case_no.clone()]);
        assert_eq!(
            found(&store, "11010519491231002X"),
            vec![other.case_no.clone()]
        );
    }
    let pieces: i64 = t
        .raw_connection()
        .query_row(
            "SELECT count(*) FROM case_name_grams g JOIN cases c ON c.rowid = g.case_row
             WHERE c.id = ?1",
            [case.id.to_string()],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(pieces, 3, "李, 娜, 李娜 and nothing of the old name");
    assert_eq!(
        store
            .latest_case_of_applicant("440106199005217329")
            .unwrap()
            .map(|c| c.id),
        Some(case.id),
        "a returning applicant is found by the new ID"
    );
}

#[test]
fn a_clock_set_back_does_not_hold_the_queue() {
    let t = TestStation::new("clock-jump");
    let mut store = t.provision();
    let now = ts("2026-11-27T01:00:00Z");
    let soon = store.accept_case(intake(PROMISED), "张三", now).unwrap();
    let stranded = store.accept_case(intake(PROMISED), "张三", now).unwrap();
    // A retry ten minutes away waits; one a day away was scheduled by a clock a day ahead
    // (since set right) and must not wait a day.
    store
        .record_sync_failure(soon.id, "区级系统繁忙", false, ts("2026-11-27T01:10:00Z"))
        .unwrap();
    store
        .record_sync_failure(
            stranded.id,
            "区级系统繁忙",
            false,
            ts("2026-11-28T01:00:00Z"),
        )
        .unwrap();
    let due: Vec<_> = store
        .outbox_due(now, 10)
        .unwrap()
        .items
        .into_iter()
        .map(|i| i.case.id)
        .collect();
    assert_eq!(due, [stranded.id]);
}

#[test]
fn the_outbox_is_read_in_pages_in_send_order() {
    let t = TestStation::new("outbox-pages");
    let mut store = t.provision();
    let now = ts("2026-11-27T01:00:00Z");
    for _ in 0..5 {
        store.accept_case(intake(PROMISED), "张三", now).unwrap();
    }
    let whole: Vec<_> = store
        .outbox_due(now, 10)
        .unwrap()
        .items
        .into_iter()
        .map(|i| i.case.id)
        .collect();
    assert_eq!(whole.len(), 5);
    let order = store.outbox_due_order(now, 10).unwrap();
    assert_eq!(order.len(), 5);
    let mut paged = Vec::new();
    for page in order.chunks(2) {
        let due = store.outbox_entries(page).unwrap();
        assert!(due.unreadable.is_empty());
        paged.extend(due.items.iter().map(|i| i.case.id));
    }
    assert_eq!(paged, whole, "the same rows in the same order, each once");
    let mut reversed = order.clone();
    reversed.reverse();
    let back: Vec<_> = store
        .outbox_entries(&reversed)
        .unwrap()
        .items
        .into_iter()
        .map(|i| i.case.id.to_string())
        .collect();
    assert_eq!(back, reversed, "in the order asked");
}

#[test]
fn one_answer_is_one_audit_row_naming_every_official_number() {
    use yichuang_store::SyncOutcome;
    let t = TestStation::new("sync-audit");
    let mut store = t.provision();
    let now = ts("2026-11-27T01:00:00Z");
    let a = store.accept_case(intake(PROMISED), "张三", now).unwrap();
    let b = store.accept_case(intake(PROMISED), "张三", now).unwrap();
    let done = store
        .record_sync_outcomes(&[
            SyncOutcome::Acknowledged {
                case_id: a.id,
                revision: 1,
                official_case_no: "440111-2026-000007".into(),
            },
            SyncOutcome::Acknowledged {
                case_id: b.id,
                revision: 1,
                official_case_no: "440111-2026-000012".into(),
            },
        ])
        .unwrap();
    assert_eq!(done.synced, 2);
    let rows: Vec<(String, String)> = t
        .raw_connection()
        .prepare("SELECT target, result FROM audit_log WHERE event = 'case.synced'")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    assert_eq!(
        rows,
        [(
            "440111-2026-000007,440111-2026-000012".to_string(),
            "ok 2".to_string()
        )]
    );
    assert!(store.verify_audit_chain().unwrap() >= 3);
}

#[test]
fn a_case_is_rated_once_and_its_rating_waits_for_the_case_to_reach_the_district() {
    use yichuang_core::EvaluationLevel;
    use yichuang_store::{Evaluation, EvaluationSent, SyncOutcome};
    let t = TestStation::new("evaluations");
    let mut store = t.provision();
    let now = ts("2026-11-27T01:00:00Z");
    let case = store.accept_case(intake(PROMISED), "张三", now).unwrap();
    let rating = Evaluation {
        id: uuid::Uuid::now_v7(),
        case_id: case.id,
        level: EvaluationLevel::Satisfied,
        comment: None,
        channel: "station-screen".into(),
        rated_at: now,
    };
    assert_eq!(store.record_evaluation(&rating, "张三").unwrap(), rating);
    assert_eq!(
        store.record_evaluation(&rating, "张三").unwrap(),
        rating,
        "a retry"
    );
    let again = Evaluation {
        id: uuid::Uuid::now_v7(),
        ..rating.clone()
    };
    let refused = store.record_evaluation(&again, "张三").unwrap_err();
    assert!(refused.to_string().contains("一次一评"), "{refused}");
    let too_long = Evaluation {
        id: uuid::Uuid::now_v7(),
        comment: Some("好".repeat(501)),
        ..rating.clone()
    };
    assert!(store.record_evaluation(&too_long, "张三").is_err());
    let nowhere = Evaluation {
        id: uuid::Uuid::now_v7(),
        case_id: uuid::Uuid::now_v7(),
        ..rating.clone()
    };
    assert!(matches!(
        store.record_evaluation(&nowhere, "张三"),
        Err(StoreError::CaseNotFound { .. })
    ));

    assert!(
        store.evaluations_to_send(10).unwrap().is_empty(),
        "case not synced yet"
    );
    store
        .record_sync_outcomes(&[SyncOutcome::Acknowledged {
            case_id: case.id,
            revision: 1,
            official_case_no: "440111-2026-000001".into(),
        }])
        .unwrap();
    assert_eq!(store.evaluations_to_send(10).unwrap(), vec![rating.clone()]);
    store
        .record_evaluations_sent(&[EvaluationSent::Stored(rating.id)])
        .unwrap();
    assert!(store.evaluations_to_send(10).unwrap().is_empty());
    assert_eq!(store.evaluations_pending().unwrap(), 0);
    assert!(store.verify_audit_chain().unwrap() >= 3);
}
