//! IPC commands of the sync page: the district, its pinned root CA and the enrollment, and
//! the quarantine. Thin adapters over yichuang-station's sync_admin.

use std::path::Path;

use tauri::{AppHandle, State};
use tauri_plugin_dialog::DialogExt;
use yichuang_station::{AppError, DistrictView, ErrorKind, QuarantineRow};

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

/// Pins the district's root CA from the PEM file at `path`; `None` goes back to the
/// system's roots.
#[tauri::command]
pub async fn set_district_ca(
    state: State<'_, AppState>,
    path: Option<String>,
) -> Res<DistrictView> {
    let station = state.station()?;
    let view = blocking(move || station.set_district_ca(path.as_deref().map(Path::new))).await?;
    sync_events::nudge(&state);
    Ok(view)
}

/// The file dialog for the district's root CA; `None` if cancelled.
#[tauri::command]
pub async fn pick_district_ca(state: State<'_, AppState>, app: AppHandle) -> Res<Option<String>> {
    let station = state.station()?;
    station.may_pick_district_ca()?;
    blocking(move || {
        let picked = app
            .dialog()
            .file()
            .set_title("选择区级系统的根证书文件（.pem、.crt 或 .cer）")
            .add_filter("根证书", &["pem", "crt", "cer", "PEM", "CRT", "CER"])
            .blocking_pick_file();
        picked
            .map(|p| {
                p.into_path().map(|p| p.display().to_string()).map_err(|e| {
                    AppError::new(ErrorKind::Internal, format!("无法读取所选文件的路径：{e}"))
                })
            })
            .transpose()
    })
    .await
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
