//! Bordered label/value and column tables that wrap their text and break across pages.

use crate::PrintError;
use crate::canvas::{Area, Canvas};

pub(crate) const BODY_PT: f32 = 10.5;
const PAD_X: f32 = 2.0;
const PAD_Y: f32 = 2.2;
const LINE_GAP: f32 = 1.45;
const LABEL_GREY: f32 = 0.92;
const RULE_PT: f32 = 0.6;

/// Where rows are placed, and what happens when the page is full.
pub(crate) struct Flow<'c, 'f> {
    pub canvas: &'c mut Canvas<'f>,
    pub left: f32,
    pub width: f32,
    pub y: f32,
    pub bottom: f32,
    /// Draws the continuation header on a fresh page and returns where rows start.
    pub on_new_page: &'c dyn Fn(&mut Canvas<'f>) -> Result<f32, PrintError>,
}

/// One cell: its text, width in mm, whether it is a (grey) label cell, and alignment.
pub(crate) struct Cell<'a> {
    pub text: &'a str,
    pub w: f32,
    pub label: bool,
    pub centered: bool,
}

fn size_mm(pt: f32) -> f32 {
    pt * 25.4 / 72.0
}

impl Flow<'_, '_> {
    /// Starts a new page if `h` mm no longer fit on this one; says whether it did.
    pub fn ensure(&mut self, h: f32) -> Result<bool, PrintError> {
        if self.y + h <= self.bottom {
            return Ok(false);
        }
        self.canvas.new_page();
        self.y = (self.on_new_page)(self.canvas)?;
        Ok(true)
    }

    fn wrap_cells(&self, cells: &[Cell<'_>]) -> (Vec<Vec<String>>, f32) {
        let wrapped: Vec<Vec<String>> = cells
            .iter()
            .map(|c| self.canvas.wrap(c.text, BODY_PT, c.w - 2.0 * PAD_X))
            .collect();
        let lines = wrapped.iter().map(Vec::len).max().unwrap_or(1).max(1);
        let em = size_mm(BODY_PT);
        let h = 2.0 * PAD_Y + em + (lines - 1) as f32 * em * LINE_GAP;
        (wrapped, h)
    }

    /// The height `cells` will take as a row.
    pub fn row_height(&self, cells: &[Cell<'_>]) -> f32 {
        self.wrap_cells(cells).1
    }

    /// Draws one row of cells, as high as its tallest wrapped cell.
    pub fn row(&mut self, cells: &[Cell<'_>]) -> Result<(), PrintError> {
        let em = size_mm(BODY_PT);
        let line_h = em * LINE_GAP;
        let (wrapped, h) = self.wrap_cells(cells);
        self.ensure(h)?;
        let mut x = self.left;
        let labels: Vec<Area> = cells
            .iter()
            .scan(self.left, |cx, c| {
                let a = Area {
                    x: *cx,
                    y: self.y,
                    w: c.w,
                    h,
                };
                *cx += c.w;
                Some((a, c.label))
            })
            .filter_map(|(a, label)| label.then_some(a))
            .collect();
        self.canvas.fill(&labels, LABEL_GREY);
        for (cell, text_lines) in cells.iter().zip(&wrapped) {
            let block = em + (text_lines.len().max(1) - 1) as f32 * line_h;
            let mut baseline = self.y + (h - block) / 2.0 + em * 0.88;
            for line in text_lines {
                if cell.centered {
                    self.canvas
                        .text_centered(x + cell.w / 2.0, baseline, BODY_PT, line)?;
                } else {
                    self.canvas.text(x + PAD_X, baseline, BODY_PT, line)?;
                }
                baseline += line_h;
            }
            self.canvas.stroke_box(
                Area {
                    x,
                    y: self.y,
                    w: cell.w,
                    h,
                },
                RULE_PT,
            );
            x += cell.w;
        }
        self.y += h;
        Ok(())
    }

    /// Label/value pairs: two per row where both values fit half a row, else one full row.
    pub fn fields(&mut self, fields: &[(&str, &str)], label_w: f32) -> Result<(), PrintError> {
        let half_value_w = self.width / 2.0 - label_w;
        let fits: Vec<bool> = fields
            .iter()
            .map(|(_, v)| self.canvas.width_mm(v, BODY_PT) <= half_value_w - 2.0 * PAD_X)
            .collect();
        let mut i = 0;
        while i < fields.len() {
            let (l1, v1) = fields[i];
            match fields.get(i + 1) {
                Some(&(l2, v2)) if fits[i] && fits[i + 1] => {
                    self.row(&[
                        Cell {
                            text: l1,
                            w: label_w,
                            label: true,
                            centered: true,
                        },
                        Cell {
                            text: v1,
                            w: half_value_w,
                            label: false,
                            centered: false,
                        },
                        Cell {
                            text: l2,
                            w: label_w,
                            label: true,
                            centered: true,
                        },
                        Cell {
                            text: v2,
                            w: half_value_w,
                            label: false,
                            centered: false,
                        },
                    ])?;
                    i += 2;
                }
                _ => {
                    self.row(&[
                        Cell {
                            text: l1,
                            w: label_w,
                            label: true,
                            centered: true,
                        },
                        Cell {
                            text: v1,
                            w: self.width - label_w,
                            label: false,
                            centered: false,
                        },
                    ])?;
                    i += 1;
                }
            }
        }
        Ok(())
    }
}
