//! The print-ready view model every A4 paper shares: the frame (station header, case numbers,
//! 补打 mark, seal, signatures, the two QR codes) around a body of field tables, column
//! tables and numbered notes. Templates fill it from a case; the renderer lays it out.

use crate::SlipField;

/// What the station adds to every paper of a case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaperFrame {
    /// The accepting body, printed as the header.
    pub station_name: String,
    /// A phone the applicant can call with questions (the station's own when configured).
    pub consult_phone: String,
    /// 好差评 QR payload (`EvaluationQr::to_payload` with the evaluation base URL).
    pub evaluation_payload: String,
    /// Progress-query QR payload: the same signed query at the district's `/progress`.
    pub progress_payload: String,
    /// Set on a later copy: printed 补打 on every page.
    pub reprint: Option<ReprintMark>,
}

/// A later copy of a paper: its number (2 for the first reprint) and why it was printed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReprintMark {
    pub copy_no: u32,
    pub reason: String,
}

impl ReprintMark {
    /// The line printed at the top of every page of a reprint.
    pub fn text(&self) -> String {
        format!("补打 第 {} 份 补打原因：{}", self.copy_no, self.reason)
    }
}

/// One column of a table: its title, width in mm (`None`: what the others leave) and whether
/// its cells are centred.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    pub title: String,
    pub width_mm: Option<f32>,
    pub centered: bool,
}

/// A part of a paper's body.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// Label/value cells; two share a row when both values fit.
    Fields(Vec<SlipField>),
    /// A table whose header is repeated on every page it runs onto.
    Table {
        columns: Vec<Column>,
        rows: Vec<Vec<String>>,
    },
    /// A heading and numbered paragraphs (告知事项, reasons).
    Notes { heading: String, items: Vec<String> },
    /// One paragraph of running text (the address line, the decision).
    Text(String),
}

/// Signatures, seal and date at the end of a paper.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Closing {
    /// `受理人` → the clerk's name; an empty value is a line to sign on.
    pub signatures: Vec<SlipField>,
    pub seal_caption: String,
    /// Written under the seal, e.g. `2026年11月27日`; empty: a blank date to fill in.
    pub date: String,
}

/// The phone printed when the station has none of its own: the national 12345 hotline.
pub const DEFAULT_CONSULT_PHONE: &str = "12345（政务服务便民热线）";

/// Captions under the two QR codes.
pub const EVALUATION_CAPTION: &str = "扫码评价 好差评";
pub const PROGRESS_CAPTION: &str = "扫码查询办理进度";

/// One A4 paper, every text already print-ready (masked, one line per field).
#[derive(Debug, Clone, PartialEq)]
pub struct PrintDoc {
    pub title: String,
    pub frame: PaperFrame,
    /// Provisional number made at the station.
    pub case_no: String,
    /// The district's number, once known.
    pub official_case_no: Option<String>,
    pub blocks: Vec<Block>,
    pub closing: Closing,
}

impl PrintDoc {
    /// Every printed text with the name the clerk knows it by, for the glyph check and tests.
    pub fn printed_fields(&self) -> Vec<(String, &str)> {
        let mut out: Vec<(String, &str)> = vec![
            ("标题".into(), &self.title),
            ("受理单位".into(), &self.frame.station_name),
            ("办件编号".into(), &self.case_no),
        ];
        if let Some(no) = &self.official_case_no {
            out.push(("统一办件编号".into(), no));
        }
        if let Some(r) = &self.frame.reprint {
            out.push(("补打原因".into(), &r.reason));
        }
        for block in &self.blocks {
            match block {
                Block::Fields(fields) => {
                    for f in fields {
                        out.push((f.label.clone(), &f.label));
                        out.push((f.label.clone(), &f.value));
                    }
                }
                Block::Table { columns, rows } => {
                    out.extend(
                        columns
                            .iter()
                            .map(|c| ("表头".to_string(), c.title.as_str())),
                    );
                    for (i, row) in rows.iter().enumerate() {
                        for (c, cell) in columns.iter().zip(row) {
                            out.push((format!("第 {} 项{}", i + 1, c.title), cell));
                        }
                    }
                }
                Block::Notes { heading, items } => {
                    out.push(("标题".into(), heading));
                    out.extend(items.iter().map(|i| (heading.clone(), i.as_str())));
                }
                Block::Text(text) => out.push(("正文".into(), text)),
            }
        }
        for s in &self.closing.signatures {
            out.push(("签名栏".into(), &s.label));
            out.push((s.label.clone(), &s.value));
        }
        out.push(("印章区".into(), &self.closing.seal_caption));
        out.push(("日期".into(), &self.closing.date));
        out.push(("评价提示".into(), EVALUATION_CAPTION));
        out.push(("查询提示".into(), PROGRESS_CAPTION));
        out
    }
}
