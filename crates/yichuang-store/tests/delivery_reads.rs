//! The delivery (出件) reads on a real station file: which decided cases wait for a handover
//! (待领取; 办结 only when the applicant chose the post), their decision from the history,
//! the handovers recorded lately with their sync state, and the signature mark kept once.

use crate::common;

use common::{PROMISED, TestStation, intake, ts};
use uuid::Uuid;
use yichuang_core::{
    Catalogue, DeliveryMethod, DistrictStatus, HandoverForm, HandoverMethod, StatusChange,
};
use yichuang_store::{HandoverSent, Store, StoreError};

fn change(case_id: Uuid, seq: i64, status: DistrictStatus, note: Option<&str>) -> StatusChange {
    StatusChange {
        seq,
        case_id,
        official_case_no: format!("440111-2026-{:06}", seq),
        status,
        changed_at: ts("2026-11-30T02:00:00Z"),
        note: note.map(str::to_string),
        courier: None,
        tracking_no: None,
    }
}

fn accepted(store: &mut Store, by_post: bool) -> Uuid {
    let mut valid = intake(PROMISED);
    if by_post {
        valid.draft.delivery = DeliveryMethod::Post {
            address: "广州市白云区云景路 18 号".into(),
        };
    }
    store
        .accept_case(valid, "张三", ts("2026-11-27T01:00:00Z"))
        .unwrap()
        .id
}

/// The test station with its promised item also sent by post (a newer catalogue).
fn provision(t: &TestStation) -> Store {
    let mut store = t.provision();
    let catalogue = Catalogue::from_json(
        r#"{"version":"test-post","region_code":"440111","items":[
        {"item_code":"TEST-PROMISED-3","name":"居住证申领（测试）","department":"公安分局",
         "kind":"promised","statutory_limit_days":15,"promised_limit_days":3,
         "delivery_methods":["window","courier"],
         "materials":[{"code":"M01","name":"居民身份证","form":"original","copies":1,"required":true}]}
        ]}"#,
    )
    .unwrap();
    store.import_catalogue(&catalogue).unwrap();
    store
}

fn window_form() -> HandoverForm {
    HandoverForm {
        document_name: "广东省居住证".into(),
        document_no: None,
        recipient_name: "王堃喆".into(),
        recipient_id_no: Some("11010519491231002X".into()),
        relation: "本人".into(),
        method: HandoverMethod::Window {
            place: "1 号窗口".into(),
        },
    }
}

#[test]
fn decided_cases_wait_until_handed_over_and_then_show_as_recent() {
    let t = TestStation::new("delivery-reads");
    let mut store = provision(&t);
    let ready = accepted(&mut store, false);
    let approved_window = accepted(&mut store, false);
    let approved_post = accepted(&mut store, true);
    let reviewing = accepted(&mut store, false);
    let changes = [
        change(ready, 1, DistrictStatus::Approved, Some("准予，证号 A-1")),
        change(approved_window, 2, DistrictStatus::Approved, None),
        change(approved_post, 3, DistrictStatus::Approved, None),
        change(reviewing, 4, DistrictStatus::Reviewing, None),
        change(ready, 5, DistrictStatus::ReadyForPickup, Some("请带身份证")),
    ];
    store.apply_status_changes(&changes, 5).unwrap();

    let waiting = store.awaiting_handover(100).unwrap();
    let ids: Vec<Uuid> = waiting.iter().map(|a| a.case.id).collect();
    assert_eq!(ids.len(), 2, "{ids:?}");
    assert!(ids.contains(&ready) && ids.contains(&approved_post));
    let r = waiting.iter().find(|a| a.case.id == ready).unwrap();
    assert_eq!(r.district.status, DistrictStatus::ReadyForPickup);
    assert_eq!(
        r.decision,
        Some((DistrictStatus::Approved, Some("准予，证号 A-1".into())))
    );

    let at = ts("2026-12-01T02:30:00Z");
    store
        .record_handover(ready, Uuid::now_v7(), &window_form(), "demo", at)
        .unwrap();
    let waiting = store.awaiting_handover(100).unwrap();
    assert_eq!(waiting.len(), 1);
    assert_eq!(waiting[0].case.id, approved_post);

    let recent = store
        .recent_handovers(ts("2026-12-01T00:00:00Z"), 10)
        .unwrap();
    assert_eq!(recent.len(), 1);
    assert_eq!(recent[0].case.id, ready);
    assert!(!recent[0].sent, "waits for the upload");
    assert_eq!(recent[0].signed_at, None);
    let none = store
        .recent_handovers(ts("2026-12-02T00:00:00Z"), 10)
        .unwrap();
    assert!(none.is_empty());
}

#[test]
fn the_signature_is_marked_once_and_only_on_a_window_handover() {
    let t = TestStation::new("delivery-signed");
    let mut store = provision(&t);
    let case_id = accepted(&mut store, false);
    store
        .apply_status_changes(
            &[change(case_id, 1, DistrictStatus::ReadyForPickup, None)],
            1,
        )
        .unwrap();
    let at = ts("2026-12-01T02:30:00Z");
    let e = store.mark_handover_signed(case_id, "demo", at).unwrap_err();
    assert!(matches!(e, StoreError::InvalidInput(m) if m.contains("尚未登记送达")));

    store
        .record_handover(case_id, Uuid::now_v7(), &window_form(), "demo", at)
        .unwrap();
    let first = store.mark_handover_signed(case_id, "demo", at).unwrap();
    assert_eq!(first, at);
    let again = store
        .mark_handover_signed(case_id, "demo", ts("2026-12-01T03:00:00Z"))
        .unwrap();
    assert_eq!(again, at, "a second mark keeps the first time");
    drop(store);
    let store = t.open();
    let record = store.handover_record(case_id).unwrap().unwrap();
    assert_eq!(record.signed_at, Some(at));

    let mut store = store;
    let post = accepted(&mut store, true);
    store
        .apply_status_changes(&[change(post, 2, DistrictStatus::Approved, None)], 2)
        .unwrap();
    let courier = HandoverForm {
        recipient_id_no: None,
        method: HandoverMethod::Courier {
            address: "广州市白云区云景路 18 号".into(),
            courier: "中国邮政 EMS".into(),
            tracking_no: "1180512345678".into(),
        },
        ..window_form()
    };
    store
        .record_handover(post, Uuid::now_v7(), &courier, "demo", at)
        .unwrap();
    let e = store.mark_handover_signed(post, "demo", at).unwrap_err();
    assert!(matches!(e, StoreError::InvalidInput(m) if m.contains("快递面单")));
}

#[test]
fn the_sync_state_of_a_handover_is_read_beside_it() {
    let t = TestStation::new("delivery-sync-state");
    let mut store = provision(&t);
    let at = ts("2026-12-01T02:30:00Z");
    let mut ids = Vec::new();
    for seq in [1, 2] {
        let case_id = accepted(&mut store, false);
        store
            .apply_status_changes(
                &[change(case_id, seq, DistrictStatus::ReadyForPickup, None)],
                seq,
            )
            .unwrap();
        let handover = store
            .record_handover(case_id, Uuid::now_v7(), &window_form(), "demo", at)
            .unwrap();
        ids.push((case_id, handover.id));
    }
    store
        .record_handovers_sent(&[
            HandoverSent::Stored(ids[0].1),
            HandoverSent::Refused {
                id: ids[1].1,
                message: "区级尚未办结该办件".into(),
            },
        ])
        .unwrap();
    let sent = store.handover_record(ids[0].0).unwrap().unwrap();
    assert!(sent.sent && sent.refused.is_none());
    let refused = store.handover_record(ids[1].0).unwrap().unwrap();
    assert!(!refused.sent);
    assert_eq!(refused.refused.as_deref(), Some("区级尚未办结该办件"));
}
