//! Enrollment: a one-time code for one station, spent on first use, expiring.

use std::time::Duration;

use reqwest::StatusCode;
use yichuang_sync::protocol::ErrorKind;
use yichuang_sync::protocol::v2::enroll::Enrollment;
use yichuang_sync::protocol::v2::report::{REPORT_PATH, StationReport};

use crate::harness::{Backend, District, OTHER_STATION, STATION, error_body};

fn report() -> StationReport {
    StationReport {
        app_version: "0.1.0".into(),
        queue_depth: 0,
        quarantined: 0,
        materials_pending: 0,
        last_error: None,
    }
}

pub async fn a_good_code_gives_a_token_once(backend: &dyn Backend) {
    let d = District::start(backend).await;
    let code = d.code_for(STATION, Duration::from_secs(3600), false).await;
    // Typed in upper case with spaces: still the same code.
    let typed = code.to_uppercase();
    let resp = d.enroll_raw(&typed, STATION).await;
    assert_eq!(resp.status(), StatusCode::CREATED);
    let enrollment: Enrollment = resp.json().await.unwrap();
    assert_eq!(enrollment.station_code, STATION);
    assert_eq!(enrollment.region_code, "440111");
    assert_eq!(enrollment.station_name, format!("测试站点{STATION}"));
    assert_eq!(enrollment.device_token.len(), 64);
    assert!(hex::decode(&enrollment.device_token).is_ok());

    let resp = d
        .post(REPORT_PATH, &enrollment.device_token, &report())
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::NO_CONTENT);

    // Spent: the second use is refused, and the first token still works.
    let again = d.enroll_raw(&code, STATION).await;
    assert_eq!(again.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(error_body(again).await.kind, ErrorKind::Unauthorized);
    let resp = d
        .post(REPORT_PATH, &enrollment.device_token, &report())
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::NO_CONTENT);
    d.stop().await;
}

pub async fn expired_unknown_and_wrong_station_codes_are_refused(backend: &dyn Backend) {
    let d = District::start(backend).await;
    let expired = d.code_for(STATION, Duration::from_secs(60), true).await;
    let resp = d.enroll_raw(&expired, STATION).await;
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
    assert!(error_body(resp).await.message.contains("过期"));

    let resp = d.enroll_raw("no-such-code", STATION).await;
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);

    let code = d.code_for(STATION, Duration::from_secs(3600), false).await;
    let resp = d.enroll_raw(&code, OTHER_STATION).await;
    assert_eq!(resp.status(), StatusCode::FORBIDDEN);
    assert_eq!(error_body(resp).await.kind, ErrorKind::Forbidden);
    // The wrong station did not spend it.
    assert_eq!(
        d.enroll_raw(&code, STATION).await.status(),
        StatusCode::CREATED
    );

    let resp = d.enroll_raw(&"x".repeat(65), STATION).await;
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
    let resp = d.enroll_raw("abc", "44-01").await;
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
    d.stop().await;
}

pub async fn revoked_tokens_get_401(backend: &dyn Backend) {
    let d = District::start(backend).await;
    let token = d.enroll(STATION).await;
    let other = d.enroll(OTHER_STATION).await;
    let revoked = d
        .store
        .revoke_station_devices(STATION, jiff::Timestamp::now())
        .await
        .unwrap();
    assert_eq!(revoked, 1);
    let resp = d.post(REPORT_PATH, &token, &report()).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
    assert!(
        resp.headers()
            .contains_key(reqwest::header::WWW_AUTHENTICATE)
    );
    let resp = d.post(REPORT_PATH, &other, &report()).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::NO_CONTENT);
    let resp = d.post(REPORT_PATH, "", &report()).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
    d.stop().await;
}
