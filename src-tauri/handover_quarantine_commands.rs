//! IPC commands of the refused handovers (送达) in the hall manager's 同步与隔离 tab: thin
//! adapters to yichuang-station. Both are the hall manager's only; the station checks the
//! role before anything else. A release nudges the sync engine so the handover goes again.

use tauri::State;
use yichuang_station::RefusedHandoverRow;

use crate::commands::{Res, blocking};
use crate::state::AppState;
use crate::sync_events;

#[tauri::command]
pub async fn refused_handovers(state: State<'_, AppState>) -> Res<Vec<RefusedHandoverRow>> {
    let station = state.station()?;
    blocking(move || station.refused_handovers()).await
}

/// Releases one refused handover with the reason its cause is fixed; answers the list left.
#[tauri::command]
pub async fn release_refused_handover(
    state: State<'_, AppState>,
    handover_id: String,
    reason: String,
) -> Res<Vec<RefusedHandoverRow>> {
    let station = state.station()?;
    let left = blocking(move || station.release_refused_handover(&handover_id, &reason)).await?;
    sync_events::nudge(&state);
    Ok(left)
}
