//! IPC commands of the intake screen and the queue: thin adapters to yichuang-station.

use tauri::{AppHandle, Emitter, State};
use yichuang_core::{CaseQuery, IntakeDecision, Issue};
use yichuang_station::{
    CaseRow, DecisionResult, DraftSummary, FormOptions, IntakeForm, ItemView, ReturningApplicant,
};

use crate::commands::{Res, blocking};
use crate::state::AppState;
use crate::sync_events;

#[tauri::command]
pub fn form_options() -> FormOptions {
    FormOptions::new()
}

#[tauri::command]
pub async fn search_items(state: State<'_, AppState>, query: String) -> Res<Vec<ItemView>> {
    let station = state.station()?;
    blocking(move || station.search_items(&query)).await
}

#[tauri::command]
pub async fn item(state: State<'_, AppState>, item_code: String) -> Res<ItemView> {
    let station = state.station()?;
    blocking(move || station.item(&item_code)).await
}

#[tauri::command]
pub async fn start_intake(state: State<'_, AppState>, item_code: String) -> Res<IntakeForm> {
    let station = state.station()?;
    blocking(move || station.start_intake(&item_code)).await
}

#[tauri::command]
pub async fn save_draft(state: State<'_, AppState>, form: IntakeForm) -> Res<bool> {
    let station = state.station()?;
    blocking(move || station.save_draft(&form)).await
}

#[tauri::command]
pub async fn drafts(state: State<'_, AppState>) -> Res<Vec<DraftSummary>> {
    let station = state.station()?;
    blocking(move || station.drafts()).await
}

#[tauri::command]
pub async fn discard_draft(state: State<'_, AppState>, id: String) -> Res<bool> {
    let station = state.station()?;
    blocking(move || station.discard_draft(&id)).await
}

#[tauri::command]
pub async fn check_intake(
    state: State<'_, AppState>,
    form: IntakeForm,
    decision: IntakeDecision,
) -> Res<Vec<Issue>> {
    let station = state.station()?;
    blocking(move || station.check_intake(&form, &decision)).await
}

#[tauri::command]
pub async fn decide(
    app: AppHandle,
    state: State<'_, AppState>,
    form: IntakeForm,
    decision: IntakeDecision,
) -> Res<DecisionResult> {
    let station = state.station()?;
    let result = blocking(move || station.decide(&form, &decision)).await?;
    changed(&app, &state);
    Ok(result)
}

#[tauri::command]
pub async fn complete_correction(
    app: AppHandle,
    state: State<'_, AppState>,
    form: IntakeForm,
    decision: IntakeDecision,
) -> Res<DecisionResult> {
    let station = state.station()?;
    let result = blocking(move || station.complete_correction(&form, &decision)).await?;
    changed(&app, &state);
    Ok(result)
}

#[tauri::command]
pub async fn correction_form(state: State<'_, AppState>, case_id: String) -> Res<IntakeForm> {
    let station = state.station()?;
    blocking(move || station.correction_form(&case_id)).await
}

#[tauri::command]
pub async fn record_supplement(
    app: AppHandle,
    state: State<'_, AppState>,
    case_id: String,
) -> Res<DecisionResult> {
    let station = state.station()?;
    let result = blocking(move || station.record_supplement(&case_id)).await?;
    changed(&app, &state);
    Ok(result)
}

#[tauri::command]
pub async fn returning_applicant(
    state: State<'_, AppState>,
    id_no: String,
) -> Res<Option<ReturningApplicant>> {
    let station = state.station()?;
    blocking(move || station.returning_applicant(&id_no)).await
}

#[tauri::command]
pub async fn search_cases(state: State<'_, AppState>, query: CaseQuery) -> Res<Vec<CaseRow>> {
    let station = state.station()?;
    blocking(move || station.search_cases(&query)).await
}

/// A case was saved: sync it soon and let the queue refresh.
fn changed(app: &AppHandle, state: &AppState) {
    sync_events::nudge(state);
    let _ = app.emit("cases-changed", ());
}
