//! A refusal from the real district reaches the hall manager's 同步与隔离 tab in the real app
//! (tauri-driver and WebKitWebDriver under X): a case accepted at the station goes up, the
//! district's officer makes it 待领取; while the district is down a moment the clerk records
//! the handover from the window and another device's handover of the case reaches the
//! district's store first, so the app's engine, once the district is back, is refused (409). The window shows 区级退回 on 出件 and the manager sees it listed with
//! the district's reason, without anyone reloading the list. Screenshot in tests/e2e/out/.

#[path = "e2e/app.rs"]
mod app;
#[path = "e2e/display.rs"]
mod display;
#[path = "e2e/driver.rs"]
mod driver;
#[path = "e2e/refused_handover.rs"]
mod refused_handover;
#[path = "e2e/ui.rs"]
mod ui;

use std::time::{Duration, Instant};

use fantoccini::Locator;
use jiff::Timestamp;
use refused_handover::{ID, accepted_case, invoke};
use uuid::Uuid;
use yichuang_core::{DistrictStatus, HandoverForm, HandoverMethod};
use yichuang_district::{DistrictConfig, DistrictServer, DistrictStore, SqliteStore, officer};
use yichuang_station::{Station, StationConfig};
use yichuang_sync::protocol::v2::handovers::HandoverRecord;

const TOKEN: &str = "demo-token";

fn config(dir: &std::path::Path) -> DistrictConfig {
    DistrictConfig {
        db_path: dir.join("district.db"),
        region_code: "440111".into(),
        station_tokens: vec![("440111001".into(), TOKEN.into())],
        faults: None,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_districts_refusal_of_a_handover_shows_in_the_managers_quarantine() {
    let district_dir = tempfile::tempdir().unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let district = DistrictServer::start(listener, config(district_dir.path()))
        .await
        .unwrap();
    let url = district.url();
    let run = app::DemoApp::start(&url, &[("YICHUANG_SYNC_RETRY_MAX_MS", "500".to_string())]);
    let case = {
        let station = Station::open(&StationConfig {
            data_dir: run.data_dir.clone(),
            keyring_service: run.keyring_service.clone(),
        })
        .unwrap();
        station.login("demo", "demo1234").unwrap();
        accepted_case(&station)
    };
    let out = run.out_dir.clone();
    let client = run.session().await;
    let page = ui::Page::new(&client);
    page.login_to_home("demo", "demo1234").await;

    // The case goes up; the officer makes it 待领取; another device hands it over first.
    let store = district.store();
    let deadline = Instant::now() + Duration::from_secs(60);
    while store.count_cases("440111001").await.unwrap() < 1 {
        assert!(
            Instant::now() < deadline,
            "the case never reached the district"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    for status in [DistrictStatus::Approved, DistrictStatus::ReadyForPickup] {
        officer::set_case_status(&**store, case.id, status, None, None, None)
            .await
            .unwrap();
    }
    // The station pulls the status; the clerk hands it over from the window.
    page.click("nav-delivery").await;
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        page.click("delivery-refresh").await;
        tokio::time::sleep(Duration::from_millis(500)).await;
        let n = client
            .find_all(Locator::Css("[data-testid='delivery-ready-row']"))
            .await
            .unwrap()
            .len();
        if n == 1 {
            break;
        }
        assert!(Instant::now() < deadline, "the case never showed as ready");
    }
    // The district goes down a moment; meanwhile the clerk records the handover here, and
    // another device's handover of the same case reaches the district's store first.
    let addr = district.local_addr();
    district.shutdown().await.expect("stop district");
    let args = serde_json::json!({
        "caseId": case.id.to_string(),
        "handoverId": Uuid::now_v7().to_string(),
        "input": { "recipient_id_no": ID, "recipient_name": null },
    });
    invoke(&client, "delivery_at_window", args).await.unwrap();
    let elsewhere = HandoverRecord {
        id: Uuid::now_v7(),
        case_id: case.id,
        form: HandoverForm {
            document_name: "广东省居住证".into(),
            document_no: None,
            recipient_name: "王堃喆".into(),
            recipient_id_no: Some(ID.into()),
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
            .store_handovers("440111001", vec![elsewhere], Timestamp::now())
            .await
            .unwrap();
        assert_eq!(stored.len(), 1);
    }
    let listener = tokio::net::TcpListener::bind(addr).await.unwrap();
    let district = DistrictServer::start(listener, config(district_dir.path()))
        .await
        .unwrap();
    let store = district.store();

    // The engine sends it; the district refuses; the manager's tab lists it by itself.
    page.click("nav-manager").await;
    page.click("manager-tab-sync").await;
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let n = client
            .find_all(Locator::Css("[data-testid='refused-handover-row']"))
            .await
            .unwrap()
            .len();
        if n == 1 {
            break;
        }
        assert!(Instant::now() < deadline, "the refusal never showed");
        page.click("manager-sync-now").await;
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    let row = page.text_of("[data-testid='refused-handover-row']").await;
    assert!(row.contains(&case.case_no), "{row}");
    assert!(row.contains("已登记送达"), "the district's reason: {row}");
    assert!(
        row.contains("110105********002X") && !row.contains(ID),
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
    assert_eq!(store.count_handovers("440111001").await.unwrap(), 1);
}
