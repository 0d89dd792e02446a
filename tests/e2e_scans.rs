//! Scanned pages in the real window: the clerk makes line M01 of 居住证申领 the document
//! camera's target, a JPEG saved into the station's scan folder shows up as its thumbnail
//! (and leaves the folder), opens large, moves and goes away again, with the mouse and with
//! keys (Alt+↓ on a thumbnail, Enter on the line, → and Esc in the viewer); a cut-off scan is refused
//! by name beside the line; the applicant's next intake reuses the accepted case's scan (减材料).

use crate::e2e;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use e2e::{app, scan_files, ui};
use fantoccini::key::Key;
use fantoccini::{Client, Locator};
use scan_files::{drop_into, scan_jpeg};

/// Scrolls `css` to the middle of the window and waits for the next painted frame, for a
/// screenshot that shows it.
async fn show(client: &Client, css: &str) {
    let script = format!(
        "const done = arguments[arguments.length - 1];
         document.querySelector({css:?}).scrollIntoView({{block: 'center', behavior: 'instant'}});
         requestAnimationFrame(() => requestAnimationFrame(() => done(window.scrollY)));"
    );
    let y = client.execute_async(&script, vec![]).await.unwrap();
    assert!(y.as_f64().is_some_and(|y| y > 0.0), "scrolled: {y}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_camera_scan_lands_on_the_target_line_and_opens_large() {
    let run = app::DemoApp::start("http://127.0.0.1:9", &[]);
    let (out_dir, data_dir) = (run.out_dir.clone(), run.data_dir.clone());
    let client = run.session().await;
    let page = ui::Page::new(&client);

    page.login("demo", "demo1234").await;
    page.pick_item("广东省居住证").await;
    page.fill_natural_person("王堃喆", "11010519491231002X", "王堃喆", "13800138000")
        .await;

    // The folder is shown once its watch is in place.
    let inbox = data_dir.join("scan-inbox");
    let shown = page
        .wait_for_text(
            "[data-testid='scan-folder']",
            |t| t != "…",
            Duration::from_secs(20),
        )
        .await;
    assert_eq!(PathBuf::from(&shown), inbox);
    page.click("scan-target-M01").await;
    let line = "[data-testid='scan-line-M01']";
    let thumbs = format!("{line} [data-testid='scan-thumb']");

    let first = drop_into(&inbox, "IMG_0001.JPG", &scan_jpeg(1654, 1040, 0));
    page.wait_for_count(&thumbs, 1).await;
    assert!(
        !first.exists(),
        "the plaintext scan left the folder once attached"
    );
    let second = drop_into(&inbox, "IMG_0002.JPG", &scan_jpeg(1654, 1040, 2));
    page.wait_for_count(&thumbs, 2).await;
    assert!(!second.exists());
    page.click("material-M01").await;
    show(&client, line).await;
    page.screenshot(&out_dir.join("scans-line.png")).await;

    // The second page moves before the first.
    let title = |i: usize| {
        let thumbs = thumbs.clone();
        let client = &client;
        async move {
            client.find_all(Locator::Css(&thumbs)).await.unwrap()[i]
                .attr("title")
                .await
                .unwrap()
                .unwrap_or_default()
        }
    };
    assert!(title(1).await.starts_with("IMG_0002.JPG"));
    client
        .find_all(Locator::Css(&format!("{line} [data-testid='scan-left']")))
        .await
        .unwrap()[1]
        .click()
        .await
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    while !title(0).await.starts_with("IMG_0002.JPG") {
        assert!(Instant::now() < deadline, "the page did not move");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    // Large view of the first page: the original JPEG.
    client
        .find(Locator::Css(&format!("{line} [data-testid='scan-view']")))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let big = client
        .wait()
        .at_most(Duration::from_secs(20))
        .for_element(Locator::Css("[data-testid='page-viewer-image']"))
        .await
        .expect("the page opens large");
    let src = big.attr("src").await.unwrap().unwrap_or_default();
    assert!(src.starts_with("data:image/jpeg;base64,"), "{}", &src[..40]);
    let natural_width =
        "return document.querySelector(\"[data-testid='page-viewer-image']\").naturalWidth";
    let deadline = Instant::now() + Duration::from_secs(10);
    let natural = loop {
        let w = client.execute(natural_width, vec![]).await.unwrap();
        if w != 0 || Instant::now() > deadline {
            break w;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(natural, 1654, "the original, not the thumbnail");
    page.screenshot(&out_dir.join("scans-viewer.png")).await;
    page.click("page-viewer-close").await;
    page.wait_until_gone("[data-testid='page-viewer']").await;

    // The same with keys: Alt+↓ on a focused thumbnail moves it later; Enter on the line's
    // box opens its pages large, → turns to the next, Esc closes back to the box.
    let focus = |css: String| {
        let client = &client;
        async move {
            client
                .execute(
                    "document.querySelector(arguments[0]).focus()",
                    vec![css.into()],
                )
                .await
                .unwrap();
            client.active_element().await.unwrap()
        }
    };
    focus(thumbs.clone())
        .await
        .send_keys(&format!("{}{}", Key::Alt, Key::Down))
        .await
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    while !title(0).await.starts_with("IMG_0001.JPG") {
        assert!(Instant::now() < deadline, "Alt+↓ did not move the page");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    focus("[data-testid='material-M01']".into())
        .await
        .send_keys(&Key::Enter)
        .await
        .unwrap();
    let position = "[data-testid='page-viewer-position']";
    page.wait_for_text(
        position,
        |t| t.starts_with("第 1 / 2 页"),
        Duration::from_secs(10),
    )
    .await;
    client
        .active_element()
        .await
        .unwrap()
        .send_keys(&Key::Right)
        .await
        .unwrap();
    page.wait_for_text(
        position,
        |t| t.starts_with("第 2 / 2 页"),
        Duration::from_secs(10),
    )
    .await;
    assert!(
        page.text_of("[data-testid='page-viewer']")
            .await
            .contains("IMG_0002.JPG")
    );
    page.screenshot(&out_dir.join("scans-viewer-keys.png"))
        .await;
    client
        .active_element()
        .await
        .unwrap()
        .send_keys(&Key::Escape)
        .await
        .unwrap();
    page.wait_until_gone("[data-testid='page-viewer']").await;
    let back = client
        .execute("return document.activeElement.dataset.testid", vec![])
        .await
        .unwrap();
    assert_eq!(back, "material-M01", "the focus is back on the line");
    assert!(
        page.is_checked("material-M01").await,
        "Enter did not untick it"
    );

    // A cut-off scan is refused by name beside the line; the two pages stay.
    let corpus = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../crates/yichuang-scan/tests/corpus/身份证正面-截断.jpg");
    drop_into(
        &inbox,
        "身份证正面-截断.jpg",
        &std::fs::read(corpus).unwrap(),
    );
    let message = page
        .text_of(&format!("{line} [data-testid='scan-error']"))
        .await;
    assert!(message.contains("身份证正面-截断.jpg"), "{message}");
    assert_eq!(page.count(&thumbs).await, 2);
    show(&client, line).await;
    page.screenshot(&out_dir.join("scans-refused.png")).await;

    // Removing a page takes it off the line.
    client
        .find(Locator::Css(&format!("{line} [data-testid='scan-remove']")))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    page.wait_for_count(&thumbs, 1).await;

    // 减材料: once the case is accepted, the applicant's next intake is offered its ID card scan.
    page.tick_required_materials(&["M02", "M03"]).await;
    page.click("accept").await;
    let case_no = page.text_of("[data-testid='result-case-no']").await;
    page.click("result-next").await;
    page.pick_item("城乡居民基本养老").await;
    page.fill_natural_person("王堃喆", "11010519491231002X", "王堃喆", "13800138000")
        .await;
    let offer = format!("{line} [data-testid='scan-reuse']");
    let label = page.text_of(&offer).await;
    assert!(
        label.contains("复用上次的居民身份证扫描件") && label.contains(&case_no),
        "{label}"
    );
    assert_eq!(page.count(&thumbs).await, 0, "a new intake starts empty");
    client
        .find(Locator::Css(&offer))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let reused = page
        .text_of(&format!("{line} [data-testid='scan-reused']"))
        .await;
    assert_eq!(reused, format!("复用自 {case_no}"));
    assert_eq!(page.count(&thumbs).await, 1);
    page.wait_until_gone(&offer).await;
    show(&client, line).await;
    page.screenshot(&out_dir.join("scans-reused.png")).await;

    client.close().await.unwrap();
}
