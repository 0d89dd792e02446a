//! IPC commands of the settings screen: thin adapters over yichuang-station's settings
//! (station, printers per slip kind, evaluation codes, the clerk's own preferences). The
//! district address and enrollment are in sync_commands.rs, the scan folder in scan_commands.rs.

use tauri::{AppHandle, State};
use yichuang_core::SlipKind;
use yichuang_station::{
    ClerkPrefsForm, ClerkPrefsView, EvaluationCodes, LoginSettings, PrinterSettingsView,
    StationForm, StationSettingsView,
};

use crate::commands::{Res, blocking};
use crate::customer_commands::CustomerScreen;
use crate::state::AppState;

#[tauri::command]
pub async fn settings_station(state: State<'_, AppState>) -> Res<StationSettingsView> {
    let station = state.station()?;
    blocking(move || station.station_settings()).await
}

#[tauri::command]
pub async fn settings_set_station(
    app: AppHandle,
    state: State<'_, AppState>,
    screen: State<'_, CustomerScreen>,
    form: StationForm,
) -> Res<StationSettingsView> {
    let station = state.station()?;
    let saved = blocking(move || station.set_station_settings(&form)).await?;
    crate::customer_commands::station_renamed(&app, &screen);
    Ok(saved)
}

#[tauri::command]
pub async fn settings_printers(state: State<'_, AppState>) -> Res<PrinterSettingsView> {
    let station = state.station()?;
    blocking(move || station.printer_settings()).await
}

#[tauri::command]
pub async fn settings_set_slip_printer(
    state: State<'_, AppState>,
    kind: SlipKind,
    printer: String,
) -> Res<PrinterSettingsView> {
    let station = state.station()?;
    blocking(move || station.set_slip_printer(kind, &printer)).await
}

#[tauri::command]
pub async fn settings_test_print(state: State<'_, AppState>, kind: SlipKind) -> Res<String> {
    let station = state.station()?;
    blocking(move || station.test_print(kind)).await
}

#[tauri::command]
pub async fn settings_evaluation_codes(state: State<'_, AppState>) -> Res<EvaluationCodes> {
    let station = state.station()?;
    blocking(move || station.evaluation_codes()).await
}

#[tauri::command]
pub async fn settings_set_evaluation_codes(
    state: State<'_, AppState>,
    codes: EvaluationCodes,
) -> Res<EvaluationCodes> {
    let station = state.station()?;
    blocking(move || station.set_evaluation_codes(&codes)).await
}

#[tauri::command]
pub async fn settings_prefs(state: State<'_, AppState>) -> Res<ClerkPrefsView> {
    let station = state.station()?;
    blocking(move || station.clerk_prefs()).await
}

#[tauri::command]
pub async fn settings_set_prefs(
    state: State<'_, AppState>,
    form: ClerkPrefsForm,
) -> Res<ClerkPrefsView> {
    let station = state.station()?;
    blocking(move || station.set_clerk_prefs(&form)).await
}

/// The login settings (lockout and auto-lock minutes) for the settings screen.
#[tauri::command]
pub async fn settings_login(state: State<'_, AppState>) -> Res<LoginSettings> {
    let station = state.station()?;
    blocking(move || station.login_policy()).await
}

#[tauri::command]
pub async fn settings_set_login(
    state: State<'_, AppState>,
    settings: LoginSettings,
) -> Res<LoginSettings> {
    let station = state.station()?;
    blocking(move || station.set_login_settings(settings)).await
}
