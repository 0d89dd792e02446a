//! Every intake outcome saved for real, repeated safely, corrected, supplemented; drafts.

use crate::common;

use common::{IMMEDIATE, PROMISED, TOLERANT, TestStation, draft, ts};
use uuid::Uuid;
use yichuang_core::{CaseOutcome, CaseState, IntakeDecision, MaterialDefect};

/// One number read through a second connection to the encrypted file, as the store wrote it.
fn count(t: &TestStation, sql: &str) -> i64 {
    t.raw_connection().query_row(sql, [], |r| r.get(0)).unwrap()
}

#[test]
fn repeating_a_decision_returns_the_saved_case_and_nothing_new() {
    let t = TestStation::new("repeat");
    let mut store = t.provision();
    let id = Uuid::now_v7();
    let now = ts("2026-11-30T02:00:00Z");
    let first = store
        .decide_case(id, &draft(PROMISED), &IntakeDecision::Accept, "张三", now)
        .unwrap();
    assert!(!first.already_saved);
    assert_eq!(first.case.id, id, "the draft's id becomes the case's");
    // A double click, a retry after a print error, a slow answer: same id again, even later
    // and with the form changed meanwhile.
    let mut changed = draft(PROMISED);
    changed.contact.phone = "13900139000".into();
    let again = store
        .decide_case(
            id,
            &changed,
            &IntakeDecision::Accept,
            "张三",
            ts("2026-11-30T02:05:00Z"),
        )
        .unwrap();
    assert!(again.already_saved);
    assert_eq!(again.case, first.case);
    assert_eq!(count(&t, "SELECT count(*) FROM cases"), 1);
    assert_eq!(count(&t, "SELECT count(*) FROM outbox"), 1);
    assert_eq!(
        count(&t, "SELECT last_serial FROM case_serials"),
        1,
        "no number used up"
    );
    assert_eq!(
        count(
            &t,
            "SELECT count(*) FROM audit_log WHERE event = 'case.accepted'"
        ),
        1
    );
    drop(store);
    // After a crash and restart too.
    let mut store = t.open();
    let after = store
        .decide_case(id, &draft(PROMISED), &IntakeDecision::Accept, "张三", now)
        .unwrap();
    assert!(after.already_saved);
    assert_eq!(after.case.case_no, first.case.case_no);
}

#[test]
fn tolerant_intake_then_supplement() {
    let t = TestStation::new("tolerant");
    let mut store = t.provision();
    let now = ts("2026-11-30T02:00:00Z");
    let decision = IntakeDecision::AcceptTolerant {
        supplement_by: "2026-12-04".parse::<jiff::civil::Date>().unwrap().into(),
    };
    let saved = store
        .decide_case(Uuid::now_v7(), &draft(TOLERANT), &decision, "张三", now)
        .unwrap()
        .case;
    assert_eq!(saved.state, CaseState::AcceptedTolerant);
    assert_eq!(
        saved.due_date,
        Some("2026-12-07".parse().unwrap()),
        "the clock runs"
    );
    assert!(
        store
            .overdue_supplements("2026-12-04".parse().unwrap())
            .unwrap()
            .is_empty()
    );
    let overdue = store
        .overdue_supplements("2026-12-05".parse().unwrap())
        .unwrap();
    assert_eq!(overdue.len(), 1);

    let done = store
        .record_supplement(saved.id, "李四", ts("2026-12-01T02:00:00Z"))
        .unwrap();
    assert!(!done.already_saved);
    assert_eq!(done.case.state, CaseState::Accepted);
    assert_eq!(done.case.due_date, saved.due_date);
    assert!(
        store
            .overdue_supplements("2026-12-05".parse().unwrap())
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        store.case_revision(saved.id).unwrap(),
        2,
        "queued again for the district"
    );
    let repeat = store
        .record_supplement(saved.id, "李四", ts("2026-12-01T03:00:00Z"))
        .unwrap();
    assert!(repeat.already_saved);
    assert_eq!(store.get_case(saved.id).unwrap().unwrap(), done.case);
}

#[test]
fn a_key_material_cannot_be_tolerated() {
    let t = TestStation::new("key");
    let mut store = t.provision();
    let mut d = draft(TOLERANT);
    d.materials.clear();
    let decision = IntakeDecision::AcceptTolerant {
        supplement_by: "2026-12-04".parse::<jiff::civil::Date>().unwrap().into(),
    };
    let err = store
        .decide_case(
            Uuid::now_v7(),
            &d,
            &decision,
            "张三",
            ts("2026-11-30T02:00:00Z"),
        )
        .unwrap_err();
    assert!(err.to_string().contains("居民身份证"), "{err}");
    assert_eq!(count(&t, "SELECT count(*) FROM cases"), 0);
}

#[test]
fn correction_waits_and_counts_from_the_completion_day() {
    let t = TestStation::new("correction");
    let mut store = t.provision();
    let mut d = draft(TOLERANT);
    d.materials.truncate(1);
    let notice = IntakeDecision::RequestCorrection {
        defects: vec![MaterialDefect {
            code: "M01".into(),
            problem: "证件已过期".into(),
        }],
    };
    let waiting = store
        .decide_case(
            Uuid::now_v7(),
            &d,
            &notice,
            "张三",
            ts("2026-11-30T02:00:00Z"),
        )
        .unwrap()
        .case;
    assert_eq!(waiting.state, CaseState::AwaitingCorrection);
    assert_eq!(
        waiting.due_date, None,
        "the clock does not run while waiting"
    );
    let CaseOutcome::CorrectionRequested { items, .. } = &waiting.outcome else {
        panic!("{:?}", waiting.outcome)
    };
    assert_eq!(items.len(), 2, "missing photo and the expired ID, once");
    assert_eq!(
        store.write_search_keys(100).unwrap(),
        1,
        "indexed after the commit"
    );

    // Three days later the applicant comes back with everything.
    let mut complete = d.clone();
    complete.materials = draft(TOLERANT).materials;
    complete.materials.push(yichuang_core::ReceivedMaterial {
        code: "M02".into(),
        form: yichuang_core::MaterialForm::Original,
        count: 2,
    });
    let later = ts("2026-12-03T01:00:00Z");
    let accepted = store
        .complete_correction(
            waiting.id,
            &complete,
            &IntakeDecision::Accept,
            "李四",
            later,
        )
        .unwrap();
    assert_eq!(accepted.case.state, CaseState::Accepted);
    assert_eq!(
        accepted.case.accepted_at, later,
        "accept date is the completion day"
    );
    assert_eq!(accepted.case.due_date, Some("2026-12-10".parse().unwrap()));
    assert_eq!(
        accepted.case.case_no, waiting.case_no,
        "the notice's number stays"
    );
    let again = store
        .complete_correction(
            waiting.id,
            &complete,
            &IntakeDecision::Accept,
            "李四",
            later,
        )
        .unwrap();
    assert!(again.already_saved);
    assert_eq!(count(&t, "SELECT count(*) FROM cases"), 1);
    assert_eq!(
        count(&t, "SELECT count(*) FROM case_name_grams"),
        0,
        "old keys gone"
    );
    assert_eq!(
        store.write_search_keys(100).unwrap(),
        1,
        "the new accept time's keys"
    );
    assert_eq!(
        count(
            &t,
            "SELECT count(*) FROM case_name_grams g JOIN cases c ON c.rowid = g.case_row
             WHERE g.accepted_at = c.accepted_at"
        ),
        5,
        "王, 堃, 喆, 王堃, 堃喆 under the new accept time, none left under the old one"
    );
    assert_eq!(count(&t, "SELECT count(*) FROM case_name_grams"), 5);
}

#[test]
fn rejection_and_on_the_spot_completion_are_recorded() {
    let t = TestStation::new("reject");
    let mut store = t.provision();
    let now = ts("2026-11-30T02:00:00Z");
    let rejected = store
        .decide_case(
            Uuid::now_v7(),
            &draft(PROMISED),
            &IntakeDecision::Reject {
                reasons: "申请事项依法不属于本机关职权范围".into(),
                referral: Some("广州市白云区市场监督管理局".into()),
            },
            "张三",
            now,
        )
        .unwrap()
        .case;
    assert_eq!(rejected.state, CaseState::Rejected);
    assert_eq!(rejected.due_date, None);
    let done = store
        .decide_case(
            Uuid::now_v7(),
            &draft(IMMEDIATE),
            &IntakeDecision::CompleteOnSpot {
                result: String::new(),
            },
            "张三",
            now,
        )
        .unwrap()
        .case;
    assert_eq!(done.state, CaseState::CompletedOnSpot);
    assert_eq!(
        count(
            &t,
            "SELECT count(*) FROM audit_log WHERE event IN ('case.rejected', 'case.completed_on_spot')"
        ),
        2
    );
    // Both go to the district like any case.
    assert_eq!(count(&t, "SELECT count(*) FROM outbox"), 2);
    assert_eq!(store.get_case(rejected.id).unwrap().unwrap(), rejected);
}

#[test]
fn drafts_are_kept_per_clerk_and_end_with_the_decision() {
    let t = TestStation::new("drafts");
    let mut store = t.provision();
    let id = Uuid::now_v7();
    let now = ts("2026-11-30T02:00:00Z");
    assert!(
        store
            .save_draft(id, "zhangsan", PROMISED, r#"{"step":1}"#, now)
            .unwrap()
    );
    assert!(
        store
            .save_draft(id, "zhangsan", PROMISED, r#"{"step":2}"#, now)
            .unwrap()
    );
    assert!(
        !store
            .save_draft(id, "lisi", PROMISED, r#"{"other":true}"#, now)
            .unwrap(),
        "another clerk cannot overwrite it"
    );
    drop(store);
    let mut store = t.open();
    let drafts = store.drafts_of("zhangsan").unwrap();
    assert_eq!(drafts.len(), 1);
    assert_eq!(drafts[0].form_json, r#"{"step":2}"#);
    assert!(store.drafts_of("lisi").unwrap().is_empty());

    let foreign = store
        .decide_case(id, &draft(PROMISED), &IntakeDecision::Accept, "lisi", now)
        .unwrap_err();
    assert!(foreign.to_string().contains("找不到该受理单"), "{foreign}");
    assert!(
        !store.discard_draft(id, "lisi").unwrap(),
        "not lisi's to drop"
    );
    store
        .decide_case(
            id,
            &draft(PROMISED),
            &IntakeDecision::Accept,
            "zhangsan",
            now,
        )
        .unwrap();
    assert!(
        store.draft(id).unwrap().is_none(),
        "the case replaced the draft"
    );
    assert!(
        !store
            .save_draft(id, "zhangsan", PROMISED, "{}", now)
            .unwrap(),
        "a late save after 受理 brings no draft back"
    );
    assert!(store.drafts_of("zhangsan").unwrap().is_empty());
}
