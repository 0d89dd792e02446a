//! The hall manager's desk (统计) in the real app (tauri-driver + WebKitWebDriver under X): on
//! a station seeded with cases of two clerks, an evaluation and a quarantined case, the manager
//! sees the counts and their charts, the evaluations, releases the quarantined case with a
//! reason, and exports the month to XLSX and CSV (the save dialog stood in for by
//! YICHUANG_TEST_EXPORT_DIR, read by debug builds only); the files are read back. A plain
//! clerk has no 统计 menu and the command answers Forbidden. Screenshots in tests/e2e/out/.

use crate::e2e;

use std::process::Command;
use std::time::Duration;

use e2e::cases::{DEMO_ID, PENSION, RESIDENCE_PERMIT, accepted, add_clerk, decided, filled_form};
use e2e::{app, ui};
use fantoccini::{Client, Locator};
use jiff::Timestamp;
use ui::invoke;
use uuid::Uuid;
use yichuang_core::{EvaluationLevel, IntakeDecision};
use yichuang_store::Evaluation;

/// Seeds the station before the app opens it: 3 cases by demo, 2 by the clerk 李伟 (one
/// refused), a 非常不满意 rating with a comment, and one case quarantined by the district.
/// Returns the quarantined case's number.
fn seed(run: &app::DemoApp) -> String {
    let station = run.station();
    add_clerk(&station, "liwei", "李伟", "liwei-pass-1");
    station.login("demo", "demo1234").unwrap();
    let first = accepted(&station, RESIDENCE_PERMIT, DEMO_ID);
    accepted(&station, RESIDENCE_PERMIT, DEMO_ID);
    let quarantined = accepted(&station, PENSION, DEMO_ID);
    station.logout();
    station.login("liwei", "liwei-pass-1").unwrap();
    accepted(&station, PENSION, DEMO_ID);
    let refusal = IntakeDecision::Reject {
        reasons: "不属于本机关职权范围".into(),
        referral: None,
    };
    decided(&station, RESIDENCE_PERMIT, DEMO_ID, &refusal);
    // Accepted 60 days ago (by the store's decide with that time): overdue by now.
    let old = filled_form(&station, RESIDENCE_PERMIT, DEMO_ID);
    let store = station.store();
    let mut store = store.lock().unwrap();
    let sixty_days_ago = Timestamp::now() - jiff::SignedDuration::from_hours(24 * 60);
    store
        .decide_case(
            Uuid::now_v7(),
            &old.draft,
            &IntakeDecision::Accept,
            "demo",
            sixty_days_ago,
        )
        .unwrap();
    let rating = Evaluation {
        id: Uuid::now_v7(),
        case_id: first.id,
        level: EvaluationLevel::VeryDissatisfied,
        comment: Some("排队时间太长".into()),
        channel: "pad".into(),
        rated_at: Timestamp::now(),
    };
    store.record_evaluation(&rating, "demo").unwrap();
    store
        .record_sync_failure(
            quarantined.id,
            "区级系统已有同一编号但内容不同的办件，需人工核对",
            true,
            Timestamp::now(),
        )
        .unwrap();
    quarantined.case_no
}

/// The data-count of every bar of a chart, in order.
async fn bar_counts(client: &Client, chart: &str) -> Vec<u32> {
    let mut out = Vec::new();
    let css = format!("[data-testid='{chart}-bar']");
    for bar in client.find_all(Locator::Css(&css)).await.unwrap() {
        let n = bar.attr("data-count").await.unwrap().unwrap_or_default();
        out.push(n.parse().unwrap());
    }
    out
}

/// The one file in `dir` ending in `ext`.
fn exported(dir: &std::path::Path, ext: &str) -> std::path::PathBuf {
    let files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == ext))
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    files[0].clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_hall_manager_counts_charts_releases_and_exports_and_a_clerk_cannot() {
    let exports = tempfile::tempdir().unwrap();
    // Nothing listens on port 9: the cases stay queued (and the quarantined one quarantined).
    let run = app::DemoApp::start(
        "http://127.0.0.1:9",
        &[(
            "YICHUANG_TEST_EXPORT_DIR",
            exports.path().display().to_string(),
        )],
    );
    let quarantined_no = seed(&run);
    let out = run.out_dir.clone();
    let client = run.session().await;
    let page = ui::Page::new(&client);
    page.login_to_home("demo", "demo1234").await;
    page.click("nav-manager").await;

    // Counts and charts of this month.
    let total = page.text_of("[data-testid='stats-total']").await;
    assert!(total.ends_with("共 5 件"), "{total}");
    assert_eq!(bar_counts(&client, "chart-outcome").await, [4, 0, 0, 1, 0]);
    assert_eq!(bar_counts(&client, "chart-item").await, [3, 2]);
    assert_eq!(bar_counts(&client, "chart-clerk").await, [3, 2]);
    let days = bar_counts(&client, "chart-period").await;
    assert_eq!(days.iter().sum::<u32>(), 5);
    page.screenshot(&out.join("manager-stats.png")).await;

    // The overdue list: the case of 60 days ago, counted in working days.
    page.click("manager-tab-overdue").await;
    page.wait_for_count("[data-testid='overdue-list-row']", 1)
        .await;
    let late = page.text_of("[data-testid='overdue-list-row']").await;
    assert!(
        late.contains("广东省居住证申领") && late.contains("超期"),
        "{late}"
    );
    page.screenshot(&out.join("manager-overdue.png")).await;

    // Evaluations.
    page.click("manager-tab-evaluations").await;
    let summary = page.text_of("[data-testid='eval-summary']").await;
    assert!(
        summary.contains("共 1 条评价") && summary.contains("差评 1 件"),
        "{summary}"
    );
    assert_eq!(bar_counts(&client, "chart-level").await, [0, 0, 0, 0, 1]);
    assert!(
        page.text_of("[data-testid='eval-comment']")
            .await
            .contains("排队时间太长")
    );
    page.screenshot(&out.join("manager-evaluations.png")).await;

    // Sync health and the quarantine: release with a reason.
    page.click("manager-tab-sync").await;
    page.wait_for_count("[data-testid='quarantine-row']", 1)
        .await;
    assert!(
        page.text_of("[data-testid='quarantine-table']")
            .await
            .contains(&quarantined_no)
    );
    page.click(&format!("quarantine-pick-{quarantined_no}"))
        .await;
    page.set_text("quarantine-reason", "已与区级系统核对一致")
        .await;
    page.screenshot(&out.join("manager-quarantine.png")).await;
    page.click("quarantine-release").await;
    let released = page.text_of("[data-testid='quarantine-message']").await;
    assert!(released.contains("已解除隔离 1 件"), "{released}");
    page.wait_for_count("[data-testid='quarantine-row']", 0)
        .await;
    let store = run.store();
    assert!(store.quarantined_cases().unwrap().0.is_empty());

    // Export: XLSX (the default), then CSV, both read back.
    page.click("manager-tab-export").await;
    page.click("export-run").await;
    let done = page.text_of("[data-testid='export-done']").await;
    assert!(
        done.contains("已导出 5 件") && done.contains("证件号码已隐藏"),
        "{done}"
    );
    page.screenshot(&out.join("manager-export.png")).await;
    let xlsx = exported(exports.path(), "xlsx");
    let sheet = Command::new("unzip")
        .args(["-p"])
        .arg(&xlsx)
        .arg("xl/worksheets/sheet1.xml")
        .output()
        .expect("unzip");
    let sheet = String::from_utf8(sheet.stdout).unwrap();
    assert!(
        sheet.contains("办件编号") && sheet.contains(&quarantined_no),
        "{sheet:.400}"
    );
    assert!(sheet.contains("110105********002X") && !sheet.contains(DEMO_ID));
    page.click("export-csv").await;
    page.click("export-run").await;
    page.wait_for_text(
        "[data-testid='export-path']",
        |t| t.ends_with(".csv"),
        Duration::from_secs(20),
    )
    .await;
    let csv = std::fs::read_to_string(exported(exports.path(), "csv")).unwrap();
    assert!(csv.starts_with('\u{feff}'));
    assert_eq!(csv.lines().count(), 6, "{csv}");
    assert!(csv.contains("不予受理") && csv.contains("李伟"));

    // Print history is there too.
    page.click("manager-tab-prints").await;
    page.text_of("[data-testid='print-history']").await;
    page.screenshot(&out.join("manager-prints.png")).await;
    client.close().await.unwrap();

    // A plain clerk: no 统计 menu, and the command itself is refused.
    let client = run.session().await;
    let page = ui::Page::new(&client);
    page.login_to_home("liwei", "liwei-pass-1").await;
    assert!(
        client
            .find_all(Locator::Css("[data-testid='nav-manager']"))
            .await
            .unwrap()
            .is_empty()
    );
    let refused = invoke(
        &client,
        "manager_case_stats",
        serde_json::json!({ "range": {} }),
    )
    .await
    .unwrap_err();
    assert!(
        refused.contains("forbidden") && refused.contains("大厅负责人"),
        "{refused}"
    );
    let refused = invoke(
        &client,
        "manager_pick_export_path",
        serde_json::json!({ "range": {}, "format": "csv" }),
    )
    .await
    .unwrap_err();
    assert!(refused.contains("forbidden"), "{refused}");
    page.screenshot(&out.join("manager-clerk-home.png")).await;
    client.close().await.unwrap();
}
