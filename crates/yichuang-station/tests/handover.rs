//! Handing results over (送达) through the station service as the window does, on a real
//! station: the clerk from the session, the recipient's ID checked against the case, a retry
//! returning the first record; run under crates/yichuang-store/with-keyring.sh.

use crate::common;

use common::{DEMO_ID, RESIDENCE_PERMIT, district_reports, filled, station, status_change};
use uuid::Uuid;
use yichuang_core::SlipKind;
use yichuang_core::{
    Agent, DistrictStatus, HandoverForm, HandoverMethod, IdType, IntakeDecision, ReceivedMaterial,
};
use yichuang_station::{ErrorKind, Station};

fn window(recipient_id: Option<&str>) -> HandoverForm {
    HandoverForm {
        document_name: "广东省居住证".into(),
        document_no: None,
        recipient_name: "王堃喆".into(),
        recipient_id_no: recipient_id.map(str::to_string),
        relation: "本人".into(),
        method: HandoverMethod::Window {
            place: "白云区测试便民服务站 1 号窗口".into(),
        },
    }
}

/// Accepts `form`'s intake and lets the district report `status` for it.
fn decided(station: &Station, form: &yichuang_station::IntakeForm, status: DistrictStatus) -> Uuid {
    let case = station.decide(form, &IntakeDecision::Accept).unwrap().case;
    district_reports(station, &[status_change(case.id, 1, status)]);
    case.id
}

#[test]
fn the_applicant_collects_at_the_window_and_a_retry_returns_the_record() {
    let f = station();
    let form = filled(&f.station, RESIDENCE_PERMIT);
    let case_id = decided(&f.station, &form, DistrictStatus::ReadyForPickup);
    assert_eq!(f.station.handover(case_id).unwrap(), None);

    let id = Uuid::now_v7();
    // The ID as a reader or a hurried clerk may give it: lower-case x, spaces.
    let saved = f
        .station
        .record_handover(case_id, id, window(Some("110105 19491231002x")))
        .unwrap();
    assert_eq!(saved.clerk, "demo", "the session's clerk is the deliverer");
    assert_eq!(saved.case_id, case_id);
    assert_eq!(saved.form.recipient_id_no.as_deref(), Some(DEMO_ID));
    let again = f
        .station
        .record_handover(case_id, id, window(Some(DEMO_ID)))
        .unwrap();
    assert_eq!(again, saved);
    assert_eq!(f.station.handover(case_id).unwrap(), Some(saved));

    let second = f
        .station
        .record_handover(case_id, Uuid::now_v7(), window(None))
        .unwrap_err();
    assert_eq!(second.kind, ErrorKind::InvalidInput);
    assert!(
        second.message.contains("不能重复登记"),
        "{}",
        second.message
    );

    f.station.logout();
    let e = f.station.handover(case_id).unwrap_err();
    assert_eq!(e.kind, ErrorKind::NotLoggedIn);
}

#[test]
fn someone_else_s_id_is_refused_at_the_window_but_the_agent_s_is_taken() {
    let f = station();
    let form = filled(&f.station, RESIDENCE_PERMIT);
    let case_id = decided(&f.station, &form, DistrictStatus::ReadyForPickup);
    let e = f
        .station
        .record_handover(case_id, Uuid::now_v7(), window(Some("440524188001010014")))
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::InvalidInput);
    assert_eq!(e.issues[0].field, "recipient_id_no");
    assert!(
        e.message.contains("与本办件申请人的证件号码不一致") && e.message.contains("请核对"),
        "{}",
        e.message
    );
    assert_eq!(f.station.handover(case_id).unwrap(), None);

    // A case with an agent: the agent may collect it.
    let mut with_agent = filled(&f.station, RESIDENCE_PERMIT);
    with_agent.draft.agent = Some(Agent {
        name: "李代理".into(),
        id_type: IdType::ResidentIdCard,
        id_no: "440524188001010014".into(),
        phone: "13900139000".into(),
    });
    with_agent.draft.materials.push(ReceivedMaterial {
        code: yichuang_core::applicant::POWER_OF_ATTORNEY_CODE.into(),
        form: yichuang_core::MaterialForm::Original,
        count: 1,
    });
    f.station.save_draft(&with_agent).unwrap();
    let agent_case = decided(&f.station, &with_agent, DistrictStatus::ReadyForPickup);
    let mut by_agent = window(Some("440524188001010014"));
    by_agent.recipient_name = "李代理".into();
    by_agent.relation = "代理人".into();
    let saved = f
        .station
        .record_handover(agent_case, Uuid::now_v7(), by_agent)
        .unwrap();
    assert_eq!(saved.form.relation, "代理人");
}

#[test]
fn courier_handover_needs_the_district_decision_and_printable_text() {
    let f = station();
    let form = filled(&f.station, RESIDENCE_PERMIT);
    let case_id = decided(&f.station, &form, DistrictStatus::Reviewing);
    let courier = HandoverForm {
        method: HandoverMethod::Courier {
            address: "广州市白云区太和镇".into(),
            courier: "中国邮政 EMS".into(),
            tracking_no: "1180512345678".into(),
        },
        ..window(None)
    };
    let e = f
        .station
        .record_handover(case_id, Uuid::now_v7(), courier.clone())
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::InvalidInput);
    assert!(
        e.message.contains("区级状态：审批中") && e.message.contains("请先同步"),
        "{}",
        e.message
    );

    // A private-use character no font has: refused before anything is saved.
    let mut odd = courier.clone();
    odd.recipient_name = "王\u{E000}".into();
    let e = f
        .station
        .record_handover(case_id, Uuid::now_v7(), odd)
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::Unprintable);
    assert_eq!(e.issues[0].field, "recipient_name");

    let approved = decided(
        &f.station,
        &filled(&f.station, RESIDENCE_PERMIT),
        DistrictStatus::Approved,
    );
    // By courier no ID is checked against the case (the courier's own check applies).
    let mut sent = courier;
    sent.recipient_id_no = Some("440524188001010014".into());
    let saved = f
        .station
        .record_handover(approved, Uuid::now_v7(), sent)
        .unwrap();
    assert!(saved.form.method.by_courier());
}

#[test]
fn the_recorded_handover_prints_on_its_service_receipt() {
    let f = station();
    let form = filled(&f.station, RESIDENCE_PERMIT);
    let case_id = decided(&f.station, &form, DistrictStatus::ReadyForPickup);
    let refused = f
        .station
        .render_slip(case_id, SlipKind::ServiceReceipt, None)
        .unwrap_err();
    assert!(
        refused.message.contains("尚未登记送达"),
        "{}",
        refused.message
    );
    f.station
        .record_handover(case_id, Uuid::now_v7(), window(Some(DEMO_ID)))
        .unwrap();
    let paper = f
        .station
        .render_slip(case_id, SlipKind::ServiceReceipt, None)
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("service.pdf");
    std::fs::write(&path, &paper.pdf).unwrap();
    let out = std::process::Command::new("pdftotext")
        .args([path.to_str().unwrap(), "-"])
        .output()
        .expect("pdftotext (poppler-utils) runs");
    let text: String = String::from_utf8(out.stdout)
        .unwrap()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    for expected in [
        "送达回证",
        "广东省居住证",
        "王堃喆",
        "110105********002X",
        "本人",
        "白云区测试便民服务站1号窗口",
        "demo",
    ] {
        assert!(text.contains(expected), "{expected:?} missing in:\n{text}");
    }
    assert!(!text.contains(DEMO_ID), "full ID printed:\n{text}");
}
