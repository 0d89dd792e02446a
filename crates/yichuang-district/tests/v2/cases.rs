//! `POST cases/batch`: a result per record, whole-request refusals, idempotence, durability.

use reqwest::StatusCode;
use yichuang_sync::protocol::ErrorKind;
use yichuang_sync::protocol::v2::MAX_JSON_BODY;
use yichuang_sync::protocol::v2::cases::{
    BatchAnswer, CASES_BATCH_PATH, CaseBatch, CaseRecord, MAX_BATCH_RECORDS, RecordResult,
};
use yichuang_sync::protocol::v2::materials::MaterialRef;
use yichuang_sync::testing::sample_submission;

use super::harness::{Backend, District, OTHER_STATION, STATION, answer_to_head_only, error_body};

pub fn record(serial: u32) -> CaseRecord {
    CaseRecord {
        submission: sample_submission(STATION, serial),
        revision: 1,
        clock_offset_ms: Some(-1500),
        materials: vec![MaterialRef {
            material_code: "M01".into(),
            position: 1,
            sha256: "ab".repeat(32),
            bytes: 1234,
            kind: "jpeg".into(),
        }],
    }
}

pub async fn send(d: &District, token: &str, records: Vec<CaseRecord>) -> BatchAnswer {
    let resp = d
        .post(CASES_BATCH_PATH, token, &CaseBatch { records })
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert!(resp.headers().contains_key(reqwest::header::DATE));
    resp.json().await.unwrap()
}

fn number(result: &RecordResult) -> (String, bool) {
    match result {
        RecordResult::Stored {
            official_case_no,
            duplicate,
            ..
        } => (official_case_no.clone(), *duplicate),
        other => panic!("not stored: {other:?}"),
    }
}

pub async fn one_batch_answers_new_duplicate_conflict_and_invalid(backend: &dyn Backend) {
    let d = District::start(backend).await;
    let token = d.enroll(STATION).await;
    let (a, b, c) = (record(1), record(2), record(3));
    let first = send(&d, &token, vec![a.clone(), b.clone()]).await;
    let (a_no, a_dup) = number(&first.results[0]);
    assert!(!a_dup);
    assert!(
        a_no.starts_with("440111-") && a_no.len() == "440111-2026-000001".len(),
        "{a_no}"
    );

    let mut changed_b = b.clone();
    changed_b.submission.intake.contact.phone = "13900139000".into();
    let mut invalid = record(4);
    invalid.submission.item_code = "x".repeat(65);
    let mut bad_material = record(5);
    bad_material.materials[0].sha256 = "not-a-hash".into();
    let mut unreadable = serde_json::to_value(record(6)).unwrap();
    unreadable["submission"]["accepted_at"] = serde_json::json!("yesterday");
    let unreadable_id = record_id(&unreadable);

    let body = serde_json::json!({ "records": [
        c, a, changed_b, invalid, bad_material, unreadable
    ]});
    let resp = d
        .post(CASES_BATCH_PATH, &token, &body)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let answer: BatchAnswer = resp.json().await.unwrap();
    let r = &answer.results;
    assert_eq!(r.len(), 6);
    assert_eq!(r[0].id(), c.submission.id);
    assert!(!number(&r[0]).1);
    assert_eq!(number(&r[1]), (a_no.clone(), true));
    assert!(matches!(&r[2], RecordResult::Conflict { id, message }
        if *id == b.submission.id && !message.contains("13900139000")));
    assert!(
        matches!(&r[3], RecordResult::Invalid { message, .. } if message.contains("item_code"))
    );
    assert!(matches!(&r[4], RecordResult::Invalid { .. }));
    assert!(matches!(&r[5], RecordResult::Invalid { id, .. } if *id == unreadable_id));
    // Duplicate acks are the first ack, received time included.
    let (
        RecordResult::Stored {
            received_at: t1, ..
        },
        RecordResult::Stored {
            received_at: t2, ..
        },
    ) = (&first.results[0], &r[1])
    else {
        panic!("stored");
    };
    assert_eq!(t1, t2);
    d.stop().await;
}

fn record_id(value: &serde_json::Value) -> uuid::Uuid {
    value["submission"]["id"].as_str().unwrap().parse().unwrap()
}

pub async fn whole_batch_refusals_touch_no_record(backend: &dyn Backend) {
    let d = District::start(backend).await;
    let token = d.enroll(STATION).await;
    let other = d.enroll(OTHER_STATION).await;
    let batch = CaseBatch {
        records: vec![record(1), record(2)],
    };

    let resp = d
        .post(CASES_BATCH_PATH, "wrong", &batch)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(error_body(resp).await.kind, ErrorKind::Unauthorized);
    let resp = d
        .http
        .post(format!("{}{CASES_BATCH_PATH}", d.url))
        .json(&batch)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED, "no token at all");

    // One record of another station makes the whole request 403.
    let resp = d
        .post(CASES_BATCH_PATH, &other, &batch)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::FORBIDDEN);
    assert_eq!(error_body(resp).await.kind, ErrorKind::Forbidden);

    let many = CaseBatch {
        records: vec![record(1); MAX_BATCH_RECORDS + 1],
    };
    let resp = d
        .post(CASES_BATCH_PATH, &token, &many)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(error_body(resp).await.kind, ErrorKind::TooLarge);

    let over = u64::try_from(MAX_JSON_BODY).unwrap() + 1;
    let auth = [
        ("Authorization", format!("Bearer {token}")),
        ("Content-Type", "application/json".into()),
    ];
    let answer = answer_to_head_only(&d, "POST", CASES_BATCH_PATH, &auth, over).await;
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert!(answer.contains("too_large"), "{answer}");

    let resp = d
        .post(
            CASES_BATCH_PATH,
            &token,
            &serde_json::json!({"records": "no"}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);

    assert_eq!(d.store.count_cases(STATION).await.unwrap(), 0);
    d.stop().await;
}

pub async fn a_batch_sent_twice_keeps_its_numbers(backend: &dyn Backend) {
    let d = District::start(backend).await;
    let token = d.enroll(STATION).await;
    let records: Vec<CaseRecord> = (1..=20).map(record).collect();
    let first = send(&d, &token, records.clone()).await;
    let second = send(&d, &token, records).await;
    let numbers = |a: &BatchAnswer| a.results.iter().map(|r| number(r).0).collect::<Vec<_>>();
    assert_eq!(numbers(&first), numbers(&second));
    assert!(second.results.iter().all(|r| number(r).1));
    let unique: std::collections::BTreeSet<_> = numbers(&first).into_iter().collect();
    assert_eq!(unique.len(), 20);
    assert_eq!(d.store.count_cases(STATION).await.unwrap(), 20);
    d.stop().await;
}

pub async fn acknowledged_records_survive_a_restart(backend: &dyn Backend) {
    let mut d = District::start(backend).await;
    let token = d.enroll(STATION).await;
    let records: Vec<CaseRecord> = (1..=5).map(record).collect();
    let acked = send(&d, &token, records.clone()).await;
    d.restart(backend).await;
    // The token, the cases and their numbers are all still there.
    let again = send(&d, &token, records.clone()).await;
    for (a, b) in acked.results.iter().zip(&again.results) {
        assert_eq!(number(a).0, number(b).0);
        assert!(number(b).1);
    }
    let next = send(&d, &token, vec![record(6)]).await;
    let last = number(&acked.results[4]).0;
    let serial = |n: &str| n.rsplit('-').next().unwrap().parse::<u32>().unwrap();
    assert_eq!(serial(&number(&next.results[0]).0), serial(&last) + 1);
    d.stop().await;
}

pub async fn concurrent_resends_store_once(backend: &dyn Backend) {
    let d = District::start(backend).await;
    let token = d.enroll(STATION).await;
    let batch = CaseBatch {
        records: vec![record(1)],
    };
    let sends: Vec<_> = (0..8)
        .map(|_| {
            let req = d.post(CASES_BATCH_PATH, &token, &batch);
            tokio::spawn(async move { req.send().await })
        })
        .collect();
    let mut numbers = std::collections::BTreeSet::new();
    let mut created = 0;
    for send in sends {
        let resp = send.await.unwrap().unwrap();
        assert_eq!(resp.status(), StatusCode::OK);
        let answer: BatchAnswer = resp.json().await.unwrap();
        let (no, duplicate) = number(&answer.results[0]);
        created += usize::from(!duplicate);
        numbers.insert(no);
    }
    assert_eq!((created, numbers.len()), (1, 1), "{numbers:?}");
    assert_eq!(d.store.count_cases(STATION).await.unwrap(), 1);
    d.stop().await;
}
