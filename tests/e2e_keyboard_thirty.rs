//! A long checklist from the keyboard in the real window: an item with 30 materials (long
//! names) fits the 1366×768 window without sideways scrolling, and ↓ walks its lines with the
//! focused line always in view below the key bar. Screenshots: tests/e2e/out/keyboard-thirty-*.png.

use crate::e2e;

use e2e::{app, keyboard, ui};
use fantoccini::Client;
use fantoccini::key::Key;
use keyboard::{focused, keys, store, type_search, wait_focus};
use std::time::Duration;

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
