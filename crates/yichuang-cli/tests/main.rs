//! The `yichuang` command line, run as the operator would: audit verification, catalogue import, district enrollment.
//! One test binary for the crate (each file below is a module): one link instead of one per
//! file keeps a clean build's disk and time small.

mod audit_verify;
mod catalogue_import;
mod common;
mod district_enroll;
