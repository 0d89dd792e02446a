//! Injected faults on case batches over real HTTP on 127.0.0.1:0: busy answers with
//! Retry-After, a poison record, and a held request.

use std::time::{Duration, Instant};

use reqwest::StatusCode;
use tokio::net::TcpListener;
use yichuang_sync::protocol::ErrorBody;

use crate::tests::{STATION, TOKEN, batch, count, post_batch, record};
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

    let (one, two, three) = (record(1), record(2), record(3));
    faults.unavailable(2, 7);
    for _ in 0..2 {
        let resp = post_batch(&server, &batch(&[&one])).await;
        assert_eq!(resp.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(retry_after(&resp), Some("7"));
        let body: ErrorBody = resp.json().await.unwrap();
        assert!(body.message.contains("繁忙"), "{}", body.message);
    }
    assert_eq!(count(&server).await, 0, "a busy answer stores nothing");
    assert_eq!(
        post_batch(&server, &batch(&[&one])).await.status(),
        StatusCode::OK
    );

    faults.too_many_requests(1, 3);
    let resp = post_batch(&server, &batch(&[&two, &three])).await;
    assert_eq!(resp.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(retry_after(&resp), Some("3"));
    assert_eq!(
        post_batch(&server, &batch(&[&two, &three])).await.status(),
        StatusCode::OK
    );

    assert_eq!(faults.submissions().len(), 7, "every record of every batch");
    assert_eq!(faults.submissions_of(one.submission.id), 3);
    assert_eq!(count(&server).await, 3);
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn a_poisoned_case_fails_its_batches_every_time_and_no_other() {
    let dir = tempfile::tempdir().unwrap();
    let faults = Faults::new();
    let server = start(dir.path(), &faults).await;
    let (poison, good) = (record(1), record(2));
    faults.poison(poison.submission.id);

    for _ in 0..3 {
        let resp = post_batch(&server, &batch(&[&good, &poison])).await;
        assert_eq!(resp.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert!(retry_after(&resp).is_none());
    }
    assert_eq!(count(&server).await, 0, "the poisoned batch stored nothing");
    let resp = post_batch(&server, &batch(&[&good])).await;
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(faults.submissions_of(poison.submission.id), 3);
    assert_eq!(count(&server).await, 1);
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn a_held_batch_is_seen_at_once_and_answered_late() {
    let dir = tempfile::tempdir().unwrap();
    let faults = Faults::new();
    let server = start(dir.path(), &faults).await;
    // Long enough that an unheld answer on a loaded 2-core CI machine still comes sooner.
    let hold = Duration::from_secs(2);
    faults.hold(Some(hold));

    let url = server.url();
    let started = Instant::now();
    let send = tokio::spawn(async move {
        reqwest::Client::new()
            .post(format!(
                "{url}{}",
                yichuang_sync::protocol::v2::cases::CASES_BATCH_PATH
            ))
            .bearer_auth(TOKEN)
            .json(&batch(&[&record(1)]))
            .send()
            .await
            .unwrap()
            .status()
    });
    faults.arrived(1).await;
    assert!(!send.is_finished(), "answered while held");
    assert_eq!(send.await.unwrap(), StatusCode::OK);
    assert!(started.elapsed() >= hold);

    faults.hold(None);
    let started = Instant::now();
    let resp = post_batch(&server, &batch(&[&record(2)])).await;
    assert_eq!(resp.status(), StatusCode::OK);
    assert!(started.elapsed() < hold, "{:?}", started.elapsed());
    server.shutdown().await.unwrap();
}
