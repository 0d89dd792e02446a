//! Device enrollment: a district officer issues a one-time code for a station; the station
//! trades it once for a device token, which it keeps in the OS keyring (never in its
//! database, a config file or a command line).

use serde::{Deserialize, Serialize};

/// `POST` (no token): trade an enrollment code for a device token.
pub const ENROLL_PATH: &str = "/api/v2/enroll";

/// Longest enrollment code accepted.
pub const MAX_CODE_LEN: usize = 64;

/// What the station sends to enroll.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EnrollRequest {
    /// The one-time code the district officer gave the hall manager.
    pub code: String,
    /// The station the code was issued for; the district refuses a mismatch (403).
    pub station_code: String,
    /// Free text to tell devices apart on the district's health page (e.g. "2 号窗口").
    pub device_name: String,
    pub app_version: String,
    /// The public half of this device's evaluation-QR signing key (Ed25519, 64 hex digits):
    /// the district checks the QR codes it signs offline with it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub qr_public_key: Option<String>,
}

/// The district's answer to a valid code (201). The code is spent.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Enrollment {
    /// Bearer token for every later request; shown once.
    pub device_token: String,
    pub station_code: String,
    pub station_name: String,
    pub region_code: String,
}

impl std::fmt::Debug for Enrollment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Enrollment")
            .field("device_token", &"<redacted>")
            .field("station_code", &self.station_code)
            .field("station_name", &self.station_name)
            .field("region_code", &self.region_code)
            .finish()
    }
}
