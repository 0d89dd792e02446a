//! Shared helpers for the end-to-end tests: temp stations, a district on 127.0.0.1:0.

pub mod pdf;
pub mod station;
pub mod sync_env;
