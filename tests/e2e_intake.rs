//! Every intake outcome in the real window (tauri-driver + WebKitWebDriver under X), and an
//! unfinished intake that survives the app being killed with SIGKILL.
//! Screenshots of each step land in tests/e2e/out/.

use crate::e2e;

use std::path::Path;
use std::time::Duration;

use e2e::{app, scan_files, ui};

/// The running app whose environment names this station's data folder.
fn app_pid(data_dir: &Path) -> Option<i32> {
    let needle = format!("YICHUANG_DATA_DIR={}", data_dir.display());
    std::fs::read_dir("/proc")
        .ok()?
        .flatten()
        .find_map(|entry| {
            let pid: i32 = entry.file_name().to_str()?.parse().ok()?;
            let exe = std::fs::read_link(entry.path().join("exe")).ok()?;
            if !exe.to_string_lossy().ends_with("yichuang-desk") {
                return None;
            }
            let environ = std::fs::read(entry.path().join("environ")).ok()?;
            environ
                .split(|b| *b == 0)
                .any(|var| var == needle.as_bytes())
                .then_some(pid)
        })
}

async fn fill_applicant(page: &ui::Page<'_>) {
    page.fill_natural_person("王堃喆", "11010519491231002X", "王堃喆", "13800138000")
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_outcome_of_art_32_in_the_window() {
    let run = app::DemoApp::start("http://127.0.0.1:9", &[]);
    let out = run.out_dir.clone();
    let client = run.session().await;
    let page = ui::Page::new(&client);
    page.login("demo", "demo1234").await;

    // 容缺受理: the photo-free pension registration, M02 (户口簿) promised for next week.
    page.pick_item("城乡居民基本养老").await;
    fill_applicant(&page).await;
    page.tick_required_materials(&["M01", "M03"]).await;
    page.click("decision-accept_tolerant").await;
    page.screenshot(&out.join("outcome-tolerant-form.png"))
        .await;
    page.click("accept").await;
    assert_eq!(
        page.text_of("[data-testid='result-state']").await,
        "容缺受理"
    );
    page.screenshot(&out.join("outcome-tolerant.png")).await;
    page.click("result-next").await;

    // 补正: the residence permit with only the ID card; everything else listed once.
    page.pick_item("广东省居住证").await;
    fill_applicant(&page).await;
    page.tick_required_materials(&["M01"]).await;
    page.click("decision-request_correction").await;
    page.click("defect-M01").await;
    page.set_text("defect-problem-M01", "证件已过有效期").await;
    page.click("accept").await;
    assert_eq!(page.text_of("[data-testid='result-state']").await, "待补正");
    let listed = page.text_of("[data-testid='result-correction']").await;
    assert!(
        listed.contains("证件已过有效期") && listed.contains("近期一寸免冠彩色照片"),
        "one-time notice lists: {listed}"
    );
    page.screenshot(&out.join("outcome-correction.png")).await;

    // The applicant comes back with everything: completed from the queue, accepted today.
    page.click("result-queue").await;
    page.click("queue-correct").await;
    page.tick_required_materials(&["M02", "M03"]).await;
    page.click("decision-accept").await;
    page.click("accept").await;
    assert_eq!(page.text_of("[data-testid='result-state']").await, "已受理");
    page.screenshot(&out.join("outcome-corrected.png")).await;
    page.click("result-next").await;

    // 不予受理 with reasons and a referral.
    page.pick_item("临时救助").await;
    fill_applicant(&page).await;
    page.click("decision-reject").await;
    page.click("accept").await;
    let reasons_missing = page.text_of("[data-testid='issue-decision.reasons']").await;
    assert!(reasons_missing.contains("理由"), "{reasons_missing}");
    page.set_text(
        "reject-reasons",
        "申请人户籍不在本街道，不属于本机关受理范围",
    )
    .await;
    page.set_text("reject-referral", "户籍所在地街道办事处")
        .await;
    page.click("accept").await;
    assert_eq!(
        page.text_of("[data-testid='result-state']").await,
        "不予受理"
    );
    page.screenshot(&out.join("outcome-rejected.png")).await;
    page.click("result-next").await;

    // 即办件 completed on the spot.
    page.pick_item("老年人优待证").await;
    fill_applicant(&page).await;
    page.tick_required_materials(&["M01", "M02"]).await;
    page.click("decision-complete_on_spot").await;
    page.click("accept").await;
    assert_eq!(
        page.text_of("[data-testid='result-state']").await,
        "当场办结"
    );
    page.screenshot(&out.join("outcome-on-the-spot.png")).await;

    // The queue finds all four by a piece of the name, and by outcome.
    page.click("result-queue").await;
    page.set_text("queue-search", "堃喆").await;
    page.wait_for_text(
        "[data-testid='queue-table'] tbody",
        |t| t.matches("王堃喆").count() == 4,
        Duration::from_secs(10),
    )
    .await;
    page.screenshot(&out.join("queue-search.png")).await;
    client.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unfinished_intake_survives_sigkill() {
    let run = app::DemoApp::start("http://127.0.0.1:9", &[]);
    let (out, data_dir) = (run.out_dir.clone(), run.data_dir.clone());
    let client = run.session().await;
    let page = ui::Page::new(&client);
    page.login("demo", "demo1234").await;
    page.pick_item("广东省居住证").await;
    page.fill_natural_person("李䶮", "440524188001010014", "李䶮", "13900139000")
        .await;
    page.tick_required_materials(&["M01", "M02"]).await;
    // A camera scan of the ID card on line M01: stored at once, under the intake's id.
    let inbox = data_dir.join("scan-inbox");
    page.wait_for_text(
        "[data-testid='scan-folder']",
        |t| t != "…",
        Duration::from_secs(20),
    )
    .await;
    page.click("scan-target-M01").await;
    scan_files::drop_into(&inbox, "IMG_0001.JPG", &scan_files::scan_jpeg(1200, 760, 1));
    let thumbs = "[data-testid='scan-line-M01'] [data-testid='scan-thumb']";
    page.wait_for_count(thumbs, 1).await;
    page.wait_for_text(
        "[data-testid='draft-saved']",
        |t| t.contains("已自动保存"),
        Duration::from_secs(10),
    )
    .await;
    // Let the last keystrokes' save land too (the form saves 300 ms after typing stops).
    tokio::time::sleep(Duration::from_millis(1200)).await;

    let pid = app_pid(&data_dir).expect("the app process of this station");
    // SIGKILL: no chance to save anything on the way out.
    let status = std::process::Command::new("kill")
        .args(["-9", &pid.to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let _ = client.close().await;

    let client = run.session().await;
    let page = ui::Page::new(&client);
    page.login("demo", "demo1234").await;
    let listed = page.text_of("[data-testid='drafts']").await;
    assert!(listed.contains("李䶮"), "draft after restart: {listed}");
    page.click("draft-resume").await;
    page.screenshot(&out.join("draft-resumed.png")).await;
    let phone = page.value_of("contact-phone").await;
    assert_eq!(phone, "13900139000");
    assert!(page.is_checked("material-M02").await);
    assert!(!page.is_checked("material-M03").await);
    page.wait_for_count(thumbs, 1).await;
    page.screenshot(&out.join("draft-resumed-with-scan.png"))
        .await;
    client.close().await.unwrap();
}
