//! Enrollment: a one-time code for one station, spent on first use, expiring.

use std::time::Duration;

use reqwest::StatusCode;
use yichuang_sync::protocol::ErrorKind;
use yichuang_sync::protocol::v2::enroll::Enrollment;
use yichuang_sync::protocol::v2::report::{REPORT_PATH, StationReport};

use super::harness::{Backend, District, OTHER_STATION, STATION, error_body};

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

/// Issue 7 point 3: the public half of the station's QR key, registered at enrollment, checks
/// a code the station signed offline; an altered code, another station's key and a key that is
/// no key are refused.
pub async fn a_qr_signed_offline_verifies_with_the_key_registered_at_enrollment(
    backend: &dyn Backend,
) {
    use yichuang_core::evaluation_qr::{EvaluationQr, QrSigningKey};
    use yichuang_district::verify_evaluation_qr;
    let d = District::start(backend).await;
    let key = QrSigningKey::generate().unwrap();
    let code = d.code_for(STATION, Duration::from_secs(3600), false).await;
    let resp = d
        .enroll_with_key(&code, STATION, Some(key.public_key().to_hex()))
        .await;
    assert_eq!(resp.status(), StatusCode::CREATED);

    let qr = EvaluationQr {
        station_code: STATION.into(),
        case_no: "L440111001-01-20261127-0003".into(),
        item_code: "114401110075061234200011000101".into(),
        region_code: "440111".into(),
        channel: "qr".into(),
    };
    let payload = qr.to_payload("https://pj.example.gov.cn/evaluate", &key);
    assert_eq!(
        verify_evaluation_qr(d.store.as_ref(), &payload)
            .await
            .unwrap(),
        qr
    );
    let altered = payload.replace("-0003", "-0004");
    let err = verify_evaluation_qr(d.store.as_ref(), &altered)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("签名无效"), "{err}");
    let stranger = EvaluationQr {
        station_code: OTHER_STATION.into(),
        ..qr.clone()
    }
    .to_payload("https://pj.example.gov.cn/evaluate", &key);
    assert!(
        verify_evaluation_qr(d.store.as_ref(), &stranger)
            .await
            .is_err()
    );

    let code = d.code_for(STATION, Duration::from_secs(3600), false).await;
    let resp = d
        .enroll_with_key(&code, STATION, Some("00".repeat(31)))
        .await;
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
    d.stop().await;
}
