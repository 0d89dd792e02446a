//! One case per paper kind, from the same applicant: the fixtures every template test walks.

use yichuang_core::evaluation_qr::EvaluationQr;
use yichuang_core::{
    Case, CaseOutcome, CaseState, Handover, HandoverForm, HandoverMethod, MaterialForm,
    NoticeMaterial, ServiceItem,
};
use yichuang_print::{
    Completion, PaperFrame, PrintDoc, ReprintMark, acceptance_notice, completion_receipt,
    correction_notice, progress_payload, rejection_notice, service_receipt, tolerant_notice,
};

use super::{case_with, item, person, qr_key};

pub const DISTRICT: &str = "https://district.example.invalid";
pub const RECIPIENT_ID: &str = "440524188001010014";
pub const RECIPIENT_ID_MASKED: &str = "440524********0014";
pub const TRACKING_NO: &str = "SF1402938475610";
pub const REFERRAL: &str = "广州市白云区市场监督管理局";

pub fn evaluation(case: &Case) -> EvaluationQr {
    EvaluationQr {
        station_code: case.station_code.clone(),
        case_no: case.case_no.clone(),
        item_code: case.intake.item_code.clone(),
        region_code: "440111".into(),
        channel: "qr".into(),
    }
}

/// The frame the station adds: both signed codes, the 12345 hotline, an optional reprint.
pub fn frame(case: &Case, reprint: Option<ReprintMark>) -> PaperFrame {
    let evaluation = evaluation(case).to_payload(&format!("{DISTRICT}/hcp"), &qr_key());
    PaperFrame {
        station_name: "白云区京溪街道政务服务中心".into(),
        consult_phone: "020-36578000".into(),
        progress_payload: progress_payload(&evaluation, &format!("{DISTRICT}/progress")),
        evaluation_payload: evaluation,
        reprint,
    }
}

fn notice_material(code: &str, name: &str, standard: &str, problem: &str) -> NoticeMaterial {
    NoticeMaterial {
        code: code.into(),
        name: name.into(),
        form: MaterialForm::Original,
        copies: 1,
        standard: standard.into(),
        problem: problem.into(),
    }
}

pub fn correction_items() -> Vec<NoticeMaterial> {
    vec![
        notice_material(
            "M03",
            "合法稳定住所证明",
            "租赁合同须经住房和城乡建设部门登记备案；自有住房提供不动产权证书",
            "",
        ),
        notice_material(
            "M02",
            "近期一寸免冠彩色照片",
            "白底，六个月内拍摄",
            "照片背景不是白色",
        ),
    ]
}

pub fn handover(case: &Case, courier: bool) -> Handover {
    let method = if courier {
        HandoverMethod::Courier {
            address: "广州市白云区同和街道蟾蜍石东路 38 号 2 栋 1203 房".into(),
            courier: "顺丰速运".into(),
            tracking_no: TRACKING_NO.into(),
        }
    } else {
        HandoverMethod::Window {
            place: "京溪街道政务服务中心 3 号窗口".into(),
        }
    };
    Handover {
        id: "01936d2e-6a3b-7c4d-8e5f-0000000000aa".parse().unwrap(),
        case_id: case.id,
        form: HandoverForm {
            document_name: "广东省居住证".into(),
            document_no: Some("粤穗白 2026 第 004417 号".into()),
            recipient_name: "王堃喆".into(),
            recipient_id_no: Some(RECIPIENT_ID.into()),
            relation: "本人".into(),
            method,
        },
        clerk: "李晓芸".into(),
        handed_at: "2026-12-14T06:42:00Z".parse().unwrap(),
    }
}

/// The case of the fixtures with `outcome` (and its state).
pub fn case_for(item: &ServiceItem, outcome: CaseOutcome) -> Case {
    let mut case = case_with(item, person("王堃喆"));
    case.state = outcome.state();
    if !outcome.starts_the_clock() {
        case.due_date = None;
    }
    case.outcome = outcome;
    case
}

/// Every A4 paper as (file stem, case, doc), from the same applicant and item.
pub fn all_papers(reprint: Option<ReprintMark>) -> Vec<(&'static str, Case, PrintDoc)> {
    let item = item();
    let mut out = Vec::new();
    let accepted = case_for(&item, CaseOutcome::Accepted);
    let doc = acceptance_notice(&accepted, &item, frame(&accepted, reprint.clone()));
    out.push(("acceptance", accepted, doc));

    let correction = case_for(
        &item,
        CaseOutcome::CorrectionRequested {
            items: correction_items(),
            notified_at: "2026-11-27T01:20:00Z".parse().unwrap(),
        },
    );
    let doc = correction_notice(&correction, &item, frame(&correction, reprint.clone())).unwrap();
    out.push(("correction", correction, doc));

    let tolerant = case_for(
        &item,
        CaseOutcome::AcceptedTolerant {
            missing: vec![correction_items()[0].clone()],
            supplement_by: "2026-12-04".parse().unwrap(),
            supplemented_at: None,
        },
    );
    let doc = tolerant_notice(&tolerant, &item, frame(&tolerant, reprint.clone())).unwrap();
    out.push(("tolerant", tolerant, doc));

    let rejected = case_for(
        &item,
        CaseOutcome::Rejected {
            reasons: "申请人户籍在本市，不属于居住证申领对象。\n所交材料不能证明在本区居住满半年。"
                .into(),
            referral: Some(REFERRAL.into()),
        },
    );
    let doc = rejection_notice(&rejected, &item, frame(&rejected, reprint.clone())).unwrap();
    out.push(("rejection", rejected, doc));

    let mut delivered = case_for(&item, CaseOutcome::Accepted);
    delivered.official_case_no = Some("44011120261127000123".into());
    for (stem, courier) in [("service", false), ("courier", true)] {
        let h = handover(&delivered, courier);
        let doc = service_receipt(
            &delivered,
            &item,
            &h,
            courier,
            frame(&delivered, reprint.clone()),
        )
        .unwrap();
        out.push((stem, delivered.clone(), doc));
    }

    let completion = Completion {
        result: "办结（准予）：核发广东省居住证".into(),
        completed_at: "2026-12-10T03:30:00Z".parse().unwrap(),
    };
    let doc =
        completion_receipt(&delivered, &item, &completion, frame(&delivered, reprint)).unwrap();
    out.push(("completion", delivered, doc));
    assert!(out.iter().all(|(_, c, _)| c.state != CaseState::Draft));
    out
}

pub const LONG_ADDRESS: &str = "广东省广州市白云区京溪街道云景路云景花园北区十八号三栋二单元五零二房（近地铁三号线北延段京溪南方医院站B出口，进小区后沿右手边步行约二百米，请致电前联系物业）";

/// The material name of line `i` of the long case: long enough to wrap in every table.
pub fn long_material_name(i: usize) -> String {
    format!(
        "第{i}号补充证明材料：合法稳定住所及连续居住半年以上的证明（房屋租赁合同须经登记备案，单位宿舍须提供单位证明并加盖公章）"
    )
}

/// An item with 30 long-named materials and a case that received them all, for an applicant
/// with a long address: the acceptance notice and a correction notice listing all 30.
pub fn long_papers() -> Vec<(&'static str, Case, PrintDoc)> {
    let mut item = item();
    item.materials = (1..=30)
        .map(|i| yichuang_core::MaterialRequirement {
            code: format!("L{i:02}"),
            name: long_material_name(i),
            form: MaterialForm::OriginalAndCopy,
            copies: 1,
            required: true,
            standard: format!("第{i}项：原件核验后退回，复印件须清晰完整并由申请人签名确认与原件一致，注明“仅供办理居住证使用”"),
            key: false,
            tolerable: true,
        })
        .collect();
    let applicant = yichuang_core::Applicant::NaturalPerson {
        name: "欧阳堃喆".into(),
        id_type: yichuang_core::IdType::ResidentIdCard,
        id_no: super::FULL_ID.into(),
        address: LONG_ADDRESS.into(),
    };
    let mut accepted = case_with(&item, applicant);
    accepted.intake.materials = item
        .materials
        .iter()
        .map(|m| yichuang_core::ReceivedMaterial {
            code: m.code.clone(),
            form: m.form,
            count: 1,
        })
        .collect();
    accepted.intake.delivery = yichuang_core::DeliveryMethod::Post {
        address: LONG_ADDRESS.into(),
    };
    let doc = acceptance_notice(&accepted, &item, frame(&accepted, None));
    let mut correction = accepted.clone();
    correction.outcome = CaseOutcome::CorrectionRequested {
        items: item
            .materials
            .iter()
            .map(|m| NoticeMaterial {
                code: m.code.clone(),
                name: m.name.clone(),
                form: m.form,
                copies: m.copies,
                standard: m.standard.clone(),
                problem: String::new(),
            })
            .collect(),
        notified_at: "2026-11-27T01:20:00Z".parse().unwrap(),
    };
    correction.state = correction.outcome.state();
    let long_correction = correction_notice(&correction, &item, frame(&correction, None)).unwrap();
    vec![
        ("long-acceptance", accepted, doc),
        ("long-correction", correction, long_correction),
    ]
}
