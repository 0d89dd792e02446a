//! Evaluations (好差评) a citizen gave at the station reach the district once the case they
//! rate is there, on both stores: stored once, a rating the district already holds through
//! another channel is set apart with its reason (一次一评) and blocks nothing.
//!
//! Needs a Secret Service: run under `crates/yichuang-store/with-keyring.sh`; the PostgreSQL
//! half needs `YICHUANG_TEST_PG_URL`.

use crate::common;

use common::{Kind, STATION, Station, district_on, round};
use jiff::Timestamp;
use uuid::Uuid;
use yichuang_core::EvaluationLevel;
use yichuang_store::Evaluation;
use yichuang_sync::protocol::v2::evaluations::EvaluationRecord;

on_both_stores!(a_rating_goes_once_and_one_given_elsewhere_is_set_apart);

fn rating(case_id: Uuid, level: EvaluationLevel) -> Evaluation {
    Evaluation {
        id: Uuid::now_v7(),
        case_id,
        level,
        comment: Some("办得很快".into()),
        channel: "station-screen".into(),
        rated_at: Timestamp::now(),
    }
}

async fn a_rating_goes_once_and_one_given_elsewhere_is_set_apart(kind: Kind) {
    let district = district_on(kind).await;
    let station = Station::provision(&district.url());
    let (rated_here, rated_there) = (station.accept(1), station.accept(2));

    // Rated before the case reached the district: it waits for the case.
    let here = rating(rated_here, EvaluationLevel::VerySatisfied);
    station
        .lock()
        .record_evaluation(&here, "窗口")
        .expect("rate");
    assert_eq!(
        station
            .lock()
            .record_evaluation(&here, "窗口")
            .expect("again"),
        here,
        "taking the same rating again returns it"
    );
    let refused = station
        .lock()
        .record_evaluation(&rating(rated_here, EvaluationLevel::Dissatisfied), "窗口")
        .expect_err("一次一评");
    assert!(refused.to_string().contains("一次一评"), "{refused}");
    assert!(
        station
            .lock()
            .evaluations_to_send(10)
            .expect("to send")
            .is_empty()
    );

    let first = round(&station, &district).await;
    assert_eq!(first.synced, 2);
    // The case went this round; its rating goes once the station knows the case is there.
    let second = round(&station, &district).await;
    assert_eq!(first.evaluations_sent + second.evaluations_sent, 1);
    assert_eq!(
        district
            .store
            .count_evaluations(STATION)
            .await
            .expect("count"),
        1
    );

    // The citizen rated the other case on the district's page meanwhile; the station's
    // rating of it is refused, kept with the reason, and sent no more.
    let elsewhere = EvaluationRecord {
        id: Uuid::now_v7(),
        case_id: rated_there,
        level: EvaluationLevel::Satisfied.code(),
        comment: None,
        channel: "web".into(),
        rated_at: Timestamp::now(),
    };
    district
        .store
        .store_evaluations(
            STATION,
            vec![elsewhere],
            &yichuang_district::EvaluationCodes::default(),
            Timestamp::now(),
        )
        .await
        .expect("rated on the district page");
    let late = rating(rated_there, EvaluationLevel::FairlySatisfied);
    station
        .lock()
        .record_evaluation(&late, "窗口")
        .expect("rate");
    let third = round(&station, &district).await;
    assert_eq!((third.evaluations_sent, third.evaluations_refused), (0, 1));
    assert_eq!(third.stop, None, "one refused rating stops nothing");
    assert_eq!(station.lock().evaluations_pending().expect("pending"), 0);
    assert_eq!(
        station.lock().evaluation_of(rated_there).expect("read"),
        Some(late),
        "kept at the station"
    );
    let fourth = round(&station, &district).await;
    assert_eq!(
        (fourth.evaluations_sent, fourth.evaluations_refused),
        (0, 0)
    );
    assert_eq!(
        district
            .store
            .count_evaluations(STATION)
            .await
            .expect("count"),
        2
    );
    district.stop().await;
}
