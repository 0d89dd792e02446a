//! 首页 in the real window: a station with cases made before the window opens (one long
//! overdue, one due within three working days, today's of every outcome, one by another
//! clerk, one quarantined) shows today's counts, the deadlines in working days and the
//! quarantine; the header's sync bar shows a real sync against the district, with its
//! progress bar while the district holds the batch, and its detail panel; a plain clerk sees
//! the quarantine count and whom to ask. Screenshots at 1366×768 in tests/e2e/out/home-*.png.

use crate::e2e;

use std::time::Duration;

use e2e::cases::{
    DEMO_ID, PENSION, RESIDENCE_PERMIT, SENIOR_CARD, add_clerk, decided_in_store, filled_form,
};
use e2e::{app, district, ui};
use jiff::Timestamp;
use jiff::civil::Date;
use tokio::net::TcpListener;
use yichuang_core::{Applicant, Case, DateField, IntakeDecision, time};
use yichuang_district::{DistrictConfig, Faults};
use yichuang_station::Station;

/// Decides an intake of `item` for a long-named applicant at `at`, as `clerk` (a login).
fn decide(
    station: &Station,
    item: &str,
    decision: IntakeDecision,
    clerk: &str,
    at: Timestamp,
) -> Case {
    let mut form = filled_form(station, item, DEMO_ID);
    if let Applicant::NaturalPerson { name, .. } = &mut form.draft.applicant {
        *name = "欧阳堃喆".into();
    }
    form.draft.contact.name = "欧阳堃喆".into();
    if matches!(decision, IntakeDecision::AcceptTolerant { .. }) {
        // PENSION's M02 may be promised (容缺).
        form.draft.materials.retain(|m| m.code != "M02");
    }
    decided_in_store(station, &form, &decision, clerk, at)
}

/// 10:00 at the station on `date`.
fn at_ten(date: Date) -> Timestamp {
    time::china_tz()
        .to_timestamp(date.to_datetime(jiff::civil::Time::constant(10, 0, 0, 0)))
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn home_shows_today_deadlines_quarantine_and_a_real_sync_with_progress() {
    // The district holds every case batch for a while: the round stays visibly under way.
    let district_dir = tempfile::tempdir().unwrap();
    let faults = Faults::new();
    faults.hold(Some(Duration::from_secs(20)));
    let district = district::start(
        TcpListener::bind("127.0.0.1:0").await.unwrap(),
        DistrictConfig {
            faults: Some(faults.clone()),
            ..district::config(district_dir.path())
        },
    )
    .await;
    let run = app::DemoApp::start(
        &district.url(),
        &[("YICHUANG_SYNC_RETRY_MAX_MS", "500".to_string())],
    );

    // The cases, made through the station before the window opens (it is then let go).
    let station = run.station();
    station.login("demo", "demo1234").unwrap();
    add_clerk(&station, "zhang", "张敏", "zhang-pass-1234");
    let now = Timestamp::now();
    let today = time::local_date(now);
    let calendar = station.store().lock().unwrap().calendar().unwrap();
    // Overdue: accepted five weeks ago, due (5 working days later) long past.
    let old = decide(
        &station,
        PENSION,
        IntakeDecision::Accept,
        "demo",
        at_ten(today.checked_sub(jiff::Span::new().days(35)).unwrap()),
    );
    let old_due = old.due_date.unwrap();
    // Soon due: the latest earlier day whose 5 working days end within three of today's.
    let soon_until = calendar.soon_due_until(today);
    let mut start = today.yesterday().unwrap();
    while calendar.add_working_days(start, 5).due > soon_until {
        start = start.yesterday().unwrap();
    }
    let soon = decide(
        &station,
        PENSION,
        IntakeDecision::Accept,
        "zhang",
        at_ten(start),
    );
    let soon_due = soon.due_date.unwrap();
    assert!(soon_due >= today && soon_due <= soon_until, "{soon_due}");
    // Today: one of each outcome, one of them by zhang; and one that will not sync.
    let minute = |n: i64| {
        now.checked_sub(jiff::Span::new().seconds(n)).unwrap().max(
            at_ten(today)
                .checked_sub(jiff::Span::new().hours(10))
                .unwrap(),
        )
    };
    decide(
        &station,
        RESIDENCE_PERMIT,
        IntakeDecision::Accept,
        "demo",
        minute(50),
    );
    decide(
        &station,
        RESIDENCE_PERMIT,
        IntakeDecision::Accept,
        "zhang",
        minute(40),
    );
    let supplement_by = DateField(Some(today.checked_add(jiff::Span::new().days(7)).unwrap()));
    decide(
        &station,
        PENSION,
        IntakeDecision::AcceptTolerant { supplement_by },
        "demo",
        minute(30),
    );
    decide(
        &station,
        RESIDENCE_PERMIT,
        IntakeDecision::Reject {
            reasons: "不属于本机关职权范围".into(),
            referral: None,
        },
        "demo",
        minute(20),
    );
    let blocked = decide(
        &station,
        SENIOR_CARD,
        IntakeDecision::CompleteOnSpot {
            result: "当场发证".into(),
        },
        "demo",
        minute(10),
    );
    station
        .store()
        .lock()
        .unwrap()
        .record_sync_failure(
            blocked.id,
            "区级系统已有同一编号但内容不同的办件，需人工核对",
            true,
            now,
        )
        .unwrap();
    drop(station);

    let client = run.session().await;
    let page = ui::Page::new(&client);
    page.login_to_home("demo", "demo1234").await;

    // The header's bar during the held round: the stage with its count and a progress bar.
    let sub = page
        .wait_for_text(
            "[data-testid='sync-sub']",
            |t| t.starts_with("正在上传办件 0/"),
            Duration::from_secs(30),
        )
        .await;
    assert_eq!(
        sub, "正在上传办件 0/6",
        "six cases wait, the quarantined one not"
    );
    page.text_of("[data-testid='sync-progress']").await;
    assert_eq!(page.text_of("[data-testid='sync-badge']").await, "同步中");
    assert_eq!(
        page.text_of("[data-testid='sync-pending']").await,
        "待同步 6 件"
    );

    // 首页: today's counts, marked as mine, and the lists in working days.
    assert_eq!(page.text_of("[data-testid='tally-accepted'] .n").await, "2");
    assert_eq!(
        page.text_of("[data-testid='tally-accepted'] .label").await,
        "受理"
    );
    assert_eq!(
        page.text_of("[data-testid='tally-accepted_tolerant'] .n")
            .await,
        "1"
    );
    assert_eq!(
        page.text_of("[data-testid='tally-rejected'] .label").await,
        "不予受理"
    );
    assert_eq!(
        page.text_of("[data-testid='tally-completed_on_spot'] .label")
            .await,
        "当场办结"
    );
    assert_eq!(
        page.text_of("[data-testid='tally-awaiting_correction'] .n")
            .await,
        "0"
    );
    assert_eq!(
        page.text_of("[data-testid='home-total']").await,
        "今日共 5 件，其中我受理 4 件"
    );
    page.wait_for_count("[data-testid='home-case']", 5).await;
    page.wait_for_count("[data-testid='home-case'] .tag", 4)
        .await;
    let overdue = page
        .text_of("[data-testid='overdue-row'] [data-testid='deadline-label']")
        .await;
    assert_eq!(overdue, calendar.standing(old_due, today).label());
    assert!(
        overdue.starts_with("超期 ") && overdue.ends_with(" 个工作日"),
        "{overdue}"
    );
    let left = page
        .text_of("[data-testid='due-soon-row'] [data-testid='deadline-label']")
        .await;
    assert_eq!(left, calendar.standing(soon_due, today).label());
    assert_eq!(
        page.text_of("[data-testid='deadline-summary']").await,
        "超期 1 件 · 三个工作日内到期 1 件"
    );
    assert_eq!(
        page.text_of("[data-testid='quarantine-label']").await,
        "1 件办件同步受阻，需大厅负责人处理"
    );
    page.text_of("[data-testid='quarantine-open']").await;
    page.screenshot(&run.out_dir.join("home-syncing.png")).await;

    // The bar's detail panel while the round runs, with 立即同步.
    page.click("sync-bar").await;
    assert_eq!(
        page.text_of("[data-testid='sync-quarantined']").await,
        "同步受阻 1 件"
    );
    assert!(
        page.text_of("[data-testid='sync-panel-progress']")
            .await
            .starts_with("正在上传办件")
    );
    page.screenshot(&run.out_dir.join("home-sync-panel.png"))
        .await;
    faults.hold(None);

    // The round ends: the cases are at the district, the bar says so with the time (and not
    // "all synced" while one is set apart).
    page.wait_for_text(
        "[data-testid='sync-pending']",
        |t| t == "其余均已同步",
        Duration::from_secs(60),
    )
    .await;
    let sub = page
        .wait_for_text(
            "[data-testid='sync-sub']",
            |t| t.starts_with("上次同步成功 "),
            Duration::from_secs(30),
        )
        .await;
    assert_eq!(
        sub.len(),
        "上次同步成功 10:05".len(),
        "today's time only: {sub}"
    );
    assert_eq!(district.store().count_cases("440111001").await.unwrap(), 6);
    page.click("sync-now").await;
    assert_eq!(page.text_of("[data-testid='sync-now']").await, "已请求同步");
    page.screenshot(&run.out_dir.join("home-synced.png")).await;

    // A plain clerk: the count and whom to ask, no release link; their own case marked.
    page.click("logout").await;
    page.login_to_home("zhang", "zhang-pass-1234").await;
    assert_eq!(
        page.text_of("[data-testid='quarantine-hint']").await,
        "请联系大厅负责人处理"
    );
    page.wait_until_gone("[data-testid='quarantine-open']")
        .await;
    assert_eq!(
        page.text_of("[data-testid='home-total']").await,
        "今日共 5 件，其中我受理 1 件"
    );
    page.wait_for_count("[data-testid='home-case'] .tag", 1)
        .await;
    page.screenshot(&run.out_dir.join("home-clerk.png")).await;
    client.close().await.unwrap();
}
