//! The hall manager's desk on a real station (SQLCipher file, key in the real OS keyring):
//! counts by local day, item, clerk and outcome; evaluations per level, item and clerk with the
//! comments; a plain clerk refused every manager command. Run under with-keyring.sh.

use crate::common;

use common::{PENSION, RESIDENCE_PERMIT, add_clerk, filled, station};
use jiff::Timestamp;
use uuid::Uuid;
use yichuang_core::{EvaluationLevel, IntakeDecision};
use yichuang_station::export::{ExportFormat, ExportRequest};
use yichuang_station::{DateRange, ErrorKind, Station};
use yichuang_store::Evaluation;

fn range(from: &str, to: &str) -> DateRange {
    DateRange {
        from: Some(from.into()),
        to: Some(to.into()),
    }
}

fn count(bars: &[yichuang_station::CountBar], label: &str) -> u32 {
    bars.iter()
        .find(|b| b.label == label)
        .map_or(0, |b| b.count)
}

/// A second account, a plain clerk (窗口人员) 李伟.
fn add_liwei(station: &Station) {
    add_clerk(station, "liwei", "李伟", "liwei-pass-1");
}

#[test]
fn counts_by_day_item_clerk_and_outcome_in_china_time() {
    let f = station();
    add_liwei(&f.station);
    // Two cases on given days, saved as the store saves any case (its decide_case with a time).
    let at = |ts: &str| ts.parse::<Timestamp>().unwrap();
    let drafts =
        [RESIDENCE_PERMIT, PENSION, RESIDENCE_PERMIT].map(|item| filled(&f.station, item).draft);
    let store = f.station.store();
    let mut s = store.lock().unwrap();
    s.decide_case(
        Uuid::now_v7(),
        &drafts[0],
        &IntakeDecision::Accept,
        "demo",
        at("2025-03-14T02:00:00Z"),
    )
    .unwrap();
    // 16:30 UTC is 00:30 the next day at the station: counted on 03-15.
    s.decide_case(
        Uuid::now_v7(),
        &drafts[1],
        &IntakeDecision::Accept,
        "liwei",
        at("2025-03-14T16:30:00Z"),
    )
    .unwrap();
    let rejection = IntakeDecision::Reject {
        reasons: "不属于本机关职权范围".into(),
        referral: None,
    };
    s.decide_case(
        Uuid::now_v7(),
        &drafts[2],
        &rejection,
        "liwei",
        at("2025-03-20T03:00:00Z"),
    )
    .unwrap();
    drop(s);

    let view = f
        .station
        .case_stats(&range("2025-03-01", "2025-03-31"))
        .unwrap();
    assert_eq!(view.total, 3);
    assert_eq!(view.range_label, "2025-03-01 至 2025-03-31");
    assert_eq!(view.period_label, "按日");
    assert_eq!(
        view.by_period.len(),
        31,
        "every day of March, zero included"
    );
    assert_eq!(count(&view.by_period, "3月14日"), 1);
    assert_eq!(count(&view.by_period, "3月15日"), 1);
    assert_eq!(count(&view.by_period, "3月20日"), 1);
    assert_eq!(count(&view.by_period, "3月16日"), 0);
    assert_eq!(count(&view.by_item, "广东省居住证申领"), 2);
    assert_eq!(view.by_item[0].key, RESIDENCE_PERMIT, "most cases first");
    assert_eq!(count(&view.by_clerk, "李伟"), 2);
    assert_eq!(count(&view.by_clerk, "测试窗口人员"), 1);
    let outcomes: Vec<(&str, u32)> = view
        .by_outcome
        .iter()
        .map(|b| (b.label.as_str(), b.count))
        .collect();
    assert_eq!(
        outcomes,
        [
            ("已受理", 2),
            ("容缺受理", 0),
            ("待补正", 0),
            ("不予受理", 1),
            ("当场办结", 0)
        ]
    );

    // Only the 14th (local): the case of 16:30 UTC belongs to the 15th.
    let one_day = f
        .station
        .case_stats(&range("2025-03-14", "2025-03-14"))
        .unwrap();
    assert_eq!(one_day.total, 1);

    // A long range is counted by month; today's case only in the default range (this month).
    let year = f
        .station
        .case_stats(&range("2025-01-01", "2025-12-31"))
        .unwrap();
    assert_eq!(year.period_label, "按月");
    assert_eq!(year.by_period.len(), 12);
    assert_eq!(count(&year.by_period, "2025年3月"), 3);
    f.station
        .decide(&filled(&f.station, PENSION), &IntakeDecision::Accept)
        .unwrap();
    let month = f.station.case_stats(&DateRange::default()).unwrap();
    assert_eq!(month.total, 1, "{month:?}");
    assert_eq!(count(&month.by_outcome, "已受理"), 1);
}

#[test]
fn evaluations_are_counted_per_level_item_and_clerk_with_the_comments() {
    let f = station();
    let mut rated = Vec::new();
    for (item, level, comment) in [
        (
            RESIDENCE_PERMIT,
            EvaluationLevel::VerySatisfied,
            Some("办得很快，谢谢"),
        ),
        (RESIDENCE_PERMIT, EvaluationLevel::Satisfied, None),
        (PENSION, EvaluationLevel::VeryDissatisfied, Some("等了很久")),
    ] {
        let case = f
            .station
            .decide(&filled(&f.station, item), &IntakeDecision::Accept)
            .unwrap()
            .case;
        let e = Evaluation {
            id: Uuid::now_v7(),
            case_id: case.id,
            level,
            comment: comment.map(str::to_string),
            channel: "pad".into(),
            rated_at: Timestamp::now(),
        };
        f.station
            .store()
            .lock()
            .unwrap()
            .record_evaluation(&e, "demo")
            .unwrap();
        rated.push(case);
    }
    let view = f.station.evaluation_stats(&DateRange::default()).unwrap();
    assert_eq!(view.total, 3);
    assert_eq!(view.summary_label, "满意率 66.7%，差评 1 件");
    let levels: Vec<u32> = view.by_level.iter().map(|b| b.count).collect();
    assert_eq!(levels, [1, 1, 0, 0, 1]);
    assert_eq!(view.by_level[4].label, "非常不满意");
    let permit = view
        .by_item
        .iter()
        .find(|r| r.key == RESIDENCE_PERMIT)
        .unwrap();
    assert_eq!(
        (permit.total, permit.bad, permit.satisfaction_label.as_str()),
        (2, 0, "100.0%")
    );
    let pension = view.by_item.iter().find(|r| r.key == PENSION).unwrap();
    assert_eq!((pension.total, pension.bad), (1, 1));
    assert_eq!(view.by_clerk.len(), 1);
    assert_eq!(view.by_clerk[0].label, "测试窗口人员");
    assert_eq!(
        view.comments.len(),
        2,
        "ratings without a comment are not listed"
    );
    assert_eq!(view.comments[0].comment, "等了很久", "newest first");
    assert!(view.comments[0].bad);
    assert_eq!(view.comments[0].case_no, rated[2].case_no);
    assert_eq!(view.comments[1].level_label, "非常满意");

    let before = f
        .station
        .evaluation_stats(&range("2025-01-01", "2025-01-31"))
        .unwrap();
    assert_eq!(before.total, 0);
    assert_eq!(before.summary_label, "该期间没有评价");
}

#[test]
fn a_plain_clerk_is_refused_every_manager_command() {
    let f = station();
    add_liwei(&f.station);
    f.station.logout();
    f.station.login("liwei", "liwei-pass-1").unwrap();
    let forbidden = |e: yichuang_station::AppError| {
        assert_eq!(e.kind, ErrorKind::Forbidden, "{e:?}");
        assert!(e.message.contains("大厅负责人"), "{e:?}");
    };
    forbidden(f.station.case_stats(&DateRange::default()).unwrap_err());
    forbidden(
        f.station
            .evaluation_stats(&DateRange::default())
            .unwrap_err(),
    );
    forbidden(
        f.station
            .export_file_name(&DateRange::default(), ExportFormat::Csv)
            .unwrap_err(),
    );
    let path = f.dir.path().join("x.csv");
    let request = ExportRequest {
        range: DateRange::default(),
        format: ExportFormat::Csv,
        path: path.display().to_string(),
        full_ids: true,
    };
    forbidden(f.station.export_cases(&request, &mut |_| {}).unwrap_err());
    assert!(!path.exists(), "nothing written for a refused export");
    forbidden(f.station.release_quarantined(&[], "x").unwrap_err());
    // Logged out, nothing at all.
    f.station.logout();
    let e = f.station.case_stats(&DateRange::default()).unwrap_err();
    assert_eq!(e.kind, ErrorKind::NotLoggedIn);
}
