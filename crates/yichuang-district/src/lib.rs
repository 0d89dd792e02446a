//! The reference district server: the other end of the sync protocol (axum over a
//! [`DistrictStore`], SQLite by default).
//!
//! It stores each case once under the station's UUID, allocates official case numbers like
//! `440111-2026-000001` in the same transaction, and answers re-sends idempotently. It
//! speaks protocol v2 (`yichuang_sync::protocol::v2`) only; cases stored by the old v1
//! endpoint stay in its store.

mod admin;
mod auth;
mod citizen;
mod error;
pub mod evaluation_codes;
mod evaluation_qr;
pub mod faults;
mod html_page;
mod layers;
pub mod officer;
pub mod openapi;
pub mod secrets;
mod server;
pub mod store;
#[cfg(feature = "testing")]
pub mod testing_pki;
mod tls;
mod v2;
mod vault;

use std::path::{Path, PathBuf};

pub use error::DistrictError;
pub use evaluation_codes::EvaluationCodes;
pub use evaluation_qr::verify_evaluation_qr;
pub use faults::Faults;
pub use server::{DistrictServer, Settings, serve, serve_store, serve_with_shutdown};
/// Helpers the binary and tests share with the server.
pub mod server_tools {
    pub use crate::server::register_station_tokens;
}
pub use store::{DistrictStore, SqliteStore};
pub use tls::TlsIdentity;

/// What a district server on SQLite needs to run, with devices registered by token (the demo's
/// and many tests' way to start one; [`Settings`] and [`DistrictServer::start_with`] take any
/// store).
#[derive(Clone)]
pub struct DistrictConfig {
    /// The SQLite file (created if missing); materials go in `materials/` beside it.
    pub db_path: PathBuf,
    /// Six-digit administrative region code, the prefix of official case numbers.
    pub region_code: String,
    /// `(station_code, token)` pairs registered as device tokens at start.
    pub station_tokens: Vec<(String, String)>,
    /// Scripted failures for tests; `None` (the default) in real use.
    pub faults: Option<Faults>,
}

impl DistrictConfig {
    /// The directory of the database file: where materials are kept too.
    pub fn data_dir(&self) -> PathBuf {
        self.db_path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .map_or_else(|| Path::new(".").to_path_buf(), Path::to_path_buf)
    }
}

impl std::fmt::Debug for DistrictConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let stations: Vec<&str> = self
            .station_tokens
            .iter()
            .map(|(s, _)| s.as_str())
            .collect();
        f.debug_struct("DistrictConfig")
            .field("db_path", &self.db_path)
            .field("region_code", &self.region_code)
            .field("stations", &stations)
            .field("faults", &self.faults.is_some())
            .finish()
    }
}

/// Checks a region code: six digits.
pub fn check_region_code(code: &str) -> Result<(), DistrictError> {
    if code.len() != 6 || !code.chars().all(|c| c.is_ascii_digit()) {
        return Err(DistrictError::Config(format!(
            "行政区划代码“{code}”应为 6 位数字"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests;
