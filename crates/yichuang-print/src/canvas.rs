//! A small drawing surface over printpdf ops: millimetres from the top-left corner, text that
//! refuses characters the fonts lack (each character drawn in the first face that has it),
//! lines, boxes and filled squares.

use printpdf::{
    Codepoint, Color, FontId, Greyscale, Line, LinePoint, Mm, Op, PaintMode, PdfFontHandle, Point,
    Polygon, PolygonRing, Pt, TextItem, WindingOrder,
};

use crate::font::Face;
use crate::{PrintError, SlipFont};

/// Punctuation that never starts a line (it stays with the character before it).
const CLOSING: &str = "，。、；：！？）》」』”’,.;:!?)";
/// Punctuation that never ends a line (it moves down with the character after it).
const OPENING: &str = "（《「『“‘(";

pub(crate) const PAGE_W: f32 = 210.0;
pub(crate) const PAGE_H: f32 = 297.0;
const PT_PER_MM: f32 = 72.0 / 25.4;

/// A rectangle in millimetres from the top-left corner of the page.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Area {
    pub x: f32,
    pub y: f32,
    pub w: f32,
    pub h: f32,
}

pub(crate) struct Canvas<'f> {
    font: &'f SlipFont,
    font_id: FontId,
    /// The fallback face's id in this document, made when text first needs the fallback: a
    /// slip with ordinary names never references (and so never embeds) it.
    fallback_id: Option<FontId>,
    pages: Vec<Vec<Op>>,
    ops: Vec<Op>,
}

fn point(x_mm: f32, y_top_mm: f32) -> Point {
    Point::new(Mm(x_mm), Mm(PAGE_H - y_top_mm))
}

fn corners(a: Area) -> Vec<LinePoint> {
    [
        (a.x, a.y),
        (a.x + a.w, a.y),
        (a.x + a.w, a.y + a.h),
        (a.x, a.y + a.h),
    ]
    .into_iter()
    .map(|(x, y)| LinePoint {
        p: point(x, y),
        bezier: false,
    })
    .collect()
}

impl<'f> Canvas<'f> {
    pub fn new(font: &'f SlipFont, font_id: FontId) -> Self {
        Canvas {
            font,
            font_id,
            fallback_id: None,
            pages: Vec::new(),
            ops: Vec::new(),
        }
    }

    pub fn width_mm(&self, text: &str, size_pt: f32) -> f32 {
        self.font.width_pt(text, size_pt) / PT_PER_MM
    }

    /// Draws `text` with its baseline at `y`. Characters the fonts lack are an error, never
    /// dropped: the slip-level check names the field first, this is the last line of defence.
    /// Glyphs are placed by id (with the character kept for text extraction), so the PDF
    /// writer never looks a character up on its own and cannot drop one. A run of characters
    /// the primary face lacks is drawn in the fallback face, in the same text object.
    pub fn text(&mut self, x: f32, y: f32, size_pt: f32, text: &str) -> Result<(), PrintError> {
        let missing = self.font.missing_chars(text);
        if !missing.is_empty() {
            return Err(PrintError::UnprintableChars {
                field: "回执版式文字".into(),
                chars: missing,
            });
        }
        let mut runs: Vec<(Face, Vec<Codepoint>)> = Vec::new();
        for c in text.chars() {
            let Some((face, _, g)) = self.font.face_for(c)? else {
                // Whitespace or a control character no face has a glyph for (anything else
                // was refused above): nothing to place.
                continue;
            };
            let glyph = Codepoint::with_cid(g.gid, 0.0, c.to_string());
            match runs.last_mut() {
                Some((run_face, glyphs)) if *run_face == face => glyphs.push(glyph),
                _ => runs.push((face, vec![glyph])),
            }
        }
        self.ops
            .extend([Op::StartTextSection, Op::SetTextCursor { pos: point(x, y) }]);
        for (face, glyphs) in runs {
            let id = match face {
                Face::Primary => self.font_id.clone(),
                Face::Fallback => self.fallback_id.get_or_insert_with(FontId::new).clone(),
            };
            self.ops.extend([
                Op::SetFont {
                    font: PdfFontHandle::External(id),
                    size: Pt(size_pt),
                },
                Op::ShowText {
                    items: vec![TextItem::GlyphIds(glyphs)],
                },
            ]);
        }
        self.ops.push(Op::EndTextSection);
        Ok(())
    }

    /// The faces this canvas's text uses with their ids: the primary always, the fallback
    /// when some text needed it, for `pdf_save` (which embeds them itself).
    pub fn fonts(&self) -> Vec<(FontId, &'f SlipFont)> {
        let mut fonts = vec![(self.font_id.clone(), self.font)];
        if let (Some(id), Some(face)) = (&self.fallback_id, self.font.loaded_fallback()) {
            fonts.push((id.clone(), face));
        }
        fonts
    }

    pub fn text_centered(
        &mut self,
        cx: f32,
        y: f32,
        size: f32,
        text: &str,
    ) -> Result<(), PrintError> {
        let w = self.width_mm(text, size);
        self.text(cx - w / 2.0, y, size, text)
    }

    pub fn text_right(
        &mut self,
        right: f32,
        y: f32,
        size: f32,
        text: &str,
    ) -> Result<(), PrintError> {
        let w = self.width_mm(text, size);
        self.text(right - w, y, size, text)
    }

    /// Breaks `text` into lines no wider than `max_w` mm. CJK text may break between any two
    /// characters; closing punctuation is kept at the end of the line before it.
    pub fn wrap(&self, text: &str, size: f32, max_w: f32) -> Vec<String> {
        let max_pt = max_w * PT_PER_MM;
        let mut lines = Vec::new();
        let mut line = String::new();
        let mut width = 0.0;
        for c in text.chars() {
            let w = self.font.char_width_pt(c, size);
            let keep_with_previous = CLOSING.contains(c);
            if !line.is_empty() && !keep_with_previous && width + w > max_pt {
                // An opening bracket never ends a line: it moves down with what it opens.
                let carried = match line.chars().last() {
                    Some(last) if OPENING.contains(last) && line.chars().count() > 1 => line.pop(),
                    _ => None,
                };
                lines.push(std::mem::take(&mut line).trim_end().to_string());
                width = 0.0;
                if let Some(open) = carried {
                    line.push(open);
                    width = self.font.char_width_pt(open, size);
                }
                if c == ' ' {
                    continue;
                }
            }
            line.push(c);
            width += w;
        }
        if !line.trim().is_empty() || lines.is_empty() {
            lines.push(line.trim_end().to_string());
        }
        lines
    }

    pub fn stroke_box(&mut self, a: Area, width_pt: f32) {
        self.ops.extend([
            Op::SetOutlineThickness { pt: Pt(width_pt) },
            Op::DrawLine {
                line: Line {
                    points: corners(a),
                    is_closed: true,
                },
            },
        ]);
    }

    /// Fills the areas in one path with a grey level (0 = black, 1 = white).
    pub fn fill(&mut self, areas: &[Area], grey: f32) {
        if areas.is_empty() {
            return;
        }
        let polygon = Polygon {
            rings: areas
                .iter()
                .map(|a| PolygonRing {
                    points: corners(*a),
                })
                .collect(),
            mode: PaintMode::Fill,
            winding_order: WindingOrder::NonZero,
        };
        self.ops.extend([
            Op::SaveGraphicsState,
            Op::SetFillColor {
                col: Color::Greyscale(Greyscale::new(grey, None)),
            },
            Op::DrawPolygon { polygon },
            Op::RestoreGraphicsState,
        ]);
    }

    pub fn new_page(&mut self) {
        self.pages.push(std::mem::take(&mut self.ops));
    }

    /// Adds `第 n 页 共 N 页` at the foot of every page when there is more than one.
    pub fn number_pages(&mut self) -> Result<(), PrintError> {
        if !self.ops.is_empty() {
            self.new_page();
        }
        let total = self.pages.len();
        if total < 2 {
            return Ok(());
        }
        let pages = std::mem::take(&mut self.pages);
        for (i, page) in pages.into_iter().enumerate() {
            self.ops = page;
            self.text_centered(
                PAGE_W / 2.0,
                PAGE_H - 9.0,
                9.0,
                &format!("第 {} 页 共 {total} 页", i + 1),
            )?;
            self.new_page();
        }
        Ok(())
    }

    pub fn finish(mut self) -> Vec<Vec<Op>> {
        if !self.ops.is_empty() || self.pages.is_empty() {
            self.new_page();
        }
        self.pages
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn font() -> SlipFont {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../assets/",
            "fonts/NotoSansCJKsc-Regular.otf"
        );
        SlipFont::from_path(path).unwrap()
    }

    #[test]
    fn wrap_keeps_every_character_and_minds_punctuation() {
        let font = font();
        let canvas = Canvas::new(&font, FontId::new());
        let text = "合法稳定住所证明（租赁合同或房产证明），须经登记备案。（近地铁三号线北延段京溪南方医院站B出口，请致电前联系）";
        for max_w in (30..=200).map(|w| w as f32 * 0.5) {
            let lines = canvas.wrap(text, 10.5, max_w);
            assert_eq!(lines.concat(), text, "width {max_w}");
            for line in &lines {
                let first = line.chars().next().unwrap();
                let last = line.chars().last().unwrap();
                assert!(!CLOSING.contains(first), "{line:?} starts with {first}");
                assert!(!OPENING.contains(last), "{line:?} ends with {last}");
                let body: String = line.chars().filter(|c| !CLOSING.contains(*c)).collect();
                assert!(
                    canvas.width_mm(&body, 10.5) <= max_w + 0.01,
                    "{line:?} wider than {max_w}"
                );
            }
        }
        assert_eq!(canvas.wrap("", 10.5, 30.0), vec![String::new()]);
    }
}
