//! The server started from a [`DistrictConfig`] over real HTTP on 127.0.0.1:0: its
//! registered tokens work for protocol v2, protocol v1 is gone, bad settings are refused.

use super::*;
use reqwest::StatusCode;
use tokio::net::TcpListener;
use yichuang_sync::protocol::v2::HEALTH_PATH;
use yichuang_sync::protocol::v2::cases::{
    BatchAnswer, CASES_BATCH_PATH, CaseBatch, CaseRecord, RecordResult,
};
use yichuang_sync::testing::sample_submission;

pub(crate) const STATION: &str = "440111001";
pub(crate) const TOKEN: &str = "demo-token";

async fn start(dir: &std::path::Path) -> DistrictServer {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    DistrictServer::start(
        listener,
        DistrictConfig {
            db_path: dir.join("district.sqlite3"),
            region_code: "440111".into(),
            station_tokens: vec![(STATION.into(), TOKEN.into())],
            faults: None,
        },
    )
    .await
    .unwrap()
}

/// A record of a new sample submission (a fresh id) numbered `serial` of [`STATION`].
pub(crate) fn record(serial: u32) -> CaseRecord {
    CaseRecord {
        submission: sample_submission(STATION, serial),
        revision: 1,
        clock_offset_ms: None,
        materials: Vec::new(),
    }
}

/// A batch of `records`.
pub(crate) fn batch(records: &[&CaseRecord]) -> CaseBatch {
    CaseBatch {
        records: records.iter().map(|r| (*r).clone()).collect(),
    }
}

/// Posts `batch` with the station token.
pub(crate) async fn post_batch(server: &DistrictServer, batch: &CaseBatch) -> reqwest::Response {
    reqwest::Client::new()
        .post(format!("{}{CASES_BATCH_PATH}", server.url()))
        .bearer_auth(TOKEN)
        .json(batch)
        .send()
        .await
        .unwrap()
}

/// Cases the district holds for [`STATION`], read from its store.
pub(crate) async fn count(server: &DistrictServer) -> u64 {
    server.store().count_cases(STATION).await.unwrap()
}

#[tokio::test]
async fn registered_tokens_speak_v2_and_no_v1_path_is_served() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let resp = post_batch(&server, &batch(&[&record(1)])).await;
    assert_eq!(resp.status(), StatusCode::OK);
    let answer: BatchAnswer = resp.json().await.unwrap();
    assert!(matches!(
        &answer.results[..],
        [RecordResult::Stored { official_case_no, duplicate: false, .. }]
            if official_case_no.starts_with("440111-")
    ));
    assert_eq!(count(&server).await, 1);

    let http = reqwest::Client::new();
    let health = http
        .get(format!("{}{HEALTH_PATH}", server.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(health.status(), StatusCode::OK);
    let v1_submit = http
        .post(format!("{}/api/v1/cases", server.url()))
        .bearer_auth(TOKEN)
        .json(&sample_submission(STATION, 2))
        .send()
        .await
        .unwrap();
    assert_eq!(v1_submit.status(), StatusCode::NOT_FOUND);
    for path in ["/api/v1/health", "/api/v1/cases/count"] {
        let resp = http
            .get(format!("{}{path}", server.url()))
            .bearer_auth(TOKEN)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::NOT_FOUND, "{path}");
    }
    assert_eq!(count(&server).await, 1, "the v1 post stored nothing");
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn bad_config_is_refused_before_serving() {
    let dir = tempfile::tempdir().unwrap();
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let err = DistrictServer::start(
        listener,
        DistrictConfig {
            db_path: dir.path().join("d.sqlite3"),
            region_code: "4401".into(),
            station_tokens: vec![],
            faults: None,
        },
    )
    .await
    .unwrap_err();
    assert!(err.to_string().contains("6 位数字"), "{err}");
}
