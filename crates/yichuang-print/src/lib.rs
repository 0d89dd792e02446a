//! Every A4 paper the counter hands out (受理通知书, 一次性告知书, 容缺受理通知书, 不予受理
//! 通知书, 送达回证, 办结领取回执) as PDF with an embedded subset CJK font and two signed QR
//! codes (好差评 evaluation, progress query). A character the font cannot print stops the
//! paper with a clear message.

mod canvas;
mod doc;
mod error;
mod face;
mod font;
mod pdf_save;
mod qr;
mod receipt;
mod render;
mod slip;
mod subset_font;
mod table;
mod templates;

pub use doc::{
    Block, Closing, Column, DEFAULT_CONSULT_PHONE, EVALUATION_CAPTION, PROGRESS_CAPTION,
    PaperFrame, PrintDoc, ReprintMark,
};
pub use error::PrintError;
pub use font::{BUNDLED_FALLBACK_FONT, BUNDLED_FONT, SlipFont};
pub use receipt::render_acceptance_receipt;
pub use render::{
    progress_payload, render_acceptance_slip, render_doc, unprintable_doc_fields,
    unprintable_fields,
};
pub use slip::{AcceptanceSlip, SlipField, SlipMaterial, progress_query};
pub use templates::{
    APPEAL_BASIS, Completion, FIVE_DAY_RULE, acceptance_notice, completion_receipt,
    correction_notice, rejection_notice, service_receipt, tolerant_notice,
};
