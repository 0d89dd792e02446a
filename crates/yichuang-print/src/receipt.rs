//! The acceptance slip on an 80 mm receipt printer (`SlipKind::AcceptanceReceipt`): the
//! fields of the A4 受理回执 in one 72 mm column, on one roll page as tall as its content,
//! in sizes a 203 dpi thermal head prints legibly, with QR codes a phone reads from paper.

use printpdf::{CurTransMat, FontId, Mm, Op, PdfDocument, PdfPage, Pt};

use crate::canvas::{Area, Canvas, PAGE_H};
use crate::qr::qr_areas;
use crate::{
    AcceptanceSlip, PROGRESS_CAPTION, PrintError, SlipFont, progress_payload, unprintable_fields,
};

/// The roll's width.
const RECEIPT_W: f32 = 80.0;
/// What the head prints of it (576 dots at 203 dpi): 4 mm are left blank on each side.
const MARGIN: f32 = 4.0;
const CONTENT_W: f32 = RECEIPT_W - 2.0 * MARGIN;
const TOP: f32 = 4.0;
/// Blank paper after the last line, so the cutter does not cut through the date.
const FEED: f32 = 12.0;
/// A PDF page may be at most 200 inches long (PDF 1.7, annex C).
const MAX_H: f32 = 5080.0;
const TITLE_PT: f32 = 16.0;
const CASE_NO_PT: f32 = 11.0;
const BODY_PT: f32 = 9.5;
/// The smallest text on the receipt (notices, captions): still 3.2 mm high on paper.
const SMALL_PT: f32 = 9.0;
const LINE_GAP: f32 = 1.4;
/// How far a code under its label is set in.
const CODE_INDENT: f32 = 2.0;
/// The QR square with its 4-module quiet zone: the symbol itself stays over 30 mm wide
/// whatever the payload (21 of 29 modules at the smallest version).
const QR_SQUARE: f32 = 44.0;
const SEAL_W: f32 = 40.0;
const SEAL_H: f32 = 24.0;
const PT_PER_MM: f32 = 72.0 / 25.4;

fn em(size_pt: f32) -> f32 {
    size_pt / PT_PER_MM
}

/// The column being filled from the top: `y` is where the next line's top goes.
struct Roll<'c, 'f> {
    canvas: &'c mut Canvas<'f>,
    y: f32,
}

impl Roll<'_, '_> {
    /// `text` in lines no wider than `max_w`. The canvas lets closing punctuation hang past
    /// the width (it never starts a line); on a roll that would print off the paper, so the
    /// width is narrowed until the hanging marks fit too.
    fn wrap(&self, text: &str, size: f32, max_w: f32) -> Vec<String> {
        let mut narrower = 0.0;
        loop {
            let lines = self.canvas.wrap(text, size, max_w - narrower);
            let widest = lines
                .iter()
                .map(|l| self.canvas.width_mm(l, size))
                .fold(0.0, f32::max);
            if widest <= max_w || narrower > max_w / 2.0 {
                return lines;
            }
            narrower += em(size);
        }
    }

    /// One line of text at `x`, advancing `y`.
    fn line(&mut self, x: f32, size: f32, text: &str) -> Result<(), PrintError> {
        self.canvas.text(x, self.y + em(size) * 0.9, size, text)?;
        self.y += em(size) * LINE_GAP;
        Ok(())
    }

    /// `text` wrapped to the column, each line centred.
    fn centered(&mut self, size: f32, text: &str) -> Result<(), PrintError> {
        for line in self.wrap(text, size, CONTENT_W) {
            let baseline = self.y + em(size) * 0.9;
            self.canvas
                .text_centered(RECEIPT_W / 2.0, baseline, size, &line)?;
            self.y += em(size) * LINE_GAP;
        }
        Ok(())
    }

    /// `prefix` at `x`, then `text` wrapped beside it with every further line under the
    /// first (a hanging indent).
    fn hanging(&mut self, x: f32, size: f32, prefix: &str, text: &str) -> Result<(), PrintError> {
        let indent = self.canvas.width_mm(prefix, size);
        let lines = self.wrap(text, size, MARGIN + CONTENT_W - x - indent);
        for (i, line) in lines.iter().enumerate() {
            if i == 0 && !prefix.is_empty() {
                self.canvas.text(x, self.y + em(size) * 0.9, size, prefix)?;
            }
            self.line(x + indent, size, line)?;
        }
        Ok(())
    }

    /// `label：value`, the value wrapped under itself. A code or number that would break
    /// beside its label but fits a line of its own goes under the label instead, whole.
    fn field(&mut self, label: &str, value: &str) -> Result<(), PrintError> {
        let prefix = format!("{label}：");
        let beside = CONTENT_W - self.canvas.width_mm(&prefix, BODY_PT);
        let under = CONTENT_W - CODE_INDENT;
        let width = self.canvas.width_mm(value, BODY_PT);
        if value.is_ascii() && width > beside && width <= under {
            self.line(MARGIN, BODY_PT, &prefix)?;
            return self.line(MARGIN + CODE_INDENT, BODY_PT, value);
        }
        self.hanging(MARGIN, BODY_PT, &prefix, value)
    }

    /// A thin rule across the column between sections.
    fn rule(&mut self) {
        self.y += 1.2;
        self.canvas.fill(
            &[Area {
                x: MARGIN,
                y: self.y,
                w: CONTENT_W,
                h: 0.25,
            }],
            0.0,
        );
        self.y += 1.8;
    }

    fn heading(&mut self, text: &str) -> Result<(), PrintError> {
        self.line(MARGIN, BODY_PT, text)
    }
}

/// Renders the 受理回执 for an 80 mm receipt printer as a one-page PDF, 80 mm wide and as
/// long as the slip. `reprint` (copy number, reason) marks a later copy 补打. Every printed
/// character is checked against the font first and reported, never dropped.
#[tracing::instrument(skip_all, fields(case_no = %slip.case_no, reprint = reprint.is_some()), err)]
pub fn render_acceptance_receipt(
    slip: &AcceptanceSlip,
    font: &SlipFont,
    reprint: Option<(u32, &str)>,
) -> Result<Vec<u8>, PrintError> {
    check_printable(slip, font, reprint)?;
    let mut doc = PdfDocument::new(&format!("{} {}", slip.title, slip.case_no));
    doc.metadata.info.creator = "一窗受理台".into();
    let font_id = FontId::new();
    let mut canvas = Canvas::new(font, font_id);
    let mut roll = Roll {
        canvas: &mut canvas,
        y: TOP,
    };
    draw(&mut roll, slip, reprint)?;
    let height = roll.y + FEED;
    if height > MAX_H {
        return Err(PrintError::Pdf {
            detail: format!(
                "小票长 {:.0} 毫米，超出打印机能处理的长度，请改用 A4 受理通知书",
                height
            ),
        });
    }
    // The canvas measures from the top of an A4 page; the roll page is as tall as its
    // content, so everything moves by the difference.
    let shift = Op::SetTransformationMatrix {
        matrix: CurTransMat::Translate(Pt(0.0), Mm(height - PAGE_H).into()),
    };
    let fonts = canvas.fonts();
    let pages = canvas
        .finish()
        .into_iter()
        .map(|ops| {
            let mut all = vec![Op::SaveGraphicsState, shift.clone()];
            all.extend(ops);
            all.push(Op::RestoreGraphicsState);
            PdfPage::new(Mm(RECEIPT_W), Mm(height), all)
        })
        .collect();
    crate::pdf_save::save_pdf(doc, pages, &fonts)
}

fn check_printable(
    slip: &AcceptanceSlip,
    font: &SlipFont,
    reprint: Option<(u32, &str)>,
) -> Result<(), PrintError> {
    let mut problems = unprintable_fields(slip, font);
    if let Some((_, reason)) = reprint {
        let missing = font.missing_chars(reason);
        if !missing.is_empty() {
            problems.push(("补打原因".into(), missing));
        }
    }
    let Some((field, _)) = problems.first() else {
        return Ok(());
    };
    let field = field.clone();
    let mut chars: Vec<char> = Vec::new();
    for c in problems.into_iter().flat_map(|(_, missing)| missing) {
        if !chars.contains(&c) {
            chars.push(c);
        }
    }
    Err(PrintError::UnprintableChars { field, chars })
}

fn draw(
    roll: &mut Roll<'_, '_>,
    slip: &AcceptanceSlip,
    reprint: Option<(u32, &str)>,
) -> Result<(), PrintError> {
    roll.centered(10.5, &slip.accepting_body)?;
    roll.y += 1.0;
    roll.centered(TITLE_PT, &slip.title)?;
    if let Some((copy_no, reason)) = reprint {
        reprint_mark(roll, copy_no, reason)?;
    }
    roll.rule();
    roll.heading("办件编号：")?;
    roll.hanging(MARGIN + CODE_INDENT, CASE_NO_PT, "", &slip.case_no)?;
    if let Some(official) = &slip.official_case_no {
        roll.heading("统一办件编号：")?;
        roll.hanging(MARGIN + CODE_INDENT, CASE_NO_PT, "", official)?;
    }
    roll.rule();
    roll.field("事项名称", &slip.item_name)?;
    roll.field("事项编码", &slip.item_code)?;
    roll.field("承办部门", &slip.department)?;
    for f in &slip.applicant {
        roll.field(&f.label, &f.value)?;
    }
    roll.field("联系人", &slip.contact_name)?;
    roll.field("联系电话", &slip.contact_phone)?;
    roll.rule();
    materials(roll, slip)?;
    roll.rule();
    for (label, value) in [
        ("受理单位", &slip.accepting_body),
        ("受理人", &slip.clerk),
        ("受理时间", &slip.accepted_at),
        ("法定时限", &slip.statutory_limit),
        ("承诺时限", &slip.promised_limit),
        ("承诺办结日期", &slip.due_date),
        ("收费标准", &slip.fee),
        ("结果送达方式", &slip.delivery),
        ("进度查询", &slip.progress_query),
    ] {
        roll.field(label, value)?;
    }
    roll.rule();
    roll.heading("告知事项：")?;
    for (i, notice) in slip.notices.iter().enumerate() {
        roll.hanging(MARGIN + 1.0, SMALL_PT, &format!("{}. ", i + 1), notice)?;
    }
    roll.rule();
    closing(roll, slip)
}

/// 补打 in a box under the title, with the copy number and the reason given.
fn reprint_mark(roll: &mut Roll<'_, '_>, copy_no: u32, reason: &str) -> Result<(), PrintError> {
    roll.y += 1.5;
    let top = roll.y;
    roll.y += 1.2;
    roll.centered(12.0, &format!("补打 · 第 {copy_no} 份"))?;
    let reason = reason.split_whitespace().collect::<Vec<_>>().join(" ");
    roll.hanging(MARGIN + 2.0, SMALL_PT, "补打原因：", &reason)?;
    roll.y += 0.8;
    roll.canvas.stroke_box(
        Area {
            x: MARGIN,
            y: top,
            w: CONTENT_W,
            h: roll.y - top,
        },
        1.2,
    );
    roll.y += 0.5;
    Ok(())
}

/// Each received material on its own: number and name, then form and count at the right
/// (beside the name's last line when they fit there).
fn materials(roll: &mut Roll<'_, '_>, slip: &AcceptanceSlip) -> Result<(), PrintError> {
    roll.heading(&format!("已收取材料（共 {} 项）：", slip.materials.len()))?;
    let right = MARGIN + CONTENT_W;
    for (i, m) in slip.materials.iter().enumerate() {
        let prefix = format!("{}. ", i + 1);
        let x = MARGIN + 1.0;
        let indent = roll.canvas.width_mm(&prefix, BODY_PT);
        let name_w = right - x - indent;
        let lines = roll.wrap(&m.name, BODY_PT, name_w);
        let tail = format!("{} {}", m.form, m.count);
        let tail_w = roll.canvas.width_mm(&tail, BODY_PT);
        let last_w = lines
            .last()
            .map_or(0.0, |l| roll.canvas.width_mm(l, BODY_PT));
        let beside = last_w + 3.0 + tail_w <= name_w;
        let n = lines.len();
        for (j, line) in lines.iter().enumerate() {
            let baseline = roll.y + em(BODY_PT) * 0.9;
            if j == 0 {
                roll.canvas.text(x, baseline, BODY_PT, &prefix)?;
            }
            roll.line(x + indent, BODY_PT, line)?;
            if j + 1 == n && beside {
                roll.canvas.text_right(right, baseline, BODY_PT, &tail)?;
            }
        }
        if !beside {
            let baseline = roll.y + em(BODY_PT) * 0.9;
            roll.canvas.text_right(right, baseline, BODY_PT, &tail)?;
            roll.y += em(BODY_PT) * LINE_GAP;
        }
    }
    Ok(())
}

/// Where the progress query of `evaluation_payload` is served: `/progress` beside the
/// evaluation page's `/hcp`, as the A4 acceptance slip derives it (render.rs).
fn receipt_progress_payload(evaluation_payload: &str) -> String {
    let base = evaluation_payload
        .split_once('?')
        .map_or(evaluation_payload, |(b, _)| b);
    let district = base.strip_suffix("/hcp").unwrap_or(base);
    progress_payload(evaluation_payload, &format!("{district}/progress"))
}

/// The evaluation and progress QR codes one under the other (two codes side by side on a
/// narrow roll make a phone read the wrong one), then the seal area with the date.
fn closing(roll: &mut Roll<'_, '_>, slip: &AcceptanceSlip) -> Result<(), PrintError> {
    let progress = receipt_progress_payload(&slip.evaluation_payload);
    for (payload, caption) in [
        (
            slip.evaluation_payload.as_str(),
            slip.evaluation_caption.as_str(),
        ),
        (progress.as_str(), PROGRESS_CAPTION),
    ] {
        let qr_x = (RECEIPT_W - QR_SQUARE) / 2.0;
        roll.canvas
            .fill(&qr_areas(payload, qr_x, roll.y, QR_SQUARE)?, 0.0);
        roll.y += QR_SQUARE;
        roll.centered(BODY_PT, caption)?;
    }
    roll.y += 3.0;
    let seal = Area {
        x: (RECEIPT_W - SEAL_W) / 2.0,
        y: roll.y,
        w: SEAL_W,
        h: SEAL_H,
    };
    roll.canvas.stroke_box(seal, 0.4);
    roll.y += SEAL_H - em(SMALL_PT) * LINE_GAP - 1.0;
    roll.centered(SMALL_PT, &slip.seal_caption)?;
    roll.y += 2.0;
    roll.centered(BODY_PT, &slip.accepted_date)?;
    Ok(())
}
