//! Delivery (出件) through the station service as the window drives it, on a real station:
//! the ready list and its search, a window handover from the recipient's ID alone (someone
//! else refused with what to do, a retry returning the first record), the signature mark,
//! and a courier handover with its tracking number checked. Run under with-keyring.sh.

use crate::common;

use common::{
    DEMO_ID, RESIDENCE_PERMIT, accepted, district_reports, filled, station, status_change,
};
use uuid::Uuid;
use yichuang_core::{DeliveryKind, DistrictStatus, SlipKind, StatusChange};
use yichuang_station::{
    CourierHandover, DeliveryFilter, ErrorKind, HandoverSync, Station, WindowHandover,
};

/// Accepts an intake of 王堃喆 and lets the district report `statuses` for it in turn.
fn decided(station: &Station, seq: i64, statuses: &[DistrictStatus]) -> Uuid {
    let case = accepted(station, RESIDENCE_PERMIT, DEMO_ID);
    let changes: Vec<StatusChange> = statuses
        .iter()
        .enumerate()
        .map(|(i, s)| StatusChange {
            official_case_no: format!("440111-2026-{seq:06}"),
            note: (*s == DistrictStatus::Approved).then(|| "准予，证号 GZ-0001".to_string()),
            ..status_change(case.id, seq + i as i64, *s)
        })
        .collect();
    district_reports(station, &changes);
    case.id
}

fn list(station: &Station, text: &str) -> yichuang_station::DeliveryList {
    station
        .delivery_list(&DeliveryFilter { text: text.into() })
        .unwrap()
}

#[test]
fn ready_cases_are_listed_searched_and_handed_over_once_at_the_window() {
    let f = station();
    use DistrictStatus::*;
    let ready = decided(&f.station, 1, &[Approved, ReadyForPickup]);
    let _reviewing = decided(&f.station, 10, &[Reviewing]);

    let all = list(&f.station, "");
    assert_eq!(all.ready.len(), 1);
    let row = &all.ready[0];
    assert_eq!(row.case_id, ready.to_string());
    assert_eq!(row.district_label, "待领取");
    assert_eq!(row.decision_label, "办结（准予）：准予，证号 GZ-0001");
    assert_eq!(row.applicant_name, "王堃喆");
    assert_eq!(row.applicant_id_masked, "110105********002X");
    assert_eq!(row.intake_delivery, DeliveryKind::Window);
    assert!(row.window_ok && row.courier_ok);
    for text in [
        "堃喆",
        "002x",
        DEMO_ID,
        &row.case_no[..8],
        "440111-2026-000001",
    ] {
        assert_eq!(list(&f.station, text).ready.len(), 1, "search {text:?}");
    }
    assert!(list(&f.station, "张三").ready.is_empty());

    // Someone else's ID: refused, with what to do about a third person with a letter.
    let handover_id = Uuid::now_v7();
    let wrong = WindowHandover {
        recipient_id_no: "440524188001010014".into(),
        recipient_name: None,
    };
    let e = f
        .station
        .hand_over_at_window(ready, handover_id, &wrong)
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::InvalidInput);
    assert_eq!(e.issues[0].field, "recipient_id_no");
    assert!(e.message.contains("440524********0014"), "{}", e.message);
    assert!(e.message.contains("授权委托书代领"), "{}", e.message);
    assert!(!e.message.contains("440524188001010014"), "no full ID");
    assert_eq!(list(&f.station, "").ready.len(), 1, "nothing recorded");

    // The applicant's own ID, as a reader gives it; pressing Enter again returns the first.
    let right = WindowHandover {
        recipient_id_no: "110105 19491231002x".into(),
        recipient_name: None,
    };
    let done = f
        .station
        .hand_over_at_window(ready, handover_id, &right)
        .unwrap();
    assert_eq!(done.recipient_label, "王堃喆（本人，110105********002X）");
    assert_eq!(done.sync, HandoverSync::Pending);
    assert_eq!(done.sync_label, "待上传");
    assert_eq!(done.signed_label, "待签收");
    assert_eq!(done.receipt, SlipKind::ServiceReceipt);
    let again = f
        .station
        .hand_over_at_window(ready, handover_id, &right)
        .unwrap();
    assert_eq!(again, done);
    let other = f
        .station
        .hand_over_at_window(ready, Uuid::now_v7(), &right)
        .unwrap_err();
    assert!(other.message.contains("不能重复出件"), "{}", other.message);

    let after = list(&f.station, "");
    assert!(after.ready.is_empty());
    assert_eq!(after.handed, vec![done.clone()]);
    let handover = f.station.handover(ready).unwrap().unwrap();
    assert_eq!(handover.form.relation, "本人");
    assert_eq!(handover.form.document_name, "广东省居住证申领办理结果");

    let signed = f.station.mark_receipt_signed(ready).unwrap();
    assert!(
        signed.signed_label.starts_with("已签收（"),
        "{}",
        signed.signed_label
    );
    let again = f.station.mark_receipt_signed(ready).unwrap();
    assert_eq!(again.signed_at, signed.signed_at);

    f.station.logout();
    assert_eq!(
        f.station
            .delivery_list(&DeliveryFilter::default())
            .unwrap_err()
            .kind,
        ErrorKind::NotLoggedIn
    );
}

#[test]
fn a_courier_handover_checks_the_tracking_number_of_the_courier() {
    let f = station();
    let case_id = decided(
        &f.station,
        1,
        &[DistrictStatus::Approved, DistrictStatus::ReadyForPickup],
    );
    let opened = f.station.delivery_case(case_id).unwrap();
    assert!(!opened.address.is_empty(), "prefilled from the intake");
    assert!(opened.couriers.iter().any(|c| c.name == "中国邮政 EMS"));

    let id = Uuid::now_v7();
    let mut input = CourierHandover {
        courier: "中国邮政 EMS".into(),
        tracking_no: "11805 1234567".into(),
        address: String::new(),
    };
    let e = f
        .station
        .hand_over_by_courier(case_id, id, &input)
        .unwrap_err();
    let fields: Vec<&str> = e.issues.iter().map(|i| i.field.as_str()).collect();
    assert_eq!(fields, ["tracking_no", "address"], "{}", e.message);
    assert!(e.message.contains("13 位数字"), "{}", e.message);

    input.tracking_no = "1180 5123 45678".into();
    input.address = opened.address.clone();
    let done = f.station.hand_over_by_courier(case_id, id, &input).unwrap();
    assert!(done.by_courier);
    assert_eq!(done.recipient_label, "中国邮政 EMS 1180512345678");
    assert_eq!(done.receipt, SlipKind::CourierServiceReceipt);
    assert_eq!(done.signed_label, "快递面单签收");
    assert_eq!(
        f.station.hand_over_by_courier(case_id, id, &input).unwrap(),
        done
    );
    let e = f.station.mark_receipt_signed(case_id).unwrap_err();
    assert!(e.message.contains("快递面单"), "{}", e.message);
}

#[test]
fn the_agent_registered_at_intake_collects_with_their_own_id() {
    let f = station();
    let mut form = filled(&f.station, RESIDENCE_PERMIT);
    form.draft.agent = Some(yichuang_core::Agent {
        name: "李代理".into(),
        id_type: yichuang_core::IdType::ResidentIdCard,
        id_no: "440524188001010014".into(),
        phone: "13900139000".into(),
    });
    form.draft.materials.push(yichuang_core::ReceivedMaterial {
        code: yichuang_core::applicant::POWER_OF_ATTORNEY_CODE.into(),
        form: yichuang_core::MaterialForm::Original,
        count: 1,
    });
    f.station.save_draft(&form).unwrap();
    let case = f
        .station
        .decide(&form, &yichuang_core::IntakeDecision::Accept)
        .unwrap()
        .case;
    district_reports(
        &f.station,
        &[status_change(case.id, 1, DistrictStatus::ReadyForPickup)],
    );
    let row = &list(&f.station, "李代理").ready[0];
    assert_eq!(
        row.agent_label.as_deref(),
        Some("代理人：李代理（440524********0014）")
    );
    assert_eq!(
        row.decision_label, "待领取",
        "no decision heard before 待领取"
    );

    // Someone else is refused with both named; the agent's own ID is taken.
    let e = f
        .station
        .hand_over_at_window(
            case.id,
            Uuid::now_v7(),
            &WindowHandover {
                recipient_id_no: "11010519800101001X".into(),
                recipient_name: None,
            },
        )
        .unwrap_err();
    assert!(e.message.contains("申请人、代理人"), "{}", e.message);
    assert!(e.message.contains("或登记的代理人"), "{}", e.message);
    let done = f
        .station
        .hand_over_at_window(
            case.id,
            Uuid::now_v7(),
            &WindowHandover {
                recipient_id_no: "440524188001010014".into(),
                recipient_name: None,
            },
        )
        .unwrap();
    assert_eq!(done.recipient_label, "李代理（代理人，440524********0014）");
}
