//! IPC commands of the queue screen (issue 8.4): thin adapters to yichuang-station. Any
//! logged-in clerk may use them; the station checks the session in Rust.

use tauri::State;
use yichuang_core::CaseQuery;
use yichuang_station::{CaseHistory, PageImage, QueueFilters, QueuePage, ScanGroup};

use crate::commands::{Res, blocking};
use crate::state::AppState;

#[tauri::command]
pub async fn queue_filters(state: State<'_, AppState>) -> Res<QueueFilters> {
    let station = state.station()?;
    blocking(move || station.queue_filters()).await
}

#[tauri::command]
pub async fn queue_search(state: State<'_, AppState>, query: CaseQuery) -> Res<QueuePage> {
    let station = state.station()?;
    blocking(move || station.search_queue(&query)).await
}

#[tauri::command]
pub async fn case_history(state: State<'_, AppState>, case_id: String) -> Res<CaseHistory> {
    let station = state.station()?;
    blocking(move || station.case_history(&case_id)).await
}

#[tauri::command]
pub async fn case_scans(state: State<'_, AppState>, case_id: String) -> Res<Vec<ScanGroup>> {
    let station = state.station()?;
    blocking(move || station.case_scans(&case_id)).await
}

#[tauri::command]
pub async fn case_page_image(
    state: State<'_, AppState>,
    case_id: String,
    page_id: i64,
) -> Res<PageImage> {
    let station = state.station()?;
    blocking(move || station.case_page_image(&case_id, page_id)).await
}
