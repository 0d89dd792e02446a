//! IPC commands of the hall manager's desk (统计): thin adapters to yichuang-station, the save
//! dialog of an export, and its progress as `manager-export-progress` events. Every command
//! here is the hall manager's only; the station checks the role before anything else.

use std::path::PathBuf;

use tauri::{AppHandle, Emitter, State};
use tauri_plugin_dialog::DialogExt;
use yichuang_station::{
    CaseStatsView, DateRange, EvaluationStatsView, ExportDone, ExportFormat, ExportRequest,
};

use crate::commands::{Res, blocking};
use crate::state::AppState;

/// The event a running export reports its progress on.
const EXPORT_PROGRESS: &str = "manager-export-progress";

#[tauri::command]
pub async fn manager_case_stats(
    state: State<'_, AppState>,
    range: DateRange,
) -> Res<CaseStatsView> {
    let station = state.station()?;
    blocking(move || station.case_stats(&range)).await
}

#[tauri::command]
pub async fn manager_evaluation_stats(
    state: State<'_, AppState>,
    range: DateRange,
) -> Res<EvaluationStatsView> {
    let station = state.station()?;
    blocking(move || station.evaluation_stats(&range)).await
}

/// In debug builds only, `YICHUANG_TEST_EXPORT_DIR` stands in for the native save dialog
/// (the end-to-end tests cannot drive a GTK dialog): the suggested name in that folder.
fn test_export_dir() -> Option<PathBuf> {
    if cfg!(debug_assertions) {
        std::env::var_os("YICHUANG_TEST_EXPORT_DIR").map(PathBuf::from)
    } else {
        None
    }
}

/// Asks where to save the export (the native save dialog with a suggested name); None when
/// the manager cancelled.
#[tauri::command]
pub async fn manager_pick_export_path(
    app: AppHandle,
    state: State<'_, AppState>,
    range: DateRange,
    format: ExportFormat,
) -> Res<Option<String>> {
    let station = state.station()?;
    let name = blocking(move || station.export_file_name(&range, format)).await?;
    if let Some(dir) = test_export_dir() {
        return Ok(Some(dir.join(name).display().to_string()));
    }
    blocking(move || {
        let (filter, ext) = match format {
            ExportFormat::Csv => ("CSV 表格", "csv"),
            ExportFormat::Xlsx => ("Excel 工作簿", "xlsx"),
        };
        let picked = app
            .dialog()
            .file()
            .set_title("选择导出文件的保存位置")
            .set_file_name(&name)
            .add_filter(filter, &[ext])
            .blocking_save_file();
        Ok(picked
            .and_then(|p| p.into_path().ok())
            .map(|p| p.display().to_string()))
    })
    .await
}

/// Writes the export where the manager chose; progress goes out as events.
#[tauri::command]
pub async fn manager_export(
    app: AppHandle,
    state: State<'_, AppState>,
    request: ExportRequest,
) -> Res<ExportDone> {
    let station = state.station()?;
    blocking(move || {
        station.export_cases(&request, &mut |p| {
            let _ = app.emit(EXPORT_PROGRESS, p);
        })
    })
    .await
}
