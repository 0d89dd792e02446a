//! The settings screen in the real app (tauri-driver + WebKitWebDriver under X, 1366×768): the
//! hall manager changes the station's phone and the next slip prints it (pdftotext of the PDF
//! the app rendered), sets a printer for 受理通知书 and the print dialog preselects it for
//! that paper only, turns large text on (nothing wider than the window on settings, intake and
//! home) and switches the window to English and back (kept per clerk, applied at login); a
//! plain clerk sees only their own preferences and the station read-only, and Rust refuses
//! them the station settings. The manager pins the district's root CA from a file (a file that
//! is not a certificate is refused with what to do; the label shows the pinned CA's
//! fingerprint) and goes back to the system's roots. Screenshots land in
//! tests/e2e/out/settings-*.png.

use crate::e2e;

use std::process::Command;
use std::time::Duration;

use e2e::{app, ui};
use fantoccini::{Client, Locator};
use ui::invoke;
use yichuang_sync::testing::{SAMPLE_DISTRICT_CA_PEM, SAMPLE_DISTRICT_CA_SHA256};

/// The PDF the app renders for the print preview of `kind`, as the window receives it.
async fn preview_pdf(client: &Client, case_id: &str, kind: &str) -> Vec<u8> {
    let script = r#"
        const [caseId, kind, done] = arguments;
        window.__TAURI_INTERNALS__.invoke("print_preview", { caseId, kind })
            .then((buf) => {
                const bytes = new Uint8Array(buf);
                let hex = "";
                for (const b of bytes) hex += b.toString(16).padStart(2, "0");
                done({ ok: hex });
            })
            .catch((e) => done({ err: JSON.stringify(e) }));
    "#;
    let answer = client
        .execute_async(script, vec![case_id.into(), kind.into()])
        .await
        .expect("print_preview");
    let hex = answer
        .get("ok")
        .and_then(|v| v.as_str())
        .unwrap_or_else(|| panic!("print_preview refused: {answer}"));
    (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
        .collect()
}

fn pdf_text(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("slip.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = Command::new("pdftotext")
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext (package poppler-utils)");
    assert!(out.status.success());
    String::from_utf8(out.stdout)
        .unwrap()
        .split_whitespace()
        .collect()
}

async fn script_bool(client: &Client, js: &str) -> bool {
    client
        .execute(js, vec![])
        .await
        .unwrap_or_else(|e| panic!("{js}: {e}"))
        .as_bool()
        .unwrap_or_else(|| panic!("{js}: not a boolean"))
}

/// Nothing is wider than the window (no horizontal scrolling at 1366×768).
async fn fits_width(client: &Client) -> bool {
    script_bool(
        client,
        "return document.documentElement.scrollWidth <= window.innerWidth",
    )
    .await
}

async fn large_text_on(client: &Client) -> bool {
    script_bool(
        client,
        "return document.documentElement.classList.contains('large-text') \
         && getComputedStyle(document.documentElement).fontSize === '18px'",
    )
    .await
}

async fn lang(client: &Client) -> String {
    client
        .execute("return document.documentElement.lang", vec![])
        .await
        .unwrap()
        .as_str()
        .unwrap_or_default()
        .to_string()
}

/// The first 8 bytes of openssl's "7D:84:54:…" fingerprint in groups of 4: "7D84 544C 32B1 9155".
fn short_fingerprint(openssl: &str) -> String {
    let bytes: Vec<&str> = openssl.split(':').take(8).collect();
    bytes
        .chunks(2)
        .map(|pair| pair.concat())
        .collect::<Vec<_>>()
        .join(" ")
}

/// 设置 → 区级系统与登记 → 根证书: a text file is refused with what to do, the test root CA
/// is pinned and shown by its fingerprint (screenshot settings-ca.png), then the system's
/// roots come back.
async fn pin_the_district_ca(page: &ui::Page<'_>, client: &Client, run: &app::DemoApp) {
    const LABEL: &str = "[data-testid='settings-ca-label']";
    page.click("settings-nav-district").await;
    assert_eq!(page.text_of(LABEL).await, "使用系统的根证书");
    assert_eq!(page.count("[data-testid='settings-ca-system']").await, 0);

    let not_ca = run.dir.path().join("区级系统说明.txt");
    std::fs::write(&not_ca, "根证书请向区级系统管理员索取").unwrap();
    page.set_text("settings-ca-path", not_ca.to_str().unwrap())
        .await;
    page.click("settings-ca-save").await;
    assert_eq!(
        page.text_of("[data-testid='settings-ca-error']").await,
        "该文件不是 PEM 格式的证书：请向区级系统管理员索取根证书文件（.pem 或 .crt）"
    );
    assert_eq!(run.store().district_ca_pem().unwrap(), None);

    let ca = run.dir.path().join("district-root.crt");
    std::fs::write(&ca, SAMPLE_DISTRICT_CA_PEM).unwrap();
    page.set_text("settings-ca-path", ca.to_str().unwrap())
        .await;
    page.click("settings-ca-save").await;
    let short = short_fingerprint(SAMPLE_DISTRICT_CA_SHA256);
    let label = page
        .wait_for_text(LABEL, |t| t.contains(&short), Duration::from_secs(10))
        .await;
    assert_eq!(
        label,
        format!("只信任已固定的区级根证书（SHA-256 {short}）")
    );
    page.wait_until_gone("[data-testid='settings-ca-error']")
        .await;
    assert_eq!(
        run.store().district_ca_pem().unwrap().as_deref(),
        Some(SAMPLE_DISTRICT_CA_PEM.trim())
    );
    assert!(
        fits_width(client).await,
        "the CA line wider than the window"
    );
    page.screenshot(&run.out_dir.join("settings-ca.png")).await;

    page.click("settings-ca-system").await;
    page.wait_for_text(LABEL, |t| t == "使用系统的根证书", Duration::from_secs(10))
        .await;
    page.wait_until_gone("[data-testid='settings-ca-system']")
        .await;
    assert_eq!(run.store().district_ca_pem().unwrap(), None);
}

async fn open_settings(page: &ui::Page<'_>) {
    page.click("nav-settings").await;
    page.wait_for_count("[data-testid='settings-section-prefs']", 1)
        .await;
}

async fn log_in_again(page: &ui::Page<'_>, login: &str, password: &str) {
    page.click("logout").await;
    page.wait_for_count("[data-testid='login-name']", 1).await;
    page.login_to_home(login, password).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_manager_sets_the_station_printers_and_text_a_clerk_only_their_own() {
    let printer = std::env::var("YICHUANG_TEST_PRINTER").unwrap_or_else(|_| "yichuang-pdf".into());
    let queues = Command::new("lpstat")
        .arg("-p")
        .output()
        .expect("lpstat (cups-client)");
    assert!(
        String::from_utf8_lossy(&queues.stdout).contains(&format!("printer {printer} ")),
        "the CUPS queue {printer} is missing: run /usr/sbin/cupsd and .ci/setup"
    );
    let run = app::DemoApp::start("http://127.0.0.1:9", &[]);
    let out = run.out_dir.clone();
    let client = run.session().await;
    let page = ui::Page::new(&client);
    page.login_to_home("demo", "demo1234").await;
    open_settings(&page).await;
    assert_eq!(
        page.text_of("[data-testid='settings-station-code']").await,
        "440111001"
    );

    // A counter out of range and a phone with letters: named beside their fields, not saved.
    page.set_text("settings-counter", "100").await;
    page.set_text("settings-phone", "电话 abc").await;
    page.click("settings-station-save").await;
    let counter = page.text_of("[data-testid='issue-counter']").await;
    assert!(counter.contains("1 至 99"), "{counter}");
    page.text_of("[data-testid='issue-phone']").await;
    page.screenshot(&out.join("settings-station-issues.png"))
        .await;

    // Fixed: saved, and the slips will print the station's own phone; the header shows the
    // new counter number at once.
    page.set_text("settings-counter", "2").await;
    page.set_text("settings-phone", "020-8666 1234").await;
    page.click("settings-station-save").await;
    page.wait_for_text(
        "[data-testid='settings-station-message']",
        |t| t == "已保存",
        Duration::from_secs(10),
    )
    .await;
    page.wait_until_gone("[data-testid='issue-counter']").await;
    page.wait_for_text(
        "[data-testid='desk-station']",
        |t| t.contains("第 2 号窗口"),
        Duration::from_secs(10),
    )
    .await;
    let printed = page.text_of("[data-testid='settings-printed-phone']").await;
    assert!(printed.contains("020-8666 1234"), "{printed}");

    // 受理通知书 goes to the test queue; the other papers keep following the default.
    client
        .find(Locator::Css("[data-testid='printer-acceptance_notice']"))
        .await
        .unwrap()
        .select_by_value(&printer)
        .await
        .unwrap();
    page.wait_for_text(
        "[data-testid='printer-effective-acceptance_notice']",
        |t| t == printer,
        Duration::from_secs(10),
    )
    .await;
    assert_ne!(
        page.text_of("[data-testid='printer-effective-acceptance_receipt']")
            .await,
        printer
    );
    // A test page to that printer: CUPS takes the job (the station follows nothing more).
    page.click("test-print-acceptance_notice").await;
    let sent = page
        .wait_for_text(
            "[data-testid='printer-message']",
            |t| t.starts_with("测试页已发送"),
            Duration::from_secs(20),
        )
        .await;
    assert!(sent.contains(&printer), "{sent}");
    assert!(fits_width(&client).await, "settings wider than the window");
    page.screenshot(&out.join("settings-manager.png")).await;
    // The section list takes the keyboard to each section (the rest of the page below).
    page.click("settings-nav-printers").await;
    page.screenshot(&out.join("settings-printers.png")).await;
    page.click("settings-nav-evaluation").await;
    page.screenshot(&out.join("settings-lower.png")).await;
    // The document camera's folder: made if missing, kept by the station.
    let camera = run.dir.path().join("高拍仪扫描");
    page.set_text("settings-scan-folder", camera.to_str().unwrap())
        .await;
    page.click("settings-scan-save").await;
    page.wait_for_text(
        "[data-testid='scan-folder-message']",
        |t| t == "已保存",
        Duration::from_secs(10),
    )
    .await;
    assert!(camera.is_dir());
    assert_eq!(
        run.store().scan_folder().unwrap().as_deref(),
        camera.to_str()
    );
    pin_the_district_ca(&page, &client, &run).await;

    // The auto-lock and lockout minutes (read by the login screen and the idle timer).
    page.set_text("settings-idle-minutes", "0").await;
    page.click("settings-login-save").await;
    page.text_of("[data-testid='issue-idle_lock_minutes']")
        .await;
    page.save_idle_minutes("10").await;
    assert_eq!(run.store().login_policy().unwrap().idle_lock_minutes, 10);

    // A case accepted now: the print dialog preselects the printer set for its paper.
    page.click("nav-intake").await;
    page.wait_for_count("[data-testid='item-search']", 1).await;
    let case_no = page.accept_demo_case().await;
    page.click("result-print").await;
    page.wait_for_count("[data-testid='print-dialog']", 1).await;
    page.wait_for_count("[data-testid='print-paper']", 2).await;
    assert_eq!(page.value_of("print-printer").await, printer);
    page.screenshot(&out.join("settings-print-dialog.png"))
        .await;
    let papers = client
        .find_all(Locator::Css("[data-testid='print-paper']"))
        .await
        .unwrap();
    papers[1].click().await.unwrap();
    page.wait_for_text(
        "[data-testid='print-dialog']",
        |t| t.contains("80 毫米小票"),
        Duration::from_secs(10),
    )
    .await;
    assert_ne!(
        page.value_of("print-printer").await,
        printer,
        "the receipt has no printer of its own"
    );
    page.click("print-close").await;
    page.wait_until_gone("[data-testid='print-dialog']").await;

    // The slip the app renders for that case prints the station's phone, not the 12345 line.
    let case = run
        .store()
        .find_cases(&case_no)
        .unwrap()
        .into_iter()
        .find(|c| c.case_no == case_no)
        .expect("the accepted case");
    let text = pdf_text(&preview_pdf(&client, &case.id.to_string(), "acceptance_notice").await);
    assert!(text.contains("拨打020-86661234"), "{text}");
    assert!(!text.contains("拨打12345"), "{text}");

    // Large text: the root font grows, and settings, intake and home still fit 1366×768.
    open_settings(&page).await;
    page.click("settings-large-text").await;
    page.wait_for_count("html.large-text", 1).await;
    assert!(large_text_on(&client).await);
    assert!(fits_width(&client).await, "settings with large text");
    page.screenshot(&out.join("settings-large-text.png")).await;
    page.click("nav-intake").await;
    page.wait_for_count("[data-testid='item-search']", 1).await;
    page.pick_item("广东省居住证").await;
    assert!(fits_width(&client).await, "intake with large text");
    page.screenshot(&out.join("settings-large-text-intake.png"))
        .await;
    for screen in ["queue", "delivery", "manager", "home"] {
        page.click(&format!("nav-{screen}")).await;
        page.wait_for_count(&format!("[data-testid='{screen}']"), 1)
            .await;
        assert!(fits_width(&client).await, "{screen} with large text");
        page.screenshot(&out.join(format!("settings-large-text-{screen}.png")))
            .await;
    }

    // English, kept for this clerk: applied again at the next login.
    open_settings(&page).await;
    page.click("settings-locale-en").await;
    page.wait_for_text(
        "[data-testid='nav-settings']",
        |t| t.starts_with("Settings"),
        Duration::from_secs(10),
    )
    .await;
    assert_eq!(lang(&client).await, "en");
    page.screenshot(&out.join("settings-english.png")).await;
    log_in_again(&page, "demo", "demo1234").await;
    page.wait_for_text(
        "[data-testid='nav-settings']",
        |t| t.starts_with("Settings"),
        Duration::from_secs(10),
    )
    .await;
    assert!(large_text_on(&client).await, "large text back at login");
    open_settings(&page).await;
    page.click("settings-locale-zh").await;
    page.wait_for_text(
        "[data-testid='nav-settings']",
        |t| t.starts_with("设置"),
        Duration::from_secs(10),
    )
    .await;
    assert_eq!(lang(&client).await, "zh-CN");
    page.click("settings-large-text").await;
    page.wait_until_gone("html.large-text").await;

    // A plain clerk: their own (default) preferences, the station read-only, nothing else.
    run.store()
        .add_clerk("clerk2", "窗口二号", "clerk2pass")
        .unwrap();
    log_in_again(&page, "clerk2", "clerk2pass").await;
    assert!(!large_text_on(&client).await);
    open_settings(&page).await;
    page.text_of("[data-testid='settings-station-readonly']")
        .await;
    for hidden in ["printers", "district", "evaluation", "scan", "accounts"] {
        page.wait_for_count(&format!("[data-testid='settings-section-{hidden}']"), 0)
            .await;
    }
    page.wait_for_count("[data-testid='settings-station-save']", 0)
        .await;
    let disabled = client
        .find(Locator::Css("[data-testid='settings-phone']"))
        .await
        .unwrap()
        .prop("disabled")
        .await
        .unwrap();
    assert_eq!(disabled.as_deref(), Some("true"));
    page.screenshot(&out.join("settings-clerk.png")).await;
    let form = serde_json::json!({ "form": {
        "station_name": "改名", "counter": "2", "phone": "", "address": ""
    }});
    for (command, args) in [
        ("settings_set_station", form),
        ("settings_printers", serde_json::json!({})),
        (
            "settings_set_slip_printer",
            serde_json::json!({ "kind": "acceptance_notice", "printer": printer }),
        ),
        ("settings_evaluation_codes", serde_json::json!({})),
        ("settings_login", serde_json::json!({})),
        (
            "set_district_url",
            serde_json::json!({ "url": "https://x.example" }),
        ),
        ("set_district_ca", serde_json::json!({ "path": null })),
        ("pick_district_ca", serde_json::json!({})),
    ] {
        let refused = invoke(&client, command, args).await.unwrap_err();
        assert!(refused.contains("\"forbidden\""), "{command}: {refused}");
    }
    // Their own preferences are theirs to set.
    assert!(
        invoke(
            &client,
            "settings_set_prefs",
            serde_json::json!({ "form": { "large_text": false, "locale": "zh" } })
        )
        .await
        .is_ok()
    );
    assert_eq!(
        run.store().station_profile().unwrap().station_name,
        "白云区测试便民服务站".to_string()
    );
    client.close().await.unwrap();
}
