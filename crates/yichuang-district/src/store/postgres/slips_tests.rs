//! What only concurrent writers can get wrong about ratings on PostgreSQL: a slip rated on the
//! district's page while its case arrives is linked to the case, and a page rating and the
//! station's rating of one case at once leave one rating.

use std::sync::Arc;

use jiff::Timestamp;
use uuid::Uuid;
use yichuang_sync::protocol::v2::evaluations::EvaluationRecord;
use yichuang_sync::testing::sample_submission;

use super::tests::{prepared, scratch};
use super::{PgOptions, PgStore, create_database, drop_database};
use crate::evaluation_codes::EvaluationCodes;
use crate::store::{DistrictStore, EvaluationOutcome, ProvinceCodes, SlipRating};
use tokio_postgres::types::ToSql;

const STATION: &str = "440111001";

fn page_rating(case_no: &str) -> SlipRating {
    SlipRating {
        id: Uuid::now_v7(),
        station_code: STATION.into(),
        case_no: case_no.into(),
        item_code: "114401110075061234200011000101".into(),
        level: 1,
        comment: None,
        channel: "qr".into(),
        codes: ProvinceCodes {
            score: "5".into(),
            channel: "3".into(),
        },
        rated_at: Timestamp::now(),
    }
}

fn station_rating(case_id: Uuid) -> EvaluationRecord {
    EvaluationRecord {
        id: Uuid::now_v7(),
        case_id,
        level: 3,
        comment: None,
        channel: "pad".into(),
        rated_at: Timestamp::now(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_slip_rated_while_its_case_arrives_is_linked_and_rated_once() {
    let Some(x) = scratch(PgOptions::default()).await else {
        return;
    };
    let s = Arc::new(x.store.clone());
    for serial in 1..=25 {
        let sub = sample_submission(STATION, serial);
        let rate = tokio::spawn({
            let (s, no) = (Arc::clone(&s), sub.case_no.clone());
            async move { s.rate_slip(page_rating(&no)).await.unwrap() }
        });
        let arrive = tokio::spawn({
            let (s, record) = (Arc::clone(&s), prepared(&sub, 1));
            async move {
                s.store_cases("440111", vec![record], Timestamp::now())
                    .await
                    .unwrap()
            }
        });
        let (rated, _) = (rate.await.unwrap(), arrive.await.unwrap());
        assert_eq!(rated, EvaluationOutcome::Stored { duplicate: false });
        let state = s.slip_state(STATION, &sub.case_no).await.unwrap();
        assert_eq!(
            state.evaluation.and_then(|e| e.case_id),
            Some(sub.id),
            "case {serial} linked"
        );
        let codes = EvaluationCodes::default();
        let late = s
            .store_evaluations(
                STATION,
                vec![station_rating(sub.id)],
                &codes,
                Timestamp::now(),
            )
            .await
            .unwrap();
        assert!(
            matches!(late[0], EvaluationOutcome::Conflict(_)),
            "{late:?}"
        );
    }

    // The page and the station rate one received case at once: one of them wins.
    for serial in 101..=125 {
        let sub = sample_submission(STATION, serial);
        s.store_cases("440111", vec![prepared(&sub, 1)], Timestamp::now())
            .await
            .unwrap();
        let page = tokio::spawn({
            let (s, no) = (Arc::clone(&s), sub.case_no.clone());
            async move { s.rate_slip(page_rating(&no)).await.unwrap() }
        });
        let station = tokio::spawn({
            let s = Arc::clone(&s);
            async move {
                let codes = EvaluationCodes::default();
                s.store_evaluations(
                    STATION,
                    vec![station_rating(sub.id)],
                    &codes,
                    Timestamp::now(),
                )
                .await
                .unwrap()
                .remove(0)
            }
        });
        let outcomes = [page.await.unwrap(), station.await.unwrap()];
        let stored = outcomes
            .iter()
            .filter(|o| matches!(o, EvaluationOutcome::Stored { .. }))
            .count();
        assert_eq!(stored, 1, "{outcomes:?}");
    }
    assert_eq!(s.count_evaluations(STATION).await.unwrap(), 50);
    x.drop().await;
}

#[tokio::test]
async fn ratings_kept_before_0004_survive_it_with_their_case_number() {
    let Some(x) = scratch(PgOptions::default()).await else {
        return;
    };
    // A district at schema 3 holding one case and its rating.
    let name = format!("{}_v3", x.name);
    let config = create_database(&x.admin, &name).await.unwrap();
    let (client, connection) = config.connect(tokio_postgres::NoTls).await.unwrap();
    let connection = tokio::spawn(connection);
    let sub = sample_submission(STATION, 1);
    let rating = Uuid::now_v7();
    client
        .batch_execute(
            &[
                include_str!("migrations/0001_district.sql"),
                include_str!("migrations/0002_evaluations.sql"),
                include_str!("migrations/0003_qr_keys.sql"),
                "CREATE TABLE schema_version (
                 only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
                 version  integer NOT NULL);
             INSERT INTO schema_version (version) VALUES (3);",
            ]
            .join("\n"),
        )
        .await
        .unwrap();
    client
        .execute(
            "INSERT INTO cases (id, station_code, case_no, item_code, content_hash, body,
                                official_case_no, received_at, protocol)
             VALUES ($1, $2, $3, 'I1', 'h', '{}', '440111-2026-000001', now(), 2)",
            &[&sub.id as &(dyn ToSql + Sync), &STATION, &sub.case_no],
        )
        .await
        .unwrap();
    client
        .execute(
            "INSERT INTO evaluations VALUES ($1, $2, $3, 2, '好', 'pad', now(), now())",
            &[&rating as &(dyn ToSql + Sync), &sub.id, &STATION],
        )
        .await
        .unwrap();
    drop(client);
    connection.await.unwrap().unwrap();

    let store = PgStore::connect_with(config, PgOptions::default())
        .await
        .unwrap();
    let kept = store
        .slip_state(STATION, &sub.case_no)
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
    drop(store);
    drop_database(&x.admin, &name).await.unwrap();
    x.drop().await;
}
