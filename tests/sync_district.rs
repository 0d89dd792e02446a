//! A real station store syncing to the real district on 127.0.0.1: official numbers, stored
//! exactly once, harmless re-sends, and conflicts quarantined but kept.

use std::net::SocketAddr;
use std::str::FromStr;

use reqwest::StatusCode;
use yichuang_core::SyncState;
use yichuang_sync::protocol::{CASES_PATH, CaseSubmission, SubmissionAck};
use yichuang_sync::{ClientTimeouts, DistrictClient, DistrictEndpoint, sync_once};
use yichuang_tests::sync_env::{
    STATION, SyncStation, TOKEN, demo_intake, district_count, fast_config, start_district,
};

fn any_port() -> SocketAddr {
    SocketAddr::from_str("127.0.0.1:0").expect("addr")
}

fn client(url: &str) -> DistrictClient {
    DistrictClient::new(
        DistrictEndpoint {
            url: url.into(),
            token: TOKEN.into(),
            ca_pem: None,
        },
        ClientTimeouts::default(),
    )
    .expect("client")
}

async fn raw_post(url: &str, sub: &CaseSubmission) -> reqwest::Response {
    reqwest::Client::new()
        .post(format!("{url}{CASES_PATH}"))
        .bearer_auth(TOKEN)
        .json(sub)
        .send()
        .await
        .expect("post")
}

#[tokio::test]
async fn synced_case_gets_its_official_number_and_is_stored_once() {
    let district_dir = tempfile::tempdir().expect("dir");
    let district = start_district(district_dir.path(), any_port()).await;
    let station = SyncStation::provision(&district.url(), TOKEN);
    let case = station.accept(1);
    assert_eq!(case.sync_state, SyncState::Pending);
    assert_eq!(station.outbox(), (1, 0));

    let policy = fast_config().policy;
    let report = sync_once(&station.store, &client(&district.url()), &policy)
        .await
        .expect("sync");
    assert_eq!(report.stop, None, "{report:?}");
    assert_eq!(report.synced.len(), 1);
    let official = report.synced[0].official_case_no.clone();
    let year = yichuang_core::time::local_date(jiff::Timestamp::now()).year();
    assert_eq!(official, format!("440111-{year}-000001"));
    assert!(!report.synced[0].duplicate);

    let kept = station.case(&case);
    assert_eq!(kept.official_case_no.as_deref(), Some(official.as_str()));
    assert_eq!(kept.sync_state, SyncState::Synced);
    assert_eq!(kept.case_no, case.case_no, "the provisional number stays");
    assert_eq!(station.outbox(), (0, 0));
    assert_eq!(district_count(&district.url()).await, 1);

    // A second round finds nothing to send.
    let again = sync_once(&station.store, &client(&district.url()), &policy)
        .await
        .expect("sync");
    assert_eq!((again.attempted, again.stop), (0, None));

    // Re-sending the same submission by hand: same answer, nothing new stored.
    let sub = CaseSubmission::from_case(&case).expect("submission");
    let resp = raw_post(&district.url(), &sub).await;
    assert_eq!(resp.status(), StatusCode::OK);
    let ack: SubmissionAck = resp.json().await.expect("ack");
    assert!(ack.duplicate);
    assert_eq!(ack.official_case_no, official);
    assert_eq!(district_count(&district.url()).await, 1);
    district.shutdown().await.expect("stop district");
}

#[tokio::test]
async fn lost_acknowledgement_is_recovered_by_a_harmless_resend() {
    let district_dir = tempfile::tempdir().expect("dir");
    let district = start_district(district_dir.path(), any_port()).await;
    let station = SyncStation::provision(&district.url(), TOKEN);
    let case = station.accept(1);

    // The district stored it but the station never heard back (e.g. the cable was pulled).
    let sub = CaseSubmission::from_case(&case).expect("submission");
    let first = raw_post(&district.url(), &sub).await;
    assert_eq!(first.status(), StatusCode::CREATED);
    let first: SubmissionAck = first.json().await.expect("ack");
    assert_eq!(station.outbox(), (1, 0));

    // The engine re-sends from its outbox and gets the number the district gave first.
    let report = sync_once(
        &station.store,
        &client(&district.url()),
        &fast_config().policy,
    )
    .await
    .expect("sync");
    assert_eq!(report.synced.len(), 1, "{report:?}");
    assert!(report.synced[0].duplicate);
    assert_eq!(report.synced[0].official_case_no, first.official_case_no);
    assert_eq!(
        station.case(&case).official_case_no,
        Some(first.official_case_no)
    );
    assert_eq!(station.outbox(), (0, 0));
    assert_eq!(district_count(&district.url()).await, 1);
    district.shutdown().await.expect("stop district");
}

#[tokio::test]
async fn changed_content_under_the_same_id_is_quarantined_and_kept() {
    let district_dir = tempfile::tempdir().expect("dir");
    let district = start_district(district_dir.path(), any_port()).await;
    let station = SyncStation::provision(&district.url(), TOKEN);
    let case = station.accept(1);
    let other = station.accept(2);
    let policy = fast_config().policy;
    let report = sync_once(&station.store, &client(&district.url()), &policy)
        .await
        .expect("sync");
    assert_eq!(report.synced.len(), 2);

    // An edit after sync: protocol v1 has no update, so the district must refuse it.
    let edited = station
        .lock()
        .update_intake(
            case.id,
            demo_intake(99),
            "同步测试窗口人员",
            jiff::Timestamp::now(),
        )
        .expect("edit");
    assert_eq!(station.outbox(), (1, 0));
    let report = sync_once(&station.store, &client(&district.url()), &policy)
        .await
        .expect("sync");
    assert_eq!(report.quarantined, 1, "{report:?}");
    assert_eq!(report.stop, None, "a conflict does not stop the round");
    assert_eq!(station.outbox(), (0, 1));

    let kept = station.case(&case);
    assert_eq!(kept.sync_state, SyncState::Quarantined);
    assert_eq!(
        kept.intake, edited.intake,
        "the clerk's edit is kept locally"
    );
    assert_eq!(station.case(&other).sync_state, SyncState::Synced);
    // The district still holds the first version only, once.
    assert_eq!(district_count(&district.url()).await, 2);

    // Quarantined records are not sent again by later rounds.
    let report = sync_once(&station.store, &client(&district.url()), &policy)
        .await
        .expect("sync");
    assert_eq!(report.attempted, 0);
    assert_eq!(report.quarantined_total, 1);
    district.shutdown().await.expect("stop district");
}

#[tokio::test]
async fn a_station_cannot_submit_for_another() {
    let district_dir = tempfile::tempdir().expect("dir");
    let district = start_district(district_dir.path(), any_port()).await;
    let station = SyncStation::provision(&district.url(), TOKEN);
    let case = station.accept(1);
    let mut sub = CaseSubmission::from_case(&case).expect("submission");
    sub.station_code = "440111999".to_string().try_into().expect("code");
    assert_eq!(
        raw_post(&district.url(), &sub).await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(sub.station_code.as_str().len(), STATION.len());
    assert_eq!(district_count(&district.url()).await, 0);
    district.shutdown().await.expect("stop district");
}
