//! A real station in a temp dir (SQLCipher file, key in the OS keyring under a service of its
//! own, shipped catalogue) and one saved case for each of the five intake outcomes.

use jiff::{Timestamp, ToSpan};
use uuid::Uuid;
use yichuang_core::{
    Applicant, DateField, DistrictStatus, HandoverForm, HandoverMethod, IdType, IntakeDecision,
    MaterialDefect, ReceivedMaterial, SlipKind, StatusChange,
};
use yichuang_station::{IntakeForm, ProvisionForm, Station, StationConfig};

/// 广东省居住证申领 (promised item, no tolerable material).
pub const RESIDENCE_PERMIT: &str = "114401110075061234200011000101";
/// 城乡居民基本养老保险参保登记: its 户口簿 (M02) may be handed in later (容缺).
const PENSION: &str = "114401110075061234200021000202";
/// 老年人优待证办理: an immediate item (即办件).
const SENIOR_CARD: &str = "114401110075061234200051000505";

pub struct Fixture {
    /// Removed (with the station's database) when the bench ends.
    pub dir: tempfile::TempDir,
    pub station: Station,
}

/// A saved case and the papers it can print now.
pub struct Saved {
    pub id: Uuid,
    pub outcome: &'static str,
    pub papers: Vec<SlipKind>,
}

pub fn station() -> crate::Result<Fixture> {
    let dir = tempfile::tempdir()?;
    let config = StationConfig {
        data_dir: dir.path().join("station"),
        keyring_service: format!("yichuang-bench-slips-{}", Uuid::now_v7()),
    };
    let form = ProvisionForm {
        station_code: "440111001".into(),
        station_name: "白云区京溪街道政务服务中心".into(),
        counter: 1,
        region_code: "440111".into(),
        district_url: "http://127.0.0.1:9".into(),
        district_token: "t".into(),
        recovery_passphrase: "bench-recovery-passphrase".into(),
        clerk_login: "demo".into(),
        clerk_name: "李晓芸".into(),
        clerk_password: "demo1234".into(),
    };
    let station = Station::provision(&config, form)
        .map_err(|e| crate::fail(format!("provision (under with-keyring.sh?): {}", e.message)))?;
    station
        .login("demo", "demo1234")
        .map_err(|e| crate::fail(format!("login: {}", e.message)))?;
    Ok(Fixture { dir, station })
}

/// An intake of 王堃喆 for `item_code` with every required material received.
fn filled(station: &Station, item_code: &str) -> crate::Result<IntakeForm> {
    let err = |e: yichuang_station::AppError| crate::fail(format!("{item_code}: {}", e.message));
    let mut form = station.start_intake(item_code).map_err(err)?;
    let item = station.item(item_code).map_err(err)?;
    form.draft.applicant = Applicant::NaturalPerson {
        name: "王堃喆".into(),
        id_type: IdType::ResidentIdCard,
        id_no: "11010519491231002X".into(),
        address: "广州市白云区京溪街道云景路 18 号 3 栋 502 房".into(),
    };
    form.draft.contact.name = "王堃喆".into();
    form.draft.contact.phone = "13800138000".into();
    form.draft.materials = item
        .materials
        .iter()
        .filter(|m| m.material.required)
        .map(|m| ReceivedMaterial {
            code: m.material.code.clone(),
            form: m.material.form,
            count: m.material.copies,
        })
        .collect();
    Ok(form)
}

fn decide(
    station: &Station,
    form: &IntakeForm,
    decision: IntakeDecision,
    outcome: &'static str,
) -> crate::Result<Saved> {
    let result = station
        .decide(form, &decision)
        .map_err(|e| crate::fail(format!("{outcome}: {} {:?}", e.message, e.issues)))?;
    Ok(Saved {
        id: result.case.id,
        outcome,
        papers: result.papers,
    })
}

/// An accepted case the district reports 待领取 (as a sync round would), handed over at the
/// window or by courier: it prints the 办结 receipt and its 送达回证.
fn handed_over(station: &Station, seq: i64, courier: bool) -> crate::Result<Saved> {
    let outcome = if courier {
        "送达（邮寄）"
    } else {
        "送达（窗口）"
    };
    let form = filled(station, RESIDENCE_PERMIT)?;
    let accepted = decide(station, &form, IntakeDecision::Accept, outcome)?;
    let change = StatusChange {
        seq,
        case_id: accepted.id,
        official_case_no: format!("440111-2026-{seq:06}"),
        status: DistrictStatus::ReadyForPickup,
        changed_at: Timestamp::now(),
        note: None,
        courier: None,
        tracking_no: None,
    };
    station
        .store()
        .lock()
        .map_err(|_| crate::fail("store lock poisoned".into()))?
        .apply_status_changes(&[change], seq)
        .map_err(|e| crate::fail(format!("{outcome}: {e}")))?;
    let method = if courier {
        HandoverMethod::Courier {
            address: "广州市白云区同和街道蟾蜍石东路 38 号 2 栋 1203 房".into(),
            courier: "顺丰速运".into(),
            tracking_no: "SF1402938475610".into(),
        }
    } else {
        HandoverMethod::Window {
            place: "白云区京溪街道政务服务中心 1 号窗口".into(),
        }
    };
    let handover = HandoverForm {
        document_name: "广东省居住证".into(),
        document_no: Some("粤穗白 2026 第 004417 号".into()),
        recipient_name: "王堃喆".into(),
        recipient_id_no: Some("11010519491231002X".into()),
        relation: "本人".into(),
        method,
    };
    station
        .record_handover(accepted.id, Uuid::now_v7(), handover)
        .map_err(|e| crate::fail(format!("{outcome}: {}", e.message)))?;
    let paper = if courier {
        SlipKind::CourierServiceReceipt
    } else {
        SlipKind::ServiceReceipt
    };
    Ok(Saved {
        id: accepted.id,
        outcome,
        papers: vec![SlipKind::CompletionReceipt, paper],
    })
}

/// 受理, 容缺受理, 补正, 不予受理 and 当场办结, one case each, and two cases handed over.
pub fn save_one_of_each(station: &Station) -> crate::Result<Vec<Saved>> {
    let accepted = filled(station, RESIDENCE_PERMIT)?;
    let mut tolerant = filled(station, PENSION)?;
    tolerant.draft.materials.retain(|m| m.code != "M02");
    let today = yichuang_core::time::local_date(Timestamp::now());
    let supplement_by = today.checked_add(7.days())?;
    let mut correction = filled(station, RESIDENCE_PERMIT)?;
    let defect_code = correction.draft.materials[0].code.clone();
    correction.draft.materials.truncate(1);
    let rejected = filled(station, RESIDENCE_PERMIT)?;
    let on_spot = filled(station, SENIOR_CARD)?;
    Ok(vec![
        decide(station, &accepted, IntakeDecision::Accept, "受理")?,
        decide(
            station,
            &tolerant,
            IntakeDecision::AcceptTolerant {
                supplement_by: DateField(Some(supplement_by)),
            },
            "容缺受理",
        )?,
        decide(
            station,
            &correction,
            IntakeDecision::RequestCorrection {
                defects: vec![MaterialDefect {
                    code: defect_code,
                    problem: "复印件不清晰，请提供清晰复印件".into(),
                }],
            },
            "补正",
        )?,
        decide(
            station,
            &rejected,
            IntakeDecision::Reject {
                reasons: "申请人户籍在本区，不属于居住证申领对象".into(),
                referral: Some("请到户籍所在地派出所办理户籍相关业务".into()),
            },
            "不予受理",
        )?,
        decide(
            station,
            &on_spot,
            IntakeDecision::CompleteOnSpot {
                result: "老年人优待证已当场制发".into(),
            },
            "当场办结",
        )?,
        handed_over(station, 1, false)?,
        handed_over(station, 2, true)?,
    ])
}
