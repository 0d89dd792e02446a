//! IPC commands for scanned pages: thin adapters to yichuang-station, the file dialog, and
//! the scan-folder watch whose new files reach the window as `scan-arrived` events.

use std::path::PathBuf;
use std::sync::Mutex;

use tauri::async_runtime::JoinHandle;
use tauri::{AppHandle, Emitter, State};
use tauri_plugin_dialog::DialogExt;
use yichuang_station::{AppError, ErrorKind, PageImage, PageView, ReuseOffer, ScanFolder};

use crate::commands::{Res, blocking};
use crate::state::AppState;

/// The running watch of the scan folder, if any (managed by the shell).
#[derive(Default)]
pub struct ScanWatch {
    running: Mutex<Option<(PathBuf, JoinHandle<()>)>>,
}

impl ScanWatch {
    fn stop(&self) {
        let mut running = self.running.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((_, task)) = running.take() {
            task.abort();
        }
    }
}

#[tauri::command]
pub async fn scan_pages(state: State<'_, AppState>, intake_id: String) -> Res<Vec<PageView>> {
    let station = state.station()?;
    blocking(move || station.pages(&intake_id)).await
}

#[tauri::command]
pub async fn scan_attach_file(
    state: State<'_, AppState>,
    intake_id: String,
    material_code: String,
    path: String,
) -> Res<PageView> {
    let station = state.station()?;
    blocking(move || station.attach_file(&intake_id, &material_code, &PathBuf::from(path))).await
}

/// A file that arrived in the watched scan folder, by its name there.
#[tauri::command]
pub async fn scan_attach_arrived(
    state: State<'_, AppState>,
    intake_id: String,
    material_code: String,
    name: String,
) -> Res<PageView> {
    let station = state.station()?;
    blocking(move || station.attach_scan(&intake_id, &material_code, &name)).await
}

#[tauri::command]
pub async fn scan_move_page(
    state: State<'_, AppState>,
    page_id: i64,
    position: u32,
) -> Res<PageView> {
    let station = state.station()?;
    blocking(move || station.move_page(page_id, position)).await
}

#[tauri::command]
pub async fn scan_remove_page(state: State<'_, AppState>, page_id: i64) -> Res<bool> {
    let station = state.station()?;
    blocking(move || station.remove_page(page_id)).await
}

#[tauri::command]
pub async fn scan_page_image(state: State<'_, AppState>, page_id: i64) -> Res<PageImage> {
    let station = state.station()?;
    blocking(move || station.page_image(page_id)).await
}

#[tauri::command]
pub async fn scan_reusable(
    state: State<'_, AppState>,
    intake_id: String,
    material_code: String,
    id_no: String,
) -> Res<Vec<ReuseOffer>> {
    let station = state.station()?;
    blocking(move || station.reusable(&intake_id, &material_code, &id_no)).await
}

#[tauri::command]
pub async fn scan_reuse(
    state: State<'_, AppState>,
    intake_id: String,
    material_code: String,
    page_id: i64,
) -> Res<PageView> {
    let station = state.station()?;
    blocking(move || station.reuse(&intake_id, &material_code, page_id)).await
}

#[tauri::command]
pub async fn scan_folder(state: State<'_, AppState>) -> Res<ScanFolder> {
    let station = state.station()?;
    blocking(move || station.scan_folder()).await
}

/// Changes the scan folder and moves a running watch to it.
#[tauri::command]
pub async fn scan_set_folder(
    app: AppHandle,
    state: State<'_, AppState>,
    watch: State<'_, ScanWatch>,
    path: String,
) -> Res<ScanFolder> {
    let station = state.station()?;
    let folder = blocking(move || station.set_scan_folder(&path)).await?;
    let was_running = watch
        .running
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .is_some();
    if was_running {
        watch.stop();
        scan_watch_start(app, state, watch).await?;
    }
    Ok(folder)
}

/// Starts watching the scan folder (once; again after the folder changed). Each new file
/// is pushed to the window as a `scan-arrived` event carrying an `ArrivedScan`.
#[tauri::command]
pub async fn scan_watch_start(
    app: AppHandle,
    state: State<'_, AppState>,
    watch: State<'_, ScanWatch>,
) -> Res<ScanFolder> {
    let station = state.station()?;
    let folder = blocking({
        let station = station.clone();
        move || station.scan_folder()
    })
    .await?;
    let mut running = watch.running.lock().unwrap_or_else(|p| p.into_inner());
    if let Some((dir, task)) = running.as_ref()
        && dir == &PathBuf::from(&folder.path)
        && !task.inner().is_finished()
    {
        return Ok(folder);
    }
    let mut inbox = station.start_scan_watch()?;
    let dir = inbox.folder().to_path_buf();
    let task = tauri::async_runtime::spawn(async move {
        while let Some(scan) = inbox.next().await {
            let _ = app.emit("scan-arrived", &scan);
        }
    });
    if let Some((_, old)) = running.replace((dir, task)) {
        old.abort();
    }
    Ok(folder)
}

/// The file dialog for scans (images and PDFs); the chosen paths, or none if cancelled.
#[tauri::command]
pub async fn scan_pick_files(state: State<'_, AppState>, app: AppHandle) -> Res<Vec<String>> {
    let station = state.station()?;
    station.may_pick_scan_files()?;
    blocking(move || {
        let picked = app
            .dialog()
            .file()
            .set_title("选择扫描件（JPEG、PNG、TIFF 或 PDF）")
            .add_filter(
                "扫描件",
                &[
                    "jpg", "jpeg", "png", "tif", "tiff", "pdf", "JPG", "JPEG", "PNG", "PDF",
                ],
            )
            .blocking_pick_files()
            .unwrap_or_default();
        picked
            .into_iter()
            .map(|p| {
                p.into_path().map(|p| p.display().to_string()).map_err(|e| {
                    AppError::new(ErrorKind::Internal, format!("无法读取所选文件的路径：{e}"))
                })
            })
            .collect()
    })
    .await
}

/// The folder dialog for the scan folder; `None` if cancelled.
#[tauri::command]
pub async fn scan_pick_folder(state: State<'_, AppState>, app: AppHandle) -> Res<Option<String>> {
    let station = state.station()?;
    station.may_pick_scan_folder()?;
    blocking(move || {
        let picked = app
            .dialog()
            .file()
            .set_title("选择高拍仪保存扫描件的文件夹")
            .blocking_pick_folder();
        Ok(picked
            .and_then(|p| p.into_path().ok())
            .map(|p| p.display().to_string()))
    })
    .await
}
