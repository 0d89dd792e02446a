//! Quarantine: refused cases are listed with their reason, released by a hall manager with a
//! reason (audited), and one unreadable row never blocks the others.

use crate::common;

use common::{PROMISED, TestStation, intake, ts};
use yichuang_core::SyncState;
use yichuang_store::StoreError;

#[test]
fn a_refused_case_is_listed_and_released_with_an_audited_reason() {
    let t = TestStation::new("quarantine");
    let mut store = t.provision();
    let now = ts("2026-11-27T01:00:00Z");
    let refused = store.accept_case(intake(PROMISED), "张三", now).unwrap();
    let fine = store.accept_case(intake(PROMISED), "张三", now).unwrap();
    store
        .record_sync_failure(
            refused.id,
            "区级系统已有同一编号但内容不同的办件",
            true,
            now,
        )
        .unwrap();
    assert_eq!(store.outbox_counts().unwrap(), (1, 1));

    let (listed, unreadable) = store.quarantined_cases().unwrap();
    assert!(unreadable.is_empty());
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].case.id, refused.id);
    assert_eq!(listed[0].case.sync_state, SyncState::Quarantined);
    assert!(listed[0].reason.contains("内容不同"));
    assert_eq!(listed[0].attempts, 1);

    let later = ts("2026-11-27T02:00:00Z");
    assert!(matches!(
        store.release_quarantined(&[refused.id], "manager", "  ", later),
        Err(StoreError::InvalidInput(_))
    ));
    assert_eq!(
        store
            .release_quarantined(
                &[refused.id, fine.id],
                "manager",
                "区级系统已核对并删除重复记录",
                later
            )
            .unwrap(),
        1,
        "only the quarantined one is released"
    );
    assert_eq!(store.outbox_counts().unwrap(), (2, 0));
    let due = store.outbox_due(later, 10).unwrap().items;
    let back = due.iter().find(|d| d.case.id == refused.id).unwrap();
    assert_eq!(back.attempts, 0, "a fresh start");
    assert_eq!(back.case.sync_state, SyncState::Pending);
    assert_eq!(
        store
            .release_quarantined(&[refused.id], "manager", "再次", later)
            .unwrap(),
        0,
        "a repeat changes nothing"
    );

    let audit: (String, String, String) = t
        .raw_connection()
        .query_row(
            "SELECT actor, target, result FROM audit_log WHERE event = 'sync.released'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!(audit.0, "manager");
    assert_eq!(audit.1, refused.case_no);
    assert!(audit.2.contains("区级系统已核对并删除重复记录"));
    assert!(store.verify_audit_chain().is_ok());
}

#[test]
fn an_unreadable_row_is_set_apart_and_the_others_still_go() {
    let t = TestStation::new("unreadable");
    let mut store = t.provision();
    let now = ts("2026-11-27T01:00:00Z");
    let broken = store.accept_case(intake(PROMISED), "张三", now).unwrap();
    let fine = store.accept_case(intake(PROMISED), "张三", now).unwrap();
    t.raw_connection()
        .execute(
            "UPDATE cases SET intake_json = '{not json' WHERE id = ?1",
            [broken.id.to_string()],
        )
        .unwrap();
    let due = store.outbox_due(now, 10).unwrap();
    assert_eq!(due.items.len(), 1);
    assert_eq!(due.items[0].case.id, fine.id);
    assert_eq!(due.unreadable.len(), 1);
    assert_eq!(due.unreadable[0].0, broken.id.to_string());

    store
        .record_sync_failure(broken.id, "本机办件数据无法读取", true, now)
        .unwrap();
    let (listed, unreadable) = store.quarantined_cases().unwrap();
    assert!(listed.is_empty());
    assert_eq!(unreadable.len(), 1);
    assert_eq!(unreadable[0].case_id, broken.id.to_string());
}
