//! The print dialog keeps the keyboard inside it, in the real window (tauri-driver +
//! WebKitWebDriver under X): after a 受理 the dialog opens on 打印; Tab and Shift+Tab go round
//! its controls and never reach the intake screen behind it; Esc closes it and the focus is on
//! the screen again (not lost to the page). Screenshot: tests/e2e/out/print-focus.png.

use crate::e2e;

use std::time::Duration;

use e2e::{app, keyboard, ui};
use fantoccini::Client;
use fantoccini::key::Key;
use keyboard::{accept_with_keys, focused, keys, wait_focus};

/// Whether the focus is inside the print dialog.
async fn inside_dialog(client: &Client) -> bool {
    client
        .execute(
            "const a = document.activeElement; return !!(a && a.closest(\"[data-testid='print-dialog']\"));",
            vec![],
        )
        .await
        .unwrap()
        .as_bool()
        .unwrap_or(false)
}

/// Presses `key` `n` times; the focus must stay in the dialog. The testids it visited.
async fn walk(client: &Client, key: &str, n: usize) -> Vec<String> {
    let mut seen = Vec::new();
    for i in 0..n {
        keys(client, key).await;
        tokio::time::sleep(Duration::from_millis(80)).await;
        if !inside_dialog(client).await {
            let log = client.execute("return JSON.stringify(window.__keys) + ' ' + [...document.querySelectorAll(\"[data-testid='print-dialog'] button, [data-testid='print-dialog'] input, [data-testid='print-dialog'] select, [data-testid='print-dialog'] [tabindex]\")].map(e => (e.dataset.testid||e.tagName) + ':' + e.disabled + ':' + e.getClientRects().length).join(',')", vec![]).await.unwrap();
            eprintln!("TRACE {log}");
        }
        assert!(
            inside_dialog(client).await,
            "press {i}: the focus left the dialog ({seen:?})"
        );
        seen.push(focused(client).await);
    }
    seen
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tab_and_shift_tab_stay_in_the_print_dialog_and_esc_gives_the_focus_back() {
    let run = app::DemoApp::start("http://127.0.0.1:9", &[]);
    // The A4 papers go to the test queue, so the dialog opens on an enabled 打印.
    let printer = std::env::var("YICHUANG_TEST_PRINTER").unwrap_or_else(|_| "yichuang-pdf".into());
    keyboard::store(&run)
        .set_printer(yichuang_core::Paper::A4, &printer, "demo")
        .unwrap();
    let out = run.out_dir.clone();
    let client = run.session().await;
    let page = ui::Page::new(&client);
    page.login("demo", "demo1234").await;
    page.pick_item("jzz").await;
    page.fill_natural_person("王堃喆", "11010519491231002X", "王堃喆", "13800138000")
        .await;
    page.set_text("applicant-address", "广州市白云区太和镇")
        .await;
    // Every material line the form lists, ticked.
    let lines = client
        .execute(
            "return [...document.querySelectorAll(\"input[data-testid^='material-M']\")].map((e) => e.dataset.testid)",
            vec![],
        )
        .await
        .unwrap();
    let lines: Vec<String> = serde_json::from_value(lines).unwrap();
    assert!(!lines.is_empty(), "the checklist is shown");
    for line in &lines {
        page.click(line).await;
        page.wait_for_count(&format!("[data-testid='{line}']:checked"), 1)
            .await;
    }
    page.set_text("contact-phone", "13800138000").await;
    accept_with_keys(&client, &page).await;
    wait_focus(&client, "print-submit").await;

    client
        .execute(
            r#"window.__keys = []; window.addEventListener("keydown", (e) => window.__keys.push([e.key, e.code, e.keyCode, e.shiftKey, e.target.dataset.testid || e.target.tagName, e.defaultPrevented]), true); window.addEventListener("focusin", (e) => window.__keys.push(["focus", e.target.dataset.testid || e.target.tagName]), true);"#,
            vec![],
        )
        .await
        .unwrap();
    // Forward: past the last control back to the first (关闭), never behind the dialog.
    let forward = walk(&client, &Key::Tab, 12).await;
    assert!(
        forward.iter().any(|t| t == "print-close") && forward.iter().any(|t| t == "print-submit"),
        "Tab went round the dialog: {forward:?}"
    );
    // Backward from the first control wraps to the last.
    wait_focus(&client, forward.last().unwrap()).await;
    let backward = walk(&client, &format!("{}{}", Key::Shift, Key::Tab), 12).await;
    assert!(
        backward.iter().any(|t| t == "print-close") && backward.iter().any(|t| t == "print-submit"),
        "Shift+Tab went round the dialog: {backward:?}"
    );
    page.screenshot(&out.join("print-focus.png")).await;

    // Esc closes it; the focus is back on the screen, not on the bare page.
    keys(&client, &Key::Escape).await;
    page.wait_until_gone("[data-testid='print-dialog']").await;
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    loop {
        let on_page = client
            .execute(
                "const a = document.activeElement; return !a || a === document.body;",
                vec![],
            )
            .await
            .unwrap()
            .as_bool()
            .unwrap_or(true);
        if !on_page {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the focus was lost to the page after Esc"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
