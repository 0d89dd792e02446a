//! The intake run from the keyboard alone in the real window (tauri-driver + WebKitWebDriver
//! under X): after the login, only keys — F2, typing, ↑/↓, Enter, Space, Tab, F8, F9, F10, Esc
//! — pick the item, fill the applicant, tick the materials, decide, print through the CUPS
//! queue (YICHUANG_TEST_PRINTER, e.g. yichuang-pdf) and show the evaluation code on the
//! customer window; the first print fails (missing printer), F9 retries the same job, the
//! printer is chosen by typing and F9 prints it: one case, one print record; the returning applicant
//! is prefilled on the next intake. Prints the keystroke-to-list time of the item search.
//! The station and the clerk have the longest names the desk header must hold at 1366×768
//! (checked at normal and large text). Screenshots land in tests/e2e/out/keyboard-*.png.

use crate::e2e;

use std::time::Duration;

use e2e::cases::DEMO_ID;
use e2e::keyboard::{accept_with_keys, case_count, highlight, keys, type_search, wait_focus};
use e2e::{app, ui};
use fantoccini::key::Key;
use yichuang_core::{Paper, Role};
use yichuang_store::StationProfile;

/// A station name as long as real ones get, and a long clerk's name: the header must hold both.
const LONG_STATION: &str = "广州市白云区京溪街道党群服务中心政务服务站第一窗口";
const LONG_CLERK: &str = "阿卜杜热合曼·买买提艾力·阿不都克热木";

/// The attempts of each print record the station holds (one record per paper handed over).
async fn print_attempts(client: &fantoccini::Client) -> Vec<u64> {
    let query =
        serde_json::json!({ "query": { "from": null, "to": null, "case_id": null, "limit": 50 } });
    let Ok(records) = ui::invoke(client, "print_history", query).await else {
        return Vec::new();
    };
    let records: Vec<serde_json::Value> = serde_json::from_str(&records).unwrap_or_default();
    records
        .iter()
        .filter_map(|r| r["attempts"].as_u64())
        .collect()
}

/// The desk header as laid out now: the app name on one line, the station line cut with its
/// whole text in its title, and the brand, menu, sync state and clerk menu side by side
/// inside the window (no part over another, no sideways scrolling).
async fn assert_header_holds(client: &fantoccini::Client, what: &str) {
    let script = r#"
        const header = document.querySelector(".desk-header");
        const lines = document.createRange();
        lines.selectNodeContents(header.querySelector(".app-name"));
        const cut = header.querySelector(".station-name");
        const parts = [".desk-brand", "nav", ".syncbar", ".clerk-menu"].map((css) => {
            const r = header.querySelector(css).getBoundingClientRect();
            return { css, left: r.left, right: r.right };
        });
        return {
            name_lines: lines.getClientRects().length,
            title: header.querySelector("[data-testid='desk-station']").getAttribute("title"),
            station_cut: cut.scrollWidth > cut.clientWidth,
            parts,
            width: window.innerWidth,
            scroll_width: document.documentElement.scrollWidth,
        };
    "#;
    let v = client.execute(script, vec![]).await.unwrap();
    assert_eq!(v["name_lines"], 1, "{what}: the app name wraps: {v}");
    assert_eq!(
        v["title"].as_str(),
        Some(format!("{LONG_STATION} · 第 1 号窗口").as_str()),
        "{what}: the station's whole line is its title"
    );
    assert_eq!(
        v["station_cut"], true,
        "{what}: the long station name is cut: {v}"
    );
    let parts = v["parts"].as_array().unwrap();
    let edge = |i: usize, side: &str| parts[i][side].as_f64().unwrap();
    assert!(edge(0, "left") >= 0.0, "{what}: {v}");
    for i in 1..parts.len() {
        assert!(
            edge(i - 1, "right") <= edge(i, "left"),
            "{what}: {} runs into {}: {v}",
            parts[i - 1]["css"],
            parts[i]["css"]
        );
    }
    let width = v["width"].as_f64().unwrap();
    assert!(edge(parts.len() - 1, "right") <= width, "{what}: {v}");
    assert!(
        v["scroll_width"].as_f64().unwrap() <= width,
        "{what}: the window scrolls sideways: {v}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_clerk_accepts_prints_and_shows_the_evaluation_code_with_the_keyboard_only() {
    let printer = std::env::var("YICHUANG_TEST_PRINTER").unwrap_or_else(|_| "yichuang-pdf".into());
    let run = app::DemoApp::start("http://127.0.0.1:9", &[]);
    // The A4 printer set at first is missing: the first print fails.
    let missing = format!("yichuang-missing-{}", std::process::id());
    // Set-up before the window: the A4 papers go to a queue that is not there.
    let mut set_up = run.store();
    set_up.set_printer(Paper::A4, &missing, "demo").unwrap();
    set_up
        .set_station_profile(
            &StationProfile {
                station_name: LONG_STATION.into(),
                counter: 1,
                phone: String::new(),
                address: String::new(),
            },
            "demo",
        )
        .unwrap();
    set_up
        .add_local_account(
            "longname",
            LONG_CLERK,
            "longname1234",
            Role::HallManager,
            "demo",
        )
        .unwrap();
    drop(set_up);
    let out = run.out_dir.clone();
    let client = run.session().await;
    let page = ui::Page::new(&client);
    page.login_to_home("longname", "longname1234").await;
    page.wait_for_count(".desk-header .syncbar", 1).await;

    // The header with both long names, at normal and at large text (the clerk's preference
    // scales the root font size through this class).
    assert_header_holds(&client, "normal text").await;
    page.screenshot(&out.join("keyboard-header.png")).await;
    let large = |on: bool| format!("document.documentElement.classList.toggle('large-text', {on})");
    client.execute(&large(true), vec![]).await.unwrap();
    assert_header_holds(&client, "large text").await;
    page.screenshot(&out.join("keyboard-header-large.png"))
        .await;
    client.execute(&large(false), vec![]).await.unwrap();

    // F2 opens the intake; the item search has the focus.
    client
        .execute(
            r#"window.__keys = []; window.addEventListener("keydown", (e) => window.__keys.push([e.key, e.target.dataset.testid || e.target.tagName, e.defaultPrevented]), true); window.addEventListener("focusin", (e) => window.__keys.push(["focus", e.target.dataset.testid || e.target.tagName]), true); window.addEventListener("error", (e) => window.__keys.push(["error", String(e.message)]));"#,
            vec![],
        )
        .await
        .unwrap();
    keys(&client, &Key::F2).await;
    wait_focus(&client, "item-search").await;
    let times = type_search(&client, &page, "jzz").await;
    eprintln!("item search, keydown to list shown (ms): {times:?}");
    assert_eq!(times.len(), 3, "one answer per keystroke");
    // A debug build under Xvfb, on a machine shared with other builds: the median must stay
    // under 50 ms (a debounce would put every keystroke above it); one slow answer is noise.
    // The release measurement belongs to docs/BENCHMARKS.md.
    let mut sorted = times.clone();
    sorted.sort_by(f64::total_cmp);
    assert!(
        sorted[1] < 50.0,
        "keystroke to result, median under 50 ms: {times:?}"
    );
    highlight(&client, &page, "广东省居住证申领").await;
    page.screenshot(&out.join("keyboard-search.png")).await;
    keys(&client, &Key::Enter).await;
    page.wait_for_text(
        "[data-testid='selected-item']",
        |t| t.contains("广东省居住证申领"),
        Duration::from_secs(10),
    )
    .await;

    // The applicant: Enter moves on from each field.
    wait_focus(&client, "applicant-id").await;
    keys(&client, &(DEMO_ID.to_string() + &Key::Enter)).await;
    wait_focus(&client, "applicant-name").await;
    keys(&client, &("王堃喆".to_string() + &Key::Enter)).await;
    wait_focus(&client, "applicant-address").await;
    keys(&client, &("广州市白云区太和镇".to_string() + &Key::Enter)).await;
    wait_focus(&client, "contact-name").await;
    keys(&client, &("王堃喆".to_string() + &Key::Enter)).await;
    wait_focus(&client, "contact-phone").await;
    keys(&client, &("13800138000".to_string() + &Key::Enter)).await;
    wait_focus(&client, "has-agent").await;

    // F8 before the materials: the check lists them as missing and the focus goes to the
    // first line; Space ticks, ↓ goes to the next line.
    keys(&client, &Key::F8).await;
    page.wait_for_count("[data-testid='issue-materials']", 1)
        .await;
    wait_focus(&client, "material-M01").await;
    for (code, next) in [("M01", Some("M02")), ("M02", Some("M03")), ("M03", None)] {
        keys(&client, &Key::Space).await;
        page.wait_for_count(&format!("[data-testid='material-{code}']:checked"), 1)
            .await;
        if let Some(next) = next {
            keys(&client, &Key::Down).await;
            wait_focus(&client, &format!("material-{next}")).await;
        }
    }
    page.wait_for_count("[data-testid='key-hints']", 1).await;
    page.screenshot(&out.join("keyboard-form.png")).await;

    // F8 checks and goes to the decision; F9 decides and opens the print dialog on its paper.
    accept_with_keys(&client, &page).await;
    let case_no = page.text_of("[data-testid='result-case-no']").await;
    wait_focus(&client, "print-submit").await;
    let dialog = page.text_of("[data-testid='print-dialog']").await;
    assert!(
        dialog.contains("受理通知书") && dialog.contains(&case_no),
        "print dialog: {dialog}"
    );
    assert_eq!(
        page.chosen_paper().await,
        "受理通知书",
        "the outcome's own paper is preselected"
    );
    page.screenshot(&out.join("keyboard-print.png")).await;

    // Enter prints: the printer is missing, the print fails. F9 again retries the same job
    // (still failing): the case is not saved a second time.
    keys(&client, &Key::Enter).await;
    page.wait_for_count("[data-testid='print-outcome'][data-status='failed']", 1)
        .await;
    wait_focus(&client, "print-retry").await;
    page.screenshot(&out.join("keyboard-print-failed.png"))
        .await;
    keys(&client, &Key::F9).await;
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while print_attempts(&client).await != vec![2] {
        assert!(
            std::time::Instant::now() < deadline,
            "F9 did not retry the same print job"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    page.wait_until_gone("[data-testid='print-busy']").await;
    wait_focus(&client, "print-retry").await;
    assert_eq!(
        case_count(&client).await,
        1,
        "one case after a failed print and F9"
    );

    // Shift+Tab to the printer, typed to the test queue; F9 retries there and prints.
    keys(&client, &format!("{}{}", Key::Shift, Key::Tab)).await;
    wait_focus(&client, "print-printer").await;
    keys(&client, &printer).await;
    page.wait_for_value("print-printer", |v| v == printer, Duration::from_secs(10))
        .await;
    keys(&client, &Key::F9).await;
    page.wait_for_count("[data-testid='print-outcome'][data-status='done']", 1)
        .await;
    let outcome = page.text_of("[data-testid='print-outcome']").await;
    assert!(outcome.contains(&printer), "print outcome: {outcome}");
    assert_eq!(
        print_attempts(&client).await,
        vec![3],
        "one print record, tried three times"
    );
    page.screenshot(&out.join("keyboard-printed.png")).await;

    // Esc closes the dialog; F9 again opens it again, and makes no second case.
    keys(&client, &Key::Escape).await;
    page.wait_until_gone("[data-testid='print-dialog']").await;
    wait_focus(&client, "result-next").await;
    keys(&client, &Key::F9).await;
    page.wait_for_count("[data-testid='print-dialog']", 1).await;
    keys(&client, &Key::Escape).await;
    page.wait_until_gone("[data-testid='print-dialog']").await;
    assert_eq!(case_count(&client).await, 1, "one case after F9 twice");

    // F10: the evaluation code on the customer window.
    keys(&client, &Key::F10).await;
    page.wait_for_text(
        "[data-testid='customer-note']",
        |t| t == "客户屏正在显示评价",
        Duration::from_secs(10),
    )
    .await;
    page.screenshot(&out.join("keyboard-result.png")).await;
    let clerk = client.window().await.unwrap();
    let mut shown = false;
    for handle in client.windows().await.unwrap() {
        client.switch_to_window(handle.clone()).await.unwrap();
        if client.title().await.unwrap() == "请您评价" {
            page.wait_for_text(
                "[data-testid='customer-case-no']",
                |t| t == case_no,
                Duration::from_secs(10),
            )
            .await;
            page.screenshot(&out.join("keyboard-customer.png")).await;
            shown = true;
        }
    }
    assert!(shown, "the customer window shows the case");
    client.switch_to_window(clerk).await.unwrap();

    // Enter: the next intake, with the focus back in the item search; the same applicant's
    // number brings back their details.
    wait_focus(&client, "result-next").await;
    keys(&client, &Key::Enter).await;
    wait_focus(&client, "item-search").await;
    type_search(&client, &page, "jzz").await;
    highlight(&client, &page, "广东省居住证申领").await;
    keys(&client, &Key::Enter).await;
    wait_focus(&client, "applicant-id").await;
    keys(&client, &(DEMO_ID.to_string() + &Key::Enter)).await;
    page.wait_for_count("[data-testid='returning']", 1).await;
    assert_eq!(page.value_of("applicant-name").await, "王堃喆");
    assert_eq!(page.value_of("contact-phone").await, "13800138000");
    page.screenshot(&out.join("keyboard-returning.png")).await;
    assert_eq!(case_count(&client).await, 1);

    client.close().await.unwrap();
}
