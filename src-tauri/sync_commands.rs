//! IPC commands of the sync page: the district and the enrollment, and the quarantine.
//! Thin adapters over yichuang-station's sync_admin.

use tauri::State;
use yichuang_station::{DistrictView, QuarantineRow};

use crate::commands::{Res, blocking};
use crate::state::AppState;
use crate::sync_events;

#[tauri::command]
pub async fn district(state: State<'_, AppState>) -> Res<DistrictView> {
    let station = state.station()?;
    blocking(move || station.district()).await
}

#[tauri::command]
pub async fn set_district_url(state: State<'_, AppState>, url: String) -> Res<DistrictView> {
    let station = state.station()?;
    let view = blocking(move || station.set_district_url(&url)).await?;
    sync_events::nudge(&state);
    Ok(view)
}

#[tauri::command]
pub async fn enroll(
    state: State<'_, AppState>,
    url: String,
    code: String,
    device_name: String,
) -> Res<DistrictView> {
    let station = state.station()?;
    let view = station.enroll(&url, &code, &device_name).await?;
    sync_events::nudge(&state);
    Ok(view)
}

#[tauri::command]
pub async fn quarantined(state: State<'_, AppState>) -> Res<Vec<QuarantineRow>> {
    let station = state.station()?;
    blocking(move || station.quarantined()).await
}

#[tauri::command]
pub async fn release_quarantined(
    state: State<'_, AppState>,
    case_ids: Vec<String>,
    reason: String,
) -> Res<u32> {
    let station = state.station()?;
    let n = blocking(move || station.release_quarantined(&case_ids, &reason)).await?;
    sync_events::nudge(&state);
    Ok(n)
}
