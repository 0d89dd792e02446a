//! What every answer shares and what protects the district: error bodies, Date, limits,
//! load shedding, scripted faults.

use std::time::Duration;

use reqwest::StatusCode;
use yichuang_sync::protocol::ErrorKind;
use yichuang_sync::protocol::v2::cases::{CASES_BATCH_PATH, CaseBatch};
use yichuang_sync::protocol::v2::{HEALTH_PATH, Health};

use super::cases::record;
use super::harness::{Backend, District, STATION, error_body};

pub async fn errors_are_error_bodies_with_a_date(backend: &dyn Backend) {
    let d = District::start(backend).await;
    let token = d.enroll(STATION).await;
    let resp = d
        .http
        .get(format!("{}{HEALTH_PATH}", d.url))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert!(resp.headers().contains_key("date"));
    let health: Health = resp.json().await.unwrap();
    assert_eq!(
        (health.protocol_version, health.region_code.as_str()),
        (2, "440111")
    );

    for resp in [
        d.get("/api/v2/nothing-here", &token).send().await.unwrap(),
        d.get(CASES_BATCH_PATH, &token).send().await.unwrap(),
        d.http
            .post(format!("{}{CASES_BATCH_PATH}", d.url))
            .bearer_auth(&token)
            .body("{")
            .send()
            .await
            .unwrap(),
    ] {
        assert!(resp.status().is_client_error());
        assert!(resp.headers().contains_key("date"));
        let body = error_body(resp).await;
        assert!(
            matches!(body.kind, ErrorKind::NotFound | ErrorKind::BadRequest),
            "{body:?}"
        );
    }
    // A bad request leaves the store as it was.
    assert_eq!(d.store.count_cases(STATION).await.unwrap(), 0);
    d.stop().await;
}

pub async fn faults_by_path_and_captive_portals(backend: &dyn Backend) {
    let d = District::start(backend).await;
    let token = d.enroll(STATION).await;
    let batch = CaseBatch {
        records: vec![record(1)],
    };
    d.faults.fail_path(CASES_BATCH_PATH, 2, 503, Some(7));
    d.faults.fail_path(HEALTH_PATH, 1, 429, Some(3));
    for _ in 0..2 {
        let resp = d
            .post(CASES_BATCH_PATH, &token, &batch)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(resp.headers()["retry-after"], "7");
        assert_eq!(error_body(resp).await.kind, ErrorKind::Busy);
    }
    let resp = d
        .http
        .get(format!("{}{HEALTH_PATH}", d.url))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(
        d.post(CASES_BATCH_PATH, &token, &batch)
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );

    d.faults.fail_path(CASES_BATCH_PATH, 1, 500, None);
    let resp = d
        .post(CASES_BATCH_PATH, &token, &batch)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::INTERNAL_SERVER_ERROR);

    d.faults.captive_portal("/api/v2", 1, false);
    d.faults.captive_portal("/api/v2", 1, true);
    let resp = d
        .post(CASES_BATCH_PATH, &token, &batch)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert!(
        resp.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    assert!(resp.text().await.unwrap().contains("<html>"));
    let resp = d
        .post(CASES_BATCH_PATH, &token, &batch)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::FOUND);
    assert!(resp.headers().contains_key("location"));

    d.faults
        .hold_path(HEALTH_PATH, 1, Duration::from_millis(300));
    let started = std::time::Instant::now();
    let resp = d
        .http
        .get(format!("{}{HEALTH_PATH}", d.url))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert!(started.elapsed() >= Duration::from_millis(300));
    assert!(d.faults.requests_to(CASES_BATCH_PATH) >= 6);
    d.stop().await;
}

pub async fn overload_is_shed_with_retry_after(backend: &dyn Backend) {
    let d = District::start_tuned(backend, |s| {
        s.max_concurrent = 1;
        s.request_timeout = Duration::from_millis(800);
    })
    .await;
    // The first request is held past the timeout (it takes the one place); a second
    // meanwhile is shed.
    d.faults.hold_path(HEALTH_PATH, 1, Duration::from_secs(3));
    let url = format!("{}{HEALTH_PATH}", d.url);
    let held = tokio::spawn(d.http.get(&url).send());
    tokio::time::sleep(Duration::from_millis(200)).await;
    let shed = d.http.get(&url).send().await.unwrap();
    assert_eq!(shed.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(shed.headers().contains_key("retry-after"));
    let shed = error_body(shed).await;
    assert_eq!(shed.kind, ErrorKind::Busy);
    assert!(shed.message.contains("繁忙"), "{}", shed.message);
    let held = held.await.unwrap().unwrap();
    assert_eq!(held.status(), StatusCode::SERVICE_UNAVAILABLE);
    let held = error_body(held).await;
    assert!(held.message.contains("超时"), "{}", held.message);
    // Free again.
    let resp = d.http.get(&url).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    d.stop().await;
}
