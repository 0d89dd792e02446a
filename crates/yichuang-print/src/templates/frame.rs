//! The frame every A4 paper shares: station header, title and case numbers, the 补打 mark on
//! every page, the body blocks in order, and the seal/signature/QR closing at the end.

use crate::canvas::{Area, Canvas, PAGE_H, PAGE_W};
use crate::doc::{Block, PrintDoc};
use crate::table::{BODY_PT, Flow};
use crate::templates::body::{draw_notes, draw_table, draw_text, notes_height};
use crate::templates::closing::{closing_height, draw_closing};
use crate::{PrintError, SlipField};

pub(crate) const LEFT: f32 = 20.0;
pub(crate) const WIDTH: f32 = PAGE_W - 2.0 * LEFT;
const BOTTOM: f32 = PAGE_H - 16.0;
const LABEL_W: f32 = 34.0;
const MARK_PT: f32 = 9.5;
const MARK_LINE_H: f32 = 4.6;
/// Where the page's content starts when there is no 补打 mark above it.
const TOP: f32 = 12.0;

/// Draws the 补打 mark (copy number and reason, boxed) at the top of the current page and
/// returns where the page's content may start below it.
fn reprint_mark(canvas: &mut Canvas<'_>, doc: &PrintDoc) -> Result<f32, PrintError> {
    let Some(mark) = &doc.frame.reprint else {
        return Ok(TOP);
    };
    let lines = canvas.wrap(&mark.text(), MARK_PT, WIDTH - 6.0);
    let h = 2.5 + lines.len() as f32 * MARK_LINE_H;
    let y0 = 9.0;
    canvas.stroke_box(
        Area {
            x: LEFT,
            y: y0,
            w: WIDTH,
            h,
        },
        1.2,
    );
    for (i, line) in lines.iter().enumerate() {
        canvas.text(LEFT + 3.0, y0 + 4.6 + i as f32 * MARK_LINE_H, MARK_PT, line)?;
    }
    Ok(y0 + h + 5.0)
}

/// The first page's header: station, title, the case numbers (side by side when they fit).
fn header(canvas: &mut Canvas<'_>, doc: &PrintDoc) -> Result<f32, PrintError> {
    let mut y = reprint_mark(canvas, doc)? + 10.0;
    canvas.text_centered(PAGE_W / 2.0, y, 12.0, &doc.frame.station_name)?;
    y += 11.0;
    canvas.text_centered(PAGE_W / 2.0, y, 22.0, &doc.title)?;
    y += 10.0;
    let provisional = format!("办件编号：{}", doc.case_no);
    canvas.text(LEFT, y, BODY_PT, &provisional)?;
    if let Some(official) = &doc.official_case_no {
        let official = format!("统一办件编号：{official}");
        let both = canvas.width_mm(&provisional, BODY_PT) + canvas.width_mm(&official, BODY_PT);
        if both > WIDTH - 6.0 {
            y += 5.5;
        }
        canvas.text_right(LEFT + WIDTH, y, BODY_PT, &official)?;
    }
    Ok(y + 3.0)
}

/// A later page's header: the 补打 mark again, the title marked 续 and the case number.
fn continuation(canvas: &mut Canvas<'_>, doc: &PrintDoc) -> Result<f32, PrintError> {
    let y = reprint_mark(canvas, doc)? + 8.0;
    canvas.text(LEFT, y, BODY_PT, &format!("{}（续）", doc.title))?;
    canvas.text_right(
        LEFT + WIDTH,
        y,
        BODY_PT,
        &format!("办件编号：{}", doc.case_no),
    )?;
    Ok(y + 4.0)
}

fn pairs(fields: &[SlipField]) -> Vec<(&str, &str)> {
    fields
        .iter()
        .map(|f| (f.label.as_str(), f.value.as_str()))
        .collect()
}

/// Lays `doc` out on as many A4 pages as it needs.
pub(crate) fn draw_doc(canvas: &mut Canvas<'_>, doc: &PrintDoc) -> Result<(), PrintError> {
    let y = header(canvas, doc)?;
    let on_new_page = |c: &mut Canvas<'_>| continuation(c, doc);
    let mut flow = Flow {
        canvas,
        left: LEFT,
        width: WIDTH,
        y,
        bottom: BOTTOM,
        on_new_page: &on_new_page,
    };
    let closing_h = closing_height(flow.canvas, &doc.closing);
    let last = doc.blocks.len().saturating_sub(1);
    for (i, block) in doc.blocks.iter().enumerate() {
        match block {
            Block::Fields(fields) => {
                // Field groups follow each other as one table; after anything else, a gap.
                if i > 0 && !matches!(doc.blocks[i - 1], Block::Fields(_)) {
                    flow.y += 4.0;
                }
                flow.fields(&pairs(fields), LABEL_W)?
            }
            Block::Table { columns, rows } => draw_table(&mut flow, columns, rows)?,
            Block::Text(text) => draw_text(&mut flow, text)?,
            Block::Notes { heading, items } => {
                // The last notes travel with the seal, so the seal never sits alone on a page
                // (as long as both fit on one page at all).
                let keep = if i == last {
                    let all = notes_height(flow.canvas, items) + closing_h + 2.0;
                    if all <= BOTTOM - 40.0 { all } else { 0.0 }
                } else {
                    0.0
                };
                draw_notes(&mut flow, heading, items, keep)?;
            }
        }
    }
    flow.y += 3.0;
    flow.ensure(closing_h)?;
    let top = flow.y;
    draw_closing(flow.canvas, doc, top)
}
