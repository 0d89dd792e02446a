//! The desk on a screen larger than the counter's 1366×768 (tauri-driver + WebKitWebDriver
//! under a 1920×1080 Xvfb): with the window at full size, every screen is laid out across the
//! width with nothing scrolling sideways, and the queue shows more rows than at 1366×768 (its
//! list grows with the window). Screenshots in tests/e2e/out/large-screen-*.png.

use crate::e2e;

use e2e::cases::{DEMO_ID, PENSION, RESIDENCE_PERMIT, decided_in_store, filled_form};
use e2e::{app, ui};
use fantoccini::Client;
use jiff::{SignedDuration, Timestamp};
use yichuang_core::IntakeDecision;

const LARGE: (u32, u32) = (1920, 1080);
const COUNTER: (u32, u32) = (1366, 768);

/// Sixty decided cases, ten minutes apart: more than either window shows at once.
fn seed(run: &app::DemoApp) {
    let station = run.station();
    station.login("demo", "demo1234").unwrap();
    let newest = Timestamp::now() - SignedDuration::from_mins(5);
    for n in 0..60 {
        let item = if n % 2 == 0 {
            RESIDENCE_PERMIT
        } else {
            PENSION
        };
        let form = filled_form(&station, item, DEMO_ID);
        let at = newest - SignedDuration::from_mins(10 * n);
        decided_in_store(&station, &form, &IntakeDecision::Accept, "demo", at);
    }
}

async fn resize(client: &Client, (width, height): (u32, u32)) {
    client
        .set_window_rect(0, 0, width, height)
        .await
        .unwrap_or_else(|e| panic!("resize the window to {width}×{height}: {e}"));
}

/// The page's width, whether anything is wider than the window, and how many queue rows lie
/// wholly inside the list's visible box (0 off the queue).
async fn layout(client: &Client) -> serde_json::Value {
    let script = r#"
        const list = document.querySelector("[data-testid='queue-list']");
        let rows = 0;
        if (list) {
            const box = list.getBoundingClientRect();
            rows = [...list.querySelectorAll("[data-testid='queue-row']")].filter((row) => {
                const r = row.getBoundingClientRect();
                return r.top >= box.top && r.bottom <= box.bottom;
            }).length;
        }
        return {
            width: window.innerWidth,
            height: window.innerHeight,
            sideways: document.documentElement.scrollWidth > window.innerWidth,
            rows,
        };
    "#;
    client.execute(script, vec![]).await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_screen_uses_a_larger_window_and_the_queue_shows_more_rows() {
    let run = app::DemoApp::start_on_screen("http://127.0.0.1:9", &[], "1920x1080");
    seed(&run);
    let out = run.out_dir.clone();
    let client = run.session().await;
    let page = ui::Page::new(&client);
    resize(&client, LARGE).await;
    page.login_to_home("demo", "demo1234").await;

    let at_large = layout(&client).await;
    assert!(
        at_large["width"].as_u64() >= Some(u64::from(LARGE.0) - 40),
        "the window did not grow to the screen: {at_large}"
    );

    for screen in ["home", "intake", "queue", "delivery", "manager", "settings"] {
        page.click(&format!("nav-{screen}")).await;
        match screen {
            "intake" => page.pick_item("广东省居住证").await,
            "settings" => {
                page.wait_for_count("[data-testid='settings-section-prefs']", 1)
                    .await
            }
            _ => {
                page.wait_for_count(&format!("[data-testid='{screen}']"), 1)
                    .await
            }
        }
        if screen == "queue" {
            page.wait_for_count("[data-testid='queue-row'][data-index='0']", 1)
                .await;
        }
        let now = layout(&client).await;
        assert_eq!(now["sideways"], false, "{screen} scrolls sideways: {now}");
        page.screenshot(&out.join(format!("large-screen-{screen}.png")))
            .await;
    }

    // The queue's list grows with the window: more whole rows at 1920×1080 than at 1366×768.
    page.click("nav-queue").await;
    page.wait_for_count("[data-testid='queue-row'][data-index='0']", 1)
        .await;
    let large_rows = layout(&client).await["rows"].as_u64().unwrap_or(0);
    resize(&client, COUNTER).await;
    page.wait_for_count("[data-testid='queue-row'][data-index='0']", 1)
        .await;
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let counter = layout(&client).await;
    let counter_rows = counter["rows"].as_u64().unwrap_or(0);
    assert_eq!(counter["sideways"], false, "queue at 1366×768: {counter}");
    assert!(
        counter_rows >= 5 && large_rows > counter_rows + 5,
        "queue rows at 1920×1080: {large_rows}, at 1366×768: {counter_rows}"
    );
    eprintln!("queue rows shown: {large_rows} at 1920×1080, {counter_rows} at 1366×768");
}
