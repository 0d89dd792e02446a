//! Scanned materials: import, the encrypted vault, the folder watcher and the corpus of real scanner files.
//! One test binary for the crate (each file below is a module): one link instead of one per
//! file keeps a clean build's disk and time small.

mod common;
mod corpus;
mod import;
mod vault;
mod watcher;
