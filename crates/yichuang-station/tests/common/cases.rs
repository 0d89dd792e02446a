//! The demo applicant's cases as the tests make them on a real station: an intake of 王堃喆
//! filled as a clerk fills it, accepted; what the district reports about a case; a handover at
//! the window and the district's refusal of it; a second clerk. Shared by the station tests
//! (through `common`) and by the tests under tests/ (through #[path]).
#![allow(dead_code)]

use uuid::Uuid;
use yichuang_core::ids::{ResidentIdError, check_resident_id};
use yichuang_core::{
    Applicant, Case, DistrictStatus, IdType, IntakeDecision, ReceivedMaterial, Role, StatusChange,
};
use yichuang_station::{IntakeForm, NewClerkForm, Station, WindowHandover};
use yichuang_store::HandoverSent;

/// 广东省居住证申领 in the demo catalogue: promised in 10 working days.
pub const RESIDENCE_PERMIT: &str = "114401110075061234200011000101";
/// 城乡居民基本养老保险参保登记 in the demo catalogue: promised in 5 working days, its M02
/// (身份证明 copy) may be promised for later (容缺).
pub const PENSION: &str = "114401110075061234200021000202";
/// 老年人优待证办理: an immediate item (即办件) of the demo catalogue.
pub const SENIOR_CARD: &str = "114401110075061234200051000505";
/// The demo applicant 王堃喆: on no credit list.
pub const DEMO_ID: &str = "11010519491231002X";

/// A valid 居民身份证 number from its first 17 digits, with the check character core computes.
pub fn resident_id(first17: &str) -> String {
    let guess = format!("{first17}0");
    match check_resident_id(&guess) {
        Ok(_) => guess,
        Err(ResidentIdError::Checksum { expected }) => format!("{first17}{expected}"),
        Err(e) => panic!("{first17} is no ID body: {e}"),
    }
}

/// A started intake of 王堃喆 (document `id_no`) for `item_code`, every required material
/// ticked (not saved again after start_intake saved it).
pub fn filled_form(station: &Station, item_code: &str, id_no: &str) -> IntakeForm {
    let mut form = station.start_intake(item_code).unwrap();
    form.draft.applicant = Applicant::NaturalPerson {
        name: "王堃喆".into(),
        id_type: IdType::ResidentIdCard,
        id_no: id_no.into(),
        address: "广州市白云区太和镇".into(),
    };
    form.draft.contact.name = "王堃喆".into();
    form.draft.contact.phone = "13800138000".into();
    form.draft.materials = station
        .item(item_code)
        .unwrap()
        .materials
        .iter()
        .filter(|m| m.material.required)
        .map(|m| ReceivedMaterial {
            code: m.material.code.clone(),
            form: m.material.form,
            count: m.material.copies,
        })
        .collect();
    form
}

/// An intake of 王堃喆 (document `id_no`) for `item_code`, decided by the logged-in clerk.
pub fn decided(station: &Station, item_code: &str, id_no: &str, decision: &IntakeDecision) -> Case {
    let form = filled_form(station, item_code, id_no);
    station.decide(&form, decision).unwrap().case
}

/// [`decided`]: accepted.
pub fn accepted(station: &Station, item_code: &str, id_no: &str) -> Case {
    decided(station, item_code, id_no, &IntakeDecision::Accept)
}

/// Decides `form` through the store as `clerk` (a login) at `at`, as a case of that clerk
/// made at that time. The draft start_intake saved is the logged-in clerk's own, so it is
/// discarded first: the case starts from no draft.
pub fn decided_in_store(
    station: &Station,
    form: &IntakeForm,
    decision: &IntakeDecision,
    clerk: &str,
    at: jiff::Timestamp,
) -> Case {
    let id = Uuid::parse_str(&form.id).unwrap();
    station.discard_draft(&form.id).unwrap();
    station
        .store()
        .lock()
        .unwrap()
        .decide_case(id, &form.draft, decision, clerk, at)
        .unwrap()
        .case
}

/// The district's status change number `seq` for a case: official number 440111-2026-000001,
/// made at 10:00 on 2026-11-30, with no note.
pub fn status_change(case_id: Uuid, seq: i64, status: DistrictStatus) -> StatusChange {
    StatusChange {
        seq,
        case_id,
        official_case_no: "440111-2026-000001".into(),
        status,
        changed_at: "2026-11-30T02:00:00Z".parse().unwrap(),
        note: None,
        courier: None,
        tracking_no: None,
    }
}

/// Applies the district's `changes` as the sync engine applies a status download.
pub fn district_reports(station: &Station, changes: &[StatusChange]) {
    let last = changes.iter().map(|c| c.seq).max().unwrap_or(0);
    station
        .store()
        .lock()
        .unwrap()
        .apply_status_changes(changes, last)
        .unwrap();
}

/// A case of 王堃喆 accepted, made 待领取 by the district and handed over at the window to
/// the applicant; its (case, handover) ids.
pub fn handed_over_at_window(station: &Station) -> (Case, Uuid) {
    let case = accepted(station, RESIDENCE_PERMIT, DEMO_ID);
    district_reports(
        station,
        &[status_change(case.id, 1, DistrictStatus::ReadyForPickup)],
    );
    let handover_id = Uuid::now_v7();
    let id = WindowHandover {
        recipient_id_no: DEMO_ID.into(),
        recipient_name: None,
    };
    station
        .hand_over_at_window(case.id, handover_id, &id)
        .unwrap();
    (case, handover_id)
}

/// The district's refusal of a handover, recorded as the sync engine records its answer.
pub fn refuse_handover(station: &Station, handover_id: Uuid, message: &str) {
    station
        .store()
        .lock()
        .unwrap()
        .record_handovers_sent(&[HandoverSent::Refused {
            id: handover_id,
            message: message.into(),
        }])
        .unwrap();
}

/// A second account, a plain clerk (窗口人员), added through the store.
pub fn add_clerk(station: &Station, login: &str, name: &str, password: &str) {
    station
        .store()
        .lock()
        .unwrap()
        .add_clerk(login, name, password)
        .unwrap();
}

/// 李四 (login li, password li-password), a plain clerk added by the logged-in hall manager
/// as the settings screen adds one.
pub fn add_li(station: &Station) {
    station
        .add_local_clerk(&NewClerkForm {
            login: "li".into(),
            display_name: "李四".into(),
            password: "li-password".into(),
            role: Role::Clerk,
        })
        .unwrap();
}
