//! The queue screen's service on a real station (issue 8.4): pages with a total under every
//! filter, a case's whole history (intake, scan opened with its page, prints and the reprint's
//! reason, district status, handover) and its scans by material, the opening audited. Run
//! under crates/yichuang-store/with-keyring.sh.

use crate::common;

use std::io::Cursor;

use common::{
    PENSION, RESIDENCE_PERMIT, district_reports, filled_for, resident_id, station, status_change,
};
use uuid::Uuid;
use yichuang_core::{CaseQuery, CaseState, DistrictStatus, IntakeDecision, SlipKind, StatusChange};
use yichuang_station::{ErrorKind, Station};
use yichuang_store::NewPrint;

/// A valid 居民身份证 number whose sequence is `n`.
fn id_no(n: u32) -> String {
    resident_id(&format!("11010519900101{:03}", n % 1000))
}

fn jpeg() -> Vec<u8> {
    let img = image::RgbImage::from_fn(90, 60, |x, y| image::Rgb([x as u8, y as u8, 77]));
    let mut out = Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Jpeg).unwrap();
    out.into_inner()
}

/// Accepts one case of `item` for applicant number `n`; every third is refused instead.
fn take_in(station: &Station, item: &str, n: u32) -> yichuang_core::Case {
    let form = filled_for(station, item, &id_no(n));
    let decision = if n.is_multiple_of(3) {
        IntakeDecision::Reject {
            reasons: "不属于本机关职权范围".into(),
            referral: None,
        }
    } else {
        IntakeDecision::Accept
    };
    station.decide(&form, &decision).unwrap().case
}

#[test]
fn pages_cover_the_queue_once_in_order_with_the_total_under_each_filter() {
    let f = station();
    let started = std::time::Instant::now();
    let cases: Vec<_> = (1..=45u32)
        .map(|n| {
            take_in(
                &f.station,
                if n.is_multiple_of(2) {
                    PENSION
                } else {
                    RESIDENCE_PERMIT
                },
                n,
            )
        })
        .collect();
    eprintln!("45 intakes: {:?}", started.elapsed());

    let mut seen = Vec::new();
    for offset in (0..60).step_by(20) {
        let page = f
            .station
            .search_queue(&CaseQuery {
                limit: 20,
                offset,
                ..CaseQuery::default()
            })
            .unwrap();
        assert_eq!(page.total, 45);
        assert_eq!(page.offset, offset);
        seen.extend(page.rows.into_iter().map(|r| r.case_no));
    }
    let mut newest_first: Vec<_> = cases.iter().rev().map(|c| c.case_no.clone()).collect();
    assert_eq!(seen, newest_first, "every case once, newest first");

    let refused = f
        .station
        .search_queue(&CaseQuery {
            state: Some(CaseState::Rejected),
            limit: 10,
            offset: 10,
            ..CaseQuery::default()
        })
        .unwrap();
    assert_eq!(refused.total, 15);
    assert_eq!(refused.rows.len(), 5);
    assert!(refused.rows.iter().all(|r| r.state_label == "不予受理"));

    let pension = f
        .station
        .search_queue(&CaseQuery {
            item_code: Some(PENSION.into()),
            clerk: Some("测试窗口人员".into()),
            ..CaseQuery::default()
        })
        .unwrap();
    assert_eq!(pension.total, 22);
    assert!(pension.rows.iter().all(|r| r.clerk == "测试窗口人员"));
    let nobody = f
        .station
        .search_queue(&CaseQuery {
            clerk: Some("别的窗口人员".into()),
            ..CaseQuery::default()
        })
        .unwrap();
    assert_eq!((nobody.total, nobody.rows.len()), (0, 0));

    // The district reports one case: it is the one "审批中", the rest "未回传".
    report(&f.station, &cases[4], 1, DistrictStatus::Reviewing);
    let reviewing = f
        .station
        .search_queue(&CaseQuery {
            district_status: Some(DistrictStatus::Reviewing),
            ..CaseQuery::default()
        })
        .unwrap();
    assert_eq!(reviewing.total, 1);
    assert_eq!(reviewing.rows[0].case_no, cases[4].case_no);
    assert_eq!(
        reviewing.rows[0].district_status_label.as_deref(),
        Some("审批中")
    );
    let unreported = f
        .station
        .search_queue(&CaseQuery {
            no_district_status: true,
            ..CaseQuery::default()
        })
        .unwrap();
    assert_eq!(unreported.total, 44);

    // A name piece counts every case of the name, through the piece index or the rows.
    for text in ["王", "堃喆", "王堃喆"] {
        let named = f
            .station
            .search_queue(&CaseQuery {
                text: text.into(),
                state: (text == "堃喆").then_some(CaseState::Rejected),
                limit: 10,
                ..CaseQuery::default()
            })
            .unwrap();
        let want = if text == "堃喆" { 15 } else { 45 };
        assert_eq!((named.total, named.rows.len()), (want, 10), "{text}");
    }

    // A document number's tail finds its one case; its page is that case.
    let tail = &id_no(7)[10..];
    let found = f
        .station
        .search_queue(&CaseQuery {
            text: tail.into(),
            ..CaseQuery::default()
        })
        .unwrap();
    assert_eq!(found.total, 1, "{tail}");
    assert_eq!(found.rows[0].case_no, cases[6].case_no);
    newest_first.clear();
}

fn report(station: &Station, case: &yichuang_core::Case, seq: i64, status: DistrictStatus) {
    let change = StatusChange {
        official_case_no: "440111-2026-000777".into(),
        changed_at: jiff::Timestamp::now(),
        note: Some("准予许可".into()).filter(|_| status == DistrictStatus::Approved),
        ..status_change(case.id, seq, status)
    };
    district_reports(station, &[change]);
}

#[test]
fn a_case_s_history_names_each_step_and_the_opened_page() {
    let f = station();
    let form = filled_for(&f.station, RESIDENCE_PERMIT, &id_no(5));
    let material = form.draft.materials[0].code.clone();
    let page = f
        .station
        .attach_bytes(&form.id, &material, "身份证正面.jpg", jpeg())
        .unwrap();
    let case = f
        .station
        .decide(&form, &IntakeDecision::Accept)
        .unwrap()
        .case;
    let case_id = case.id.to_string();

    // Its scans, by material, with the material's catalogue name.
    let scans = f.station.case_scans(&case_id).unwrap();
    assert_eq!(scans.len(), 1);
    assert_eq!(scans[0].material_code, material);
    assert_ne!(scans[0].material_name, material, "named from the catalogue");
    assert_eq!(scans[0].pages[0].id, page.id);

    // Opening the page is audited with the case number and the page, no personal data.
    let image = f.station.case_page_image(&case_id, page.id).unwrap();
    assert!(image.data_url.starts_with("data:image/jpeg;base64,"));
    let store = f.station.store();
    let (actor, target): (String, String) = {
        let s = store.lock().unwrap();
        let audit = s.case_audit(case.id).unwrap();
        let last = audit.iter().rfind(|r| r.event == "scan.opened").unwrap();
        (last.actor.clone(), last.target.clone())
    };
    assert_eq!(actor, "demo");
    assert_eq!(target, format!("{}/page/{}", case.case_no, page.id));
    // Another case's page is not opened through this one.
    let other = take_in(&f.station, RESIDENCE_PERMIT, 8);
    let err = f
        .station
        .case_page_image(&other.id.to_string(), page.id)
        .unwrap_err();
    assert_ne!(err.kind, ErrorKind::Internal, "{err:?}");

    // Printed, then reprinted with a reason (the store's print records), then reported.
    for reason in [None, Some("申请人遗失原件")] {
        let mut s = store.lock().unwrap();
        let job = s
            .begin_print(
                &NewPrint {
                    id: Uuid::now_v7(),
                    case_id: case.id,
                    kind: SlipKind::AcceptanceNotice,
                    reprint_reason: reason,
                    clerk: "demo",
                    printer: "yichuang-pdf",
                },
                jiff::Timestamp::now(),
            )
            .unwrap();
        s.finish_print(job.id, Ok(()), jiff::Timestamp::now())
            .unwrap();
    }
    report(&f.station, &case, 1, DistrictStatus::Reviewing);
    report(&f.station, &case, 2, DistrictStatus::Approved);

    let history = f.station.case_history(&case_id).unwrap();
    assert_eq!(history.case.case_no, case.case_no);
    assert_eq!(history.case.district_status_label.as_deref(), Some("办结"));
    let labels: Vec<(&str, &str)> = history
        .entries
        .iter()
        .map(|e| (e.label.as_str(), e.who.as_str()))
        .collect();
    for expected in [
        ("受理", "测试窗口人员"),
        ("查看扫描件", "测试窗口人员"),
        ("打印受理通知书", "测试窗口人员"),
        ("补打受理通知书（第 2 份）", "测试窗口人员"),
        ("区级办理状态：审批中", "区级平台"),
        ("区级办理状态：办结", "区级平台"),
    ] {
        assert!(labels.contains(&expected), "{expected:?} in {labels:#?}");
    }
    assert_eq!(history.entries[0].label, "受理", "oldest first");
    let reprint = history
        .entries
        .iter()
        .find(|e| e.label.starts_with("补打"))
        .unwrap();
    assert_eq!(reprint.detail.as_deref(), Some("原因：申请人遗失原件"));
    let opened = history.entries.iter().find(|e| e.kind == "scan").unwrap();
    assert!(
        opened.detail.as_deref().unwrap().ends_with("第 1 页"),
        "{opened:?}"
    );
    let approved = history.entries.last().unwrap();
    assert_eq!(approved.detail.as_deref(), Some("准予许可"));
}

#[test]
fn filter_choices_come_with_their_labels_and_need_a_login() {
    let f = station();
    let filters = f.station.queue_filters().unwrap();
    let outcome_labels: Vec<_> = filters.outcomes.iter().map(|c| c.label.as_str()).collect();
    assert_eq!(
        outcome_labels,
        ["已受理", "容缺受理", "待补正", "不予受理", "当场办结"]
    );
    assert!(
        filters
            .statuses
            .iter()
            .any(|c| c.value == "none" && c.label == "未回传")
    );
    assert!(
        filters
            .statuses
            .iter()
            .any(|c| c.value == "reviewing" && c.label == "审批中")
    );
    assert!(
        filters
            .statuses
            .iter()
            .any(|c| c.value == "delivered" && c.label == "已送达"),
        "the handed-over cases can be found too"
    );
    assert!(filters.items.iter().any(|c| c.value == RESIDENCE_PERMIT));
    assert_eq!(filters.clerks[0].label, "测试窗口人员");
    f.station.logout();
    assert_eq!(
        f.station.queue_filters().unwrap_err().kind,
        ErrorKind::NotLoggedIn
    );
    assert_eq!(
        f.station
            .search_queue(&CaseQuery::default())
            .unwrap_err()
            .kind,
        ErrorKind::NotLoggedIn
    );
    assert_eq!(
        f.station
            .case_history(&Uuid::now_v7().to_string())
            .unwrap_err()
            .kind,
        ErrorKind::NotLoggedIn
    );
}
