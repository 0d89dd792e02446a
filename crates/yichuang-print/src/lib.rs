//! Slips as PDF: the acceptance slip (受理回执) with an embedded subset CJK font and the
//! 好差评 QR code. A character the font cannot print stops the slip with a clear message.

mod canvas;
mod error;
mod font;
mod layout;
mod qr;
mod render;
mod slip;
mod table;

pub use error::PrintError;
pub use font::{BUNDLED_FONT, SlipFont};
pub use render::{render_acceptance_slip, unprintable_fields};
pub use slip::{AcceptanceSlip, SlipField, SlipMaterial};
