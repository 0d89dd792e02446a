//! The client sync engine: a pure planner ([`plan`]), one round ([`round`]: upload, then
//! download) and the runner task ([`runner`]) that the desktop app starts.

mod download;
mod evaluations;
mod handovers;
mod materials;
mod pages;
pub mod plan;
mod record_batches;
pub mod round;
pub mod runner;
mod upload;

pub use plan::{Batch, Decision, Planned, Stop, SyncPolicy, after_round, decide, plan_batch};
pub use round::{ProgressSink, SyncReport, sync_once, sync_once_reporting};
pub use runner::{SyncConfig, SyncEngine, SyncHandle};
