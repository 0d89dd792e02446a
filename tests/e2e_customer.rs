//! The customer-facing window (客户屏) in the real app (tauri-driver + WebKitWebDriver under X):
//! a case accepted in the clerk's window appears on the customer window with its evaluation QR
//! (decoded from the window's pixels, signature checked) and the five levels; the citizen taps
//! one, is thanked, the rating waits in the station's queue and reaches the district when it
//! comes up; shown again, the case says it was rated (一次一评). The customer window cannot call
//! the clerk's commands. Screenshots of both windows land in tests/e2e/out/.

use crate::e2e;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use e2e::{app, district, ui};
use fantoccini::Client;
use fantoccini::wd::WindowHandle;
use ui::invoke;
use yichuang_core::EvaluationLevel;
use yichuang_core::evaluation::ALREADY_RATED;
use yichuang_core::evaluation_qr::EvaluationQr;

/// The window whose title is `title`, made the current one.
async fn switch_to(client: &Client, title: &str) -> WindowHandle {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        for handle in client.windows().await.expect("window handles") {
            client.switch_to_window(handle.clone()).await.unwrap();
            if client.title().await.unwrap() == title {
                return handle;
            }
        }
        assert!(Instant::now() < deadline, "no window titled {title}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// What zbarimg reads from the QR code in a PNG.
fn decode_qr(png: &Path) -> String {
    let out = Command::new("zbarimg")
        .args(["--quiet", "--raw", "-Sdisable", "-Sqrcode.enable"])
        .arg(png)
        .output()
        .expect("zbarimg (package zbar-tools)");
    assert!(
        out.status.success(),
        "no QR code found in {}",
        png.display()
    );
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_citizen_rates_on_the_customer_window_once_and_the_rating_reaches_the_district() {
    // The district's port is chosen now; it comes up only after the rating was taken offline.
    let port = district::reserve_port();
    let run = app::DemoApp::start(
        &format!("http://127.0.0.1:{port}"),
        &[("YICHUANG_SYNC_RETRY_MAX_MS", "500".to_string())],
    );
    let out = run.out_dir.clone();
    let client = run.session().await;
    // The session starts on the clerk's window, as the other window tests take for granted.
    let loaded = Instant::now() + Duration::from_secs(20);
    let first = loop {
        let title = client.title().await.unwrap();
        if !title.is_empty() || Instant::now() > loaded {
            break title;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(first, "一窗受理台");
    let main = switch_to(&client, "一窗受理台").await;
    let page = ui::Page::new(&client);

    // Accept a case in the clerk's window: the customer screen shows it by itself.
    page.login("demo", "demo1234").await;
    page.pick_item("广东省居住证").await;
    page.fill_natural_person("王堃喆", "11010519491231002X", "王堃喆", "13800138000")
        .await;
    page.tick_required_materials(&["M01", "M02", "M03"]).await;
    page.click("accept").await;
    let case_no = page.text_of("[data-testid='result-case-no']").await;
    page.wait_for_text(
        "[data-testid='customer-note']",
        |t| t == "客户屏正在显示评价",
        Duration::from_secs(10),
    )
    .await;
    page.screenshot(&out.join("customer-clerk-accepted.png"))
        .await;

    let customer = switch_to(&client, "请您评价").await;
    page.wait_for_text(
        "[data-testid='customer-case-no']",
        |t| t == case_no,
        Duration::from_secs(10),
    )
    .await;
    assert_eq!(
        page.text_of("[data-testid='customer-item']").await,
        "广东省居住证申领"
    );
    let mut labels = Vec::new();
    for level in EvaluationLevel::ALL {
        labels.push(
            page.text_of(&format!("[data-testid='level-{}']", level.code()))
                .await,
        );
    }
    assert_eq!(
        labels,
        ["非常满意", "满意", "基本满意", "不满意", "非常不满意"]
    );
    let shot = out.join("customer-evaluate.png");
    page.screenshot(&shot).await;

    // The QR on the screen is the case's signed code: read from pixels, checked with the key.
    let payload = decode_qr(&shot);
    let public = run.store().qr_signing_key("e2e-test").unwrap().public_key();
    let qr = EvaluationQr::verify(&payload, |_, _| Some(public)).expect("signature holds");
    assert_eq!(
        (qr.case_no.as_str(), qr.channel.as_str()),
        (case_no.as_str(), "qr")
    );

    // The customer window may call its own commands, and none of the clerk's.
    assert!(
        invoke(&client, "customer_view", serde_json::json!({}))
            .await
            .is_ok()
    );
    for (command, args) in [
        ("search_cases", serde_json::json!({ "query": {} })),
        ("logout", serde_json::json!({})),
        (
            "customer_show",
            serde_json::json!({ "caseId": "x", "moment": "after_acceptance" }),
        ),
    ] {
        let refused = invoke(&client, command, args).await.unwrap_err();
        assert!(refused.contains("not allowed"), "{command}: {refused}");
    }

    // The citizen taps 满意: thanked, stored in the queue, pending for the district.
    page.click("level-2").await;
    let thanks = page.text_of("[data-testid='customer-thanks']").await;
    assert!(
        thanks.contains("感谢您的评价") && thanks.contains("满意"),
        "{thanks}"
    );
    page.screenshot(&out.join("customer-thanks.png")).await;
    let store = run.store();
    let case = store
        .find_cases(&case_no)
        .unwrap()
        .into_iter()
        .find(|c| c.case_no == case_no)
        .expect("the case in the station's store");
    let evaluation = store.evaluation_of(case.id).unwrap().expect("stored");
    assert_eq!(evaluation.level, EvaluationLevel::Satisfied);
    assert_eq!(evaluation.channel, "pad");
    assert_eq!(store.evaluations_pending().unwrap(), 1);
    drop(store);

    // A few seconds later the screen greets the next citizen.
    page.wait_for_text(
        "[data-testid='customer-idle']",
        |t| t.contains("欢迎您"),
        Duration::from_secs(15),
    )
    .await;
    page.screenshot(&out.join("customer-idle.png")).await;

    // The hall manager renames the station: the welcome greets with the new name at once.
    client.switch_to_window(main.clone()).await.unwrap();
    let renamed = "白云区太和镇党群服务中心";
    let form = serde_json::json!({ "form": {
        "station_name": renamed, "counter": "1", "phone": "020-12345678",
        "address": "广州市白云区太和镇",
    } });
    invoke(&client, "settings_set_station", form)
        .await
        .expect("the manager saves the station");
    client.switch_to_window(customer.clone()).await.unwrap();
    page.wait_for_text(
        "[data-testid='customer-idle']",
        |t| t.contains(renamed),
        Duration::from_secs(5),
    )
    .await;

    // The clerk sees the rating and shows the case again: it was rated already (一次一评).
    client.switch_to_window(main.clone()).await.unwrap();
    // Nor may the clerk's window rate for the citizen.
    let refused = invoke(
        &client,
        "customer_rate",
        serde_json::json!({ "evaluationId": evaluation.id.to_string(), "code": 1 }),
    )
    .await
    .unwrap_err();
    assert!(refused.contains("not allowed"), "customer_rate: {refused}");
    page.wait_for_text(
        "[data-testid='customer-note']",
        |t| t.contains("满意"),
        Duration::from_secs(10),
    )
    .await;
    page.click("customer-show").await;
    page.wait_for_text(
        "[data-testid='customer-note']",
        |t| t.contains("此前已评价"),
        Duration::from_secs(10),
    )
    .await;
    page.screenshot(&out.join("customer-clerk-rated.png")).await;
    client.switch_to_window(customer.clone()).await.unwrap();
    let rated = page.text_of("[data-testid='customer-rated']").await;
    assert!(
        rated.contains(ALREADY_RATED) && rated.contains("已评价") && rated.contains("满意"),
        "{rated}"
    );
    page.wait_until_gone("[data-testid='level-1']").await;
    page.wait_until_gone("[data-testid='customer-qr']").await;
    page.screenshot(&out.join("customer-already-rated.png"))
        .await;

    // The district comes up: the case, then its rating, are sent without a click.
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
        .await
        .unwrap();
    let district = district::start(listener, district::config(run.dir.path())).await;
    let deadline = Instant::now() + Duration::from_secs(60);
    while district
        .store()
        .count_evaluations("440111001")
        .await
        .unwrap()
        == 0
    {
        assert!(
            Instant::now() < deadline,
            "the rating did not reach the district"
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    assert_eq!(run.store().evaluations_pending().unwrap(), 0);

    // The clerk logs out: the customer screen no longer shows the last case.
    client.switch_to_window(main).await.unwrap();
    invoke(&client, "logout", serde_json::json!({}))
        .await
        .expect("the clerk's window may log out");
    client.switch_to_window(customer).await.unwrap();
    page.wait_for_text(
        "[data-testid='customer-idle']",
        |t| t.contains("欢迎您"),
        Duration::from_secs(10),
    )
    .await;
    page.wait_until_gone("[data-testid='customer-rated']").await;
    client.close().await.unwrap();
}
