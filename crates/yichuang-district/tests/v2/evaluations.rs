//! `POST evaluations/batch`: a result per record, 一次一评 per case, only the station's own
//! cases, a repeat is a duplicate.

use jiff::Timestamp;
use reqwest::StatusCode;
use uuid::Uuid;
use yichuang_sync::protocol::v2::evaluations::{
    EVALUATIONS_BATCH_PATH, EvaluationAnswer, EvaluationBatch, EvaluationRecord, EvaluationResult,
};

use super::cases::{record, send};
use super::harness::{Backend, District, OTHER_STATION, STATION};

fn rating(case_id: Uuid, level: u8) -> EvaluationRecord {
    EvaluationRecord {
        id: Uuid::now_v7(),
        case_id,
        level,
        comment: Some("窗口人员态度很好".into()),
        channel: "station-screen".into(),
        rated_at: Timestamp::from_second(1_795_000_000).unwrap(),
    }
}

async fn rate(d: &District, token: &str, records: Vec<EvaluationRecord>) -> EvaluationAnswer {
    let resp = d
        .post(EVALUATIONS_BATCH_PATH, token, &EvaluationBatch { records })
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    resp.json().await.unwrap()
}

pub async fn evaluations_are_stored_once_per_case(backend: &dyn Backend) {
    let d = District::start(backend).await;
    let token = d.enroll(STATION).await;
    let other_token = d.enroll(OTHER_STATION).await;
    let (a, b) = (record(1), record(2));
    let (a_id, b_id) = (a.submission.id, b.submission.id);
    send(&d, &token, vec![a, b]).await;

    let first = rating(a_id, 5);
    let mut bad_level = rating(b_id, 6);
    bad_level.comment = None;
    let unknown = rating(Uuid::now_v7(), 4);
    let answer = rate(&d, &token, vec![first.clone(), bad_level, unknown]).await;
    assert!(matches!(
        answer.results[0],
        EvaluationResult::Stored {
            duplicate: false,
            ..
        }
    ));
    assert!(
        matches!(&answer.results[1], EvaluationResult::Invalid { message, .. } if message.contains("1–5")),
        "{:?}",
        answer.results[1]
    );
    assert!(
        matches!(&answer.results[2], EvaluationResult::Invalid { message, .. } if message.contains("先同步办件")),
        "{:?}",
        answer.results[2]
    );

    // The same record again is a duplicate; another rating of the same case is refused,
    // and so is the same id with other content.
    let mut changed = first.clone();
    changed.level = 1;
    let second = rating(a_id, 2);
    let answer = rate(&d, &token, vec![first.clone(), second, changed]).await;
    assert!(matches!(
        answer.results[0],
        EvaluationResult::Stored {
            duplicate: true,
            ..
        }
    ));
    assert!(
        matches!(&answer.results[1], EvaluationResult::Conflict { message, .. } if message.contains("一次一评")),
        "{:?}",
        answer.results[1]
    );
    assert!(matches!(
        answer.results[2],
        EvaluationResult::Conflict { .. }
    ));

    // Another station cannot rate this station's case.
    let answer = rate(&d, &other_token, vec![rating(b_id, 3)]).await;
    assert!(matches!(
        answer.results[0],
        EvaluationResult::Invalid { .. }
    ));
    assert_eq!(d.store.count_evaluations(STATION).await.unwrap(), 1);
    assert_eq!(d.store.count_evaluations(OTHER_STATION).await.unwrap(), 0);

    // Without a token nothing is read.
    let resp = d
        .post(
            EVALUATIONS_BATCH_PATH,
            "wrong-token",
            &EvaluationBatch {
                records: vec![rating(b_id, 3)],
            },
        )
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(d.store.count_evaluations(STATION).await.unwrap(), 1);
}
