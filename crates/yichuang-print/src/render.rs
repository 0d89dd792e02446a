//! Turns an [`AcceptanceSlip`] into an A4 PDF with the font embedded as a subset.

use printpdf::{Mm, PdfDocument, PdfPage, PdfParseErrorSeverity, PdfSaveOptions, PdfWarnMsg};

use crate::canvas::{Canvas, PAGE_H, PAGE_W};
use crate::layout::draw_slip;
use crate::{AcceptanceSlip, PrintError, SlipFont};

/// Fields holding characters the font cannot print, with those characters.
pub fn unprintable_fields(slip: &AcceptanceSlip, font: &SlipFont) -> Vec<(String, Vec<char>)> {
    slip.printed_fields()
        .into_iter()
        .filter_map(|(field, text)| {
            let missing = font.missing_chars(text);
            (!missing.is_empty()).then_some((field, missing))
        })
        .collect()
}

fn check_printable(slip: &AcceptanceSlip, font: &SlipFont) -> Result<(), PrintError> {
    let problems = unprintable_fields(slip, font);
    if problems.is_empty() {
        return Ok(());
    }
    let mut fields: Vec<String> = Vec::new();
    let mut chars: Vec<char> = Vec::new();
    for (field, missing) in problems {
        if !fields.contains(&field) {
            fields.push(field);
        }
        chars.extend(
            missing
                .into_iter()
                .filter(|c| !chars.contains(c))
                .collect::<Vec<_>>(),
        );
    }
    Err(PrintError::UnprintableChars {
        field: fields.join("、"),
        chars,
    })
}

/// Renders the 受理回执 as PDF bytes. Every character of every field is checked against the
/// font first: a character the font lacks is reported, never dropped.
#[tracing::instrument(skip_all, fields(case_no = %slip.case_no), err)]
pub fn render_acceptance_slip(
    slip: &AcceptanceSlip,
    font: &SlipFont,
) -> Result<Vec<u8>, PrintError> {
    check_printable(slip, font)?;
    let mut doc = PdfDocument::new(&format!("{} {}", slip.title, slip.case_no));
    doc.metadata.info.creator = "一窗受理台".into();
    let font_id = doc.add_font(font.parsed());
    let mut canvas = Canvas::new(font, font_id);
    draw_slip(&mut canvas, slip)?;
    canvas.number_pages()?;
    let pages = canvas
        .finish()
        .into_iter()
        .map(|ops| PdfPage::new(Mm(PAGE_W), Mm(PAGE_H), ops))
        .collect();
    let options = PdfSaveOptions {
        subset_fonts: true,
        ..PdfSaveOptions::default()
    };
    let mut warnings: Vec<PdfWarnMsg> = Vec::new();
    let bytes = doc.with_pages(pages).save(&options, &mut warnings);
    // An error here means e.g. that subsetting failed and the whole 16 MB font went in:
    // better a clear failure than a slip that is slow to spool or silently different.
    let errors: Vec<&str> = warnings
        .iter()
        .filter(|w| w.severity == PdfParseErrorSeverity::Error)
        .map(|w| w.msg.as_str())
        .collect();
    if !errors.is_empty() {
        return Err(PrintError::Pdf {
            detail: errors.join("; "),
        });
    }
    for w in &warnings {
        tracing::debug!(msg = %w.msg, "printpdf note");
    }
    Ok(bytes)
}
