//! The PostgreSQL store on a real server (`YICHUANG_TEST_PG_URL`), a fresh database per
//! test: numbering, idempotence, migrations, durability settings, and what only a store
//! with concurrent writers can get wrong (numbers, code redemption, the status cursor).

use std::collections::BTreeSet;
use std::sync::Arc;

use jiff::Timestamp;
use yichuang_core::DistrictStatus;
use yichuang_sync::protocol::{CaseSubmission, SubmissionAck, canonical_json};
use yichuang_sync::testing::sample_submission;

use super::*;
use crate::secrets::SecretHash;
use crate::store::{
    DistrictStore, EnrollCode, NewStatus, PreparedRecord, Redeem, RedeemRefusal, Reference,
    StoreOutcome,
};

/// A database of its own, dropped by [`Scratch::drop`].
pub(super) struct Scratch {
    pub(super) admin: PgConfig,
    pub(super) name: String,
    pub(super) store: PgStore,
}

/// `None` (with a line saying so) when no server is configured outside CI.
pub(super) async fn scratch(options: PgOptions) -> Option<Scratch> {
    let Ok(url) = std::env::var("YICHUANG_TEST_PG_URL") else {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "YICHUANG_TEST_PG_URL is not set: CI must test the PostgreSQL store"
        );
        // Straight to stderr: the test harness would swallow `eprintln!` of a passing test.
        let _ = std::io::Write::write_all(
            &mut std::io::stderr(),
            b"skipped: YICHUANG_TEST_PG_URL is not set (PostgreSQL store test)\n",
        );
        return None;
    };
    let admin = parse_url(&url).unwrap();
    let name = format!("yc_unit_{}", uuid::Uuid::now_v7().simple());
    let config = create_database(&admin, &name).await.unwrap();
    let store = PgStore::connect_with(config, options).await.unwrap();
    Some(Scratch { admin, name, store })
}

impl Scratch {
    pub(super) async fn drop(self) {
        drop(self.store);
        drop_database(&self.admin, &self.name).await.unwrap();
    }
}

fn ts(s: &str) -> Timestamp {
    s.parse().unwrap()
}

pub(super) fn prepared(sub: &CaseSubmission, revision: i64) -> PreparedRecord {
    PreparedRecord {
        submission: sub.clone(),
        hash: sub.content_hash().unwrap(),
        body: canonical_json(sub).unwrap(),
        revision,
        clock_offset_ms: Some(-1500),
        materials: vec![],
        protocol: 2,
    }
}

async fn store(s: &PgStore, sub: &CaseSubmission, now: Timestamp) -> StoreOutcome {
    let mut out = s
        .store_cases("440111", vec![prepared(sub, 1)], now)
        .await
        .unwrap();
    out.remove(0)
}

fn no(outcome: &StoreOutcome) -> String {
    match outcome {
        StoreOutcome::Created(ack) => ack.official_case_no.clone(),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn numbers_are_sequential_per_year_in_china_time() {
    let Some(x) = scratch(PgOptions::default()).await else {
        return;
    };
    let [a, b, c] = [1, 2, 3].map(|n| sample_submission("440111001", n));
    let s = &x.store;
    assert_eq!(
        no(&store(s, &a, ts("2026-06-01T02:00:00Z")).await),
        "440111-2026-000001"
    );
    assert_eq!(
        no(&store(s, &b, ts("2026-12-31T15:59:59Z")).await),
        "440111-2026-000002"
    );
    // 16:00 UTC on Dec 31 is already New Year's Day in Guangzhou.
    assert_eq!(
        no(&store(s, &c, ts("2026-12-31T16:00:00Z")).await),
        "440111-2027-000001"
    );
    assert_eq!(s.count_cases("440111001").await.unwrap(), 3);
    x.drop().await;
}

#[tokio::test]
async fn same_id_is_stored_once_and_changed_content_conflicts() {
    let Some(x) = scratch(PgOptions::default()).await else {
        return;
    };
    let s = &x.store;
    let sub = sample_submission("440111001", 1);
    let first = match store(s, &sub, ts("2026-06-01T02:00:00.123456789Z")).await {
        StoreOutcome::Created(ack) => ack,
        other => panic!("{other:?}"),
    };
    // What the station is told is what is kept: microseconds, as PostgreSQL keeps them.
    assert_eq!(first.received_at, ts("2026-06-01T02:00:00.123456Z"));
    let mut changed = sub.clone();
    changed.clerk = "另一位窗口人员".into();
    // In one batch: the resend with a higher revision, a changed copy, the resend again.
    let out = s
        .store_cases(
            "440111",
            vec![prepared(&sub, 7), prepared(&changed, 8), prepared(&sub, 3)],
            ts("2026-06-02T02:00:00Z"),
        )
        .await
        .unwrap();
    let dup = StoreOutcome::Duplicate(SubmissionAck {
        duplicate: true,
        ..first.clone()
    });
    assert_eq!(out, vec![dup.clone(), StoreOutcome::Conflict, dup]);
    let client = s.client().await.unwrap();
    let revision: i64 = client
        .query_one("SELECT revision FROM cases WHERE id = $1", &[&sub.id])
        .await
        .unwrap()
        .get(0);
    assert_eq!(revision, 7, "raised to the highest revision seen");
    drop(client);
    assert_eq!(s.count_cases("440111001").await.unwrap(), 1);
    let found = s.find_case("440111001", sub.id).await.unwrap().unwrap();
    assert_eq!(found.official_case_no, first.official_case_no);
    assert_eq!(s.find_case("440111002", sub.id).await.unwrap(), None);
    x.drop().await;
}

#[tokio::test]
async fn concurrent_batches_get_unique_gapless_numbers() {
    let options = PgOptions {
        max_connections: 6,
        ..PgOptions::default()
    };
    let Some(x) = scratch(options).await else {
        return;
    };
    let s = Arc::new(x.store.clone());
    let mut tasks = Vec::new();
    for station in 0..12u32 {
        let s = Arc::clone(&s);
        tasks.push(tokio::spawn(async move {
            let code = format!("4401110{:02}", station + 10);
            let mut numbers = Vec::new();
            for batch in 0..4u32 {
                let subs: Vec<_> = (0..25)
                    .map(|n| sample_submission(&code, batch * 100 + n))
                    .collect();
                let mut records: Vec<_> = subs.iter().map(|x| prepared(x, 1)).collect();
                // Every batch also resends a record of the one before.
                records.push(prepared(&subs[0], 2));
                let out = s
                    .store_cases("440111", records, Timestamp::now())
                    .await
                    .unwrap();
                assert!(matches!(out[25], StoreOutcome::Duplicate(_)), "{out:?}");
                numbers.extend(out[..25].iter().map(no));
            }
            numbers
        }));
    }
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await.unwrap());
    }
    let serials: BTreeSet<u32> = all
        .iter()
        .map(|n| n.rsplit('-').next().unwrap().parse().unwrap())
        .collect();
    assert_eq!(serials.len(), all.len(), "no number handed out twice");
    assert_eq!(serials, (1..=1200).collect(), "no gap");
    x.drop().await;
}

#[tokio::test]
async fn one_code_enrolls_one_device_when_two_race() {
    let Some(x) = scratch(PgOptions::default()).await else {
        return;
    };
    let now = Timestamp::now();
    let code = SecretHash::of("ABCD-EFGH");
    x.store
        .issue_enroll_code(EnrollCode {
            code: code.clone(),
            station_code: "440111001".into(),
            station_name: "测试站".into(),
            issued_at: now,
            expires_at: now + jiff::SignedDuration::from_hours(1),
        })
        .await
        .unwrap();
    let redeem = |token: &str| Redeem {
        code: code.clone(),
        station_code: "440111001".into(),
        device_name: "窗口".into(),
        app_version: "0.1.0".into(),
        token: SecretHash::of(token),
        qr_public_key: None,
        now,
    };
    let (a, b) = tokio::join!(
        x.store.redeem_enroll_code(redeem("token-a")),
        x.store.redeem_enroll_code(redeem("token-b")),
    );
    let results = [a.unwrap(), b.unwrap()];
    assert_eq!(
        results.iter().filter(|r| r.is_ok()).count(),
        1,
        "{results:?}"
    );
    assert!(results.contains(&Err(RedeemRefusal::Unusable)));
    assert_eq!(x.store.device_health().await.unwrap().len(), 1);
    x.drop().await;
}

#[tokio::test]
async fn a_reader_by_cursor_never_skips_a_status_change() {
    let Some(x) = scratch(PgOptions::default()).await else {
        return;
    };
    let s = Arc::new(x.store.clone());
    let subs: Vec<_> = (0..40).map(|n| sample_submission("440111001", n)).collect();
    let records = subs.iter().map(|x| prepared(x, 1)).collect();
    s.store_cases("440111", records, Timestamp::now())
        .await
        .unwrap();
    let mut writers = Vec::new();
    for chunk in subs.chunks(5) {
        let (s, ids) = (
            Arc::clone(&s),
            chunk.iter().map(|x| x.id).collect::<Vec<_>>(),
        );
        writers.push(tokio::spawn(async move {
            for id in ids {
                for status in [DistrictStatus::Approved, DistrictStatus::ReadyForPickup] {
                    s.record_status(NewStatus {
                        case_id: id,
                        status,
                        note: None,
                        courier: None,
                        tracking_no: None,
                        now: Timestamp::now(),
                    })
                    .await
                    .unwrap();
                }
            }
        }));
    }
    // A station polls by cursor while the officers write, and once more after them.
    let (mut cursor, mut seen) = (0, Vec::new());
    let read = async |cursor: &mut i64, seen: &mut Vec<i64>| {
        for c in s.status_changes("440111001", *cursor, 7).await.unwrap() {
            *cursor = c.seq;
            seen.push(c.seq);
        }
    };
    while !writers.iter().all(|w| w.is_finished()) {
        read(&mut cursor, &mut seen).await;
        tokio::task::yield_now().await;
    }
    for w in writers {
        w.await.unwrap();
    }
    for _ in 0..20 {
        read(&mut cursor, &mut seen).await;
    }
    assert!(
        s.status_changes("440111001", cursor, 100)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(seen.len(), 80, "every change seen once");
    x.drop().await;
}

#[tokio::test]
async fn reference_versions_are_immutable() {
    let Some(x) = scratch(PgOptions::default()).await else {
        return;
    };
    use yichuang_sync::protocol::v2::downloads::ReferenceKind;
    let doc = |v: &str, d: &str| Reference {
        version: v.into(),
        document: d.into(),
    };
    let s = &x.store;
    let now = Timestamp::now();
    s.publish_reference(ReferenceKind::Calendar, doc("1", "{}"), now)
        .await
        .unwrap();
    s.publish_reference(ReferenceKind::Calendar, doc("1", "{}"), now)
        .await
        .unwrap();
    let err = s
        .publish_reference(ReferenceKind::Calendar, doc("1", "{\"x\":1}"), now)
        .await
        .unwrap_err();
    assert!(matches!(err, DistrictError::Conflict), "{err:?}");
    s.publish_reference(ReferenceKind::Calendar, doc("2", "[]"), now)
        .await
        .unwrap();
    let current = s.current_reference(ReferenceKind::Calendar).await.unwrap();
    assert_eq!(current, Some(doc("2", "[]")));
    assert_eq!(
        s.current_reference(ReferenceKind::Clerks).await.unwrap(),
        None
    );
    x.drop().await;
}

#[tokio::test]
async fn migrations_run_once_and_a_newer_database_is_refused() {
    let Some(x) = scratch(PgOptions::default()).await else {
        return;
    };
    let config = {
        let mut c = x.admin.clone();
        c.dbname(&x.name);
        c
    };
    // Opening again runs nothing twice.
    let again = PgStore::connect_with(config.clone(), PgOptions::default())
        .await
        .unwrap();
    let client = again.client().await.unwrap();
    assert_eq!(
        migrations::version(&client).await.unwrap(),
        5,
        "0001 to 0005, once"
    );
    client
        .execute("UPDATE schema_version SET version = 99", &[])
        .await
        .unwrap();
    let err = PgStore::connect_with(config, PgOptions::default())
        .await
        .unwrap_err();
    assert!(err.to_string().contains("新"), "{err}");
    drop((client, again));
    x.drop().await;
}

#[tokio::test]
async fn commits_are_synchronous_even_when_the_database_says_otherwise() {
    let Some(x) = scratch(PgOptions::default()).await else {
        return;
    };
    let client = x.store.client().await.unwrap();
    client
        .batch_execute(&format!(
            "ALTER DATABASE \"{}\" SET synchronous_commit = off",
            x.name
        ))
        .await
        .unwrap();
    drop(client);
    let mut config = x.admin.clone();
    config.dbname(&x.name);
    let store = PgStore::connect_with(config, PgOptions::default())
        .await
        .unwrap();
    let client = store.client().await.unwrap();
    let sync: String = client
        .query_one("SHOW synchronous_commit", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(sync, "on");
    drop((client, store));
    x.drop().await;
}
