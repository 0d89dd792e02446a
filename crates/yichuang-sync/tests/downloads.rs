//! The station downloads what the district publishes (protocol v2): its cases' status changes
//! by cursor, page by page, durably across a restart; reference documents by version, with
//! `If-None-Match` and 304; nothing malformed is applied and nothing blocks the rest.
//!
//! Needs a Secret Service: run under `crates/yichuang-store/with-keyring.sh`.

use crate::common;

use std::time::Instant;

use common::{OfficerDistrict, Station, client, officer_district};
use jiff::Timestamp;
use uuid::Uuid;
use yichuang_core::DistrictStatus;
use yichuang_district::DistrictStore;
use yichuang_district::store::{NewStatus, Reference};
use yichuang_sync::protocol::v2::downloads::{MAX_STATUS_CHANGES, ReferenceKind};
use yichuang_sync::testing::demo_catalogue;
use yichuang_sync::{SyncPolicy, SyncReport, sync_once};

const STATUS_PATH: &str = "/api/v2/status-changes";
const CATALOGUE_PATH: &str = "/api/v2/reference/catalogue";

async fn round(station: &Station, district: &OfficerDistrict) -> SyncReport {
    let report = sync_once(
        &station.store,
        &client(&district.server.url()),
        &SyncPolicy::default(),
    )
    .await
    .expect("round");
    assert_eq!(report.stop, None, "{report:?}");
    report
}

async fn decide(district: &OfficerDistrict, case_id: Uuid, status: DistrictStatus, note: &str) {
    district
        .store
        .record_status(NewStatus {
            case_id,
            status,
            note: Some(note.into()),
            courier: None,
            tracking_no: None,
            now: Timestamp::now(),
        })
        .await
        .expect("record status");
}

async fn publish(district: &OfficerDistrict, kind: ReferenceKind, version: &str, doc: String) {
    district
        .store
        .publish_reference(
            kind,
            Reference {
                version: version.into(),
                document: doc,
            },
            Timestamp::now(),
        )
        .await
        .expect("publish");
}

#[tokio::test]
async fn a_decided_case_shows_ready_for_pickup_with_the_districts_note() {
    let district = officer_district().await;
    let station = Station::provision(&district.server.url());
    let id = station.accept(1);
    let first = round(&station, &district).await;
    assert_eq!(first.synced, 1);
    assert_eq!(first.status_changes_applied, 0);
    common::assert_synced(&station.case(id));

    decide(&district, id, DistrictStatus::Reviewing, "已分送公安分局").await;
    decide(&district, id, DistrictStatus::Approved, "准予许可").await;
    let note = "准予许可，居住证已制好，请凭受理回执到窗口领取";
    decide(&district, id, DistrictStatus::ReadyForPickup, note).await;

    let report = round(&station, &district).await;
    assert_eq!(report.status_changes_applied, 3, "{report:?}");
    assert_eq!(report.status_changes_skipped, 0);
    let status = station
        .lock()
        .district_status(id)
        .expect("read")
        .expect("a status arrived");
    assert_eq!(status.status, DistrictStatus::ReadyForPickup);
    assert_eq!(status.label, "待领取");
    assert_eq!(status.note.as_deref(), Some(note));
    assert!(status.ready_for_delivery());

    let again = round(&station, &district).await;
    assert_eq!(again.status_changes_applied, 0, "nothing applied twice");
}

#[tokio::test]
async fn changes_come_in_pages_and_the_cursor_survives_a_restart() {
    let district = officer_district().await;
    let mut station = Station::provision(&district.server.url());
    let id = station.accept(1);
    round(&station, &district).await;
    // More than a page: the district may correct a note as often as it likes.
    let total = MAX_STATUS_CHANGES + 20;
    let t = Instant::now();
    for n in 0..total {
        decide(
            &district,
            id,
            DistrictStatus::Reviewing,
            &format!("补充说明 {n}"),
        )
        .await;
    }
    eprintln!("recorded {total} changes in {:?}", t.elapsed());
    let asked_before = district.faults.requests_to(STATUS_PATH);
    let report = round(&station, &district).await;
    assert_eq!(report.status_changes_applied as usize, total);
    assert_eq!(
        district.faults.requests_to(STATUS_PATH) - asked_before,
        2,
        "two pages"
    );
    let cursor = station.lock().status_cursor().expect("cursor");

    station.restart();
    assert_eq!(station.lock().status_cursor().expect("cursor"), cursor);
    let last = format!("补充说明 {}", total - 1);
    assert_eq!(
        station
            .lock()
            .district_status(id)
            .expect("read")
            .expect("status")
            .note,
        Some(last)
    );
    let after_restart = round(&station, &district).await;
    assert_eq!(after_restart.status_changes_applied, 0, "nothing repeated");
    decide(&district, id, DistrictStatus::Denied, "不予许可：材料不实").await;
    let next = round(&station, &district).await;
    assert_eq!(next.status_changes_applied, 1, "only the new one");
    assert_eq!(
        station
            .lock()
            .district_status(id)
            .expect("read")
            .expect("status")
            .status,
        DistrictStatus::Denied
    );
}

#[tokio::test]
async fn a_change_for_a_case_this_station_lacks_is_skipped_without_blocking() {
    let district = officer_district().await;
    let station = Station::provision(&district.server.url());
    // Another install of the same station (same code and token) sent a case this one lacks.
    let other = Station::provision(&district.server.url());
    let theirs = other.accept(1);
    round(&other, &district).await;
    let ours = station.accept(2);
    round(&station, &district).await;

    decide(&district, theirs, DistrictStatus::Reviewing, "审批中").await;
    decide(&district, ours, DistrictStatus::Reviewing, "审批中").await;
    let report = round(&station, &district).await;
    assert_eq!(report.status_changes_applied, 1, "{report:?}");
    assert_eq!(report.status_changes_skipped, 1);
    assert!(
        station
            .lock()
            .district_status(ours)
            .expect("read")
            .is_some()
    );
    assert_eq!(station.lock().district_status(theirs).expect("read"), None);
    let next = round(&station, &district).await;
    assert_eq!(
        (next.status_changes_applied, next.status_changes_skipped),
        (0, 0),
        "the cursor moved past the skipped change"
    );
}

#[tokio::test]
async fn an_outage_during_the_download_applies_nothing_and_the_next_round_does() {
    let district = officer_district().await;
    let station = Station::provision(&district.server.url());
    let id = station.accept(1);
    round(&station, &district).await;
    decide(&district, id, DistrictStatus::Reviewing, "审批中").await;
    district.faults.fail_path(STATUS_PATH, 1, 503, Some(1));
    let report = sync_once(
        &station.store,
        &client(&district.server.url()),
        &SyncPolicy::default(),
    )
    .await
    .expect("round");
    assert!(report.stop.is_some(), "{report:?}");
    assert!(report.problem.is_some());
    assert_eq!(report.status_changes_applied, 0);
    assert_eq!(station.lock().status_cursor().expect("cursor"), 0);
    assert_eq!(station.lock().district_status(id).expect("read"), None);
    let next = round(&station, &district).await;
    assert_eq!(next.status_changes_applied, 1);
}

#[tokio::test]
async fn a_published_catalogue_arrives_once_then_the_district_answers_304() {
    let district = officer_district().await;
    let station = Station::provision(&district.server.url());
    let mut catalogue = demo_catalogue();
    catalogue.version = "2026-12-01".into();
    let doc = serde_json::to_string(&catalogue).expect("json");
    publish(&district, ReferenceKind::Catalogue, "2026-12-01", doc).await;

    let first = round(&station, &district).await;
    assert_eq!(first.documents_updated, 1, "{first:?}");
    assert_eq!(district.faults.requests_to(CATALOGUE_PATH), 1);
    let (version, id) = {
        let store = station.lock();
        (
            store.reference_version("catalogue").expect("version"),
            store.catalogue_id().expect("id"),
        )
    };
    assert_eq!(version.as_deref(), Some("2026-12-01"));
    assert_eq!(
        station.lock().catalogue().expect("catalogue").version,
        "2026-12-01"
    );

    let second = round(&station, &district).await;
    assert_eq!(second.documents_updated, 0, "{second:?}");
    assert_eq!(
        district.faults.requests_to(CATALOGUE_PATH),
        2,
        "asked again"
    );
    assert_eq!(
        station.lock().catalogue_id().expect("id"),
        id,
        "304: nothing imported again"
    );
}

#[tokio::test]
async fn a_malformed_document_is_not_applied_and_the_others_still_come() {
    let district = officer_district().await;
    let station = Station::provision(&district.server.url());
    let before = station.lock().catalogue().expect("catalogue").version;
    let bad = r#"{"version":"2027-01","items":"不是事项列表"}"#.to_string();
    publish(&district, ReferenceKind::Catalogue, "2027-01", bad).await;
    let calendar = include_str!("../../../assets/calendar/holidays.json").to_string();
    publish(&district, ReferenceKind::Calendar, "cal-2027", calendar).await;

    let report = round(&station, &district).await;
    assert_eq!(report.documents_updated, 1, "the calendar came: {report:?}");
    assert_eq!(report.download_problems.len(), 1);
    assert!(
        report.download_problems[0].contains("事项目录"),
        "{:?}",
        report.download_problems
    );
    assert!(
        report
            .problem
            .as_deref()
            .unwrap_or("")
            .contains("格式不正确")
    );
    let store = station.lock();
    assert_eq!(store.catalogue().expect("catalogue").version, before);
    assert_eq!(store.reference_version("catalogue").expect("v"), None);
    assert_eq!(
        store.reference_version("calendar").expect("v").as_deref(),
        Some("cal-2027")
    );
}
