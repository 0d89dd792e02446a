//! The idle auto-lock in the real window (tauri-driver + WebKitWebDriver under X), with the
//! minutes a hall manager saves in 设置 → 登录与锁屏: set to one minute there, a clerk who
//! keeps typing now and then for more than that minute stays at the desk (each key restarts
//! the timer); left alone, the window locks itself within the minute and a little, naming
//! that clerk; their password unlocks it onto the intake draft as they left it. The screen
//! locked by itself: tests/e2e/out/idle-lock.png.

use crate::e2e;

use std::time::{Duration, Instant};

use e2e::cases::add_li;
use e2e::{app, ui};

/// The one minute the hall manager sets.
const IDLE: Duration = Duration::from_secs(60);
/// A key into the form this often while the clerk is "still working".
const STEP: Duration = Duration::from_secs(10);
/// The phone digits typed one per step (six steps span the idle minute).
const PHONE_DIGITS: &str = "138001";
const LOCK_SCREEN: &str = "[data-testid='lock-screen']";

async fn sleep_until(at: Instant) {
    tokio::time::sleep(at.saturating_duration_since(Instant::now())).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_window_locks_itself_after_the_idle_minute_the_manager_set() {
    let run = app::DemoApp::start("http://127.0.0.1:9", &[]);
    // 李四, a plain clerk, added by the hall manager before the window opens.
    {
        let station = run.station();
        station.login("demo", "demo1234").unwrap();
        add_li(&station);
    }
    let out = run.out_dir.clone();
    let client = run.session().await;
    let page = ui::Page::new(&client);

    // The hall manager sets 自动锁屏 to 1 minute on the settings screen, then leaves.
    page.login_to_home("demo", "demo1234").await;
    page.click("nav-settings").await;
    page.click("settings-nav-login").await;
    // The stored minutes are read in first (typing earlier would be overwritten by them).
    page.wait_for_value(
        "settings-idle-minutes",
        |v| !v.is_empty(),
        Duration::from_secs(10),
    )
    .await;
    page.save_idle_minutes("1").await;
    assert_eq!(run.store().login_policy().unwrap().idle_lock_minutes, 1);
    page.click("logout").await;

    // 李四 starts an intake and types the applicant's name: a draft.
    page.login("li", "li-password").await;
    page.pick_item("广东省居住证").await;
    page.set_text("applicant-name", "王堃喆").await;
    let typed = Instant::now();
    page.text_of("[data-testid='draft-saved']").await;

    // Still working: a phone digit every 10 s, past the minute since the name was typed.
    // Without each key restarting the timer the window would lock at `typed` + 1 minute.
    let mut last_key = typed;
    for (i, digit) in PHONE_DIGITS.chars().enumerate() {
        sleep_until(typed + STEP * (i as u32 + 1)).await;
        assert_eq!(
            page.count(LOCK_SCREEN).await,
            0,
            "locked {:?} after the name, while the clerk types",
            typed.elapsed()
        );
        page.send_keys_to("contact-phone", &digit.to_string()).await;
        last_key = Instant::now();
    }
    sleep_until(typed + IDLE + Duration::from_secs(5)).await;
    assert_eq!(
        page.count(LOCK_SCREEN).await,
        0,
        "locked although a key came every {STEP:?}"
    );
    eprintln!(
        "still unlocked {:?} after the name, {:?} after the last key",
        typed.elapsed(),
        last_key.elapsed()
    );

    // Left alone: the lock screen comes within the minute and a little, naming 李四.
    let deadline = last_key + IDLE + Duration::from_secs(15);
    while page.count(LOCK_SCREEN).await == 0 {
        assert!(
            Instant::now() < deadline,
            "no lock screen {:?} after the last key",
            last_key.elapsed()
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    let idle = last_key.elapsed();
    eprintln!("locked by itself {idle:?} after the last key");
    assert!(
        idle >= IDLE - Duration::from_secs(2),
        "locked before the minute was up: {idle:?}"
    );
    let locked_by = page.text_of("[data-testid='locked-by']").await;
    assert!(locked_by.contains("李四"), "{locked_by}");
    let screen = page.text_of(LOCK_SCREEN).await;
    assert!(screen.contains("1 分钟无操作将自动锁屏"), "{screen}");
    tokio::time::sleep(Duration::from_millis(400)).await;
    page.screenshot(&out.join("idle-lock.png")).await;

    // The password unlocks it onto the intake as it was: the name and the digits typed.
    page.set_text("unlock-password", "li-password").await;
    page.click("unlock-submit").await;
    page.wait_until_gone(LOCK_SCREEN).await;
    assert_eq!(page.value_of("applicant-name").await, "王堃喆");
    assert_eq!(page.value_of("contact-phone").await, PHONE_DIGITS);
    assert_eq!(page.text_of("[data-testid='clerk-name']").await, "李四");

    client.close().await.unwrap();
}
