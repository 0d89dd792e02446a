//! IPC commands of the print dialog and the print history: thin adapters to yichuang-station.

use tauri::State;
use tauri::ipc::Response;
use yichuang_core::{Paper, SlipKind};
use yichuang_station::printing::parse_id as id;
use yichuang_station::{PrintHistoryQuery, PrintOptions, PrintOutcome, PrintRecord, PrinterView};

use crate::commands::{Res, blocking};
use crate::state::AppState;

#[tauri::command]
pub async fn print_options(state: State<'_, AppState>, case_id: String) -> Res<PrintOptions> {
    let station = state.station()?;
    let case_id = id(&case_id, "办件标识")?;
    blocking(move || station.print_options(case_id)).await
}

#[tauri::command]
pub async fn printers(state: State<'_, AppState>) -> Res<Vec<PrinterView>> {
    let station = state.station()?;
    blocking(move || station.printers()).await
}

/// The paper's PDF as raw bytes (an ArrayBuffer in the window, for pdf.js).
#[tauri::command]
pub async fn print_preview(
    state: State<'_, AppState>,
    case_id: String,
    kind: SlipKind,
) -> Res<Response> {
    let station = state.station()?;
    let case_id = id(&case_id, "办件标识")?;
    let slip = blocking(move || station.preview_slip(case_id, kind)).await?;
    Ok(Response::new(slip.pdf))
}

/// The dialog's printer choice: with `kind`, for that paper as the dialog shows it (its own
/// printer if the settings gave it one); without, for every paper of that size.
#[tauri::command]
pub async fn print_set_printer(
    state: State<'_, AppState>,
    paper: Paper,
    printer: String,
    kind: Option<SlipKind>,
) -> Res<()> {
    let station = state.station()?;
    blocking(move || match kind {
        Some(kind) => station.set_dialog_printer(kind, &printer),
        None => station.set_printer(paper, &printer),
    })
    .await
}

#[tauri::command]
pub async fn print_slip(
    state: State<'_, AppState>,
    job_id: String,
    case_id: String,
    kind: SlipKind,
    reprint_reason: Option<String>,
) -> Res<PrintOutcome> {
    let station = state.station()?;
    let job_id = id(&job_id, "打印任务标识")?;
    let case_id = id(&case_id, "办件标识")?;
    blocking(move || station.print_slip(job_id, case_id, kind, reprint_reason)).await
}

#[tauri::command]
pub async fn print_retry(state: State<'_, AppState>, job_id: String) -> Res<PrintOutcome> {
    let station = state.station()?;
    let job_id = id(&job_id, "打印任务标识")?;
    blocking(move || station.retry_print(job_id)).await
}

#[tauri::command]
pub async fn print_cancel(state: State<'_, AppState>, job_id: String) -> Res<PrintOutcome> {
    let station = state.station()?;
    let job_id = id(&job_id, "打印任务标识")?;
    blocking(move || station.cancel_print(job_id)).await
}

#[tauri::command]
pub async fn print_history(
    state: State<'_, AppState>,
    query: PrintHistoryQuery,
) -> Res<Vec<PrintRecord>> {
    let station = state.station()?;
    blocking(move || station.print_history(&query)).await
}
