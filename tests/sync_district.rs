//! A real station store syncing to the real district on 127.0.0.1 (protocol v2, batches):
//! official numbers, stored exactly once, harmless re-sends, and conflicts quarantined but kept.

use std::net::SocketAddr;
use std::str::FromStr;

use reqwest::StatusCode;
use yichuang_core::{Case, SyncState};
use yichuang_sync::protocol::CaseSubmission;
use yichuang_sync::protocol::v2::cases::{
    BatchAnswer, CASES_BATCH_PATH, CaseBatch, CaseRecord, RecordResult,
};
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

/// Posts one submission as a batch by hand, as another client (or a lost answer) would.
async fn raw_post(url: &str, sub: &CaseSubmission) -> reqwest::Response {
    let batch = CaseBatch {
        records: vec![CaseRecord {
            submission: sub.clone(),
            revision: 1,
            clock_offset_ms: None,
            materials: Vec::new(),
        }],
    };
    reqwest::Client::new()
        .post(format!("{url}{CASES_BATCH_PATH}"))
        .bearer_auth(TOKEN)
        .json(&batch)
        .send()
        .await
        .expect("post")
}

/// The single result of a hand-posted batch.
async fn only_result(resp: reqwest::Response) -> RecordResult {
    assert_eq!(resp.status(), StatusCode::OK);
    let mut answer: BatchAnswer = resp.json().await.expect("answer");
    assert_eq!(answer.results.len(), 1);
    answer.results.remove(0)
}

fn official_of(result: &RecordResult) -> (String, bool) {
    match result {
        RecordResult::Stored {
            official_case_no,
            duplicate,
            ..
        } => (official_case_no.clone(), *duplicate),
        other => panic!("not stored: {other:?}"),
    }
}

fn official(case: &Case) -> String {
    case.official_case_no.clone().expect("official number")
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
    assert_eq!(report.synced, 1);
    let kept = station.case(&case);
    let official = official(&kept);
    let year = yichuang_core::time::local_date(jiff::Timestamp::now()).year();
    assert_eq!(official, format!("440111-{year}-000001"));

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
    let (again_no, duplicate) =
        official_of(&only_result(raw_post(&district.url(), &sub).await).await);
    assert!(duplicate);
    assert_eq!(again_no, official);
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
    let (first, duplicate) = official_of(&only_result(raw_post(&district.url(), &sub).await).await);
    assert!(!duplicate);
    assert_eq!(station.outbox(), (1, 0));

    // The engine re-sends from its outbox and gets the number the district gave first.
    let report = sync_once(
        &station.store,
        &client(&district.url()),
        &fast_config().policy,
    )
    .await
    .expect("sync");
    assert_eq!(report.synced, 1, "{report:?}");
    assert_eq!(official(&station.case(&case)), first);
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
    assert_eq!(report.synced, 2);

    // An edit after sync: the district keeps the first content, so it must refuse it.
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
        StatusCode::FORBIDDEN,
        "the whole request is refused"
    );
    assert_eq!(sub.station_code.as_str().len(), STATION.len());
    assert_eq!(district_count(&district.url()).await, 0);
    district.shutdown().await.expect("stop district");
}
