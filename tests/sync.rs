//! The station's store and sync against the real district server on loopback: offline work,
//! handovers, clerks switching on one PC. One test binary for them all (each file below is a
//! module): one link instead of one per file keeps a clean build's disk and time small.

mod clerk_switch_sync;
mod sync_district;
mod sync_handovers;
mod sync_offline;
