//! Score and channel codes are configuration: a district started with its province's mapping
//! records ratings from its page and from stations with those codes, and a channel the
//! mapping does not know with its "other" code.

use reqwest::StatusCode;
use yichuang_district::EvaluationCodes;
use yichuang_district::store::ProvinceCodes;
use yichuang_sync::protocol::v2::evaluations::EvaluationResult;

use super::cases::{record, send};
use super::citizen::{enroll_with_qr_key, post_rating, signed, slip, station_rates};
use super::harness::{Backend, District, STATION};

const PROVINCE: &str = r#"{
  "scores": {"1": "A", "2": "B", "3": "C", "4": "D", "5": "E"},
  "channels": {"pad": "HALL-PAD", "app": "MOBILE"},
  "other_channel": "OTHER"
}"#;

async fn codes_of(d: &District, case_no: &str) -> Option<ProvinceCodes> {
    d.store
        .slip_state(STATION, case_no)
        .await
        .unwrap()
        .evaluation
        .expect("rated")
        .codes
}

pub async fn ratings_are_recorded_with_the_configured_codes(backend: &dyn Backend) {
    let codes = EvaluationCodes::from_json(PROVINCE).unwrap();
    let d = District::start_tuned(backend, |s| s.evaluation_codes = codes).await;
    let (token, key) = enroll_with_qr_key(&d).await;
    let (by_station, on_paper) = (record(6), record(7));
    let station_case = (
        by_station.submission.id,
        by_station.submission.case_no.clone(),
    );
    let paper_no = on_paper.submission.case_no.clone();
    send(&d, &token, vec![by_station, on_paper]).await;

    // The station's customer screen (`pad`, level 2).
    assert!(matches!(
        station_rates(&d, &token, station_case.0).await,
        EvaluationResult::Stored {
            duplicate: false,
            ..
        }
    ));
    assert_eq!(
        codes_of(&d, &station_case.1).await,
        Some(ProvinceCodes {
            score: "B".into(),
            channel: "HALL-PAD".into()
        })
    );

    // The paper QR (`qr`, not in this province's list: the "other" code), level 5.
    let query = signed(&d, &slip(&paper_no, "qr"), &key);
    let (status, _) = post_rating(&d, &query, "5", "").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        codes_of(&d, &paper_no).await,
        Some(ProvinceCodes {
            score: "E".into(),
            channel: "OTHER".into()
        })
    );
    d.stop().await;
}
