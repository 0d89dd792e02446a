//! A district on HTTPS with its own root CA, in the real window: the station, which trusts
//! only the system's roots, keeps its intake queued (nothing lost, nothing quarantined); the
//! hall manager pins the district's root CA in 设置 → 区级系统与登记 (the label shows its
//! fingerprint), enrolls with the officer's one-time code over HTTPS, and the waiting case
//! reaches the district. Screenshots in tests/e2e/out/tls-*.png.

use crate::e2e;

use std::sync::Arc;
use std::time::Duration;

use e2e::{app, district, ui};
use tokio::net::TcpListener;
use yichuang_district::DistrictServer;
use yichuang_district::testing_pki::TestPki;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_private_ca_district_is_pinned_enrolled_and_synced_from_the_window() {
    let pki = TestPki::new("白云区政务服务数据管理局根证书");
    let district_dir = tempfile::tempdir().unwrap();
    let (store, settings, code) = district::unenrolled(district_dir.path()).await;
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let district = DistrictServer::start_with_tls(
        listener,
        settings,
        Arc::clone(&store),
        pki.identity().unwrap(),
    )
    .await
    .unwrap();
    let url = district.url();
    assert!(url.starts_with("https://127.0.0.1:"), "{url}");

    let run = app::DemoApp::start(&url, &[("YICHUANG_SYNC_RETRY_MAX_MS", "500".to_string())]);
    let ca_file = run.dir.path().join("district-root-ca.pem");
    std::fs::write(&ca_file, &pki.ca_pem).unwrap();
    let out = run.out_dir.clone();
    let client = run.session().await;
    let page = ui::Page::new(&client);
    page.login("demo", "demo1234").await;

    // An intake while the station does not trust the district's certificate: kept, waiting.
    page.accept_demo_case().await;
    page.click("nav-settings").await;
    let detail = page
        .wait_for_text(
            "[data-testid='sync-detail']",
            |t| t.contains("证书不受本机信任"),
            Duration::from_secs(30),
        )
        .await;
    assert!(detail.contains("设置 → 区级系统与登记"), "{detail}");
    let badge = page.text_of("[data-testid='sync-badge']").await;
    assert!(badge.contains("需处理"), "not offline: {badge}");
    assert_eq!(
        page.text_of("[data-testid='sync-pending']").await,
        "待同步 1 件"
    );
    assert_eq!(store.count_cases("440111001").await.unwrap(), 0);
    page.click("settings-nav-district").await;
    page.screenshot(&out.join("tls-untrusted.png")).await;

    // The manager pins the district's root CA: the label names it by its fingerprint.
    page.set_text("settings-ca-path", ca_file.to_str().unwrap())
        .await;
    page.click("settings-ca-save").await;
    let label = page
        .wait_for_text(
            "[data-testid='settings-ca-label']",
            |t| t.starts_with("只信任已固定的区级根证书"),
            Duration::from_secs(10),
        )
        .await;
    assert!(label.contains("SHA-256"), "{label}");

    // Enrollment over HTTPS with the pinned CA; the waiting case goes up on its own.
    page.enroll(&code).await;
    page.wait_all_synced().await;
    assert_eq!(store.count_cases("440111001").await.unwrap(), 1);
    page.screenshot(&out.join("tls-synced.png")).await;
    client.close().await.unwrap();
    district.shutdown().await.unwrap();
}
