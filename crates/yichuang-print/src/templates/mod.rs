//! Every A4 paper the counter hands out, each a small builder filling the shared frame
//! (frame.rs, body.rs, closing.rs) from a case's stored data.

mod acceptance;
mod body;
mod closing;
mod common;
mod completion;
mod correction;
pub(crate) mod frame;
mod rejection;
mod service;
mod tolerant;

pub(crate) use acceptance::acceptance_doc;
pub use acceptance::acceptance_notice;
pub use completion::{Completion, completion_receipt};
pub use correction::{FIVE_DAY_RULE, correction_notice};
pub use rejection::{APPEAL_BASIS, rejection_notice};
pub use service::service_receipt;
pub use tolerant::tolerant_notice;
