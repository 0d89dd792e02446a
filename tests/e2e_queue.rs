//! The queue (办件, issue 8.4) in the real window on a station holding 10,000 cases, made
//! before the window opens through the store's own decision path (the same transaction a
//! clerk's 受理 commits: case, number, outbox, audit): the list renders only the rows it
//! shows and follows ↑/↓/PageDown/End; the search and filters answer from Rust with the
//! total; a case's detail shows its history and scans, opening a page is audited (checked in
//! the database afterwards); 补打 asks for a reason, prints through CUPS (yichuang-pdf) and
//! shows in the history with that reason.

use crate::e2e;

use std::time::{Duration, Instant};

use e2e::cases::{DEMO_ID, PENSION, RESIDENCE_PERMIT, filled_form, resident_id};
use e2e::{app, scan_files, ui};
use fantoccini::{Client, Locator, key::Key};
use jiff::{SignedDuration, Timestamp};
use uuid::Uuid;
use yichuang_core::{Applicant, DistrictStatus, IdType, IntakeDecision, Role, StatusChange};
use yichuang_station::Station;

const CASES: u32 = 10_000;
const SURNAMES: [&str; 8] = ["王", "李", "张", "刘", "陈", "杨", "黄", "欧阳"];
const GIVEN: [&str; 8] = ["伟", "芳", "娜", "秀英", "敏", "静", "强", "磊"];

/// A valid 居民身份证 number made from `n`.
fn id_no(n: u32) -> String {
    let body = format!(
        "440111{}{:04}",
        19_600_101 + (n / 1000) % 30 * 10_000,
        n % 1000
    );
    resident_id(&body[..17])
}

/// What the fixture made, for the assertions.
struct Seeded {
    rejected: u32,
    by_second_clerk: u32,
    special_case_no: String,
}

/// 10,000 decided cases over the last 50 days by two clerks (one in seven refused); case
/// 王堃喆 (the newest but one) has a scanned page and is 审批中 at the district.
fn seed(station: &Station) -> Seeded {
    station.login("demo", "demo1234").unwrap();
    let drafts: Vec<_> = [RESIDENCE_PERMIT, PENSION]
        .iter()
        .map(|code| filled_form(station, code, DEMO_ID).draft)
        .collect();
    let store = station.store();
    let mut store = store.lock().unwrap();
    store
        .add_account("lisi", "李思思", "lisi12345", Role::Clerk)
        .unwrap();
    let started = Instant::now();
    let newest = Timestamp::now() - SignedDuration::from_mins(10);
    let (mut rejected, mut by_second_clerk) = (0, 0);
    let mut special = None;
    for n in 0..CASES {
        let mut draft = drafts[(n % 2) as usize].clone();
        let name = if n == 1 {
            "王堃喆".to_string()
        } else {
            format!(
                "{}{}",
                SURNAMES[(n % 8) as usize],
                GIVEN[(n / 8 % 8) as usize]
            )
        };
        draft.applicant = Applicant::NaturalPerson {
            name: name.clone(),
            id_type: IdType::ResidentIdCard,
            id_no: id_no(n),
            address: "广州市白云区太和镇".into(),
        };
        draft.contact.name = name;
        draft.contact.phone = "13800138000".into();
        let decision = if n % 7 == 3 {
            rejected += 1;
            IntakeDecision::Reject {
                reasons: "不属于本机关职权范围".into(),
                referral: None,
            }
        } else {
            IntakeDecision::Accept
        };
        let clerk = if n % 5 == 0 {
            by_second_clerk += 1;
            "lisi"
        } else {
            "demo"
        };
        // Newest first is n = 0, 1, 2 …: 7 minutes apart, back over about 50 days.
        let at = newest - SignedDuration::from_mins(7 * i64::from(n));
        let id = Uuid::now_v7();
        if n == 1 {
            store
                .attach_page_bytes(
                    id,
                    &draft.materials[0].code,
                    "身份证正面.jpg",
                    scan_files::scan_jpeg(600, 400, 1),
                    clerk,
                )
                .unwrap();
        }
        let saved = store.decide_case(id, &draft, &decision, clerk, at).unwrap();
        if n == 1 {
            special = Some(saved.case);
        }
    }
    eprintln!("seeded {CASES} cases in {:?}", started.elapsed());
    let special = special.unwrap();
    let change = StatusChange {
        seq: 1,
        case_id: special.id,
        official_case_no: "440111-2026-009999".into(),
        status: DistrictStatus::Reviewing,
        changed_at: Timestamp::now(),
        note: None,
        courier: None,
        tracking_no: None,
    };
    store.apply_status_changes(&[change], 1).unwrap();
    while store.write_search_keys(2000).unwrap() > 0 {}
    Seeded {
        rejected,
        by_second_clerk,
        special_case_no: special.case_no,
    }
}

/// The text of every rendered cell `testid` of the list, as the clerk sees it.
async fn cell_texts(client: &Client, testid: &str) -> Vec<String> {
    let script = format!(
        "return [...document.querySelectorAll(\"[data-testid='{testid}']\")].map(e => e.innerText.trim());"
    );
    let v = client.execute(&script, vec![]).await.unwrap();
    serde_json::from_value(v).unwrap()
}

/// Waits until the first `testid`'s text (innerText: WebKitWebDriver reads the text of a
/// clipped, ellipsised cell as empty) passes `ok`; returns it.
async fn wait_text(client: &Client, testid: &str, ok: impl Fn(&str) -> bool) -> String {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let texts = cell_texts(client, testid).await;
        if let Some(t) = texts.first().filter(|t| ok(t)) {
            return t.clone();
        }
        assert!(Instant::now() < deadline, "{testid} shows {texts:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn selected_index(client: &Client) -> i64 {
    let v = client
        .execute(
            "const r = document.querySelector(\"[data-testid='queue-row'][data-selected='true']\");
             return r ? Number(r.dataset.index) : -1;",
            vec![],
        )
        .await
        .unwrap();
    v.as_i64().unwrap()
}

async fn press(client: &Client, key: Key) {
    let list = client
        .find(Locator::Css("[data-testid='queue-list']"))
        .await
        .unwrap();
    list.send_keys(&char::from(key).to_string()).await.unwrap();
}

/// Waits until the total reads `total` and the first row is there; returns the store's time.
async fn wait_total(page: &ui::Page<'_>, total: u32) -> f64 {
    let want = format!("共 {total} 件");
    page.wait_for_text(
        "[data-testid='queue-total']",
        |t| t == want,
        Duration::from_secs(20),
    )
    .await;
    let ms = page.text_of("[data-testid='queue-store-ms']").await;
    ms.trim_start_matches("查询用时 ")
        .trim_end_matches(" 毫秒")
        .parse()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_thousand_cases_scroll_search_open_history_scan_and_reprint() {
    let run = app::DemoApp::start("http://127.0.0.1:9", &[]);
    let seeded = seed(&run.station());
    let out = run.out_dir.clone();
    let client = run.session().await;
    let page = ui::Page::new(&client);

    page.login_to_home("demo", "demo1234").await;
    page.click("nav-queue").await;
    let ms = wait_total(&page, CASES).await;
    eprintln!("unfiltered page and count of {CASES}: {ms} ms in the store");
    page.wait_for_count("[data-testid='queue-row'][data-index='0']", 1)
        .await;
    let shown = page.count("[data-testid='queue-row']").await;
    assert!(
        (5..=60).contains(&shown),
        "only the visible rows are rendered: {shown}"
    );
    page.screenshot(&out.join("queue-10000.png")).await;

    // Scrolled to the middle: the rows there arrive, still only a screenful in the page.
    let started = Instant::now();
    client
        .execute(
            "const v = document.querySelector(\"[data-testid='queue-list']\");
             v.scrollTop = v.scrollHeight / 2;",
            vec![],
        )
        .await
        .unwrap();
    page.wait_for_count("[data-testid='queue-row'][data-index='5000']", 1)
        .await;
    eprintln!(
        "scrolled to row 5000 and showed it in {:?}",
        started.elapsed()
    );
    assert!(page.count("[data-testid='queue-row']").await <= 60);
    page.screenshot(&out.join("queue-scrolled.png")).await;

    // Keyboard: from the top, ↓ ↓ then a page down, End reaches the last case, Home the first.
    client
        .execute(
            "document.querySelector(\"[data-testid='queue-list']\").scrollTop = 0;",
            vec![],
        )
        .await
        .unwrap();
    page.wait_for_count("[data-testid='queue-row'][data-index='0']", 1)
        .await;
    client
        .find(Locator::Css("[data-testid='queue-list']"))
        .await
        .unwrap()
        .click()
        .await
        .ok();
    press(&client, Key::Home).await;
    press(&client, Key::Down).await;
    press(&client, Key::Down).await;
    assert_eq!(selected_index(&client).await, 2);
    press(&client, Key::PageDown).await;
    let after_page = selected_index(&client).await;
    assert!(
        after_page > 8,
        "a page down moves a screenful: {after_page}"
    );
    press(&client, Key::End).await;
    page.wait_for_count(
        &format!(
            "[data-testid='queue-row'][data-index='{}'][data-selected='true']",
            CASES - 1
        ),
        1,
    )
    .await;
    page.screenshot(&out.join("queue-end.png")).await;
    press(&client, Key::Home).await;
    assert_eq!(selected_index(&client).await, 0);

    // Search: a piece of a name finds its one case, as you type; the store's time is shown.
    page.set_text("queue-search", "堃喆").await;
    let ms = wait_total(&page, 1).await;
    eprintln!("name search in {CASES}: {ms} ms in the store");
    page.screenshot(&out.join("queue-search.png")).await;
    assert!(ms < 50.0, "keystroke to result in the store: {ms} ms");
    assert_eq!(cell_texts(&client, "queue-applicant").await, ["王堃喆"]);
    page.click("queue-clear").await;
    wait_total(&page, CASES).await;

    // Filters, labels from Rust: refused cases, the second clerk's, the district's 审批中.
    let select = |testid: &'static str, value: &'static str| {
        let client = client.clone();
        async move {
            client
                .find(Locator::Css(&format!("[data-testid='{testid}']")))
                .await
                .unwrap()
                .select_by_value(value)
                .await
                .unwrap();
        }
    };
    select("queue-outcome", "rejected").await;
    wait_total(&page, seeded.rejected).await;
    let labels = cell_texts(&client, "queue-state-label").await;
    assert!(
        !labels.is_empty() && labels.iter().all(|l| l == "不予受理"),
        "{labels:?}"
    );
    select("queue-outcome", "").await;
    select("queue-clerk", "李思思").await;
    wait_total(&page, seeded.by_second_clerk).await;
    page.screenshot(&out.join("queue-filtered.png")).await;
    select("queue-clerk", "").await;
    select("queue-status", "reviewing").await;
    wait_total(&page, 1).await;
    assert_eq!(cell_texts(&client, "queue-district").await, ["审批中"]);

    // The case's detail: history and scans; Enter on the list opens it.
    client
        .find(Locator::Css("[data-testid='queue-list']"))
        .await
        .unwrap()
        .click()
        .await
        .ok();
    press(&client, Key::Home).await;
    press(&client, Key::Enter).await;
    wait_text(&client, "detail-case-no", |t| t == seeded.special_case_no).await;
    let history = page.text_of("[data-testid='detail-history']").await;
    assert!(history.contains("受理"), "{history}");
    assert!(history.contains("区级办理状态：审批中"), "{history}");
    assert_eq!(
        page.text_of("[data-testid='detail-status']").await,
        "审批中"
    );
    page.screenshot(&out.join("queue-detail.png")).await;
    page.click("detail-page").await;
    page.wait_for_count("[data-testid='detail-image'] img", 1)
        .await;
    // The original decoded and painted (two frames) before the screenshot.
    let width = client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             const img = document.querySelector(\"[data-testid='detail-image'] img\");
             img.decode().then(() => requestAnimationFrame(() =>
               requestAnimationFrame(() => done(img.naturalWidth))));",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(width.as_i64(), Some(600), "the scan's original is shown");
    page.screenshot(&out.join("queue-scan-open.png")).await;
    page.click("detail-image-close").await;
    page.wait_for_text(
        "[data-testid='detail-history']",
        |t| t.contains("查看扫描件"),
        Duration::from_secs(10),
    )
    .await;

    // 补打: the first copy prints plainly, the second needs a reason; both through CUPS.
    let printer = std::env::var("YICHUANG_TEST_PRINTER").unwrap_or_else(|_| "yichuang-pdf".into());
    for reason in [None, Some("申请人遗失受理通知书")] {
        page.click("detail-reprint").await;
        page.choose_printer(&printer).await;
        if let Some(reason) = reason {
            page.wait_for_count("[data-testid='print-reason']", 1).await;
            page.set_text("print-reason", reason).await;
            page.screenshot(&out.join("queue-reprint-reason.png")).await;
        }
        page.print_to(&printer).await;
        page.click("print-close").await;
        page.wait_until_gone("[data-testid='print-dialog']").await;
    }
    let history = page
        .wait_for_text(
            "[data-testid='detail-history']",
            |t| t.contains("补打"),
            Duration::from_secs(10),
        )
        .await;
    assert!(
        history.contains("原因：申请人遗失受理通知书"),
        "the reprint's reason is in the history: {history}"
    );
    page.screenshot(&out.join("queue-history-reprint.png"))
        .await;
    client.close().await.unwrap();

    // The opening of the page is in the audit log: who, which case and page, no personal data.
    let station = run.station();
    let store = station.store();
    let store = store.lock().unwrap();
    let found = store
        .search_cases(&yichuang_core::CaseQuery {
            text: seeded.special_case_no.clone(),
            ..Default::default()
        })
        .unwrap();
    let audit = store.case_audit(found[0].id).unwrap();
    let opened: Vec<_> = audit.iter().filter(|r| r.event == "scan.opened").collect();
    assert_eq!(opened.len(), 1, "{audit:#?}");
    assert_eq!(opened[0].actor, "demo");
    assert!(
        opened[0]
            .target
            .starts_with(&format!("{}/page/", seeded.special_case_no)),
        "{:?}",
        opened[0]
    );
    assert!(!opened[0].target.contains("王"));
}
