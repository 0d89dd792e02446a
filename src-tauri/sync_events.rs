//! Runs the sync engine of the open station and pushes its status to the window as events.

use std::time::Duration;

use tauri::{AppHandle, Emitter, Manager};
use yichuang_station::{AppError, ErrorKind};
use yichuang_sync::{SyncConfig, SyncEngine, SyncStatus};

use crate::state::AppState;

/// Sync settings; `YICHUANG_SYNC_RETRY_MAX_MS` caps backoff and polling (tests and the demo).
fn sync_config() -> SyncConfig {
    let mut config = SyncConfig::default();
    if let Some(ms) = std::env::var("YICHUANG_SYNC_RETRY_MAX_MS")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
    {
        let cap = Duration::from_millis(ms.max(50));
        config.policy.backoff_base = config.policy.backoff_base.min(cap);
        config.policy.backoff_cap = cap;
        config.poll_interval = cap;
    }
    config
}

/// Starts the engine once a station is open; does nothing if it runs already.
pub fn start_if_ready(app: &AppHandle) {
    let state = app.state::<AppState>();
    let Ok(station) = state.station() else { return };
    let mut slot = state.sync.lock().unwrap_or_else(|p| p.into_inner());
    if slot.is_some() {
        return;
    }
    let tauri::async_runtime::RuntimeHandle::Tokio(runtime) = tauri::async_runtime::handle();
    let _entered = runtime.enter();
    let handle = SyncEngine::start(station.store(), sync_config());
    let mut status = handle.status();
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        let mut last_counts = None;
        loop {
            let current = status.borrow_and_update().clone();
            let counts = (
                current.pending,
                current.quarantined,
                current.last_success_at,
            );
            let _ = app.emit("sync-status", &current);
            if last_counts.is_some_and(|c| c != counts) {
                let _ = app.emit("cases-changed", ());
            }
            last_counts = Some(counts);
            if status.changed().await.is_err() {
                break;
            }
        }
    });
    *slot = Some(handle);
}

pub fn nudge(state: &AppState) {
    if let Some(handle) = state
        .sync
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .as_ref()
    {
        handle.nudge();
    }
}

pub fn current(state: &AppState) -> Result<SyncStatus, AppError> {
    let slot = state.sync.lock().unwrap_or_else(|p| p.into_inner());
    slot.as_ref()
        .map(|h| h.status().borrow().clone())
        .ok_or_else(|| AppError::new(ErrorKind::NotProvisioned, "站点尚未初始化，同步未启动"))
}
