//! IPC commands of the home screen (首页): today's cases, running deadlines in working days
//! and quarantined records. Thin adapters over yichuang-station's home module.

use tauri::State;
use yichuang_station::{DeadlineList, HomeView};

use crate::commands::{Res, blocking};
use crate::state::AppState;

/// The home screen for the logged-in clerk (any clerk).
#[tauri::command]
pub async fn home(state: State<'_, AppState>) -> Res<HomeView> {
    let station = state.station()?;
    blocking(move || station.home()).await
}

/// Overdue cases (a page: `limit` after `offset`, most overdue first) and cases due within
/// three working days; the hall manager's overdue list pages through it too (any clerk).
#[tauri::command]
pub async fn deadlines(state: State<'_, AppState>, limit: u32, offset: u32) -> Res<DeadlineList> {
    let station = state.station()?;
    blocking(move || station.deadlines(limit as usize, offset as usize)).await
}
