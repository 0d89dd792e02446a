//! The intake run from the keyboard alone in the real window (tauri-driver + WebKitWebDriver
//! under X): after the login, only keys — F2, typing, ↑/↓, Enter, Space, Tab, F8, F9, F10, Esc
//! — pick the item, fill the applicant, tick the materials, decide, print through the CUPS
//! queue (YICHUANG_TEST_PRINTER, e.g. yichuang-pdf) and show the evaluation code on the
//! customer window; a second F9 after printing makes no second case; the returning applicant
//! is prefilled on the next intake. Prints the keystroke-to-list time of the item search.
//! An item with 30 materials fits the 1366×768 window without sideways scrolling, and the
//! focused line stays in view below the key bar as the clerk goes down the list.
//! Screenshots land in tests/e2e/out/keyboard-*.png.

#[path = "e2e/app.rs"]
mod app;
#[path = "e2e/display.rs"]
mod display;
#[path = "e2e/driver.rs"]
mod driver;
#[path = "e2e/ui.rs"]
mod ui;

use std::time::{Duration, Instant};

use fantoccini::key::Key;
use fantoccini::{Client, Locator};
use yichuang_core::Paper;
use yichuang_store::{KeyringStore, StationPaths, Store};

/// The focused element's data-testid ("" when it has none).
async fn focused(client: &Client) -> String {
    let v = client
        .execute(
            "return document.activeElement && document.activeElement.dataset.testid || ''",
            vec![],
        )
        .await
        .expect("active element");
    v.as_str().unwrap_or_default().to_string()
}

/// Sends keys to whatever has the focus (as the clerk's keyboard does).
async fn keys(client: &Client, text: &str) {
    client
        .active_element()
        .await
        .expect("a focused element")
        .send_keys(text)
        .await
        .unwrap_or_else(|e| panic!("send {text:?}: {e}"));
}

/// Waits until the focus is on `testid`.
async fn wait_focus(client: &Client, testid: &str) {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let now = focused(client).await;
        if now == testid {
            return;
        }
        if Instant::now() >= deadline {
            let log = client
                .execute(
                    "return JSON.stringify((window.__keys || []).slice(-12))",
                    vec![],
                )
                .await
                .unwrap();
            panic!("focus on {now:?}, not {testid}; keys seen: {log}");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// How many cases the station holds, asked through the app's own command.
async fn case_count(client: &Client) -> usize {
    let script = r#"
        const [done] = arguments;
        window.__TAURI_INTERNALS__.invoke("search_cases", { query: {} })
            .then((v) => done(v.length)).catch((e) => done(-1));
    "#;
    let n = client.execute_async(script, vec![]).await.unwrap();
    usize::try_from(n.as_i64().expect("a count")).expect("search_cases answered")
}

/// Types `query` one letter at a time into the focused item search and returns, per
/// keystroke, the time from its keydown to the list answering it, measured in the page
/// (performance.now at the keydown, and when the list's data-query attribute changes).
async fn type_search(client: &Client, page: &ui::Page<'_>, query: &str) -> Vec<f64> {
    client
        .execute(
            r#"window.__kt = []; window.__t0 = 0;
               if (!window.__ktOn) {
                 window.__ktOn = true;
                 window.addEventListener("keydown", (e) => {
                   if (e.target.dataset.testid === "item-search" && e.key.length === 1) window.__t0 = performance.now();
                 }, true);
               }
               new MutationObserver(() => {
                 if (window.__t0) { window.__kt.push(performance.now() - window.__t0); window.__t0 = 0; }
               }).observe(document.querySelector("[data-testid='item-list']"), { attributes: true, attributeFilter: ["data-query"] });"#,
            vec![],
        )
        .await
        .unwrap();
    let mut typed = String::new();
    for c in query.chars() {
        typed.push(c);
        keys(client, &c.to_string()).await;
        page.wait_for_count(
            &format!("[data-testid='item-list'][data-query='{typed}']"),
            1,
        )
        .await;
    }
    let times = client.execute("return window.__kt", vec![]).await.unwrap();
    times
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect()
}

/// Moves the item highlight with ↓ until it is on `name`.
async fn highlight(client: &Client, page: &ui::Page<'_>, name: &str) {
    for _ in 0..10 {
        let active = page
            .text_of("[data-testid='item-option'][data-active='true']")
            .await;
        if active.contains(name) {
            return;
        }
        keys(client, &Key::Down).await;
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("{name} was not highlighted with ↓");
}

/// The two tests take turns: two app windows on one X display would cover each other.
static ONE_WINDOW: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

fn store(run: &app::DemoApp) -> Store {
    let paths = StationPaths {
        data_dir: run.data_dir.clone(),
    };
    Store::open(&paths, &KeyringStore::new(&run.keyring_service)).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_clerk_accepts_prints_and_shows_the_evaluation_code_with_the_keyboard_only() {
    let printer = std::env::var("YICHUANG_TEST_PRINTER").unwrap_or_else(|_| "yichuang-pdf".into());
    let run = app::DemoApp::start("http://127.0.0.1:9", &[]);
    // Set-up before the window: the A4 papers go to the test queue.
    {
        let paths = StationPaths {
            data_dir: run.data_dir.clone(),
        };
        let mut store = Store::open(&paths, &KeyringStore::new(&run.keyring_service)).unwrap();
        store.set_printer(Paper::A4, &printer, "demo").unwrap();
    }
    let out = run.out_dir.clone();
    let client = run.session().await;
    let page = ui::Page::new(&client);
    page.login_to_home("demo", "demo1234").await;

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
    keys(&client, &("11010519491231002X".to_string() + &Key::Enter)).await;
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
    keys(&client, &Key::F8).await;
    wait_focus(&client, "decision-accept").await;
    page.wait_for_text(
        "[data-testid='intake-note']",
        |t| t.contains("检查通过"),
        Duration::from_secs(10),
    )
    .await;
    keys(&client, &Key::F9).await;
    page.wait_for_count("[data-testid='print-dialog']", 1).await;
    let case_no = page.text_of("[data-testid='result-case-no']").await;
    wait_focus(&client, "print-submit").await;
    let dialog = page.text_of("[data-testid='print-dialog']").await;
    assert!(
        dialog.contains("受理通知书") && dialog.contains(&case_no),
        "print dialog: {dialog}"
    );
    assert_eq!(
        client
            .find(Locator::Css("[data-testid='print-paper']:checked"))
            .await
            .unwrap()
            .find(Locator::XPath(".."))
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
            .lines()
            .next()
            .unwrap_or_default(),
        "受理通知书",
        "the outcome's own paper is preselected"
    );
    page.screenshot(&out.join("keyboard-print.png")).await;

    // Enter prints through CUPS.
    keys(&client, &Key::Enter).await;
    page.wait_for_count("[data-testid='print-outcome'][data-status='done']", 1)
        .await;
    let outcome = page.text_of("[data-testid='print-outcome']").await;
    assert!(outcome.contains(&printer), "print outcome: {outcome}");
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
    keys(&client, &("11010519491231002X".to_string() + &Key::Enter)).await;
    page.wait_for_count("[data-testid='returning']", 1).await;
    assert_eq!(page.value_of("applicant-name").await, "王堃喆");
    assert_eq!(page.value_of("contact-phone").await, "13800138000");
    page.screenshot(&out.join("keyboard-returning.png")).await;
    assert_eq!(case_count(&client).await, 1);

    client.close().await.unwrap();
}

/// The focused element's box, the key bar's bottom (it sticks to the window's top) and the
/// window's height, in CSS pixels, and whether the page scrolls sideways.
async fn layout(client: &Client) -> (f64, f64, f64, f64, bool) {
    let v = client
        .execute(
            r#"const r = document.activeElement.getBoundingClientRect();
               const bar = document.querySelector("[data-testid='key-hints']").getBoundingClientRect();
               const d = document.documentElement;
               return [r.top, r.bottom, bar.bottom, window.innerHeight, d.scrollWidth > d.clientWidth];"#,
            vec![],
        )
        .await
        .unwrap();
    let a = v.as_array().unwrap();
    (
        a[0].as_f64().unwrap(),
        a[1].as_f64().unwrap(),
        a[2].as_f64().unwrap(),
        a[3].as_f64().unwrap(),
        a[4].as_bool().unwrap(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn thirty_materials_fit_and_scroll_at_1366x768() {
    let _turn = ONE_WINDOW.lock().await;
    let run = app::DemoApp::start("http://127.0.0.1:9", &[]);
    // Set-up before the window: the catalogue gets an item with 30 materials, long names.
    {
        let mut store = store(&run);
        let mut catalogue = store.catalogue().unwrap();
        let mut item = catalogue.items[0].clone();
        item.item_code = "114401110075061234200099000999".into();
        item.name = "三十项材料的测试事项（含很长的中文材料名称）".into();
        let template = item.materials[0].clone();
        item.materials = (1..=30)
            .map(|i| {
                let mut m = template.clone();
                m.code = format!("T{i:02}");
                m.name = format!(
                    "第{i}项材料：申请人及其家庭成员的居民身份证、户口簿和婚姻状况证明复印件"
                );
                m.required = i <= 3;
                m
            })
            .collect();
        catalogue.items.push(item);
        catalogue.version = format!("{}-thirty", catalogue.version);
        store.import_catalogue(&catalogue).unwrap();
    }
    let out = run.out_dir.clone();
    let client = run.session().await;
    let page = ui::Page::new(&client);
    page.login_to_home("demo", "demo1234").await;
    keys(&client, &Key::F2).await;
    wait_focus(&client, "item-search").await;
    type_search(&client, &page, "三十项").await;
    keys(&client, &Key::Enter).await;
    page.wait_for_text(
        "[data-testid='selected-item']",
        |t| t.contains("三十项"),
        Duration::from_secs(10),
    )
    .await;
    page.wait_for_count("[data-testid^='material-T']", 30).await;
    wait_focus(&client, "applicant-id").await;
    let (_, _, _, _, sideways) = layout(&client).await;
    assert!(!sideways, "no horizontal scrolling with 30 materials");
    page.screenshot(&out.join("keyboard-thirty-top.png")).await;

    // Down the list with ↓: each focused line is scrolled into view, below the key bar.
    for _ in 0..10 {
        keys(&client, &Key::Tab).await;
        if focused(&client).await == "material-T01" {
            break;
        }
    }
    wait_focus(&client, "material-T01").await;
    for i in 2..=30 {
        keys(&client, &Key::Down).await;
        let code = format!("material-T{i:02}");
        wait_focus(&client, &code).await;
        let (top, bottom, bar, height, sideways) = layout(&client).await;
        assert!(
            top >= bar && bottom <= height,
            "{code} at {top}..{bottom}, key bar down to {bar}, window {height}"
        );
        assert!(!sideways);
    }
    keys(&client, &Key::Space).await;
    page.wait_for_count("[data-testid='material-T30']:checked", 1)
        .await;
    page.screenshot(&out.join("keyboard-thirty-bottom.png"))
        .await;
    client.close().await.unwrap();
}
