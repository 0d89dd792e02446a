//! Papers for a case: the font check before saving, every paper rendered from the case's stored
//! data (outcome, handover, district status) with both signed QR codes, in memory for the
//! preview and the printer. PDFs are never written to disk by the station: they hold personal
//! data, and the database can render them again.

use std::path::Path;

use yichuang_core::intake::checklist;
use yichuang_core::{
    Applicant, Case, DeliveryMethod, Handover, IntakeDecision, IntakeDraft, Issue, ServiceItem,
    SlipKind,
    evaluation_qr::{EvaluationQr, QrSigningKey},
};
use yichuang_print::{
    AcceptanceSlip, Completion, PaperFrame, PrintDoc, PrintError, ReprintMark, SlipFont,
    acceptance_notice, completion_receipt, correction_notice, progress_payload, progress_query,
    rejection_notice, render_acceptance_receipt, render_doc, service_receipt, tolerant_notice,
};
use yichuang_store::{CaseDistrictStatus, StationSettings};

use crate::settings::PaperStation;
use crate::{AppError, ErrorKind};

/// Removes the print-spool folder earlier versions wrote slips into: those PDFs hold personal
/// data, and papers are now rendered in memory for the preview and the printer.
pub(crate) fn remove_old_spool(data_dir: &Path) {
    let dir = data_dir.join("print-spool");
    if let Err(e) = std::fs::remove_dir_all(&dir)
        && e.kind() != std::io::ErrorKind::NotFound
    {
        tracing::warn!(error = %e, "could not remove the old print-spool folder");
    }
}

/// Every text a slip or notice of this intake will print, with the field it comes from:
/// the form, the item and its checklist, the decision's own texts, the clerk and the station.
fn printed_fields<'a>(
    draft: &'a IntakeDraft,
    item: &'a ServiceItem,
    decision: &'a IntakeDecision,
    clerk_name: &'a str,
    station_name: &'a str,
) -> Vec<(&'static str, String)> {
    let mut fields: Vec<(&'static str, String)> = vec![
        ("item_code", item.name.clone()),
        ("item_code", item.item_code.clone()),
        ("item_code", item.department.clone()),
        ("item_code", item.fee.clone()),
        ("contact.name", draft.contact.name.clone()),
        ("clerk", clerk_name.to_string()),
        ("station", station_name.to_string()),
        ("applicant.name", draft.applicant.name().to_string()),
        ("applicant.address", draft.applicant.address().to_string()),
    ];
    if let Applicant::LegalPerson {
        legal_representative,
        ..
    } = &draft.applicant
    {
        fields.push((
            "applicant.legal_representative",
            legal_representative.clone(),
        ));
    }
    if let Some(agent) = &draft.agent {
        fields.push(("agent.name", agent.name.clone()));
    }
    if let DeliveryMethod::Post { address } = &draft.delivery {
        fields.push(("delivery.address", address.clone()));
    }
    for m in checklist(item, draft.agent.is_some()) {
        fields.push(("materials", m.name));
        fields.push(("materials", m.standard));
    }
    match decision {
        IntakeDecision::Reject { reasons, referral } => {
            fields.push(("decision.reasons", reasons.clone()));
            fields.push(("decision.referral", referral.clone().unwrap_or_default()));
        }
        IntakeDecision::RequestCorrection { defects } => {
            fields.extend(
                defects
                    .iter()
                    .map(|d| ("decision.defects", d.problem.clone())),
            );
        }
        IntakeDecision::CompleteOnSpot { result } => {
            fields.push(("decision.result", result.clone()))
        }
        IntakeDecision::Accept | IntakeDecision::AcceptTolerant { .. } => {}
    }
    fields
}

/// Issues for characters the slip font cannot print, so the clerk learns before anything is saved.
pub(crate) fn unprintable_issues(
    font: &SlipFont,
    draft: &IntakeDraft,
    item: &ServiceItem,
    decision: &IntakeDecision,
    clerk_name: &str,
    station_name: &str,
) -> Vec<Issue> {
    printed_fields(draft, item, decision, clerk_name, station_name)
        .into_iter()
        .filter_map(|(field, text)| {
            let missing = font.missing_chars(&text);
            (!missing.is_empty()).then(|| {
                let chars: String = missing.iter().map(|c| format!("“{c}”(U+{:04X})", *c as u32)).collect::<Vec<_>>().join("、");
                Issue::error(
                    field,
                    "unprintable",
                    format!("{chars} 无法用回执字体打印。请核对是否录入有误；如确为生僻字，请联系大厅管理员处理"),
                )
            })
        })
        .collect()
}

/// The district's progress-query page, beside its evaluation page (`{district_url}/hcp`):
/// the district serves `GET /progress?<the evaluation code's signed query>`.
pub(crate) fn progress_base_url(settings: &StationSettings) -> String {
    format!(
        "{}/progress",
        settings.district_url.trim().trim_end_matches('/')
    )
}

/// What the station adds to every paper of `case`: its name, a phone, both signed QR codes
/// (signed with the station's Ed25519 key, whose public half the district registered at
/// enrollment: the district can check a code printed offline) and the 补打 mark.
fn frame(
    station: &PaperStation,
    qr_key: &QrSigningKey,
    case: &Case,
    reprint: Option<&Reprint>,
) -> PaperFrame {
    let settings = &station.settings;
    let evaluation = EvaluationQr {
        station_code: settings.station_code.as_str().to_string(),
        case_no: case.case_no.clone(),
        item_code: case.intake.item_code.clone(),
        region_code: settings.region_code.clone(),
        channel: station.qr_channel.clone(),
    }
    .to_payload(&settings.evaluation_base_url, qr_key);
    PaperFrame {
        station_name: settings.station_name.clone(),
        // The station's phone from the settings, else the national 12345 hotline.
        consult_phone: station.phone.clone(),
        progress_payload: progress_payload(&evaluation, &progress_base_url(settings)),
        evaluation_payload: evaluation,
        reprint: reprint.map(|r| ReprintMark {
            copy_no: r.copy_no,
            reason: r.reason.clone(),
        }),
    }
}

fn print_error(e: PrintError) -> AppError {
    AppError::new(ErrorKind::Print, e.to_string())
}

/// A later copy of a paper: printed 补打 with its copy number and the reason given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reprint {
    /// 2 for the first reprint.
    pub copy_no: u32,
    pub reason: String,
}

/// One rendered paper: what it is, a file name for it, and the PDF.
#[derive(Debug, Clone)]
pub struct RenderedSlip {
    pub kind: SlipKind,
    pub file_name: String,
    pub pdf: Vec<u8>,
}

/// What a paper may need beyond the case: the recorded handover (送达回证) and the
/// district's status (the result for the 办结领取回执).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct PaperSources<'a> {
    pub handover: Option<&'a Handover>,
    pub district: Option<&'a CaseDistrictStatus>,
}

/// The decision being collected: the on-the-spot result, or the district's 待领取 status.
fn completion(case: &Case, district: Option<&CaseDistrictStatus>) -> Result<Completion, AppError> {
    if let Some(done) = Completion::on_the_spot(case) {
        return Ok(done);
    }
    match district {
        Some(status) if status.ready_for_delivery() => Ok(Completion {
            result: match status.note.as_deref().map(str::trim) {
                Some(note) if !note.is_empty() => format!("已办结：{note}"),
                _ => "已办结，结果待领取".into(),
            },
            completed_at: status.changed_at,
        }),
        _ => Err(AppError::new(
            ErrorKind::Print,
            "该办件尚未办结或结果尚未送达本站，暂不能打印办结领取回执。请同步后再试",
        )),
    }
}

/// The A4 paper of `kind` for `case`.
fn paper(
    kind: SlipKind,
    case: &Case,
    item: &ServiceItem,
    sources: PaperSources<'_>,
    frame: PaperFrame,
) -> Result<PrintDoc, AppError> {
    let doc = match kind {
        SlipKind::AcceptanceNotice | SlipKind::AcceptanceReceipt => {
            Ok(acceptance_notice(case, item, frame))
        }
        SlipKind::CorrectionNotice => correction_notice(case, item, frame),
        SlipKind::TolerantNotice => tolerant_notice(case, item, frame),
        SlipKind::RejectionNotice => rejection_notice(case, item, frame),
        SlipKind::ServiceReceipt | SlipKind::CourierServiceReceipt => {
            let handover = sources.handover.ok_or_else(|| {
                AppError::new(
                    ErrorKind::Print,
                    "该办件尚未登记送达，请先在“出件/送达”中登记，再打印送达回证",
                )
            })?;
            let courier = kind == SlipKind::CourierServiceReceipt;
            service_receipt(case, item, handover, courier, frame)
        }
        SlipKind::CompletionReceipt => {
            let done = completion(case, sources.district)?;
            completion_receipt(case, item, &done, frame)
        }
    };
    doc.map_err(print_error)
}

/// Renders one paper of `case` from its stored data: the A4 papers in the shared frame, the
/// acceptance slip on the 80 mm roll. `reprint` marks a later copy 补打 with number and reason.
#[allow(clippy::too_many_arguments)]
pub(crate) fn render_slip(
    font: &SlipFont,
    station: &PaperStation,
    qr_key: &QrSigningKey,
    case: &Case,
    item: &ServiceItem,
    kind: SlipKind,
    reprint: Option<&Reprint>,
    sources: PaperSources<'_>,
) -> Result<RenderedSlip, AppError> {
    let frame = frame(station, qr_key, case, reprint);
    let pdf = if kind == SlipKind::AcceptanceReceipt {
        let mut slip = AcceptanceSlip::from_case(
            case,
            item,
            &station.settings.station_name,
            frame.evaluation_payload,
        );
        slip.progress_query = progress_query(&station.phone);
        render_acceptance_receipt(&slip, font, reprint.map(|r| (r.copy_no, r.reason.as_str())))
    } else {
        render_doc(&paper(kind, case, item, sources, frame)?, font)
    }
    .map_err(print_error)?;
    Ok(RenderedSlip {
        kind,
        file_name: format!("{}-{}.pdf", kind.label(), case.case_no),
        pdf,
    })
}
