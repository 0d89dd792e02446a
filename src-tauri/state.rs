//! What the shell keeps between IPC calls: where the station lives, the open station, its sync engine.

use std::path::PathBuf;
use std::sync::{Arc, Mutex, RwLock};

use tauri::{AppHandle, Manager};
use yichuang_station::{AppError, ErrorKind, Startup, Station, StationConfig};
use yichuang_sync::SyncHandle;

pub struct AppState {
    pub config: StationConfig,
    pub station: RwLock<Option<Arc<Station>>>,
    pub startup: Mutex<Startup>,
    pub sync: Mutex<Option<SyncHandle>>,
}

/// Data folder and keyring service; `YICHUANG_DATA_DIR` / `YICHUANG_KEYRING_SERVICE` override them
/// (the demo launcher and the end-to-end tests use their own).
pub fn station_config(app: &AppHandle) -> Result<StationConfig, Box<dyn std::error::Error>> {
    let data_dir = match std::env::var_os("YICHUANG_DATA_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => app.path().app_data_dir()?,
    };
    let keyring_service =
        std::env::var("YICHUANG_KEYRING_SERVICE").unwrap_or_else(|_| "yichuang-desk".into());
    Ok(StationConfig {
        data_dir,
        keyring_service,
    })
}

impl AppState {
    pub fn open(config: StationConfig) -> Self {
        let (station, startup) = Station::startup(&config);
        AppState {
            config,
            station: RwLock::new(station.map(Arc::new)),
            startup: Mutex::new(startup),
            sync: Mutex::new(None),
        }
    }

    /// The open station, or the error that explains why there is none.
    pub fn station(&self) -> Result<Arc<Station>, AppError> {
        let guard = self.station.read().unwrap_or_else(|p| p.into_inner());
        guard
            .clone()
            .ok_or_else(|| AppError::new(ErrorKind::NotProvisioned, "站点尚未初始化"))
    }
}
