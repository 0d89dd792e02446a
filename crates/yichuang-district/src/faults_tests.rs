//! Injected faults over real HTTP on 127.0.0.1:0: busy answers with Retry-After, a poison
//! record, and a held request.

use std::time::{Duration, Instant};

use reqwest::StatusCode;
use tokio::net::TcpListener;
use yichuang_sync::protocol::{CASES_PATH, ErrorBody};
use yichuang_sync::testing::sample_submission;

use crate::tests::{STATION, TOKEN, count, post};
use crate::{DistrictConfig, DistrictServer, Faults};

async fn start(dir: &std::path::Path, faults: &Faults) -> DistrictServer {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let config = DistrictConfig {
        db_path: dir.join("district.sqlite3"),
        region_code: "440111".into(),
        station_tokens: vec![(STATION.into(), TOKEN.into())],
        faults: Some(faults.clone()),
    };
    DistrictServer::start(listener, config).await.unwrap()
}

async fn submit(server: &DistrictServer, serial: u32) -> (uuid::Uuid, reqwest::Response) {
    let sub = sample_submission(STATION, serial);
    (sub.id, resend(server, &sub).await)
}

async fn resend(
    server: &DistrictServer,
    sub: &yichuang_sync::protocol::CaseSubmission,
) -> reqwest::Response {
    post(server, TOKEN, sub).send().await.unwrap()
}

fn retry_after(resp: &reqwest::Response) -> Option<&str> {
    resp.headers()
        .get(reqwest::header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
}

#[tokio::test]
async fn busy_answers_carry_retry_after_then_the_district_accepts_again() {
    let dir = tempfile::tempdir().unwrap();
    let faults = Faults::new();
    let server = start(dir.path(), &faults).await;

    faults.unavailable(2, 7);
    let sub = sample_submission(STATION, 1);
    for _ in 0..2 {
        let resp = resend(&server, &sub).await;
        assert_eq!(resp.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(retry_after(&resp), Some("7"));
        assert!(
            resp.json::<ErrorBody>()
                .await
                .unwrap()
                .message
                .contains("繁忙")
        );
    }
    assert_eq!(count(&server).await, 0, "a busy answer stores nothing");
    assert_eq!(resend(&server, &sub).await.status(), StatusCode::CREATED);

    faults.too_many_requests(1, 3);
    let (_, resp) = submit(&server, 2).await;
    assert_eq!(resp.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(retry_after(&resp), Some("3"));
    let (_, resp) = submit(&server, 3).await;
    assert_eq!(resp.status(), StatusCode::CREATED);

    assert_eq!(faults.submissions().len(), 5);
    assert_eq!(faults.submissions_of(sub.id), 3);
    assert_eq!(count(&server).await, 2);
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn a_poisoned_case_fails_every_time_and_only_that_case() {
    let dir = tempfile::tempdir().unwrap();
    let faults = Faults::new();
    let server = start(dir.path(), &faults).await;
    let poison = sample_submission(STATION, 1);
    faults.poison(poison.id);

    for _ in 0..3 {
        let resp = resend(&server, &poison).await;
        assert_eq!(resp.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert!(retry_after(&resp).is_none());
    }
    let (_, resp) = submit(&server, 2).await;
    assert_eq!(resp.status(), StatusCode::CREATED);
    assert_eq!(faults.submissions_of(poison.id), 3);
    assert_eq!(count(&server).await, 1);
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn a_held_submission_is_seen_at_once_and_answered_late() {
    let dir = tempfile::tempdir().unwrap();
    let faults = Faults::new();
    let server = start(dir.path(), &faults).await;
    // Long enough that an unheld answer on a loaded 2-core CI machine still comes sooner.
    let hold = Duration::from_secs(2);
    faults.hold(Some(hold));

    let url = server.url();
    let started = Instant::now();
    let send = tokio::spawn(async move {
        let sub = sample_submission(STATION, 1);
        reqwest::Client::new()
            .post(format!("{url}{CASES_PATH}"))
            .bearer_auth(TOKEN)
            .json(&sub)
            .send()
            .await
            .unwrap()
            .status()
    });
    faults.arrived(1).await;
    assert!(!send.is_finished(), "answered while held");
    assert_eq!(send.await.unwrap(), StatusCode::CREATED);
    assert!(started.elapsed() >= hold);

    faults.hold(None);
    let started = Instant::now();
    let (_, resp) = submit(&server, 2).await;
    assert_eq!(resp.status(), StatusCode::CREATED);
    assert!(started.elapsed() < hold, "{:?}", started.elapsed());
    server.shutdown().await.unwrap();
}
