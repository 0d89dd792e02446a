//! The station's health report: what the district officer's page shows for each station.

use serde::{Deserialize, Serialize};

/// `POST` a [`StationReport`] (204). Sent at the end of each sync round.
pub const REPORT_PATH: &str = "/api/v2/station-report";

/// Longest free text accepted in a report field.
pub const MAX_REPORT_TEXT: usize = 500;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StationReport {
    pub app_version: String,
    /// Records waiting in the station's outbox.
    pub queue_depth: u32,
    /// Records in quarantine.
    pub quarantined: u32,
    /// Materials waiting to upload.
    pub materials_pending: u32,
    /// The last problem the station's sync met, in Chinese, free of personal data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_error: Option<String>,
}
