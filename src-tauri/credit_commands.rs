//! IPC commands of the 信用红黑名单 notice on the intake screen: thin adapters to yichuang-station.

use tauri::State;
use yichuang_station::CreditHint;

use crate::commands::{Res, blocking};
use crate::state::AppState;

#[tauri::command]
pub async fn credit_check(
    state: State<'_, AppState>,
    intake_id: String,
    subject_no: String,
) -> Res<Option<CreditHint>> {
    let station = state.station()?;
    blocking(move || station.credit_check(&intake_id, &subject_no)).await
}

#[tauri::command]
pub async fn acknowledge_black_list(
    state: State<'_, AppState>,
    intake_id: String,
    subject_no: String,
) -> Res<CreditHint> {
    let station = state.station()?;
    blocking(move || station.acknowledge_black_list(&intake_id, &subject_no)).await
}
