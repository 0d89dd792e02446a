//! The body blocks between header and closing: column tables whose header repeats on every
//! page they run onto, numbered notes, and running text; all wrap, none is clipped.

use crate::PrintError;
use crate::canvas::Canvas;
use crate::doc::Column;
use crate::table::{BODY_PT, Cell, Flow};
use crate::templates::frame::{LEFT, WIDTH};

const NOTE_PT: f32 = 9.5;
const NOTE_LINE_H: f32 = 5.0;
const NOTE_INDENT: f32 = 4.0;
const TEXT_LINE_H: f32 = 6.0;

/// Column widths in mm: fixed ones as given, the flexible ones share what is left.
fn widths(columns: &[Column]) -> Vec<f32> {
    let fixed: f32 = columns.iter().filter_map(|c| c.width_mm).sum();
    let flexible = columns
        .iter()
        .filter(|c| c.width_mm.is_none())
        .count()
        .max(1);
    let rest = ((WIDTH - fixed) / flexible as f32).max(10.0);
    columns.iter().map(|c| c.width_mm.unwrap_or(rest)).collect()
}

/// A table under its header; a row that no longer fits goes to the next page, under the
/// header again.
pub(crate) fn draw_table(
    flow: &mut Flow<'_, '_>,
    columns: &[Column],
    rows: &[Vec<String>],
) -> Result<(), PrintError> {
    let widths = widths(columns);
    let header: Vec<Cell<'_>> = columns
        .iter()
        .zip(&widths)
        .map(|(c, w)| Cell {
            text: &c.title,
            w: *w,
            label: true,
            centered: true,
        })
        .collect();
    flow.y += 4.0;
    let first = rows
        .first()
        .map_or(0.0, |r| flow.row_height(&cells(columns, &widths, r)));
    // Keep the header together with its first row.
    flow.ensure(flow.row_height(&header) + first)?;
    flow.row(&header)?;
    for row in rows {
        let cells = cells(columns, &widths, row);
        if flow.ensure(flow.row_height(&cells))? {
            flow.row(&header)?;
        }
        flow.row(&cells)?;
    }
    Ok(())
}

fn cells<'a>(columns: &[Column], widths: &[f32], row: &'a [String]) -> Vec<Cell<'a>> {
    columns
        .iter()
        .zip(widths)
        .zip(row)
        .map(|((c, w), text)| Cell {
            text,
            w: *w,
            label: false,
            centered: c.centered,
        })
        .collect()
}

/// The notes as (number, line) pairs, the number on each note's first line only.
fn note_lines(canvas: &Canvas<'_>, items: &[String]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (i, note) in items.iter().enumerate() {
        let prefix = format!("{}. ", i + 1);
        let indent = canvas.width_mm("0. ", NOTE_PT);
        for (j, line) in canvas
            .wrap(note, NOTE_PT, WIDTH - NOTE_INDENT - indent)
            .into_iter()
            .enumerate()
        {
            out.push((
                if j == 0 {
                    prefix.clone()
                } else {
                    String::new()
                },
                line,
            ));
        }
    }
    out
}

/// The height of a notes block, heading included.
pub(crate) fn notes_height(canvas: &Canvas<'_>, items: &[String]) -> f32 {
    4.0 + NOTE_LINE_H * (note_lines(canvas, items).len() + 1) as f32
}

/// A heading and numbered notes; `keep` mm (the notes and what follows them) are kept on one
/// page when non-zero.
pub(crate) fn draw_notes(
    flow: &mut Flow<'_, '_>,
    heading: &str,
    items: &[String],
    keep: f32,
) -> Result<(), PrintError> {
    let lines = note_lines(flow.canvas, items);
    flow.y += 4.0;
    flow.ensure(keep.max(NOTE_LINE_H * 2.0))?;
    flow.y += NOTE_LINE_H;
    flow.canvas
        .text(LEFT, flow.y, BODY_PT, &format!("{heading}："))?;
    let indent = flow.canvas.width_mm("0. ", NOTE_PT);
    for (prefix, line) in &lines {
        flow.ensure(NOTE_LINE_H)?;
        flow.y += NOTE_LINE_H;
        if !prefix.is_empty() {
            flow.canvas
                .text(LEFT + NOTE_INDENT, flow.y, NOTE_PT, prefix)?;
        }
        flow.canvas
            .text(LEFT + NOTE_INDENT + indent, flow.y, NOTE_PT, line)?;
    }
    // Room for the descenders before whatever follows.
    flow.y += 2.0;
    Ok(())
}

/// A paragraph of running text, wrapped to the page width.
pub(crate) fn draw_text(flow: &mut Flow<'_, '_>, text: &str) -> Result<(), PrintError> {
    flow.y += 2.0;
    for line in flow.canvas.wrap(text, BODY_PT, WIDTH) {
        flow.ensure(TEXT_LINE_H)?;
        flow.y += TEXT_LINE_H;
        flow.canvas.text(LEFT, flow.y, BODY_PT, &line)?;
    }
    // Room for the descenders before whatever follows.
    flow.y += 2.5;
    Ok(())
}
