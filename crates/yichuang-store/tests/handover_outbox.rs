//! The sync side of handovers (送达) on a real station file: only handovers of cases the
//! district holds are offered, an acceptance marks one sent, a refusal sets it apart with the
//! reason (audited once, without personal data) until a hall manager releases it.

use crate::common;

use common::{PROMISED, TestStation, intake, ts};
use uuid::Uuid;
use yichuang_core::{DistrictStatus, HandoverForm, HandoverMethod, StatusChange};
use yichuang_store::{HandoverSent, Store, StoreError};

fn form() -> HandoverForm {
    HandoverForm {
        document_name: "准予行政许可决定书".into(),
        document_no: None,
        recipient_name: "王堃喆".into(),
        recipient_id_no: Some("11010519491231002X".into()),
        relation: "本人".into(),
        method: HandoverMethod::Window {
            place: "京溪街道政务服务中心 3 号窗口".into(),
        },
    }
}

/// A case the district reported 待领取, synced (`synced`) or still in the outbox.
fn ready_case(store: &mut Store, seq: i64, synced: bool) -> Uuid {
    let case = store
        .accept_case(intake(PROMISED), "张三", ts("2026-11-27T01:00:00Z"))
        .unwrap();
    let official = format!("440111-2026-{seq:06}");
    if synced {
        let revision = store.case_revision(case.id).unwrap();
        assert!(store.record_synced(case.id, revision, &official).unwrap());
    }
    let change = StatusChange {
        seq,
        case_id: case.id,
        official_case_no: official,
        status: DistrictStatus::ReadyForPickup,
        changed_at: ts("2026-11-30T02:00:00Z"),
        note: None,
        courier: None,
        tracking_no: None,
    };
    store.apply_status_changes(&[change], seq).unwrap();
    case.id
}

fn hand_over(store: &mut Store, case_id: Uuid, minute: u32) -> Uuid {
    let at = ts(&format!("2026-11-30T03:{minute:02}:00Z"));
    store
        .record_handover(case_id, Uuid::now_v7(), &form(), "张三", at)
        .unwrap()
        .id
}

#[test]
fn only_handovers_of_synced_cases_are_offered_and_an_acceptance_marks_them_sent() {
    let t = TestStation::new("handover-outbox-send");
    let mut store = t.provision();
    let synced = ready_case(&mut store, 1, true);
    let unsynced = ready_case(&mut store, 2, false);
    let first = hand_over(&mut store, synced, 5);
    hand_over(&mut store, unsynced, 1);
    assert_eq!(store.handover_counts().unwrap(), (2, 0));

    let offered = store.handovers_to_send(10).unwrap();
    assert_eq!(offered.len(), 1, "the unsynced case's handover waits");
    assert_eq!((offered[0].id, offered[0].case_id), (first, synced));
    assert_eq!(offered[0].form.recipient_name, "王堃喆");

    store
        .record_handovers_sent(&[HandoverSent::Stored(first)])
        .unwrap();
    assert!(store.handovers_to_send(10).unwrap().is_empty());
    assert_eq!(store.handover_counts().unwrap(), (1, 0));
    // An answer repeated (a resend's duplicate) changes nothing.
    store
        .record_handovers_sent(&[HandoverSent::Stored(first)])
        .unwrap();
    assert_eq!(store.handover_counts().unwrap(), (1, 0));
}

#[test]
fn a_refusal_is_kept_with_its_reason_until_a_release() {
    let t = TestStation::new("handover-outbox-refuse");
    let mut store = t.provision();
    let case = ready_case(&mut store, 1, true);
    let id = hand_over(&mut store, case, 5);
    let refused = HandoverSent::Refused {
        id,
        message: "该办件已登记送达（另一条送达记录），不能重复送达".into(),
    };
    store
        .record_handovers_sent(&[refused.clone(), refused])
        .unwrap();
    assert_eq!(store.handover_counts().unwrap(), (0, 1));
    assert!(store.handovers_to_send(10).unwrap().is_empty());
    let list = store.refused_handovers().unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].handover.id, id);
    assert!(list[0].reason.contains("已登记送达"));

    // A release needs a reason; with one, the handover is queued again.
    let blank = store
        .release_refused_handover(id, "manager", "  ", ts("2026-11-30T04:00:00Z"))
        .unwrap_err();
    assert!(matches!(blank, StoreError::InvalidInput(m) if m.contains("原因")));
    assert!(
        store
            .release_refused_handover(
                id,
                "manager",
                "区级已撤销重复记录",
                ts("2026-11-30T04:00:00Z")
            )
            .unwrap()
    );
    assert!(
        !store
            .release_refused_handover(id, "manager", "再次解除", ts("2026-11-30T04:01:00Z"))
            .unwrap(),
        "nothing to release twice"
    );
    assert_eq!(store.handover_counts().unwrap(), (1, 0));
    assert_eq!(store.handovers_to_send(10).unwrap().len(), 1);
    drop(store);

    // Audited once each, by case number, never with the recipient's name or ID number.
    let conn = t.raw_connection();
    let rows: Vec<(String, String, String)> = conn
        .prepare(
            "SELECT actor, event, result FROM audit_log
             WHERE event IN ('handover.refused', 'handover.released') ORDER BY id",
        )
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert_eq!(
        (rows[0].0.as_str(), rows[0].1.as_str()),
        ("sync", "handover.refused")
    );
    assert_eq!(rows[1].1, "handover.released");
    assert!(rows[1].2.contains("区级已撤销重复记录"));
    let all: String = conn
        .prepare("SELECT group_concat(target || result, '|') FROM audit_log")
        .unwrap()
        .query_row([], |r| r.get(0))
        .unwrap();
    assert!(!all.contains("王堃喆") && !all.contains("11010519491231002X"));
}
