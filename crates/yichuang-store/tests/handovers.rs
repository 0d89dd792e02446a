//! Handovers (送达) on a real station file: only once the district decided, one per case,
//! idempotent by id, checked fields, audited without personal data, kept across a reopen.

use crate::common;

use common::{PROMISED, TestStation, intake, ts};
use uuid::Uuid;
use yichuang_core::{DistrictStatus, HandoverForm, HandoverMethod, StatusChange};
use yichuang_store::{Store, StoreError};

fn window_form() -> HandoverForm {
    HandoverForm {
        document_name: "准予行政许可决定书".into(),
        document_no: Some(" 穗云公许〔2026〕18号 ".into()),
        recipient_name: " 王堃喆 ".into(),
        recipient_id_no: Some("11010519491231002x".into()),
        relation: "本人".into(),
        method: HandoverMethod::Window {
            place: "京溪街道政务服务中心 3 号窗口".into(),
        },
    }
}

fn courier_form() -> HandoverForm {
    HandoverForm {
        recipient_id_no: None,
        method: HandoverMethod::Courier {
            address: "广州市白云区云景路 18 号 3 栋 502 房".into(),
            courier: "中国邮政 EMS".into(),
            tracking_no: "1180512345678".into(),
        },
        ..window_form()
    }
}

/// A case of this station with `status` as its district status (None: never synced).
fn case_at(store: &mut Store, status: Option<DistrictStatus>, seq: i64) -> Uuid {
    let case = store
        .accept_case(intake(PROMISED), "张三", ts("2026-11-27T01:00:00Z"))
        .unwrap();
    if let Some(status) = status {
        let change = StatusChange {
            seq,
            case_id: case.id,
            official_case_no: format!("440111-2026-{seq:06}"),
            status,
            changed_at: ts("2026-11-30T02:00:00Z"),
            note: None,
            courier: None,
            tracking_no: None,
        };
        store.apply_status_changes(&[change], seq).unwrap();
    }
    case.id
}

fn invalid_message(e: StoreError) -> String {
    match e {
        StoreError::InvalidInput(m) => m,
        other => panic!("expected InvalidInput, got {other:?}"),
    }
}

#[test]
fn a_window_handover_is_saved_once_and_a_repeat_returns_the_first() {
    let t = TestStation::new("handover-window");
    let mut store = t.provision();
    let case_id = case_at(&mut store, Some(DistrictStatus::ReadyForPickup), 1);
    let id = Uuid::now_v7();
    let at = ts("2026-12-01T02:30:00Z");
    let saved = store
        .record_handover(case_id, id, &window_form(), "李晓芸", at)
        .unwrap();
    assert_eq!(saved.form.recipient_name, "王堃喆", "trimmed");
    assert_eq!(
        saved.form.recipient_id_no.as_deref(),
        Some("11010519491231002X"),
        "normalised"
    );
    assert_eq!(
        saved.form.document_no.as_deref(),
        Some("穗云公许〔2026〕18号")
    );
    assert_eq!(store.handover(case_id).unwrap(), Some(saved.clone()));

    // The same id again (a double click, a retry after a lost answer): the first row.
    let mut changed = window_form();
    changed.recipient_name = "另一个人".into();
    let again = store
        .record_handover(case_id, id, &changed, "别人", ts("2026-12-02T00:00:00Z"))
        .unwrap();
    assert_eq!(again, saved);

    // Another handover of the same case is refused and changes nothing.
    let msg = invalid_message(
        store
            .record_handover(case_id, Uuid::now_v7(), &courier_form(), "李晓芸", at)
            .unwrap_err(),
    );
    assert!(
        msg.contains("已于 2026-12-01 10:30 登记送达") && msg.contains("补打"),
        "{msg}"
    );
    assert_eq!(store.handover(case_id).unwrap(), Some(saved.clone()));

    drop(store);
    let store = t.open();
    assert_eq!(store.handover(case_id).unwrap(), Some(saved));
    store.verify_audit_chain().unwrap();
}

#[test]
fn the_audit_row_names_the_case_and_method_but_no_person() {
    let t = TestStation::new("handover-audit");
    let mut store = t.provision();
    let case_id = case_at(&mut store, Some(DistrictStatus::Approved), 1);
    let case_no = store.get_case(case_id).unwrap().unwrap().case_no;
    store
        .record_handover(
            case_id,
            Uuid::now_v7(),
            &courier_form(),
            "lixy",
            ts("2026-12-01T02:30:00Z"),
        )
        .unwrap();
    drop(store);
    let conn = t.raw_connection();
    let rows: Vec<(String, String, String, String)> = conn
        .prepare("SELECT actor, event, target, result FROM audit_log ORDER BY id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let handed: Vec<_> = rows.iter().filter(|r| r.1 == "case.handed_over").collect();
    assert_eq!(
        handed,
        vec![&(
            "lixy".to_string(),
            "case.handed_over".to_string(),
            case_no,
            "courier".to_string()
        )]
    );
    for (actor, event, target, result) in &rows {
        let all = format!("{actor}{event}{target}{result}");
        for personal in ["王堃喆", "云景路", "1180512345678", "11010519491231002X"] {
            assert!(!all.contains(personal), "personal data in audit: {all}");
        }
    }
    let method: String = conn
        .query_row("SELECT method FROM handovers", [], |r| r.get(0))
        .unwrap();
    assert_eq!(method, "courier");
}

#[test]
fn only_a_decided_case_is_handed_over() {
    let t = TestStation::new("handover-status");
    let mut store = t.provision();
    let at = ts("2026-12-01T02:30:00Z");
    let never = case_at(&mut store, None, 0);
    let msg = invalid_message(
        store
            .record_handover(never, Uuid::now_v7(), &window_form(), "李晓芸", at)
            .unwrap_err(),
    );
    assert!(
        msg.contains("尚未收到区级办理结果") && msg.contains("“待领取”"),
        "{msg}"
    );

    let reviewing = case_at(&mut store, Some(DistrictStatus::Reviewing), 1);
    let denied = case_at(&mut store, Some(DistrictStatus::Denied), 2);
    for case_id in [reviewing, denied] {
        for form in [window_form(), courier_form()] {
            let e = store
                .record_handover(case_id, Uuid::now_v7(), &form, "李晓芸", at)
                .unwrap_err();
            assert!(invalid_message(e).contains("目前不能出件"));
        }
        assert_eq!(store.handover(case_id).unwrap(), None);
    }

    // 办结 but not yet at the window: by courier yes, at the window not yet.
    let approved = case_at(&mut store, Some(DistrictStatus::Approved), 3);
    let msg = invalid_message(
        store
            .record_handover(approved, Uuid::now_v7(), &window_form(), "李晓芸", at)
            .unwrap_err(),
    );
    assert!(msg.contains("区级状态：办结"), "{msg}");
    let sent = store
        .record_handover(approved, Uuid::now_v7(), &courier_form(), "李晓芸", at)
        .unwrap();
    assert!(sent.form.method.by_courier());

    let unknown = store
        .record_handover(Uuid::now_v7(), Uuid::now_v7(), &window_form(), "李晓芸", at)
        .unwrap_err();
    assert!(
        matches!(unknown, StoreError::CaseNotFound { .. }),
        "{unknown:?}"
    );
}

#[test]
fn missing_fields_are_named_and_nothing_is_saved() {
    let t = TestStation::new("handover-fields");
    let mut store = t.provision();
    let case_id = case_at(&mut store, Some(DistrictStatus::ReadyForPickup), 1);
    let at = ts("2026-12-01T02:30:00Z");

    let mut blank = courier_form();
    blank.recipient_name = "  ".into();
    blank.method = HandoverMethod::Courier {
        address: "广州市白云区".into(),
        courier: "\n".into(),
        tracking_no: String::new(),
    };
    let msg = invalid_message(
        store
            .record_handover(case_id, Uuid::now_v7(), &blank, "李晓芸", at)
            .unwrap_err(),
    );
    assert_eq!(
        msg,
        "请填写受送达人（领取人）姓名、快递公司、快递单号后再登记送达"
    );

    let mut long = window_form();
    long.method = HandoverMethod::Window {
        place: "窗".repeat(201),
    };
    let msg = invalid_message(
        store
            .record_handover(case_id, Uuid::now_v7(), &long, "李晓芸", at)
            .unwrap_err(),
    );
    assert!(msg.contains("送达地点过长（最多 200 字）"), "{msg}");

    let e = store
        .record_handover(case_id, Uuid::now_v7(), &window_form(), " ", at)
        .unwrap_err();
    assert!(invalid_message(e).contains("送达人"));
    assert_eq!(store.handover(case_id).unwrap(), None);

    // After all that, a proper handover still goes in.
    let mut no_id = window_form();
    no_id.recipient_id_no = Some("  ".into());
    no_id.document_no = None;
    let saved = store
        .record_handover(case_id, Uuid::now_v7(), &no_id, "李晓芸", at)
        .unwrap();
    assert_eq!(saved.form.recipient_id_no, None);
    assert_eq!(store.handover(case_id).unwrap(), Some(saved));
}
