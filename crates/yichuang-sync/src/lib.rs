//! The district protocol types and the station's sync engine (outbox → district).
//!
//! The `protocol` module is shared with the district server, which builds this crate
//! without the default `client` feature (no store, no HTTP client).

pub mod protocol;
pub mod status;
#[cfg(any(test, feature = "testing"))]
pub mod testing;

#[cfg(feature = "client")]
pub mod client;
#[cfg(feature = "client")]
pub mod engine;
#[cfg(feature = "client")]
mod error;
#[cfg(feature = "client")]
mod outbox;
#[cfg(feature = "store")]
mod store_outbox;

#[cfg(feature = "client")]
pub use client::{
    ClientTimeouts, DistrictClient, Failure, district_base_url, pinned_ca_fingerprints,
};
#[cfg(feature = "client")]
pub use engine::{
    ProgressSink, SyncConfig, SyncEngine, SyncHandle, SyncPolicy, SyncReport, sync_once,
    sync_once_reporting,
};
#[cfg(feature = "client")]
pub use error::SyncError;
#[cfg(feature = "client")]
pub use outbox::{
    DistrictEndpoint, Due, EvaluationSent, HandoverSent, Outbox, OutboxEntry, OutcomeCounts,
    RecordOutcome, ReferenceApplied, ReferenceData, StatusCounts,
};
pub use status::{SyncPhase, SyncProgress, SyncStatus, SyncStatusView};
