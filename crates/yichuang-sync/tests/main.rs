//! Sync against the real district server on loopback: runs, failures, downloads, restarts.
//! One test binary for the crate (each file below is a module): one link instead of one per
//! file keeps a clean build's disk and time small.

#[macro_use]
mod common;
mod district_store_failure;
mod downloads;
mod evaluations;
mod listed_on_both_stores;
mod materials;
mod restart_mid_sync;
mod runner;
mod stranding;
mod token_refused;
mod untrusted_district;
