//! The station engine behind the window's commands, on a real SQLite file and keyring: every flow and role.
//! One test binary for the crate (each file below is a module): one link instead of one per
//! file keeps a clean build's disk and time small.

mod common;
mod credit;
mod customer;
mod customer_settings;
mod delivery;
mod district_ca;
mod draft_owner;
mod export;
mod handover;
mod handover_quarantine;
mod home;
mod intake;
mod intake_keys;
mod login;
mod manager;
mod printing;
mod provision;
mod queue;
mod render_slip;
mod roles;
mod scans;
mod settings;
mod sync_admin;
