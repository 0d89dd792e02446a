//! The thin path in the real window: tauri-driver + WebKitWebDriver drive the built app under X.
//! Log in → pick an item → applicant → materials → accept → print dialog with the slip previewed
//! (pdf.js) → queue shows "未同步" →
//! the district comes up on loopback → the queue shows the district's official case number.

use crate::e2e;

use std::time::Duration;

use e2e::{app, district, ui};
use fantoccini::Locator;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn clerk_accepts_a_case_offline_and_it_syncs_when_the_district_comes_up() {
    // The district's port is chosen now, but nothing listens on it yet: the station starts offline.
    let district_port = district::reserve_port();
    let run = app::DemoApp::start(
        &format!("http://127.0.0.1:{district_port}"),
        &[("YICHUANG_SYNC_RETRY_MAX_MS", "500".to_string())],
    );
    let out_dir = run.out_dir.clone();
    let client = run.session().await;
    let page = ui::Page::new(&client);

    page.login("demo", "demo1234").await;
    page.pick_item("广东省居住证").await;
    page.fill_natural_person("王堃喆", "11010519491231002X", "王堃喆", "13800138000")
        .await;
    page.tick_required_materials(&["M01", "M02", "M03"]).await;

    // A wrong phone first: the clerk sees the Chinese message by the field, nothing is saved.
    page.set_text("contact-phone", "12345").await;
    page.click("accept").await;
    let message = page.text_of("[data-testid='issue-contact.phone']").await;
    assert!(message.contains("联系电话"), "phone message: {message}");
    // Corrected, the message goes away without another 受理 (the form re-checks as it changes).
    page.set_text("contact-phone", "13800138000").await;
    page.wait_until_gone("[data-testid='issue-contact.phone']")
        .await;
    page.wait_until_gone("[data-testid='intake-error']").await;
    page.screenshot(&out_dir.join("intake-filled.png")).await;

    page.click("accept").await;
    let case_no = page.text_of("[data-testid='result-case-no']").await;
    assert!(
        case_no.starts_with("L440111001-01-"),
        "provisional number: {case_no}"
    );
    page.screenshot(&out_dir.join("accept-result.png")).await;

    // The print dialog: the papers an accepted case prints (labels from Rust) and the slip
    // drawn by pdf.js from the PDF the station rendered (its text and masking are checked in
    // the print crate's and the station's tests; printing itself in the station's CUPS test).
    page.click("result-print").await;
    page.wait_for_count(
        "[data-testid='print-preview'] canvas:first-child[data-testid='print-preview-page']",
        1,
    )
    .await;
    let dialog = page.text_of("[data-testid='print-dialog']").await;
    assert!(
        dialog.contains("受理通知书") && dialog.contains(&case_no),
        "print dialog: {dialog}"
    );
    page.screenshot(&out_dir.join("print-dialog.png")).await;
    // Printed for real when the test queue is there (.ci/test makes it): the printer chosen
    // in the dialog, the job followed by the station until CUPS has it done.
    if let Ok(printer) = std::env::var("YICHUANG_TEST_PRINTER") {
        page.choose_printer(&printer).await;
        page.print_to(&printer).await;
        page.screenshot(&out_dir.join("print-done.png")).await;
    }
    page.click("print-close").await;
    page.wait_until_gone("[data-testid='print-dialog']").await;

    page.click("result-queue").await;
    assert_eq!(page.text_of("[data-testid='queue-sync']").await, "未同步");
    assert_eq!(page.text_of("[data-testid='queue-official']").await, "—");
    page.screenshot(&out_dir.join("queue-offline.png")).await;
    // The hall manager's print history: the print above, with who, where and how it ended.
    page.click("queue-print-history").await;
    if std::env::var("YICHUANG_TEST_PRINTER").is_ok() {
        page.wait_for_count("[data-testid='print-history-row']", 1)
            .await;
        let row = page.text_of("[data-testid='print-history-row']").await;
        assert!(
            row.contains(&case_no) && row.contains("已打印") && row.contains("第 1 份"),
            "print history: {row}"
        );
        page.screenshot(&out_dir.join("print-history.png")).await;
    }
    page.click("queue-print-history").await;

    // The district comes up; the engine's timer finds it without any click.
    let district = district::District::start_on(district_port, run.dir.path()).await;
    let official = page
        .wait_for_text(
            "[data-testid='queue-official']",
            |t| t != "—",
            Duration::from_secs(60),
        )
        .await;
    assert!(
        official.starts_with("440111-"),
        "official number: {official}"
    );
    assert_eq!(page.text_of("[data-testid='queue-sync']").await, "已同步");
    assert_eq!(district.case_count().await, 1);
    page.screenshot(&out_dir.join("queue-synced.png")).await;

    client.find(Locator::Css("body")).await.unwrap();
    client.close().await.unwrap();
}
