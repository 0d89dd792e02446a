//! The acceptance slip as an A4 HTML page with the same fields, tables, notices and QR codes
//! as the PDF, the same font by file URL: what a browser-based counter client would print.

use std::fmt::Write;
use std::path::Path;

use anyhow::Context;
use qrcode::render::svg;
use qrcode::{EcLevel, QrCode};
use yichuang_print::{
    AcceptanceSlip, EVALUATION_CAPTION, PROGRESS_CAPTION, SlipField, progress_payload,
};

const STYLE: &str = "@page { size: A4; margin: 16mm 20mm; }
body { font-family: SlipFont; font-size: 10.5pt; margin: 0; }
.station { text-align: center; font-size: 12pt; margin: 0; }
h1 { text-align: center; font-size: 22pt; font-weight: normal; margin: 4mm 0; }
.numbers { display: flex; justify-content: space-between; margin-bottom: 2mm; }
table { width: 100%; border-collapse: collapse; margin-bottom: 4mm; }
th, td { border: 0.6pt solid #000; padding: 1mm 2mm; }
th { background: #eee; font-weight: normal; }
table.f { margin-bottom: 0; border-bottom: none; }
table.f th { width: 30mm; }
table.f td { width: 50mm; }
thead { display: table-header-group; }
.notes { font-size: 9.5pt; }
.closing { display: flex; justify-content: space-between; align-items: flex-end; }
.qr { text-align: center; font-size: 9pt; }
.qr svg { width: 34mm; height: 34mm; display: block; }";

fn esc(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn qr_svg(payload: &str) -> anyhow::Result<String> {
    let code = QrCode::with_error_correction_level(payload.as_bytes(), EcLevel::M)
        .context("二维码内容过长")?;
    Ok(code.render::<svg::Color<'_>>().quiet_zone(true).build())
}

/// Values this short share a row, two fields to a row, as on the PDF.
const HALF_ROW_CHARS: usize = 16;

fn fields_table(out: &mut String, fields: &[SlipField]) {
    out.push_str("<table class=\"f\">");
    let short = |f: &SlipField| f.value.chars().count() <= HALF_ROW_CHARS;
    let mut i = 0;
    while i < fields.len() {
        let f = &fields[i];
        match fields.get(i + 1) {
            Some(g) if short(f) && short(g) => {
                let _ = write!(
                    out,
                    "<tr><th>{}</th><td>{}</td><th>{}</th><td>{}</td></tr>",
                    esc(&f.label),
                    esc(&f.value),
                    esc(&g.label),
                    esc(&g.value)
                );
                i += 2;
            }
            _ => {
                let _ = write!(
                    out,
                    "<tr><th>{}</th><td colspan=\"3\">{}</td></tr>",
                    esc(&f.label),
                    esc(&f.value)
                );
                i += 1;
            }
        }
    }
    out.push_str("</table>");
}

fn field(label: &str, value: &str) -> SlipField {
    SlipField {
        label: label.into(),
        value: value.into(),
    }
}

/// The slip's HTML, with `font` (an absolute path) as its only font.
pub fn slip_html(slip: &AcceptanceSlip, font: &Path) -> anyhow::Result<String> {
    let base = slip
        .evaluation_payload
        .split_once('?')
        .map_or(slip.evaluation_payload.as_str(), |(b, _)| b);
    let district = base.strip_suffix("/hcp").unwrap_or(base);
    let progress = progress_payload(&slip.evaluation_payload, &format!("{district}/progress"));
    let mut out = String::with_capacity(64 * 1024);
    let _ = write!(
        out,
        "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>受理通知书 {}</title>\
         <style>@font-face {{ font-family: SlipFont; src: url(\"file://{}\"); }}\n{STYLE}</style></head><body>",
        esc(&slip.case_no),
        font.display()
    );
    let _ = write!(
        out,
        "<p class=\"station\">{}</p><h1>受理通知书</h1><div class=\"numbers\"><span>办件编号：{}</span><span>{}</span></div>",
        esc(&slip.accepting_body),
        esc(&slip.case_no),
        slip.official_case_no
            .as_deref()
            .map(|n| format!("统一办件编号：{}", esc(n)))
            .unwrap_or_default()
    );
    let groups: [Vec<SlipField>; 6] = [
        vec![
            field("事项名称", &slip.item_name),
            field("事项编码", &slip.item_code),
            field("承办部门", &slip.department),
        ],
        slip.applicant.clone(),
        vec![
            field("联系人", &slip.contact_name),
            field("联系电话", &slip.contact_phone),
        ],
        vec![
            field("受理人", &slip.clerk),
            field("受理时间", &slip.accepted_at),
            field("受理单位", &slip.accepting_body),
        ],
        vec![
            field("法定时限", &slip.statutory_limit),
            field("承诺时限", &slip.promised_limit),
            field("承诺办结日期", &slip.due_date),
            field("收费标准", &slip.fee),
            field("结果送达方式", &slip.delivery),
        ],
        vec![field("进度查询", &slip.progress_query)],
    ];
    for group in &groups {
        fields_table(&mut out, group);
    }
    out.push_str(
        "<table style=\"margin-top: 4mm\"><thead><tr><th>序号</th><th>已收取材料名称</th><th>材料形式</th><th>份数</th></tr></thead><tbody>",
    );
    for (i, m) in slip.materials.iter().enumerate() {
        let _ = write!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            i + 1,
            esc(&m.name),
            esc(&m.form),
            esc(&m.count)
        );
    }
    out.push_str("</tbody></table><div class=\"notes\">告知事项：<ol>");
    for n in &slip.notices {
        let _ = write!(out, "<li>{}</li>", esc(n));
    }
    let _ = write!(
        out,
        "</ol></div><div class=\"closing\"><div>受理人：{}<br>申请人（签名）：</div>\
         <div>{}<br><br>{}</div>\
         <div class=\"qr\">{}{}</div><div class=\"qr\">{}{}</div></div></body></html>",
        esc(&slip.clerk),
        esc(&slip.seal_caption),
        esc(&slip.accepted_date),
        qr_svg(&slip.evaluation_payload)?,
        EVALUATION_CAPTION,
        qr_svg(&progress)?,
        PROGRESS_CAPTION
    );
    Ok(out)
}
