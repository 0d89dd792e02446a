//! The SQLite store on real files: numbering, idempotence, reopening, and a v1 database
//! (written before migrations were numbered) read by the v2 schema.

use jiff::Timestamp;
use rusqlite::Connection;
use yichuang_sync::protocol::{CaseSubmission, canonical_json};
use yichuang_sync::testing::sample_submission;

use super::*;

fn ts(s: &str) -> Timestamp {
    s.parse().unwrap()
}

fn prepared(sub: &CaseSubmission) -> PreparedRecord {
    PreparedRecord {
        submission: sub.clone(),
        hash: sub.content_hash().unwrap(),
        body: canonical_json(sub).unwrap(),
        revision: 1,
        clock_offset_ms: None,
        materials: vec![],
        protocol: 2,
    }
}

async fn store(s: &SqliteStore, sub: &CaseSubmission, now: Timestamp) -> StoreOutcome {
    let mut out = s
        .store_cases("440111", vec![prepared(sub)], now)
        .await
        .unwrap();
    out.remove(0)
}

fn no(outcome: StoreOutcome) -> String {
    match outcome {
        StoreOutcome::Created(ack) => ack.official_case_no,
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn numbers_are_sequential_per_year_in_china_time() {
    let dir = tempfile::tempdir().unwrap();
    let s = SqliteStore::open(&dir.path().join("d.sqlite3")).unwrap();
    let [a, b, c] = [1, 2, 3].map(|n| sample_submission("440111001", n));
    assert_eq!(
        no(store(&s, &a, ts("2026-06-01T02:00:00Z")).await),
        "440111-2026-000001"
    );
    assert_eq!(
        no(store(&s, &b, ts("2026-12-31T15:59:59Z")).await),
        "440111-2026-000002"
    );
    // 16:00 UTC on Dec 31 is already New Year's Day in Guangzhou.
    assert_eq!(
        no(store(&s, &c, ts("2026-12-31T16:00:00Z")).await),
        "440111-2027-000001"
    );
    assert_eq!(s.count_cases("440111001").await.unwrap(), 3);
}

#[tokio::test]
async fn same_id_is_stored_once_and_changed_content_conflicts() {
    let dir = tempfile::tempdir().unwrap();
    let s = SqliteStore::open(&dir.path().join("d.sqlite3")).unwrap();
    let sub = sample_submission("440111001", 1);
    let first = match store(&s, &sub, ts("2026-06-01T02:00:00Z")).await {
        StoreOutcome::Created(ack) => ack,
        other => panic!("{other:?}"),
    };
    let again = store(&s, &sub, ts("2026-06-02T02:00:00Z")).await;
    assert_eq!(
        again,
        StoreOutcome::Duplicate(SubmissionAck {
            duplicate: true,
            ..first.clone()
        })
    );
    let mut changed = sub.clone();
    changed.clerk = "另一位窗口人员".into();
    assert_eq!(
        store(&s, &changed, ts("2026-06-02T02:00:00Z")).await,
        StoreOutcome::Conflict
    );
    assert_eq!(s.count_cases("440111001").await.unwrap(), 1);
    let found = s.find_case("440111001", sub.id).await.unwrap().unwrap();
    assert_eq!(found.official_case_no, first.official_case_no);
    assert_eq!(s.find_case("440111002", sub.id).await.unwrap(), None);
}

#[tokio::test]
async fn a_v1_database_is_migrated_and_its_cases_stay_readable() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("d.sqlite3");
    let sub = sample_submission("440111001", 1);
    {
        // The v1 server's schema and one row as it wrote them (user_version 0).
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch(include_str!("../../../migrations/0001_cases.sql"))
            .unwrap();
        conn.execute(
            "INSERT INTO cases VALUES (?1, '440111001', 'L1', 'I1', ?2, '{}',
             '440111-2026-000007', '2026-06-01T02:00:00Z')",
            rusqlite::params![sub.id.to_string(), sub.content_hash().unwrap().as_str()],
        )
        .unwrap();
        conn.execute("INSERT INTO case_serials VALUES ('440111', 2026, 7)", [])
            .unwrap();
    }
    let s = SqliteStore::open(&path).unwrap();
    {
        let conn = s.conn.lock().unwrap();
        assert_eq!(
            migrations::version(&conn).unwrap(),
            6,
            "every step up to 0006"
        );
    }
    let found = s.find_case("440111001", sub.id).await.unwrap().unwrap();
    assert_eq!(found.official_case_no, "440111-2026-000007");
    let next = sample_submission("440111001", 2);
    assert_eq!(
        no(store(&s, &next, ts("2026-06-02T02:00:00Z")).await),
        "440111-2026-000008"
    );
    // A resend of the old case is still a duplicate with its old number.
    match store(&s, &sub, ts("2026-06-02T02:00:00Z")).await {
        StoreOutcome::Duplicate(ack) => assert_eq!(ack.official_case_no, "440111-2026-000007"),
        other => panic!("{other:?}"),
    }
    drop(s);
    // Opening again runs nothing twice.
    let s = SqliteStore::open(&path).unwrap();
    assert_eq!(s.count_cases("440111001").await.unwrap(), 2);
}

#[tokio::test]
async fn a_newer_database_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("d.sqlite3");
    Connection::open(&path)
        .unwrap()
        .pragma_update(None, "user_version", 99)
        .unwrap();
    let err = SqliteStore::open(&path).unwrap_err();
    assert!(err.to_string().contains("新"), "{err}");
}

#[tokio::test]
async fn durability_pragmas_are_set() {
    let dir = tempfile::tempdir().unwrap();
    let s = SqliteStore::open(&dir.path().join("d.sqlite3")).unwrap();
    let conn = s.conn.lock().unwrap();
    let mode: String = conn
        .pragma_query_value(None, "journal_mode", |r| r.get(0))
        .unwrap();
    let sync: i64 = conn
        .pragma_query_value(None, "synchronous", |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    assert_eq!(sync, 2, "synchronous=FULL");
}

#[tokio::test]
async fn ratings_kept_before_0005_survive_it_with_their_case_number() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("d.sqlite3");
    let sub = sample_submission("440111001", 1);
    let rating = uuid::Uuid::now_v7();
    {
        // A district at schema 4 holding one case and its rating.
        let mut conn = Connection::open(&path).unwrap();
        let tx = conn.transaction().unwrap();
        for sql in [
            include_str!("../../../migrations/0001_cases.sql"),
            include_str!("../../../migrations/0002_protocol_v2.sql"),
            include_str!("../../../migrations/0003_evaluations.sql"),
            include_str!("../../../migrations/0004_qr_keys.sql"),
        ] {
            tx.execute_batch(sql).unwrap();
        }
        tx.pragma_update(None, "user_version", 4).unwrap();
        tx.commit().unwrap();
        conn.execute(
            "INSERT INTO cases (id, station_code, case_no, item_code, content_hash, body,
                                official_case_no, received_at)
             VALUES (?1, '440111001', ?2, 'I1', 'h', '{}', '440111-2026-000001',
                     '2026-06-01T02:00:00Z')",
            rusqlite::params![sub.id.to_string(), sub.case_no],
        )
        .unwrap();
        conn.execute(
            "INSERT INTO evaluations VALUES (?1, ?2, '440111001', 2, '好', 'pad',
                                             '2026-06-01T03:00:00Z', '2026-06-01T03:00:01Z')",
            rusqlite::params![rating.to_string(), sub.id.to_string()],
        )
        .unwrap();
    }
    let s = SqliteStore::open(&path).unwrap();
    let kept = s
        .slip_state("440111001", &sub.case_no)
        .await
        .unwrap()
        .evaluation
        .unwrap();
    assert_eq!((kept.id, kept.case_id), (rating, Some(sub.id)));
    assert_eq!(
        (kept.case_no.as_str(), kept.item_code.as_str()),
        (sub.case_no.as_str(), "I1")
    );
    assert_eq!(
        (kept.level, kept.channel.as_str(), kept.codes),
        (2, "pad", None)
    );
    assert_eq!(kept.comment.as_deref(), Some("好"));
}
