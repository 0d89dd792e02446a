//! The sync page in the real window: a station whose token the district does not know keeps
//! its intake (nothing lost, nothing quarantined), the clerk enrolls it from the window with
//! the one-time code the district officer issued, and the waiting case reaches the district.

use crate::e2e;

use std::sync::Arc;
use std::time::Duration;

use e2e::{app, district, ui};
use tokio::net::TcpListener;
use yichuang_district::DistrictServer;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_station_the_district_does_not_know_is_enrolled_from_the_window() {
    // A district that knows no device of this station yet; its officer issues a code.
    let district_dir = tempfile::tempdir().unwrap();
    let (store, settings, code) = district::unenrolled(district_dir.path()).await;
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let district = DistrictServer::start_with(listener, settings, Arc::clone(&store))
        .await
        .unwrap();

    let run = app::DemoApp::start(
        &district.url(),
        &[("YICHUANG_SYNC_RETRY_MAX_MS", "500".to_string())],
    );
    let out_dir = run.out_dir.clone();
    let client = run.session().await;
    let page = ui::Page::new(&client);
    page.login("demo", "demo1234").await;

    // An intake while the district refuses the station's token: saved, waiting.
    page.accept_demo_case().await;
    let badge = page
        .wait_for_text(
            "[data-testid='sync-badge']",
            |t| t.contains("需重新登记"),
            Duration::from_secs(30),
        )
        .await;
    assert!(badge.contains("需重新登记"), "{badge}");
    let pending = page.text_of("[data-testid='sync-pending']").await;
    assert_eq!(pending, "待同步 1 件", "kept, not quarantined");
    assert_eq!(store.count_cases("440111001").await.unwrap(), 0);

    // The sync page: the clerk types the code; the token goes to the keyring, never shown.
    page.click("nav-settings").await;
    page.wait_for_text(
        "[data-testid='sync-detail']",
        |t| t.contains("凭据"),
        Duration::from_secs(10),
    )
    .await;
    page.screenshot(&out_dir.join("sync-auth-needed.png")).await;
    page.enroll(&code).await;

    // The waiting case goes up on its own.
    page.wait_all_synced().await;
    assert_eq!(store.count_cases("440111001").await.unwrap(), 1);
    page.screenshot(&out_dir.join("sync-enrolled.png")).await;
    client.close().await.unwrap();
    district.shutdown().await.unwrap();
}
