//! The station database on a real SQLCipher file and the real keyring: cases, handovers, audit, settings.
//! One test binary for the crate (each file below is a module): one link instead of one per
//! file keeps a clean build's disk and time small.

mod audit_and_clerks;
mod cases;
mod common;
mod credit;
mod decisions;
mod delivery_reads;
mod district_status;
mod handover_outbox;
mod handovers;
mod lifecycle;
mod login_lockout;
mod pages;
mod print_jobs;
mod quarantine;
mod settings;
