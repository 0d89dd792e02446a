//! Refused handovers (送达) in the hall manager's quarantine, on a real station: the refusal
//! written through the store's outbox API as the sync engine writes it, listed with its labels
//! (recipient ID masked), released only with a reason, audited once, and back to 待上传 on the
//! delivery screen. Run under crates/yichuang-store/with-keyring.sh.

use crate::common;

use common::{DEMO_ID, handed_over_at_window, refuse_handover, station};
use yichuang_station::{DeliveryFilter, ErrorKind, HandoverSync, Station};

fn audit_rows(station: &Station) -> u64 {
    station
        .store()
        .lock()
        .unwrap()
        .verify_audit_chain()
        .unwrap()
}

fn delivery_sync(station: &Station) -> (HandoverSync, String) {
    let list = station.delivery_list(&DeliveryFilter::default()).unwrap();
    let row = &list.handed[0];
    (row.sync, row.sync_label.clone())
}

#[test]
fn a_refused_handover_is_listed_and_released_back_to_pending_with_a_reason() {
    let f = station();
    let (case, handover_id) = handed_over_at_window(&f.station);
    assert!(f.station.refused_handovers().unwrap().is_empty());
    let reason = "区级已有该办件的送达记录（另一台设备已登记），不能重复送达";
    refuse_handover(&f.station, handover_id, reason);
    assert_eq!(
        delivery_sync(&f.station),
        (HandoverSync::Refused, "区级退回，请大厅负责人处理".into())
    );

    let rows = f.station.refused_handovers().unwrap();
    assert_eq!(rows.len(), 1);
    let row = &rows[0];
    assert_eq!(row.handover_id, handover_id.to_string());
    assert_eq!(row.case_id, case.id.to_string());
    assert_eq!(row.official_case_no.as_deref(), Some("440111-2026-000001"));
    assert!(row.item_name.contains("居住证"), "{}", row.item_name);
    assert_eq!(row.recipient_label, "王堃喆（本人，110105********002X）");
    assert_eq!(row.method_label, "直接送达（窗口领取）");
    assert_eq!(row.reason, reason);
    assert_eq!(row.clerk, "demo");
    assert_eq!(
        row.refused_at.len(),
        "2026-11-30 10:00".len(),
        "{}",
        row.refused_at
    );
    assert!(
        !format!("{row:?}").contains(DEMO_ID),
        "no full ID in the view"
    );

    // No reason, or a garbled id: refused with what to do, nothing released or audited.
    let before = audit_rows(&f.station);
    let e = f
        .station
        .release_refused_handover(&handover_id.to_string(), "  ")
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::InvalidInput);
    assert!(e.message.contains("原因"), "{}", e.message);
    let e = f
        .station
        .release_refused_handover("not-an-id", "已与区级核实")
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::InvalidInput);
    assert!(e.message.contains("刷新"), "{}", e.message);
    assert_eq!(f.station.refused_handovers().unwrap().len(), 1);
    assert_eq!(audit_rows(&f.station), before);

    // Released with a reason: gone from the list, back to 待上传, audited once; pressing
    // again (a double click) releases nothing more and audits nothing more.
    let left = f
        .station
        .release_refused_handover(&handover_id.to_string(), "已与区级核实，重新上传")
        .unwrap();
    assert!(left.is_empty());
    assert_eq!(
        delivery_sync(&f.station),
        (HandoverSync::Pending, "待上传".into())
    );
    assert_eq!(audit_rows(&f.station), before + 1);
    let again = f
        .station
        .release_refused_handover(&handover_id.to_string(), "已与区级核实，重新上传")
        .unwrap();
    assert!(again.is_empty());
    assert_eq!(audit_rows(&f.station), before + 1);
    let store = f.station.store();
    let store = store.lock().unwrap();
    assert_eq!(
        store.handover_counts().unwrap(),
        (1, 0),
        "pending again, none refused"
    );
}
