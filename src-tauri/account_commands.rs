//! IPC commands of the accounts screen (hall manager only; the station checks the role).

use tauri::State;
use yichuang_station::{AccountRow, NewClerkForm};

use crate::commands::{Res, blocking};
use crate::state::AppState;

#[tauri::command]
pub fn accounts(state: State<'_, AppState>) -> Res<Vec<AccountRow>> {
    state.station()?.accounts()
}

/// Adds a local clerk (hashing the password takes a moment: off the window's thread).
#[tauri::command]
pub async fn add_local_clerk(state: State<'_, AppState>, form: NewClerkForm) -> Res<AccountRow> {
    let station = state.station()?;
    blocking(move || station.add_local_clerk(&form)).await
}

#[tauri::command]
pub fn set_clerk_active(
    state: State<'_, AppState>,
    login: String,
    active: bool,
) -> Res<AccountRow> {
    state.station()?.set_clerk_active(&login, active)
}

#[tauri::command]
pub async fn reset_clerk_password(
    state: State<'_, AppState>,
    login: String,
    password: String,
) -> Res<()> {
    let station = state.station()?;
    blocking(move || station.reset_clerk_password(&login, &password)).await
}
