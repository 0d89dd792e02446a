//! Print records on a real station database: copy numbers, 补打 reasons, retries on the same
//! row, the history and the unfinished jobs, the printers per paper, and their audit rows.

use crate::common;

use common::{PROMISED, TestStation, intake, ts};
use uuid::Uuid;
use yichuang_core::{Paper, SlipKind};
use yichuang_store::{NewPrint, PrintFilter, PrintState, StoreError};

fn new_print<'a>(case_id: Uuid, kind: SlipKind, reason: Option<&'a str>) -> NewPrint<'a> {
    NewPrint {
        id: Uuid::now_v7(),
        case_id,
        kind,
        reprint_reason: reason,
        clerk: "zhangsan",
        printer: "yichuang-pdf",
    }
}

#[test]
fn the_first_print_is_copy_one_and_a_repeat_with_its_id_never_makes_a_second_copy() {
    let t = TestStation::new("print-copies");
    let mut store = t.provision();
    let now = ts("2026-11-27T01:00:00Z");
    let case = store.accept_case(intake(PROMISED), "张三", now).unwrap();

    let first = new_print(case.id, SlipKind::AcceptanceNotice, Some("ignored"));
    let job = store.begin_print(&first, now).unwrap();
    assert_eq!(
        (job.copy_no, job.state, job.attempts),
        (1, PrintState::Queued, 1)
    );
    assert_eq!(job.reprint_reason, None, "a first print is no 补打");
    assert_eq!(job.case_no, case.case_no);
    // A double click or a restart after a crash: the same id, the same row.
    assert_eq!(store.begin_print(&first, now).unwrap(), job);

    store
        .record_print_submitted(job.id, "yichuang-pdf-7")
        .unwrap();
    let failed = store
        .finish_print(job.id, Err("打印机缺纸"), ts("2026-11-27T01:00:05Z"))
        .unwrap();
    assert_eq!(failed.state, PrintState::Failed);
    assert_eq!(failed.error.as_deref(), Some("打印机缺纸"));
    assert_eq!(failed.os_job_id.as_deref(), Some("yichuang-pdf-7"));

    let retried = store
        .retry_print(job.id, "front-desk", "lisi", ts("2026-11-27T01:01:00Z"))
        .unwrap();
    assert_eq!(
        (retried.copy_no, retried.attempts, retried.state),
        (1, 2, PrintState::Queued)
    );
    assert_eq!(retried.printer.as_deref(), Some("front-desk"));
    assert_eq!((retried.error, retried.os_job_id), (None, None));
    let done = store
        .finish_print(job.id, Ok(()), ts("2026-11-27T01:01:04Z"))
        .unwrap();
    assert_eq!(done.state, PrintState::Done);
    assert!(done.finished_at.is_some());
    let refused = store
        .retry_print(job.id, "front-desk", "lisi", ts("2026-11-27T01:02:00Z"))
        .unwrap_err();
    assert!(refused.to_string().contains("补打"), "{refused}");

    // Another paper of the same case starts at copy 1 too.
    let receipt = new_print(case.id, SlipKind::AcceptanceReceipt, None);
    assert_eq!(store.begin_print(&receipt, now).unwrap().copy_no, 1);
}

#[test]
fn a_reprint_needs_a_reason_and_takes_the_next_copy_number() {
    let t = TestStation::new("print-reprint");
    let mut store = t.provision();
    let now = ts("2026-11-27T01:00:00Z");
    let case = store.accept_case(intake(PROMISED), "张三", now).unwrap();
    let kind = SlipKind::AcceptanceNotice;
    store
        .begin_print(&new_print(case.id, kind, None), now)
        .unwrap();

    for reason in [None, Some("   ")] {
        let err = store
            .begin_print(&new_print(case.id, kind, reason), now)
            .unwrap_err();
        assert!(matches!(err, StoreError::InvalidInput(_)), "{err}");
        assert!(err.to_string().contains("原因"), "{err}");
    }
    let long = "丢".repeat(201);
    assert!(
        store
            .begin_print(&new_print(case.id, kind, Some(long.as_str())), now)
            .is_err()
    );
    let second = store
        .begin_print(&new_print(case.id, kind, Some(" 回执遗失 ")), now)
        .unwrap();
    assert_eq!(second.copy_no, 2);
    assert_eq!(second.reprint_reason.as_deref(), Some("回执遗失"));
    let third = store
        .begin_print(&new_print(case.id, kind, Some("打印不清")), now)
        .unwrap();
    assert_eq!(third.copy_no, 3);

    let nowhere = new_print(Uuid::now_v7(), kind, None);
    assert!(matches!(
        store.begin_print(&nowhere, now),
        Err(StoreError::CaseNotFound { .. })
    ));
}

#[test]
fn the_history_is_newest_first_filtered_by_station_day_and_case_and_audited_without_personal_data()
{
    let t = TestStation::new("print-history");
    let mut store = t.provision();
    let day1 = ts("2026-11-26T01:00:00Z");
    // 2026-11-26T17:00Z is already 2026-11-27 in China (UTC+8).
    let day2 = ts("2026-11-26T17:00:00Z");
    let a = store.accept_case(intake(PROMISED), "张三", day1).unwrap();
    let b = store.accept_case(intake(PROMISED), "张三", day1).unwrap();
    let ja = store
        .begin_print(&new_print(a.id, SlipKind::AcceptanceNotice, None), day1)
        .unwrap();
    let jb = store
        .begin_print(&new_print(b.id, SlipKind::AcceptanceNotice, None), day2)
        .unwrap();
    store.finish_print(ja.id, Ok(()), day1).unwrap();

    let all = store
        .print_history(&PrintFilter {
            limit: 10,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(
        all.iter().map(|j| j.id).collect::<Vec<_>>(),
        vec![jb.id, ja.id]
    );
    let nov27: jiff::civil::Date = "2026-11-27".parse().unwrap();
    let on_27 = store
        .print_history(&PrintFilter {
            from: Some(nov27),
            to: Some(nov27),
            limit: 10,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(on_27.iter().map(|j| j.id).collect::<Vec<_>>(), vec![jb.id]);
    let of_a = store
        .print_history(&PrintFilter {
            case_id: Some(a.id),
            limit: 10,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(of_a.iter().map(|j| j.id).collect::<Vec<_>>(), vec![ja.id]);
    let unfinished = store.unfinished_prints().unwrap();
    assert_eq!(
        unfinished.iter().map(|j| j.id).collect::<Vec<_>>(),
        vec![jb.id]
    );

    let conn = t.raw_connection();
    let rows: Vec<(String, String, String)> = conn
        .prepare(
            "SELECT event, target, result FROM audit_log WHERE event LIKE 'print.%' ORDER BY id",
        )
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let target_a = format!("{}/acceptance_notice/1", a.case_no);
    assert_eq!(
        rows,
        vec![
            ("print.started".into(), target_a.clone(), "ok".into()),
            (
                "print.started".into(),
                format!("{}/acceptance_notice/1", b.case_no),
                "ok".into()
            ),
            ("print.done".into(), target_a, "done".into()),
        ]
    );
    let applicant = a.intake.applicant.name().to_string();
    assert!(
        rows.iter()
            .all(|(_, target, _)| !target.contains(&applicant))
    );
    assert!(store.verify_audit_chain().unwrap() >= 3);
}

#[test]
fn each_paper_remembers_its_printer() {
    let t = TestStation::new("printer-settings");
    let mut store = t.provision();
    assert_eq!(store.printer_for(Paper::A4).unwrap(), None);
    store
        .set_printer(Paper::A4, " hall-a4 ", "zhangsan")
        .unwrap();
    store
        .set_printer(Paper::Receipt80, "counter-receipt", "zhangsan")
        .unwrap();
    assert!(
        store
            .set_printer(Paper::A4, "bad name", "zhangsan")
            .is_err()
    );
    drop(store);
    let store = t.open();
    assert_eq!(
        store.printer_for(Paper::A4).unwrap().as_deref(),
        Some("hall-a4")
    );
    assert_eq!(
        store.printer_for(Paper::Receipt80).unwrap().as_deref(),
        Some("counter-receipt")
    );
}
