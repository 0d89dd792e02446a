//! IPC commands of the delivery (出件) window: thin adapters to yichuang-station, where the
//! role (any logged-in clerk), the recipient check and every label live.

use tauri::State;
use yichuang_station::parse_delivery_id as id;
use yichuang_station::{
    CourierHandover, DeliveryCase, DeliveryFilter, DeliveryList, HandedRow, WindowHandover,
};

use crate::commands::{Res, blocking};
use crate::state::AppState;

#[tauri::command]
pub async fn delivery_list(
    state: State<'_, AppState>,
    filter: DeliveryFilter,
) -> Res<DeliveryList> {
    let station = state.station()?;
    blocking(move || station.delivery_list(&filter)).await
}

#[tauri::command]
pub async fn delivery_case(state: State<'_, AppState>, case_id: String) -> Res<DeliveryCase> {
    let station = state.station()?;
    let case_id = id(&case_id, "办件标识")?;
    blocking(move || station.delivery_case(case_id)).await
}

#[tauri::command]
pub async fn delivery_at_window(
    state: State<'_, AppState>,
    case_id: String,
    handover_id: String,
    input: WindowHandover,
) -> Res<HandedRow> {
    let station = state.station()?;
    let case_id = id(&case_id, "办件标识")?;
    let handover_id = id(&handover_id, "送达标识")?;
    blocking(move || station.hand_over_at_window(case_id, handover_id, &input)).await
}

#[tauri::command]
pub async fn delivery_by_courier(
    state: State<'_, AppState>,
    case_id: String,
    handover_id: String,
    input: CourierHandover,
) -> Res<HandedRow> {
    let station = state.station()?;
    let case_id = id(&case_id, "办件标识")?;
    let handover_id = id(&handover_id, "送达标识")?;
    blocking(move || station.hand_over_by_courier(case_id, handover_id, &input)).await
}

#[tauri::command]
pub async fn delivery_mark_signed(state: State<'_, AppState>, case_id: String) -> Res<HandedRow> {
    let station = state.station()?;
    let case_id = id(&case_id, "办件标识")?;
    blocking(move || station.mark_receipt_signed(case_id)).await
}
