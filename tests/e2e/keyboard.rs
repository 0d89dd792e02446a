//! The clerk's keyboard in the window tests: keys sent to whatever has the focus, where the
//! focus is, the item search typed letter by letter with its keystroke-to-list time measured
//! in the page, and the station's store opened beside the app for set-up. Shared by the
//! keyboard test binaries through #[path]; needs the `app` and `ui` modules beside it.
#![allow(dead_code)]

use std::time::{Duration, Instant};

use fantoccini::Client;
use fantoccini::key::Key;
use yichuang_store::Store;

use super::{app, ui};

/// The focused element's data-testid ("" when it has none).
pub async fn focused(client: &Client) -> String {
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
pub async fn keys(client: &Client, text: &str) {
    client
        .active_element()
        .await
        .expect("a focused element")
        .send_keys(text)
        .await
        .unwrap_or_else(|e| panic!("send {text:?}: {e}"));
}

/// Waits until the focus is on `testid`.
pub async fn wait_focus(client: &Client, testid: &str) {
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

/// F8 checks the filled intake and moves the focus to 受理; F9 accepts it and the print dialog
/// opens.
pub async fn accept_with_keys(client: &Client, page: &ui::Page<'_>) {
    keys(client, &Key::F8).await;
    wait_focus(client, "decision-accept").await;
    page.wait_for_text(
        "[data-testid='intake-note']",
        |t| t.contains("检查通过"),
        Duration::from_secs(10),
    )
    .await;
    keys(client, &Key::F9).await;
    page.wait_for_count("[data-testid='print-dialog']", 1).await;
}

/// How many cases the station holds, asked through the app's own command.
pub async fn case_count(client: &Client) -> usize {
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
pub async fn type_search(client: &Client, page: &ui::Page<'_>, query: &str) -> Vec<f64> {
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
pub async fn highlight(client: &Client, page: &ui::Page<'_>, name: &str) {
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

/// The station's store, opened beside the app (for set-up before the window opens).
pub fn store(run: &app::DemoApp) -> Store {
    run.store()
}
