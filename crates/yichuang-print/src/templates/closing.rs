//! The end of every paper: signature lines on the left, the seal area and date in the middle,
//! and the two QR codes (好差评 evaluation, progress query) with their captions on the right.

use crate::PrintError;
use crate::canvas::{Area, Canvas};
use crate::doc::{Closing, EVALUATION_CAPTION, PROGRESS_CAPTION, PrintDoc};
use crate::qr::qr_areas;
use crate::table::BODY_PT;
use crate::templates::frame::{LEFT, WIDTH};

/// Each QR square including its quiet zone: ≈0.5 mm modules for a ≈220-character payload.
const QR_SIZE: f32 = 31.0;
const QR_GAP: f32 = 3.0;
const CAPTION_PT: f32 = 9.0;
/// Width of the signature column.
const SIG_W: f32 = 62.0;
/// A blank line to sign on is at least this long.
const SIG_LINE_MIN: f32 = 24.0;
const SIG_ROW_H: f32 = 9.0;
const SIG_LINE_H: f32 = 5.0;
const BLANK_DATE: &str = "年    月    日";

fn qr_left() -> f32 {
    LEFT + WIDTH - 2.0 * QR_SIZE - QR_GAP
}

/// Each signature as its label and the lines of its value (none: a blank line to sign on).
fn signature_lines(canvas: &Canvas<'_>, closing: &Closing) -> Vec<(String, Vec<String>)> {
    closing
        .signatures
        .iter()
        .map(|s| {
            let label = format!("{}：", s.label);
            let room = SIG_W - canvas.width_mm(&label, BODY_PT);
            let lines = if s.value.is_empty() {
                Vec::new()
            } else {
                canvas.wrap(&s.value, BODY_PT, room.max(SIG_LINE_MIN))
            };
            (label, lines)
        })
        .collect()
}

fn signatures_height(rows: &[(String, Vec<String>)]) -> f32 {
    rows.iter()
        .map(|(_, lines)| SIG_ROW_H + lines.len().saturating_sub(1) as f32 * SIG_LINE_H)
        .sum()
}

/// The closing's height in mm: the taller of the signature column and the QR codes.
pub(crate) fn closing_height(canvas: &Canvas<'_>, closing: &Closing) -> f32 {
    let sigs = 4.0 + signatures_height(&signature_lines(canvas, closing));
    sigs.max(QR_SIZE + 8.0)
}

/// Draws the closing with its top at `top`.
pub(crate) fn draw_closing(
    canvas: &mut Canvas<'_>,
    doc: &PrintDoc,
    top: f32,
) -> Result<(), PrintError> {
    let codes = [
        (&doc.frame.evaluation_payload, EVALUATION_CAPTION),
        (&doc.frame.progress_payload, PROGRESS_CAPTION),
    ];
    for (i, (payload, caption)) in codes.into_iter().enumerate() {
        let x = qr_left() + i as f32 * (QR_SIZE + QR_GAP);
        canvas.fill(&qr_areas(payload, x, top, QR_SIZE)?, 0.0);
        canvas.text_centered(x + QR_SIZE / 2.0, top + QR_SIZE + 3.5, CAPTION_PT, caption)?;
    }

    let mut y = top + 7.0;
    for (label, lines) in signature_lines(canvas, &doc.closing) {
        canvas.text(LEFT, y, BODY_PT, &label)?;
        let x = LEFT + canvas.width_mm(&label, BODY_PT);
        if lines.is_empty() {
            let w = (SIG_W - (x - LEFT)).max(SIG_LINE_MIN);
            canvas.fill(
                &[Area {
                    x,
                    y: y + 1.0,
                    w,
                    h: 0.25,
                }],
                0.0,
            );
            y += SIG_ROW_H;
            continue;
        }
        for line in &lines {
            canvas.text(x, y, BODY_PT, line)?;
            y += SIG_LINE_H;
        }
        y += SIG_ROW_H - SIG_LINE_H;
    }

    let seal_cx = (LEFT + SIG_W + qr_left()) / 2.0;
    canvas.text_centered(seal_cx, top + 14.0, BODY_PT, &doc.closing.seal_caption)?;
    let date = if doc.closing.date.is_empty() {
        BLANK_DATE
    } else {
        &doc.closing.date
    };
    canvas.text_centered(seal_cx, top + 30.0, BODY_PT, date)?;
    Ok(())
}
