//! The slips as PDFs: papers, fonts and their fallback, long content, receipts and the reference renderings.
//! One test binary for the crate (each file below is a module): one link instead of one per
//! file keeps a clean build's disk and time small.

mod font_fallback;
mod long_content;
mod papers;
mod receipt_tests;
mod reference;
mod slip_pdf;
mod support;
