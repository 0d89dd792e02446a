//! Where everything on the 受理回执 goes: title, field table, materials, notices, seal, QR.

use crate::canvas::{Canvas, PAGE_H, PAGE_W};
use crate::qr::qr_areas;
use crate::table::{BODY_PT, Cell, Flow};
use crate::{AcceptanceSlip, PrintError};

const LEFT: f32 = 20.0;
const WIDTH: f32 = PAGE_W - 2.0 * LEFT;
const BOTTOM: f32 = PAGE_H - 16.0;
const LABEL_W: f32 = 34.0;
/// Seal, date and QR code at the end of the slip.
const CLOSING_H: f32 = 41.0;
/// The QR square including its quiet zone: ~0.5 mm modules for a typical payload.
const QR_SIZE: f32 = 34.0;
const NOTICE_PT: f32 = 9.5;
const NOTICE_LINE_H: f32 = 5.0;
const NOTICE_INDENT: f32 = 4.0;

/// Lays the slip out on as many A4 pages as it needs (one for any ordinary case).
pub(crate) fn draw_slip(canvas: &mut Canvas<'_>, slip: &AcceptanceSlip) -> Result<(), PrintError> {
    let mut y = 22.0;
    canvas.text_centered(PAGE_W / 2.0, y, 12.0, &slip.accepting_body)?;
    y += 11.0;
    canvas.text_centered(PAGE_W / 2.0, y, 22.0, &slip.title)?;
    y += 10.0;
    canvas.text(LEFT, y, 10.5, &format!("办件编号：{}", slip.case_no))?;
    if let Some(official) = &slip.official_case_no {
        canvas.text_right(LEFT + WIDTH, y, 10.5, &format!("统一办件编号：{official}"))?;
    }
    y += 3.0;

    let continuation = |c: &mut Canvas<'_>| -> Result<f32, PrintError> {
        c.text(LEFT, 20.0, 10.5, &format!("{}（续）", slip.title))?;
        c.text_right(
            LEFT + WIDTH,
            20.0,
            10.5,
            &format!("办件编号：{}", slip.case_no),
        )?;
        Ok(24.0)
    };
    let mut flow = Flow {
        canvas,
        left: LEFT,
        width: WIDTH,
        y,
        bottom: BOTTOM,
        on_new_page: &continuation,
    };
    for group in field_groups(slip) {
        flow.fields(&group, LABEL_W)?;
    }
    materials(&mut flow, slip)?;
    notices_and_closing(&mut flow, slip)
}

/// The field table in groups; two fields share a row only within a group.
fn field_groups(slip: &AcceptanceSlip) -> Vec<Vec<(&str, &str)>> {
    vec![
        vec![
            ("事项名称", slip.item_name.as_str()),
            ("事项编码", &slip.item_code),
            ("承办部门", &slip.department),
        ],
        slip.applicant
            .iter()
            .map(|f| (f.label.as_str(), f.value.as_str()))
            .collect(),
        vec![
            ("联系人", &slip.contact_name),
            ("联系电话", &slip.contact_phone),
        ],
        vec![
            ("受理人", &slip.clerk),
            ("受理时间", &slip.accepted_at),
            ("受理单位", &slip.accepting_body),
        ],
        vec![
            ("法定时限", &slip.statutory_limit),
            ("承诺时限", &slip.promised_limit),
            ("承诺办结日期", &slip.due_date),
            ("收费标准", &slip.fee),
            ("结果送达方式", &slip.delivery),
        ],
        vec![("进度查询", &slip.progress_query)],
    ]
}

fn materials(flow: &mut Flow<'_, '_>, slip: &AcceptanceSlip) -> Result<(), PrintError> {
    let (no_w, form_w, count_w) = (14.0, 34.0, 20.0);
    let name_w = WIDTH - no_w - form_w - count_w;
    flow.y += 4.0;
    let header = [
        ("序号", no_w),
        ("已收取材料名称", name_w),
        ("材料形式", form_w),
        ("份数", count_w),
    ];
    // Keep the header together with at least the first material.
    flow.ensure(18.0)?;
    let header = header.map(|(text, w)| Cell {
        text,
        w,
        label: true,
        centered: true,
    });
    flow.row(&header)?;
    for (i, m) in slip.materials.iter().enumerate() {
        let no = (i + 1).to_string();
        let cells = [
            Cell {
                text: &no,
                w: no_w,
                label: false,
                centered: true,
            },
            Cell {
                text: &m.name,
                w: name_w,
                label: false,
                centered: false,
            },
            Cell {
                text: &m.form,
                w: form_w,
                label: false,
                centered: true,
            },
            Cell {
                text: &m.count,
                w: count_w,
                label: false,
                centered: true,
            },
        ];
        // The table goes on over a page break under its header again.
        if flow.ensure(flow.row_height(&cells))? {
            flow.row(&header)?;
        }
        flow.row(&cells)?;
    }
    Ok(())
}

/// The notice block as (number, line) pairs, the number on each notice's first line only.
fn notice_lines(canvas: &Canvas<'_>, slip: &AcceptanceSlip) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (i, notice) in slip.notices.iter().enumerate() {
        let prefix = format!("{}. ", i + 1);
        let indent = canvas.width_mm(&prefix, NOTICE_PT);
        let lines = canvas.wrap(notice, NOTICE_PT, WIDTH - NOTICE_INDENT - indent);
        for (j, line) in lines.into_iter().enumerate() {
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

/// Notices, then seal and QR code; the two stay on one page so the seal never sits alone.
fn notices_and_closing(flow: &mut Flow<'_, '_>, slip: &AcceptanceSlip) -> Result<(), PrintError> {
    let lines = notice_lines(flow.canvas, slip);
    flow.y += 4.0;
    flow.ensure(NOTICE_LINE_H * (lines.len() + 1) as f32 + CLOSING_H)?;
    flow.y += NOTICE_LINE_H;
    flow.canvas.text(LEFT, flow.y, BODY_PT, "告知事项：")?;
    let indent = flow.canvas.width_mm("0. ", NOTICE_PT);
    for (prefix, line) in &lines {
        flow.ensure(NOTICE_LINE_H)?;
        flow.y += NOTICE_LINE_H;
        if !prefix.is_empty() {
            flow.canvas
                .text(LEFT + NOTICE_INDENT, flow.y, NOTICE_PT, prefix)?;
        }
        flow.canvas
            .text(LEFT + NOTICE_INDENT + indent, flow.y, NOTICE_PT, line)?;
    }
    flow.y += 2.0;
    flow.ensure(CLOSING_H)?;
    closing(flow.canvas, slip, flow.y)
}

/// Seal area and date in the middle, the evaluation QR code with its caption on the right.
fn closing(canvas: &mut Canvas<'_>, slip: &AcceptanceSlip, top: f32) -> Result<(), PrintError> {
    let qr_x = LEFT + WIDTH - QR_SIZE + 2.0;
    let qr_y = top + 2.0;
    canvas.fill(
        &qr_areas(&slip.evaluation_payload, qr_x, qr_y, QR_SIZE)?,
        0.0,
    );
    canvas.text_centered(
        qr_x + QR_SIZE / 2.0,
        qr_y + QR_SIZE + 3.0,
        9.0,
        &slip.evaluation_caption,
    )?;

    let seal_cx = LEFT + WIDTH * 0.52;
    canvas.text_centered(seal_cx, top + 20.0, BODY_PT, &slip.seal_caption)?;
    canvas.text_centered(seal_cx, top + 39.0, BODY_PT, &slip.accepted_date)?;
    canvas.text(
        LEFT,
        top + 39.0,
        BODY_PT,
        &format!("受理人：{}", slip.clerk),
    )?;
    Ok(())
}
