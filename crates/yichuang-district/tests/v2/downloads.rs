//! Reference documents by version, status changes by cursor, the station report.

use reqwest::StatusCode;
use yichuang_core::DistrictStatus;
use yichuang_district::officer;
use yichuang_sync::protocol::v2::cases::RecordResult;
use yichuang_sync::protocol::v2::downloads::{
    REFERENCE_PATH, ReferenceKind, STATUS_CHANGES_PATH, StatusChanges,
};
use yichuang_sync::protocol::v2::report::{REPORT_PATH, StationReport};

use super::cases::{record, send};
use super::harness::{Backend, District, OTHER_STATION, STATION};

fn clerks(version: &str) -> String {
    serde_json::json!({"version": version, "clerks": [{
        "login": "demo", "display_name": "演示", "role": "clerk", "active": true,
        "password_hash": "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA"
    }]})
    .to_string()
}

pub async fn reference_is_304_when_current(backend: &dyn Backend) {
    let d = District::start(backend).await;
    let token = d.enroll(STATION).await;
    let path = format!("{REFERENCE_PATH}/clerks");
    assert_eq!(
        d.get(&path, &token).send().await.unwrap().status(),
        StatusCode::NOT_FOUND
    );
    let v1 = officer::publish(&*d.store, ReferenceKind::Clerks, &clerks("2026.1"))
        .await
        .unwrap();
    assert_eq!(v1, "2026.1");

    let resp = d.get(&path, &token).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(resp.headers()["etag"], "\"2026.1\"");
    let doc: serde_json::Value = resp.json().await.unwrap();
    assert_eq!(doc["clerks"][0]["login"], "demo");

    let resp = d
        .get(&path, &token)
        .header("if-none-match", "\"2026.1\"")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::NOT_MODIFIED);

    officer::publish(&*d.store, ReferenceKind::Clerks, &clerks("2026.2"))
        .await
        .unwrap();
    let resp = d
        .get(&path, &token)
        .header("if-none-match", "\"2026.1\"")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(resp.headers()["etag"], "\"2026.2\"");

    // A published version cannot change its content; a plain password is refused.
    let changed = clerks("2026.2").replace("演示", "改了");
    assert!(
        officer::publish(&*d.store, ReferenceKind::Clerks, &changed)
            .await
            .is_err()
    );
    let plain = clerks("2026.3").replace("$argon2id$", "secret");
    assert!(
        officer::publish(&*d.store, ReferenceKind::Clerks, &plain)
            .await
            .is_err()
    );
    assert!(
        officer::publish(&*d.store, ReferenceKind::CreditList, "{")
            .await
            .is_err()
    );

    assert_eq!(
        d.get(&format!("{REFERENCE_PATH}/nope"), &token)
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        d.get(&path, "bad").send().await.unwrap().status(),
        StatusCode::UNAUTHORIZED
    );
    d.stop().await;
}

pub async fn status_changes_by_cursor_and_only_the_station_own(backend: &dyn Backend) {
    let d = District::start(backend).await;
    let token = d.enroll(STATION).await;
    let other = d.enroll(OTHER_STATION).await;
    let ours = send(&d, &token, (1..=3).map(record).collect()).await;
    let mut theirs_record = record(9);
    theirs_record.submission = yichuang_sync::testing::sample_submission(OTHER_STATION, 9);
    let theirs = send(&d, &other, vec![theirs_record]).await;
    let id = |r: &RecordResult| r.id();
    let store = &*d.store;
    for r in &ours.results {
        officer::set_case_status(
            store,
            id(r),
            DistrictStatus::Approved,
            Some("准予".into()),
            None,
            None,
        )
        .await
        .unwrap();
    }
    officer::set_case_status(
        store,
        id(&theirs.results[0]),
        DistrictStatus::Denied,
        None,
        None,
        None,
    )
    .await
    .unwrap();
    officer::set_case_status(
        store,
        id(&ours.results[0]),
        DistrictStatus::Mailed,
        None,
        Some("EMS".into()),
        Some("E1".into()),
    )
    .await
    .unwrap();
    // Forbidden transition: back to 审批中.
    let refused = officer::set_case_status(
        store,
        id(&ours.results[0]),
        DistrictStatus::Reviewing,
        None,
        None,
        None,
    )
    .await;
    assert!(refused.is_err());

    let page = |after: i64| {
        d.get(STATUS_CHANGES_PATH, &token)
            .query(&[("after", after.to_string()), ("limit", "2".to_string())])
            .send()
    };
    let first: StatusChanges = page(0).await.unwrap().json().await.unwrap();
    assert_eq!(first.changes.len(), 2);
    assert!(first.more);
    let second: StatusChanges = page(first.next_after).await.unwrap().json().await.unwrap();
    assert_eq!(second.changes.len(), 2);
    assert!(!second.more);
    let third: StatusChanges = page(second.next_after).await.unwrap().json().await.unwrap();
    assert!(third.changes.is_empty());
    assert_eq!(third.next_after, second.next_after);
    let all: Vec<_> = first.changes.iter().chain(&second.changes).collect();
    assert!(all.windows(2).all(|w| w[0].seq < w[1].seq));
    assert!(all.iter().all(|c| c.case_id != id(&theirs.results[0])));
    assert_eq!(all[3].status, DistrictStatus::Mailed);
    assert_eq!(all[3].tracking_no.as_deref(), Some("E1"));

    let resp = d
        .get(STATUS_CHANGES_PATH, &token)
        .query(&[("after", "-1")])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
    let resp = d
        .get(STATUS_CHANGES_PATH, &token)
        .query(&[("after", "x")])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
    d.stop().await;
}

pub async fn station_report_shows_in_stations(backend: &dyn Backend) {
    let d = District::start(backend).await;
    let token = d.enroll(STATION).await;
    let report = StationReport {
        app_version: "0.3.1".into(),
        queue_depth: 17,
        quarantined: 2,
        materials_pending: 5,
        last_error: Some("区级系统繁忙".into()),
    };
    let resp = d.post(REPORT_PATH, &token, &report).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::NO_CONTENT);
    let table = officer::stations_table(&d.store.device_health().await.unwrap());
    let line = table
        .lines()
        .find(|l| l.starts_with(STATION))
        .expect("station line");
    for part in ["0.3.1", "17", "2", "5", "区级系统繁忙", "1 号窗口", "有效"] {
        assert!(line.contains(part), "{part} in {line}");
    }
    let too_long = StationReport {
        last_error: Some("错".repeat(501)),
        ..report
    };
    let resp = d.post(REPORT_PATH, &token, &too_long).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
    d.stop().await;
}
