//! The home screen's data on a real station: today's outcome counts and cases (the clerk's own
//! marked), overdue and soon-due cases in working days on the 2026 holiday calendar (a late
//! 容缺 supplement too; a case the district decided leaves the list), and quarantined records
//! (rows for the hall manager, the count and whom to ask for a clerk). Cases are decided at
//! fixed instants through the store, so the days are known: "today" is Monday 2026-11-30.
//! Run under crates/yichuang-store/with-keyring.sh.

use crate::common;

use common::{
    DEMO_ID, PENSION, RESIDENCE_PERMIT, SENIOR_CARD, add_clerk, decided_in_store, filled_for,
    status_change,
};
use jiff::Timestamp;
use jiff::civil::Date;
use yichuang_core::{
    Case, CaseState, DateField, DistrictStatus, IntakeDecision, MaterialDefect, StatusChange,
};
use yichuang_station::{DeadlineList, Station};

/// Another ID, which most cases here are filed under.
const OTHER_ID: &str = "440524188001010014";
/// 10:00 at the station on Monday 2026-11-30.
const NOW: &str = "2026-11-30T02:00:00Z";

fn ts(s: &str) -> Timestamp {
    s.parse().unwrap()
}

/// Decides a fresh intake of `item` for the applicant `id_no` at `at`, as `clerk`.
fn decide_at(
    station: &Station,
    item: &str,
    id_no: &str,
    decision: IntakeDecision,
    clerk: &str,
    at: &str,
) -> Case {
    let mut form = filled_for(station, item, id_no);
    if matches!(decision, IntakeDecision::AcceptTolerant { .. }) {
        // PENSION's 身份证明 copy (M02) is tolerable: promised for later.
        form.draft.materials.retain(|m| m.code != "M02");
    }
    decided_in_store(station, &form, &decision, clerk, ts(at))
}

/// Accepts a fresh intake of `item` for [`OTHER_ID`] at `at`, as `clerk`.
fn accept_at(station: &Station, item: &str, clerk: &str, at: &str) -> Case {
    decide_at(station, item, OTHER_ID, IntakeDecision::Accept, clerk, at)
}

/// The station with a second clerk, 张敏 (zhang).
fn station_with_zhang() -> common::Fixture {
    let f = common::station();
    add_clerk(&f.station, "zhang", "张敏", "zhang-pass-1234");
    f
}

fn labels(list: &[yichuang_station::DeadlineRow]) -> Vec<(String, String, String)> {
    list.iter()
        .map(|r| (r.case_no.clone(), r.kind_label.clone(), r.label.clone()))
        .collect()
}

#[test]
fn home_counts_today_and_lists_deadlines_in_working_days() {
    let f = station_with_zhang();
    let s = &f.station;
    // Earlier cases: PENSION is promised in 5 working days.
    // Mon 11-16 + 5 → Mon 11-23: overdue by 24, 25, 26, 27, 30 = 5 working days.
    let late5 = accept_at(s, PENSION, "demo", "2026-11-16T02:00:00Z");
    // Wed 11-18 + 5 → Wed 11-25: overdue by 26, 27, 30 = 3.
    let late3 = accept_at(s, PENSION, "zhang", "2026-11-18T03:00:00Z");
    // Fri 11-20 容缺 with the supplement promised for Thu 11-26 (late by 27 and 30 = 2);
    // its own limit: + 5 → Fri 11-27 (late by 30 = 1).
    let tolerant = decide_at(
        s,
        PENSION,
        DEMO_ID,
        IntakeDecision::AcceptTolerant {
            supplement_by: DateField(Some(Date::new(2026, 11, 26).unwrap())),
        },
        "demo",
        "2026-11-20T02:00:00Z",
    );
    // Tue 11-24 + 5 → Tue 12-01: one working day left.
    let soon = accept_at(s, PENSION, "demo", "2026-11-24T02:00:00Z");
    // Mon 11-16 + 5, but decided by the district: no longer running.
    let decided = accept_at(s, PENSION, "demo", "2026-11-16T03:00:00Z");
    // Sunday evening 23:30 at the station: yesterday, not today.
    accept_at(s, RESIDENCE_PERMIT, "demo", "2026-11-29T15:30:00Z");
    assert_eq!(late5.due_date, Some(Date::new(2026, 11, 23).unwrap()));
    assert_eq!(soon.due_date, Some(Date::new(2026, 12, 1).unwrap()));

    // Today (from 00:00 at the station, 2026-11-29T16:00Z).
    let accepted = accept_at(s, RESIDENCE_PERMIT, "demo", "2026-11-29T16:00:00Z");
    accept_at(s, RESIDENCE_PERMIT, "zhang", "2026-11-30T00:30:00Z");
    decide_at(
        s,
        PENSION,
        DEMO_ID,
        IntakeDecision::AcceptTolerant {
            supplement_by: DateField(Some(Date::new(2026, 12, 7).unwrap())),
        },
        "zhang",
        "2026-11-30T00:40:00Z",
    );
    decide_at(
        s,
        RESIDENCE_PERMIT,
        DEMO_ID,
        IntakeDecision::RequestCorrection {
            defects: vec![MaterialDefect {
                code: "M01".into(),
                problem: "复印件不清晰".into(),
            }],
        },
        "demo",
        "2026-11-30T01:00:00Z",
    );
    decide_at(
        s,
        RESIDENCE_PERMIT,
        DEMO_ID,
        IntakeDecision::Reject {
            reasons: "不属于本机关职权范围".into(),
            referral: Some("白云区市场监督管理局".into()),
        },
        "demo",
        "2026-11-30T01:10:00Z",
    );
    let newest = decide_at(
        s,
        SENIOR_CARD,
        DEMO_ID,
        IntakeDecision::CompleteOnSpot {
            result: "当场发证".into(),
        },
        "demo",
        "2026-11-30T01:20:00Z",
    );
    assert_eq!(accepted.due_date, Some(Date::new(2026, 12, 14).unwrap()));

    let check = |list: &DeadlineList| {
        assert_eq!(
            labels(&list.overdue),
            vec![
                (
                    late5.case_no.clone(),
                    "办理时限".into(),
                    "超期 5 个工作日".into()
                ),
                (
                    decided.case_no.clone(),
                    "办理时限".into(),
                    "超期 5 个工作日".into()
                ),
                (
                    late3.case_no.clone(),
                    "办理时限".into(),
                    "超期 3 个工作日".into()
                ),
                (
                    tolerant.case_no.clone(),
                    "容缺补齐材料".into(),
                    "超期 2 个工作日".into()
                ),
                (
                    tolerant.case_no.clone(),
                    "办理时限".into(),
                    "超期 1 个工作日".into()
                ),
            ]
        );
        assert_eq!(list.overdue_total, 5);
        assert_eq!(
            labels(&list.due_soon),
            vec![(
                soon.case_no.clone(),
                "办理时限".into(),
                "剩 1 个工作日".into()
            )]
        );
        assert_eq!(list.summary, "超期 5 件 · 三个工作日内到期 1 件");
        assert!(
            list.overdue[0].mine && !list.overdue[2].mine,
            "zhang's case is not demo's"
        );
        assert_eq!(list.overdue[0].applicant_id_masked, "440524********0014");
        assert_eq!(list.overdue[0].due_date, "2026-11-23");
    };
    // Just decided: the search keys are pending, so the deadlines are read from the cases.
    check(&s.deadlines_at(ts(NOW), 20, 0).unwrap());
    // Once the keys are written, from the table of running deadlines: the same answer.
    s.store().lock().unwrap().write_search_keys(1000).unwrap();
    check(&s.deadlines_at(ts(NOW), 20, 0).unwrap());
    // A page of the overdue list (the hall manager pages through it).
    let page = s.deadlines_at(ts(NOW), 2, 2).unwrap();
    assert_eq!(labels(&page.overdue)[0].0, late3.case_no);
    assert_eq!(page.overdue.len(), 2);
    assert_eq!(page.overdue_total, 5);

    // The district decided one of them: it leaves the list.
    let change = StatusChange {
        official_case_no: "BY2026-0001".into(),
        changed_at: ts("2026-11-27T02:00:00Z"),
        ..status_change(decided.id, 1, DistrictStatus::Approved)
    };
    common::district_reports(s, &[change]);
    let after = s.deadlines_at(ts(NOW), 20, 0).unwrap();
    assert_eq!(after.overdue_total, 4);
    assert!(after.overdue.iter().all(|r| r.case_no != decided.case_no));

    // Today's counts and cases.
    let home = s.home_at(ts(NOW)).unwrap();
    assert_eq!(home.date_label, "2026年11月30日 星期一");
    let tally: Vec<(String, u32, u32)> = home
        .counts
        .iter()
        .map(|c| (c.label.clone(), c.total, c.mine))
        .collect();
    assert_eq!(
        tally,
        vec![
            ("受理".into(), 2, 1),
            ("容缺受理".into(), 1, 0),
            ("一次性告知".into(), 1, 1),
            ("不予受理".into(), 1, 1),
            ("当场办结".into(), 1, 1),
        ]
    );
    assert_eq!((home.total, home.mine, home.more), (6, 4, 0));
    assert_eq!(home.cases.len(), 6);
    assert_eq!(home.cases[0].case_no, newest.case_no, "newest first");
    assert_eq!(home.cases[0].accepted_time, "09:20");
    assert_eq!(home.cases[0].state, CaseState::CompletedOnSpot);
    assert_eq!(home.cases[0].state_label, "当场办结");
    assert!(home.cases[0].mine);
    assert!(!home.cases.iter().any(|c| c.accepted_time == "23:30"));
    assert_eq!(home.cases.iter().filter(|c| !c.mine).count(), 2);
    assert_eq!(home.deadlines.overdue_total, 4);
    assert!(home.deadlines.overdue.len() <= yichuang_station::home::HOME_DEADLINE_ROWS);
    assert_eq!(home.quarantine.count, 0);
    assert_eq!(home.quarantine.label, "没有同步受阻的办件");
}

#[test]
fn quarantine_rows_are_the_managers_and_a_clerk_is_told_whom_to_ask() {
    let f = station_with_zhang();
    let s = &f.station;
    let case = accept_at(s, RESIDENCE_PERMIT, "demo", NOW);
    s.store()
        .lock()
        .unwrap()
        .record_sync_failure(
            case.id,
            "区级系统已有同一编号但内容不同的办件，需人工核对",
            true,
            ts(NOW),
        )
        .unwrap();
    let home = s.home_at(ts(NOW)).unwrap();
    assert_eq!(home.quarantine.count, 1);
    assert_eq!(home.quarantine.label, "1 件办件同步受阻，需大厅负责人处理");
    assert_eq!(home.quarantine.rows.len(), 1);
    assert_eq!(home.quarantine.rows[0].case_no, case.case_no);
    assert!(home.quarantine.can_release);

    s.logout();
    s.login("zhang", "zhang-pass-1234").unwrap();
    let home = s.home_at(ts(NOW)).unwrap();
    assert_eq!(home.quarantine.count, 1);
    assert!(
        home.quarantine.rows.is_empty(),
        "the rows are the hall manager's"
    );
    assert!(!home.quarantine.can_release);
    assert_eq!(home.quarantine.hint, "请联系大厅负责人处理");
    assert!(!home.cases[0].mine);

    s.logout();
    assert_eq!(
        s.home().unwrap_err().kind,
        yichuang_station::ErrorKind::NotLoggedIn
    );
    assert_eq!(
        s.deadlines(10, 0).unwrap_err().kind,
        yichuang_station::ErrorKind::NotLoggedIn
    );
}
