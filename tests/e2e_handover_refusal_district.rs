//! A refusal from the real district reaches the hall manager's 同步与隔离 tab in the real app
//! (tauri-driver and WebKitWebDriver under X): a case accepted at the station goes up, the
//! district's officer makes it 待领取; while the district is down a moment the clerk records
//! the handover from the window and another device's handover of the case reaches the
//! district's store first, so the app's engine, once the district is back, is refused (409). The window shows 区级退回 on 出件 and the manager sees it listed with
//! the district's reason, without anyone reloading the list. Screenshot in tests/e2e/out/.

use crate::e2e;

use std::time::Duration;

use e2e::cases::{DEMO_ID, RESIDENCE_PERMIT, accepted};
use e2e::{app, district, ui};
use jiff::Timestamp;
use ui::invoke;
use uuid::Uuid;
use yichuang_core::{DistrictStatus, HandoverForm, HandoverMethod};
use yichuang_district::{DistrictStore, SqliteStore};
use yichuang_sync::protocol::v2::handovers::HandoverRecord;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_districts_refusal_of_a_handover_shows_in_the_managers_quarantine() {
    let district_dir = tempfile::tempdir().unwrap();
    let district = district::start_any(district_dir.path()).await;
    let run = app::DemoApp::start(
        &district.url(),
        &[("YICHUANG_SYNC_RETRY_MAX_MS", "500".to_string())],
    );
    let case = {
        let station = run.station();
        station.login("demo", "demo1234").unwrap();
        accepted(&station, RESIDENCE_PERMIT, DEMO_ID)
    };
    let out = run.out_dir.clone();
    let client = run.session().await;
    let page = ui::Page::new(&client);
    page.login_to_home("demo", "demo1234").await;

    // The case goes up; the officer makes it 待领取; another device hands it over first.
    district::wait_for_cases(&district, 1).await;
    for status in [DistrictStatus::Approved, DistrictStatus::ReadyForPickup] {
        district::decide(&district, case.id, status, None).await;
    }
    // The station pulls the status; the clerk hands it over from the window.
    page.click("nav-delivery").await;
    page.click_until_count(
        "delivery-refresh",
        "[data-testid='delivery-ready-row']",
        1,
        Duration::from_secs(60),
        "the case never showed as ready",
    )
    .await;
    // The district goes down a moment; meanwhile the clerk records the handover here, and
    // another device's handover of the same case reaches the district's store first.
    let addr = district.local_addr();
    district.shutdown().await.expect("stop district");
    let args = serde_json::json!({
        "caseId": case.id.to_string(),
        "handoverId": Uuid::now_v7().to_string(),
        "input": { "recipient_id_no": DEMO_ID, "recipient_name": null },
    });
    invoke(&client, "delivery_at_window", args).await.unwrap();
    let elsewhere = HandoverRecord {
        id: Uuid::now_v7(),
        case_id: case.id,
        form: HandoverForm {
            document_name: "广东省居住证".into(),
            document_no: None,
            recipient_name: "王堃喆".into(),
            recipient_id_no: Some(DEMO_ID.into()),
            relation: "本人".into(),
            method: HandoverMethod::Window {
                place: "白云区测试便民服务站 2 号窗口".into(),
            },
        },
        clerk: "另一台电脑的窗口人员".into(),
        handed_at: Timestamp::now(),
    };
    {
        let store = SqliteStore::open(&district_dir.path().join("district.db")).unwrap();
        let stored = store
            .store_handovers(district::STATION, vec![elsewhere], Timestamp::now())
            .await
            .unwrap();
        assert_eq!(stored.len(), 1);
    }
    let listener = tokio::net::TcpListener::bind(addr).await.unwrap();
    let district = district::start(listener, district::config(district_dir.path())).await;
    let store = district.store();

    // The engine sends it; the district refuses; the manager's tab lists it by itself.
    page.click("nav-manager").await;
    page.click("manager-tab-sync").await;
    page.click_until_count(
        "manager-sync-now",
        "[data-testid='refused-handover-row']",
        1,
        Duration::from_secs(60),
        "the refusal never showed",
    )
    .await;
    let row = page.text_of("[data-testid='refused-handover-row']").await;
    assert!(row.contains(&case.case_no), "{row}");
    assert!(row.contains("已登记送达"), "the district's reason: {row}");
    assert!(
        row.contains("110105********002X") && !row.contains(DEMO_ID),
        "{row}"
    );
    assert_eq!(page.text_of("[data-testid='sync-quarantined']").await, "1");
    page.screenshot(&out.join("handover-quarantine-district.png"))
        .await;
    page.click("nav-delivery").await;
    page.wait_for_text(
        "[data-testid='delivery-handed-sync']",
        |t| t.contains("区级退回，请大厅负责人处理"),
        Duration::from_secs(10),
    )
    .await;
    client.close().await.unwrap();
    assert_eq!(store.count_handovers(district::STATION).await.unwrap(), 1);
}
