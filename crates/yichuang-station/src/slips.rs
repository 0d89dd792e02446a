//! Slips for a case: the font check before saving, and PDFs written to a spool folder for the viewer
//! or printer. PDFs are not kept: they hold personal data, and the database can render them again.

use std::path::{Path, PathBuf};

use yichuang_core::intake::checklist;
use yichuang_core::{
    Applicant, Case, DeliveryMethod, IntakeDecision, IntakeDraft, Issue, ServiceItem, SlipKind,
    evaluation_qr::{EvaluationQr, QrSigningKey},
};
use yichuang_print::{AcceptanceSlip, SlipFont, render_acceptance_slip};
use yichuang_store::StationSettings;

use crate::{AppError, ErrorKind};

/// Makes the spool folder and empties what earlier runs left there.
pub(crate) fn prepare_spool(data_dir: &Path) -> Result<PathBuf, AppError> {
    let dir = data_dir.join("print-spool");
    let fail = |e: std::io::Error| {
        AppError::new(
            ErrorKind::Print,
            format!("无法准备打印目录 {}：{e}", dir.display()),
        )
    };
    std::fs::create_dir_all(&dir).map_err(fail)?;
    for entry in std::fs::read_dir(&dir).map_err(fail)?.flatten() {
        let _ = std::fs::remove_file(entry.path());
    }
    Ok(dir)
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

/// The channel code of a QR code on paper. The district maps channel codes to its province's
/// (DESIGN.md: mappings are configuration); the settings page (issue 8) will make it a setting.
const PAPER_QR_CHANNEL: &str = "qr";

/// Renders the acceptance slip of `case` into the spool folder.
pub(crate) fn write_acceptance_slip(
    spool: &Path,
    font: &SlipFont,
    settings: &StationSettings,
    qr_key: &QrSigningKey,
    case: &Case,
    item: &ServiceItem,
) -> Result<PathBuf, AppError> {
    // Signed with the station's Ed25519 key, whose public half the district registered at
    // enrollment: the district can check it though it was printed offline (issue 7 point 3).
    let evaluation = EvaluationQr {
        station_code: settings.station_code.as_str().to_string(),
        case_no: case.case_no.clone(),
        item_code: item.item_code.clone(),
        region_code: settings.region_code.clone(),
        channel: PAPER_QR_CHANNEL.into(),
    };
    let payload = evaluation.to_payload(&settings.evaluation_base_url, qr_key);
    let slip = AcceptanceSlip::from_case(case, item, &settings.station_name, payload);
    let pdf = render_acceptance_slip(&slip, font)
        .map_err(|e| AppError::new(ErrorKind::Print, e.to_string()))?;
    let path = spool.join(format!("受理回执-{}.pdf", case.case_no));
    std::fs::write(&path, pdf).map_err(|e| {
        AppError::new(
            ErrorKind::Print,
            format!("回执文件无法写入 {}：{e}", path.display()),
        )
    })?;
    Ok(path)
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

/// Renders one paper of `case`. Issue 7 brings every kind; until then the acceptance kinds
/// render the acceptance slip and the others say they are not available yet.
pub(crate) fn render_slip(
    font: &SlipFont,
    settings: &StationSettings,
    qr_key: &QrSigningKey,
    case: &Case,
    item: &ServiceItem,
    kind: SlipKind,
    _reprint: Option<&Reprint>,
) -> Result<RenderedSlip, AppError> {
    if !matches!(
        kind,
        SlipKind::AcceptanceNotice | SlipKind::AcceptanceReceipt
    ) {
        return Err(AppError::new(
            ErrorKind::Print,
            format!("{}暂不能打印", kind.label()),
        ));
    }
    let evaluation = EvaluationQr {
        station_code: settings.station_code.as_str().to_string(),
        case_no: case.case_no.clone(),
        item_code: item.item_code.clone(),
        region_code: settings.region_code.clone(),
        channel: PAPER_QR_CHANNEL.into(),
    };
    let payload = evaluation.to_payload(&settings.evaluation_base_url, qr_key);
    let slip = AcceptanceSlip::from_case(case, item, &settings.station_name, payload);
    let pdf = render_acceptance_slip(&slip, font)
        .map_err(|e| AppError::new(ErrorKind::Print, e.to_string()))?;
    Ok(RenderedSlip {
        kind,
        file_name: format!("{}-{}.pdf", kind.label(), case.case_no),
        pdf,
    })
}
