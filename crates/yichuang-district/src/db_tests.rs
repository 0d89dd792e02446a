use super::*;
use yichuang_sync::testing::sample_submission;

fn ts(s: &str) -> Timestamp {
    s.parse().unwrap()
}

fn store(conn: &mut Connection, sub: &CaseSubmission, now: Timestamp) -> Stored {
    let hash = sub.content_hash().unwrap();
    store_submission(conn, "440111", sub, &hash, "{}", now).unwrap()
}

#[test]
fn numbers_are_sequential_per_year_in_china_time() {
    let dir = tempfile::tempdir().unwrap();
    let mut conn = open(&dir.path().join("d.sqlite3")).unwrap();
    let a = sample_submission("440111001", 1);
    let b = sample_submission("440111001", 2);
    let c = sample_submission("440111001", 3);
    let no = |s: Stored| match s {
        Stored::Created(ack) => ack.official_case_no,
        other => panic!("{other:?}"),
    };
    assert_eq!(
        no(store(&mut conn, &a, ts("2026-06-01T02:00:00Z"))),
        "440111-2026-000001"
    );
    assert_eq!(
        no(store(&mut conn, &b, ts("2026-12-31T15:59:59Z"))),
        "440111-2026-000002"
    );
    // 16:00 UTC on Dec 31 is already New Year's Day in Guangzhou.
    assert_eq!(
        no(store(&mut conn, &c, ts("2026-12-31T16:00:00Z"))),
        "440111-2027-000001"
    );
    assert_eq!(count_cases(&conn, "440111001").unwrap(), 3);
}

#[test]
fn same_id_is_stored_once_and_changed_content_conflicts() {
    let dir = tempfile::tempdir().unwrap();
    let mut conn = open(&dir.path().join("d.sqlite3")).unwrap();
    let sub = sample_submission("440111001", 1);
    let first = match store(&mut conn, &sub, ts("2026-06-01T02:00:00Z")) {
        Stored::Created(ack) => ack,
        other => panic!("{other:?}"),
    };
    let again = store(&mut conn, &sub, ts("2026-06-02T02:00:00Z"));
    assert_eq!(
        again,
        Stored::Duplicate(SubmissionAck {
            duplicate: true,
            ..first.clone()
        })
    );
    let mut changed = sub.clone();
    changed.clerk = "另一位窗口人员".into();
    assert_eq!(
        store(&mut conn, &changed, ts("2026-06-02T02:00:00Z")),
        Stored::Conflict
    );
    assert_eq!(count_cases(&conn, "440111001").unwrap(), 1);
    assert_eq!(
        find_case(&conn, "440111001", sub.id)
            .unwrap()
            .unwrap()
            .official_case_no,
        first.official_case_no
    );
    assert_eq!(find_case(&conn, "440111002", sub.id).unwrap(), None);
}

#[test]
fn reopening_keeps_cases_and_the_counter() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("d.sqlite3");
    let now = ts("2026-06-01T02:00:00Z");
    {
        let mut conn = open(&path).unwrap();
        store(&mut conn, &sample_submission("440111001", 1), now);
    }
    let mut conn = open(&path).unwrap();
    match store(&mut conn, &sample_submission("440111001", 2), now) {
        Stored::Created(ack) => assert_eq!(ack.official_case_no, "440111-2026-000002"),
        other => panic!("{other:?}"),
    }
}
