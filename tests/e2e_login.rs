//! Login, lockout, the lock screen, accounts and clerk switches in the real window, starting
//! from an empty PC: the set-up form with a refused login shown beside its field, then fixed;
//! five wrong passwords lock an account (the message says until when); the hall manager adds
//! local clerks; a clerk sees no 统计, types a draft and locks (Ctrl+L); the manager logs in
//! through 换人登录, does not see the clerk's draft and resets the locked-out clerk's password;
//! the clerk comes back to the draft; the locked-out clerk logs in with the new password.

use crate::e2e;

use std::path::PathBuf;

use e2e::{display, driver, ui};
use fantoccini::Locator;

const WAIT: std::time::Duration = std::time::Duration::from_secs(15);

/// Fills the set-up form; `login` is the first hall manager's.
async fn fill_setup(page: &ui::Page<'_>, login: &str) {
    for (field, value) in [
        ("station_code", "440111002"),
        ("station_name", "白云区太和镇便民服务中心"),
        ("counter", "2"),
        ("region_code", "440111"),
        ("district_url", "http://127.0.0.1:9"),
        ("district_token", "demo-token"),
        ("clerk_login", login),
        ("clerk_name", "王大厅"),
        ("clerk_password", "boss-password"),
        ("recovery_passphrase", "e2e-recovery-passphrase"),
        ("passphrase_again", "e2e-recovery-passphrase"),
    ] {
        page.set_text(&format!("setup-{field}"), value).await;
    }
}

async fn log_in(page: &ui::Page<'_>, login: &str, password: &str) {
    page.set_text("login-name", login).await;
    page.set_text("login-password", password).await;
    page.click("login-submit").await;
}

async fn nav_ids(client: &fantoccini::Client) -> Vec<String> {
    let mut ids = Vec::new();
    for e in client
        .find_all(Locator::Css("[data-testid^='nav-']"))
        .await
        .unwrap()
    {
        ids.push(e.attr("data-testid").await.unwrap().unwrap_or_default());
    }
    ids
}

async fn add_clerk(page: &ui::Page<'_>, login: &str, name: &str, password: &str) {
    page.set_text("account-login", login).await;
    page.set_text("account-name", name).await;
    page.set_text("account-password", password).await;
    page.click("account-add").await;
    page.text_of(&format!("[data-testid='account-{login}']"))
        .await;
}

/// Lets the window paint what the last step changed before a screenshot.
async fn settle() {
    tokio::time::sleep(std::time::Duration::from_millis(400)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[allow(
    clippy::await_holding_lock,
    reason = "the window turn is held by this test's own thread for the whole test"
)]
async fn set_up_lockout_accounts_lock_and_switching_clerks_in_the_window() {
    let _turn = e2e::window_turn();
    let dir = tempfile::tempdir().unwrap();
    let data_dir = dir.path().join("station");
    let keyring_service = format!("yichuang-e2e-login-{}", uuid::Uuid::now_v7());
    let out_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("e2e/out");
    std::fs::create_dir_all(&out_dir).unwrap();
    let display = display::Display::get();
    let env = [
        ("YICHUANG_DATA_DIR", data_dir.display().to_string()),
        ("YICHUANG_KEYRING_SERVICE", keyring_service.clone()),
    ];
    let driver = driver::Driver::start(&display.name, &env);
    let client = driver.session(&driver::app_binary()).await;
    let page = ui::Page::new(&client);

    // Set-up: a login with a space is refused beside its field, and nothing is created.
    fill_setup(&page, "wang boss").await;
    page.click("setup-submit").await;
    let issue = page.text_of("[data-testid='issue-clerk_login']").await;
    assert!(issue.contains("不含空格"), "login issue: {issue}");
    assert!(!data_dir.join("station.db").exists(), "nothing created");
    page.screenshot(&out_dir.join("login-setup-issues.png"))
        .await;
    page.set_text("setup-clerk_login", "boss").await;
    page.click("setup-submit").await;

    // The login screen of the new station.
    let station = page.text_of("[data-testid='login-form'] .muted").await;
    assert!(station.contains("白云区太和镇便民服务中心"), "{station}");
    page.screenshot(&out_dir.join("login-login.png")).await;

    // The hall manager adds two local clerks on the accounts screen.
    log_in(&page, "boss", "boss-password").await;
    page.text_of("[data-testid='home']").await;
    assert!(nav_ids(&client).await.contains(&"nav-manager".to_string()));
    page.click("nav-settings").await;
    page.click("settings-nav-accounts").await;
    page.text_of("[data-testid='account-boss']").await;
    add_clerk(&page, "li", "李四", "li-password").await;
    add_clerk(&page, "zhao", "赵五", "zhao-password").await;
    let row = page.text_of("[data-testid='account-li']").await;
    assert!(
        row.contains("李四") && row.contains("窗口人员") && row.contains("本站添加"),
        "{row}"
    );
    // A refused password is shown beside its field.
    page.set_text("account-login", "sun").await;
    page.set_text("account-name", "孙六").await;
    page.set_text("account-password", "short").await;
    page.click("account-add").await;
    let issue = page
        .text_of("[data-testid='account-add-form'] [data-testid='issue-password']")
        .await;
    assert!(issue.contains("至少"), "{issue}");
    page.wait_until_gone("[data-testid='accounts-message']")
        .await;
    settle().await;
    page.screenshot(&out_dir.join("login-accounts.png")).await;
    page.click("logout").await;

    // Five wrong passwords lock 赵五's account; the message says until when.
    for attempt in 1..=5 {
        log_in(&page, "zhao", "wrong-password").await;
        let message = page
            .wait_for_text("[data-testid='login-error']", |t| !t.is_empty(), WAIT)
            .await;
        if attempt < 5 {
            assert_eq!(message, "工号或密码不正确");
        }
    }
    let message = page.text_of("[data-testid='login-error']").await;
    assert!(message.contains("已锁定至"), "lockout message: {message}");
    page.screenshot(&out_dir.join("login-lockout.png")).await;

    // 李四 (a clerk) has no 统计 and starts an intake; Ctrl+L locks the window.
    log_in(&page, "li", "li-password").await;
    page.text_of("[data-testid='home']").await;
    let navs = nav_ids(&client).await;
    assert!(navs.contains(&"nav-intake".to_string()), "{navs:?}");
    assert!(!navs.contains(&"nav-manager".to_string()), "{navs:?}");
    page.click("nav-intake").await;
    page.pick_item("广东省居住证").await;
    page.set_text("applicant-name", "王堃喆").await;
    page.text_of("[data-testid='draft-saved']").await;
    page.send_keys_to("applicant-name", "\u{E009}l\u{E000}")
        .await;
    let locked_by = page.text_of("[data-testid='locked-by']").await;
    assert!(locked_by.contains("李四"), "{locked_by}");
    page.screenshot(&out_dir.join("login-lock-screen.png"))
        .await;

    // A wrong password does not unlock.
    page.set_text("unlock-password", "wrong-password").await;
    page.click("unlock-submit").await;
    let refused = page.text_of("[data-testid='unlock-error']").await;
    assert_eq!(refused, "工号或密码不正确");

    // 换人登录: the manager logs in and sees no draft of 李四's.
    page.click("switch-clerk").await;
    page.text_of("[data-testid='switch-hint']").await;
    log_in(&page, "boss", "boss-password").await;
    page.text_of("[data-testid='home']").await;
    page.click("nav-intake").await;
    page.text_of("[data-testid='item-search']").await;
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    page.wait_until_gone("[data-testid='drafts']").await;

    // The manager resets 赵五's password, which lifts the lockout.
    page.click("nav-settings").await;
    page.click("settings-nav-accounts").await;
    page.click("account-reset-zhao").await;
    page.set_text("account-new-password", "zhao-new-password")
        .await;
    page.click("account-reset-submit").await;
    let done = page.text_of("[data-testid='accounts-message']").await;
    assert!(done.contains("赵五"), "{done}");
    page.click("logout").await;

    // 李四 comes back: the draft is there, with the applicant typed before the lock.
    log_in(&page, "li", "li-password").await;
    page.click("nav-intake").await;
    let draft = page.text_of("[data-testid='draft-resume']").await;
    assert!(draft.contains("王堃喆"), "{draft}");
    page.click("draft-resume").await;
    assert_eq!(page.value_of("applicant-name").await, "王堃喆");
    page.click("logout").await;

    // 赵五 logs in with the new password.
    log_in(&page, "zhao", "zhao-new-password").await;
    let name = page.text_of("[data-testid='clerk-name']").await;
    assert_eq!(name, "赵五");

    client.close().await.unwrap();
    drop(driver);
}
