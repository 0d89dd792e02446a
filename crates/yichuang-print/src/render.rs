//! Turns a [`PrintDoc`] (any A4 paper) into a PDF with the font embedded as a subset, after
//! checking every printed character against the font.

use printpdf::{FontId, Mm, PdfDocument, PdfPage};

use crate::canvas::{Canvas, PAGE_H, PAGE_W};
use crate::doc::{PaperFrame, PrintDoc};
use crate::templates::acceptance_doc;
use crate::templates::frame::draw_doc;
use crate::{AcceptanceSlip, PrintError, SlipFont};

/// Fields holding characters the font cannot print, with those characters.
pub fn unprintable_fields(slip: &AcceptanceSlip, font: &SlipFont) -> Vec<(String, Vec<char>)> {
    missing_in(slip.printed_fields(), font)
}

/// Fields of a paper holding characters the font cannot print, with those characters.
pub fn unprintable_doc_fields(doc: &PrintDoc, font: &SlipFont) -> Vec<(String, Vec<char>)> {
    missing_in(doc.printed_fields(), font)
}

fn missing_in(fields: Vec<(String, &str)>, font: &SlipFont) -> Vec<(String, Vec<char>)> {
    fields
        .into_iter()
        .filter_map(|(field, text)| {
            let missing = font.missing_chars(text);
            (!missing.is_empty()).then_some((field, missing))
        })
        .collect()
}

fn check_printable(doc: &PrintDoc, font: &SlipFont) -> Result<(), PrintError> {
    let problems = unprintable_doc_fields(doc, font);
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

/// The progress-query payload beside an evaluation payload: the same signed query at
/// `progress_base_url` (the district serves `GET /progress?<query>`).
pub fn progress_payload(evaluation_payload: &str, progress_base_url: &str) -> String {
    let query = evaluation_payload.split_once('?').map_or("", |(_, q)| q);
    format!("{progress_base_url}?{query}")
}

/// Renders the acceptance slip as its 受理通知书, the progress QR at `/progress` beside the
/// evaluation URL's `/hcp` (how the station configures both), no reprint mark.
pub fn render_acceptance_slip(
    slip: &AcceptanceSlip,
    font: &SlipFont,
) -> Result<Vec<u8>, PrintError> {
    let base = slip
        .evaluation_payload
        .split_once('?')
        .map_or(slip.evaluation_payload.as_str(), |(b, _)| b);
    let district = base.strip_suffix("/hcp").unwrap_or(base);
    let frame = PaperFrame {
        station_name: slip.accepting_body.clone(),
        consult_phone: crate::doc::DEFAULT_CONSULT_PHONE.into(),
        evaluation_payload: slip.evaluation_payload.clone(),
        progress_payload: progress_payload(
            &slip.evaluation_payload,
            &format!("{district}/progress"),
        ),
        reprint: None,
    };
    render_doc(&acceptance_doc(slip, frame), font)
}

/// Renders a paper as PDF bytes. Every character of every field is checked against the font
/// first: a character the font lacks is reported, never dropped.
#[tracing::instrument(skip_all, fields(case_no = %doc.case_no), err)]
pub fn render_doc(doc: &PrintDoc, font: &SlipFont) -> Result<Vec<u8>, PrintError> {
    check_printable(doc, font)?;
    let mut doc_pdf = PdfDocument::new(&format!("{} {}", doc.title, doc.case_no));
    doc_pdf.metadata.info.creator = "一窗受理台".into();
    let font_id = FontId::new();
    let mut canvas = Canvas::new(font, font_id);
    draw_doc(&mut canvas, doc)?;
    canvas.number_pages()?;
    save(doc_pdf, canvas)
}

/// Writes the pages with the faces the text used embedded as subsets (`pdf_save`).
fn save(doc: PdfDocument, canvas: Canvas<'_>) -> Result<Vec<u8>, PrintError> {
    let fonts = canvas.fonts();
    let pages = canvas
        .finish()
        .into_iter()
        .map(|ops| PdfPage::new(Mm(PAGE_W), Mm(PAGE_H), ops))
        .collect();
    crate::pdf_save::save_pdf(doc, pages, &fonts)
}
