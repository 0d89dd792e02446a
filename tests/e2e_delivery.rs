//! Delivery (出件) in the real window: cases accepted at the station reach a real district,
//! whose officer decides them (办结, then 待领取 for one; 办结 for one going by post); the
//! station pulls the statuses and the window lists them as ready. At the window someone
//! else's ID is refused with what to do, the applicant's is taken, the 送达回证 printed
//! through the print dialog to CUPS (yichuang-pdf) and marked signed; the posted case records
//! courier and tracking number (a malformed number refused first). The papers' text is
//! checked with pdftotext; screenshots land in tests/e2e/out/delivery-*.png.

use crate::e2e;

use std::time::Duration;

use e2e::cases::{DEMO_ID, RESIDENCE_PERMIT, filled_form};
use e2e::{app, district, ui};
use fantoccini::{Client, Locator, key::Key};
use jiff::Timestamp;
use uuid::Uuid;
use yichuang_core::{DeliveryMethod, DistrictStatus, IntakeDecision, Paper, SlipKind};

/// Two accepted cases of 王堃喆: one collected at the window, one sent by post.
fn seed(run: &app::DemoApp, printer: &str) -> (Uuid, Uuid) {
    let station = run.station();
    station.login("demo", "demo1234").unwrap();
    let draft = filled_form(&station, RESIDENCE_PERMIT, DEMO_ID).draft;
    let store = station.store();
    let mut store = store.lock().unwrap();
    store.set_printer(Paper::A4, printer, "demo").unwrap();
    let mut ids = Vec::new();
    for post in [false, true] {
        let mut draft = draft.clone();
        if post {
            draft.delivery = DeliveryMethod::Post {
                address: "广州市白云区云景路 18 号 3 栋 502 房".into(),
            };
        }
        let saved = store
            .decide_case(
                Uuid::now_v7(),
                &draft,
                &IntakeDecision::Accept,
                "demo",
                Timestamp::now(),
            )
            .unwrap();
        ids.push(saved.case.id);
    }
    (ids[0], ids[1])
}

async fn press(client: &Client, testid: &str, key: Key) {
    client
        .find(Locator::Css(&format!("[data-testid='{testid}']")))
        .await
        .unwrap()
        .send_keys(&char::from(key).to_string())
        .await
        .unwrap();
}

async fn choose(client: &Client, case_id: Uuid) {
    client
        .find(Locator::Css(&format!(
            "[data-testid='delivery-ready-row'][data-case-id='{case_id}'] button"
        )))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
}

/// The 送达回证 in the print dialog is the paper chosen; it prints to `printer` through CUPS.
async fn print_receipt(page: &ui::Page<'_>, label: &str, printer: &str) {
    page.wait_for_count("[data-testid='print-dialog']", 1).await;
    assert_eq!(page.chosen_paper().await, label);
    page.print_to(printer).await;
    // The dialog reloads its papers after a print; it can be closed once that is done.
    page.wait_for_count("[data-testid='print-close']:not([disabled])", 1)
        .await;
}

/// Types `text` into `testid`, presses Enter and returns the refusal the screen shows.
async fn refused_entry(client: &Client, page: &ui::Page<'_>, testid: &str, text: &str) -> String {
    page.set_text(testid, text).await;
    press(client, testid, Key::Enter).await;
    page.wait_for_text(
        "[data-testid='delivery-error']",
        |t| !t.is_empty(),
        Duration::from_secs(10),
    )
    .await
}

fn pdf_text(pdf: &[u8], name: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, pdf).unwrap();
    yichuang_tests::pdf::text(&path)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn decided_cases_are_handed_over_at_the_window_and_by_courier() {
    let printer = std::env::var("YICHUANG_TEST_PRINTER").unwrap_or_else(|_| "yichuang-pdf".into());
    let district_dir = tempfile::tempdir().unwrap();
    let district = district::start_any(district_dir.path()).await;
    let run = app::DemoApp::start(
        &district.url(),
        &[("YICHUANG_SYNC_RETRY_MAX_MS", "500".to_string())],
    );
    let (at_window, by_post) = seed(&run, &printer);
    let out = run.out_dir.clone();
    let client = run.session().await;
    let page = ui::Page::new(&client);
    page.login_to_home("demo", "demo1234").await;

    // The app uploads both; the district's officer decides them.
    district::wait_for_cases(&district, 2).await;
    let note = Some("准予，居住证号 GZ-2026-0001".to_string());
    district::decide(&district, at_window, DistrictStatus::Approved, note).await;
    district::decide(&district, at_window, DistrictStatus::ReadyForPickup, None).await;
    district::decide(&district, by_post, DistrictStatus::Approved, None).await;

    // The station pulls the statuses; F4 opens 出件 and both are ready.
    page.click("nav-delivery").await;
    page.click_until_count(
        "delivery-refresh",
        "[data-testid='delivery-ready-row']",
        2,
        Duration::from_secs(60),
        "the decided cases never showed as ready",
    )
    .await;
    let ready = page.text_of("[data-testid='delivery-ready']").await;
    assert!(
        ready.contains("待领取") && ready.contains("办结"),
        "{ready}"
    );
    assert!(
        ready.contains("110105********002X") && !ready.contains(DEMO_ID),
        "{ready}"
    );
    assert!(ready.contains("邮寄送达：广州市白云区云景路"), "{ready}");
    // The search narrows it as the queue's does: the ID's last digits.
    page.set_text("delivery-search", "002x").await;
    page.wait_for_count("[data-testid='delivery-ready-row']", 2)
        .await;
    page.set_text("delivery-search", "张三").await;
    page.wait_for_count("[data-testid='delivery-ready-row']", 0)
        .await;
    page.set_text("delivery-search", "堃喆").await;
    page.wait_for_count("[data-testid='delivery-ready-row']", 2)
        .await;
    page.screenshot(&out.join("delivery-ready.png")).await;

    // At the window: someone else's ID is refused, with what to do about a letter.
    choose(&client, at_window).await;
    page.wait_for_text(
        "[data-testid='delivery-decision']",
        |t| t.contains("GZ-2026-0001"),
        Duration::from_secs(10),
    )
    .await;
    let refused = refused_entry(
        &client,
        &page,
        "delivery-recipient-id",
        "440524188001010014",
    )
    .await;
    assert!(
        refused.contains("不能领取") && refused.contains("授权委托书"),
        "{refused}"
    );
    assert!(refused.contains("440524********0014"), "{refused}");
    page.wait_for_count("[data-testid='delivery-hand-over']:not([disabled])", 1)
        .await;
    page.screenshot(&out.join("delivery-refused.png")).await;

    // The applicant's own ID (lower-case x): recorded, the 送达回证 printed, then signed.
    page.set_text("delivery-recipient-id", "11010519491231002x")
        .await;
    press(&client, "delivery-recipient-id", Key::Enter).await;
    print_receipt(&page, "送达回证", &printer).await;
    page.screenshot(&out.join("delivery-print.png")).await;
    page.click("print-close").await;
    page.wait_until_gone("[data-testid='print-dialog']").await;
    let notice = page.text_of("[data-testid='delivery-notice']").await;
    assert!(notice.contains("请领取人在送达回证上签名"), "{notice}");
    // F10 marks it signed (the key shown beside the prompt).
    page.wait_for_count("[data-testid='delivery-mark-signed']", 1)
        .await;
    press(&client, "delivery-search", Key::F10).await;
    let signed = page
        .wait_for_text(
            "[data-testid='delivery-handed-signed']",
            |t| t.starts_with("已签收"),
            Duration::from_secs(10),
        )
        .await;
    assert!(signed.starts_with("已签收（"), "{signed}");
    let recipient = page
        .text_of("[data-testid='delivery-handed-recipient']")
        .await;
    assert_eq!(recipient, "王堃喆（本人，110105********002X）");
    let sync = page.text_of("[data-testid='delivery-handed-sync']").await;
    assert!(sync == "待上传" || sync == "已上传", "{sync}");
    page.wait_for_count("[data-testid='delivery-ready-row']", 1)
        .await;
    page.screenshot(&out.join("delivery-signed.png")).await;

    // By courier: the address comes from the intake; a malformed EMS number is refused.
    // The keyboard: the one case left is chosen; Enter in the search puts the cursor in its form.
    page.wait_for_count(
        &format!(
            "[data-testid='delivery-ready-row'][data-case-id='{by_post}'][aria-selected='true']"
        ),
        1,
    )
    .await;
    page.wait_for_count("[data-testid='delivery-tracking']", 1)
        .await;
    press(&client, "delivery-search", Key::Enter).await;
    let focused = client
        .execute(
            "return document.activeElement.dataset.testid || '';",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(focused.as_str(), Some("delivery-courier"));
    assert_eq!(
        page.value_of("delivery-address").await,
        "广州市白云区云景路 18 号 3 栋 502 房"
    );
    page.set_text("delivery-courier", "中国邮政 EMS").await;
    let wrong = refused_entry(&client, &page, "delivery-tracking", "11805").await;
    assert!(wrong.contains("13 位数字"), "{wrong}");
    page.screenshot(&out.join("delivery-courier-refused.png"))
        .await;
    page.set_text("delivery-tracking", "1180 5123 45678").await;
    press(&client, "delivery-tracking", Key::Enter).await;
    print_receipt(&page, "送达回证（邮寄）", &printer).await;
    page.click("print-close").await;
    page.wait_until_gone("[data-testid='print-dialog']").await;
    page.wait_for_count("[data-testid='delivery-handed-row']", 2)
        .await;
    page.wait_for_count("[data-testid='delivery-ready-row']", 0)
        .await;
    let handed = page.text_of("[data-testid='delivery-handed']").await;
    assert!(handed.contains("中国邮政 EMS 1180512345678"), "{handed}");
    assert!(handed.contains("快递面单签收"), "{handed}");
    // The picture only (every check above is done): the X screen lags the window's last paint.
    tokio::time::sleep(Duration::from_millis(700)).await;
    page.screenshot(&out.join("delivery-courier.png")).await;
    // Large text (the clerk's setting scales the root font): still no sideways scrolling.
    let wide = client
        .execute(
            "document.documentElement.classList.add('large-text');
             return document.documentElement.scrollWidth - window.innerWidth;",
            vec![],
        )
        .await
        .unwrap();
    assert!(wide.as_i64().unwrap() <= 0, "scrolls sideways by {wide}");
    tokio::time::sleep(Duration::from_millis(700)).await;
    page.screenshot(&out.join("delivery-large-text.png")).await;
    client.close().await.unwrap();

    // What was printed, rendered again by the station: the recipient masked, the courier's number.
    let station = run.station();
    station.login("demo", "demo1234").unwrap();
    let window = station
        .render_slip(at_window, SlipKind::ServiceReceipt, None)
        .unwrap();
    let text = pdf_text(&window.pdf, "window.pdf");
    for expected in [
        "送达回证",
        "王堃喆",
        "110105********002X",
        "本人",
        "广东省居住证申领办理结果",
    ] {
        assert!(text.contains(expected), "{expected:?} missing in:\n{text}");
    }
    assert!(!text.contains(DEMO_ID), "full ID printed:\n{text}");
    let posted = station
        .render_slip(by_post, SlipKind::CourierServiceReceipt, None)
        .unwrap();
    let text = pdf_text(&posted.pdf, "courier.pdf");
    for expected in ["送达回证", "中国邮政EMS", "1180512345678", "云景路18号"] {
        assert!(text.contains(expected), "{expected:?} missing in:\n{text}");
    }
    let record = station
        .store()
        .lock()
        .unwrap()
        .handover_record(at_window)
        .unwrap()
        .unwrap();
    assert!(record.signed_at.is_some(), "the signature is stored");
}
