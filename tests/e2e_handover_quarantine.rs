//! Refused handovers (送达) in the hall manager's 同步与隔离 tab, in the real app (tauri-driver and
//! WebKitWebDriver under X): a handover recorded at the window and refused by the district
//! (written through the store's outbox API as the sync engine writes it) shows 区级退回 on the
//! delivery screen and is listed with its reason and the recipient's ID masked; the manager
//! picks it by keyboard, Esc cancels, Enter with no reason is refused in Chinese, Enter with a
//! reason releases it; the delivery screen shows 待上传 again and the store holds no refusal.
//! A plain clerk's call of the command is Forbidden. Screenshots in tests/e2e/out/.

use crate::e2e;

use e2e::cases::{DEMO_ID, add_clerk, handed_over_at_window, refuse_handover};
use e2e::{app, ui};
use ui::invoke;

const REASON: &str = "区级已有该办件的送达记录（另一台设备已登记），不能重复送达";
const ENTER: &str = "\u{E007}";
const ESC: &str = "\u{E00C}";

/// Seeds the station before the app opens it: a case of 王堃喆 the district decided, handed
/// over at the window by demo and refused by the district; a plain clerk 李伟. Returns the
/// case number.
fn seed(run: &app::DemoApp) -> String {
    let station = run.station();
    add_clerk(&station, "liwei", "李伟", "liwei-pass-1");
    station.login("demo", "demo1234").unwrap();
    let (case, handover_id) = handed_over_at_window(&station);
    refuse_handover(&station, handover_id, REASON);
    station.logout();
    case.case_no
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_hall_manager_releases_a_refused_handover_back_to_pending() {
    // Nothing listens on port 9: a released handover stays 待上传.
    let run = app::DemoApp::start("http://127.0.0.1:9", &[]);
    let case_no = seed(&run);
    let out = run.out_dir.clone();
    let client = run.session().await;
    let page = ui::Page::new(&client);
    page.login_to_home("demo", "demo1234").await;

    // The delivery screen says the district sent it back.
    page.click("nav-delivery").await;
    page.wait_for_text(
        "[data-testid='delivery-handed-sync']",
        |t| t.contains("区级退回，请大厅负责人处理"),
        std::time::Duration::from_secs(10),
    )
    .await;

    // The manager's 同步与隔离 tab lists it with its labels, the ID masked.
    page.click("nav-manager").await;
    page.click("manager-tab-sync").await;
    page.wait_for_count("[data-testid='refused-handover-row']", 1)
        .await;
    let row = page.text_of("[data-testid='refused-handover-row']").await;
    for shown in [
        case_no.as_str(),
        "440111-2026-000001",
        "广东省居住证申领",
        "王堃喆（本人，110105********002X）",
        "直接送达（窗口领取）",
        REASON,
    ] {
        assert!(row.contains(shown), "{shown:?} in {row}");
    }
    assert!(!row.contains(DEMO_ID), "no full ID on screen");
    let heading = page.text_of("[data-testid='refused-handovers'] h3").await;
    assert!(heading.contains("区级退回的送达记录（1）"), "{heading}");
    page.screenshot(&out.join("handover-quarantine-list.png"))
        .await;

    // By keyboard: Enter on 处理 opens the reason, Esc closes it again.
    let pick = format!("refused-handover-pick-{case_no}");
    page.send_keys_to(&pick, ENTER).await;
    page.send_keys_to("refused-handover-reason", ESC).await;
    page.wait_until_gone("[data-testid='refused-handover-form']")
        .await;
    // No reason: refused in Chinese, nothing released.
    page.send_keys_to(&pick, ENTER).await;
    page.send_keys_to("refused-handover-reason", ENTER).await;
    let refused = page.text_of("[data-testid='refused-handover-error']").await;
    assert!(refused.contains("原因"), "{refused}");
    assert_eq!(page.count("[data-testid='refused-handover-row']").await, 1);
    // A reason, then Enter: released.
    page.send_keys_to("refused-handover-reason", "已与区级核实，重复送达已撤销")
        .await;
    page.screenshot(&out.join("handover-quarantine-reason.png"))
        .await;
    page.send_keys_to("refused-handover-reason", ENTER).await;
    let done = page
        .text_of("[data-testid='refused-handover-message']")
        .await;
    assert!(
        done.contains(&case_no) && done.contains("将重新上传"),
        "{done}"
    );
    page.wait_for_count("[data-testid='refused-handover-row']", 0)
        .await;
    assert!(
        page.text_of("[data-testid='refused-handovers-empty']")
            .await
            .contains("没有被区级退回的送达记录")
    );
    page.screenshot(&out.join("handover-quarantine-released.png"))
        .await;

    // Back on the delivery screen: 待上传 again.
    page.click("nav-delivery").await;
    page.wait_for_text(
        "[data-testid='delivery-handed-sync']",
        |t| t.contains("待上传"),
        std::time::Duration::from_secs(10),
    )
    .await;
    page.screenshot(&out.join("handover-quarantine-delivery.png"))
        .await;
    client.close().await.unwrap();

    let store = run.store();
    assert!(store.refused_handovers().unwrap().is_empty());
    assert_eq!(store.handover_counts().unwrap(), (1, 0));
    drop(store);

    // A plain clerk: the command itself is refused.
    let client = run.session().await;
    let page = ui::Page::new(&client);
    page.login_to_home("liwei", "liwei-pass-1").await;
    let refused = invoke(&client, "refused_handovers", serde_json::json!({}))
        .await
        .unwrap_err();
    assert!(refused.contains("forbidden"), "{refused}");
    client.close().await.unwrap();
}
