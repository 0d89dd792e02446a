//! The server over real HTTP on 127.0.0.1:0.

use super::*;
use reqwest::StatusCode;
use tokio::net::TcpListener;
use yichuang_sync::protocol::{
    CASES_COUNT_PATH, CASES_PATH, CaseCount, ErrorBody, ErrorKind, HEALTH_PATH, Health,
    SubmissionAck,
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
            station_tokens: vec![
                (STATION.into(), TOKEN.into()),
                ("440111002".into(), "other-token".into()),
            ],
            faults: None,
        },
    )
    .await
    .unwrap()
}

pub(crate) fn post(
    server: &DistrictServer,
    token: &str,
    body: &impl serde::Serialize,
) -> reqwest::RequestBuilder {
    reqwest::Client::new()
        .post(format!("{}{CASES_PATH}", server.url()))
        .bearer_auth(token)
        .json(body)
}

pub(crate) async fn count(server: &DistrictServer) -> u64 {
    let resp = reqwest::Client::new()
        .get(format!("{}{CASES_COUNT_PATH}", server.url()))
        .bearer_auth(TOKEN)
        .send()
        .await
        .unwrap();
    resp.json::<CaseCount>().await.unwrap().count
}

#[tokio::test]
async fn health_tells_the_time_and_region() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let resp = reqwest::get(format!("{}{HEALTH_PATH}", server.url()))
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert!(resp.headers().contains_key(reqwest::header::DATE));
    let health: Health = resp.json().await.unwrap();
    assert_eq!(health.region_code, "440111");
    assert_eq!(health.protocol_version, 1);
    let skew = health
        .server_time
        .duration_since(jiff::Timestamp::now())
        .abs();
    assert!(skew.as_secs() < 5);
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn new_then_duplicate_then_conflict() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let sub = sample_submission(STATION, 1);

    let first = post(&server, TOKEN, &sub).send().await.unwrap();
    assert_eq!(first.status(), StatusCode::CREATED);
    let ack: SubmissionAck = first.json().await.unwrap();
    assert_eq!(ack.id, sub.id);
    assert!(!ack.duplicate);
    assert!(
        ack.official_case_no.starts_with("440111-"),
        "{}",
        ack.official_case_no
    );

    let again = post(&server, TOKEN, &sub).send().await.unwrap();
    assert_eq!(again.status(), StatusCode::OK);
    let again: SubmissionAck = again.json().await.unwrap();
    assert!(again.duplicate);
    assert_eq!(again.official_case_no, ack.official_case_no);
    assert_eq!(again.received_at, ack.received_at);

    let mut changed = sub.clone();
    changed.intake.contact.phone = "13900139000".into();
    let conflict = post(&server, TOKEN, &changed).send().await.unwrap();
    assert_eq!(conflict.status(), StatusCode::CONFLICT);
    let body: ErrorBody = conflict.json().await.unwrap();
    assert_eq!(body.kind, ErrorKind::Conflict);
    assert!(!body.message.contains("13900139000"));

    assert_eq!(count(&server).await, 1);
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn tokens_are_checked_and_bound_to_their_station() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let sub = sample_submission(STATION, 1);

    let resp = post(&server, "wrong", &sub).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        resp.json::<ErrorBody>().await.unwrap().kind,
        ErrorKind::Unauthorized
    );

    let resp = reqwest::Client::new()
        .post(format!("{}{CASES_PATH}", server.url()))
        .json(&sub)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);

    let resp = post(&server, "other-token", &sub).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::FORBIDDEN);
    assert_eq!(count(&server).await, 0);
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn malformed_bodies_get_a_bad_request_in_chinese() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let resp = post(&server, TOKEN, &serde_json::json!({"id": "nope"}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
    let body: ErrorBody = resp.json().await.unwrap();
    assert_eq!(body.kind, ErrorKind::BadRequest);
    assert!(body.message.contains("无法解析"));

    let mut sub = sample_submission(STATION, 1);
    sub.item_code = "x".repeat(65);
    let resp = post(&server, TOKEN, &sub).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);

    let resp = reqwest::get(format!("{}/api/v2/cases", server.url()))
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::NOT_FOUND);
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn concurrent_resends_store_once() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let sub = sample_submission(STATION, 1);
    let sends = (0..8).map(|_| post(&server, TOKEN, &sub).send());
    let answers = futures_join_all(sends).await;
    let mut numbers = std::collections::BTreeSet::new();
    let mut created = 0;
    for resp in answers {
        let resp = resp.unwrap();
        if resp.status() == StatusCode::CREATED {
            created += 1;
        }
        numbers.insert(resp.json::<SubmissionAck>().await.unwrap().official_case_no);
    }
    assert_eq!(created, 1);
    assert_eq!(numbers.len(), 1);
    assert_eq!(count(&server).await, 1);
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

/// Runs the futures concurrently on the current task set.
async fn futures_join_all<F, T>(futs: impl Iterator<Item = F>) -> Vec<T>
where
    F: std::future::Future<Output = T> + Send + 'static,
    T: Send + 'static,
{
    let handles: Vec<_> = futs.map(tokio::spawn).collect();
    let mut out = Vec::new();
    for h in handles {
        out.push(h.await.unwrap());
    }
    out
}
