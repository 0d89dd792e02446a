//! The district protocol, version 2: everything the station exchanges with the district.
//!
//! All paths are under [`PREFIX`]. A station authenticates with `Authorization: Bearer
//! <device token>`, a token the district issues once at enrollment ([`enroll`]) and the
//! station keeps in the OS keyring. Every answer carries the district's clock in the HTTP
//! `Date` header. Errors are an [`ErrorBody`] with a [`ErrorKind`]; what each status means for
//! the station:
//!
//! | status | meaning | what the station does |
//! |---|---|---|
//! | 200, 201 | done (a batch answers per record) | write down each record's result |
//! | 400 | the request as a whole is malformed | stop the round, keep every record |
//! | 401 | the device token is unknown, revoked or expired | stop, ask for a new enrollment |
//! | 403 | the token belongs to another station | stop, keep every record |
//! | 404 | no such path: a wrong district address | stop, keep every record |
//! | 409, 422 | inside a batch answer only: this record's content | quarantine that record |
//! | 413 | the body is over the limit | send smaller batches |
//! | 429, 503 | busy, maybe with `Retry-After` | wait, then try again |
//! | other 5xx | the district failed | back off, keep every record |
//!
//! The district acknowledges a record only after committing it durably.
//!
//! Batches of evaluations ([`evaluations`]) and handovers ([`handovers`]) follow the same
//! table: a record is sent only after its case reached the district, the same id again
//! answers like the first time (`duplicate`), and its own 409/422 comes back inside the
//! answer as `conflict` / `invalid`. A handover (送达) is refused as `invalid` when the
//! district does not hold its case from this station or has not decided it (no status past
//! 审批中), and as `conflict` when the case was handed over under another id; a stored one
//! adds 已送达 (`delivered`) to the case's status changes in the same commit.

pub mod cases;
pub mod downloads;
pub mod enroll;
pub mod evaluations;
pub mod handovers;
pub mod materials;
pub mod report;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

pub use super::{ErrorBody, ErrorKind};

/// Version prefix of every endpoint.
pub const PREFIX: &str = "/api/v2";
/// The protocol version a district of this build speaks.
pub const PROTOCOL_VERSION: u32 = 2;

/// `GET`: liveness and the district clock (no token needed).
pub const HEALTH_PATH: &str = "/api/v2/health";

/// Answer of [`HEALTH_PATH`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Health {
    pub status: String,
    pub region_code: String,
    pub protocol_version: u32,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub server_time: Timestamp,
}

/// Largest request body the district reads for JSON endpoints (a batch of cases), in bytes;
/// a longer body is refused with 413 before it is read.
pub const MAX_JSON_BODY: usize = 8 * 1024 * 1024;
