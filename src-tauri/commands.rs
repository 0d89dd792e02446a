//! IPC commands: thin adapters from the window to yichuang-station. No business rules here.

use std::sync::Arc;

use tauri::{AppHandle, State};
use yichuang_station::{
    AppError, ClerkInfo, ErrorKind, LoginSettings, ProvisionForm, SessionView, Startup, Station,
};
use yichuang_sync::SyncStatus;

use crate::state::AppState;
use crate::sync_events;

pub(crate) type Res<T> = Result<T, AppError>;

/// Blocking engine work runs off the window's thread.
pub(crate) async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Res<T> + Send + 'static,
) -> Res<T> {
    tauri::async_runtime::spawn_blocking(f)
        .await
        .map_err(|e| AppError::new(ErrorKind::Internal, format!("后台任务失败：{e}")))?
}

#[tauri::command]
pub fn startup(state: State<'_, AppState>) -> Startup {
    let startup = state
        .startup
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .clone();
    match (&startup, state.station()) {
        (Startup::Ready { .. }, Ok(station)) => Startup::Ready {
            station: station.info(),
        },
        _ => startup,
    }
}

/// Makes a newly opened station the window's station and starts its sync.
fn install(app: &AppHandle, state: &AppState, station: Station) -> Startup {
    let station = Arc::new(station);
    let ready = Startup::Ready {
        station: station.info(),
    };
    *state.station.write().unwrap_or_else(|p| p.into_inner()) = Some(station);
    *state.startup.lock().unwrap_or_else(|p| p.into_inner()) = ready.clone();
    sync_events::start_if_ready(app);
    ready
}

#[tauri::command]
pub async fn provision(
    app: AppHandle,
    state: State<'_, AppState>,
    form: ProvisionForm,
) -> Res<Startup> {
    if state.station().is_ok() {
        return Err(AppError::new(
            ErrorKind::InvalidInput,
            "本机站点已初始化，无需重复初始化",
        ));
    }
    let config = state.config.clone();
    let station = blocking(move || Station::provision(&config, form)).await?;
    Ok(install(&app, &state, station))
}

#[tauri::command]
pub async fn recover_key(
    app: AppHandle,
    state: State<'_, AppState>,
    passphrase: String,
) -> Res<Startup> {
    if state.station().is_ok() {
        return Err(AppError::new(
            ErrorKind::InvalidInput,
            "站点数据已正常打开，无需恢复密钥",
        ));
    }
    let config = state.config.clone();
    let station = blocking(move || Station::recover(&config, &passphrase)).await?;
    Ok(install(&app, &state, station))
}

#[tauri::command]
pub async fn login(state: State<'_, AppState>, login: String, password: String) -> Res<ClerkInfo> {
    let station = state.station()?;
    blocking(move || station.login(&login, &password)).await
}

#[tauri::command]
pub fn logout(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    screen: State<'_, crate::customer_commands::CustomerScreen>,
) -> Res<()> {
    state.station()?.logout();
    // The next clerk's citizen must not see the last case on the customer screen.
    crate::customer_commands::clear(&app, &screen);
    Ok(())
}

/// Locks the window for the logged-in clerk (by hand, Ctrl+L or the idle timer); the
/// customer screen goes back to its welcome, as on logout.
#[tauri::command]
pub fn lock(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    screen: State<'_, crate::customer_commands::CustomerScreen>,
) -> Res<SessionView> {
    let view = state.station()?.lock_session();
    crate::customer_commands::clear(&app, &screen);
    Ok(view)
}

#[tauri::command]
pub async fn unlock(state: State<'_, AppState>, password: String) -> Res<ClerkInfo> {
    let station = state.station()?;
    blocking(move || station.unlock(&password)).await
}

#[tauri::command]
pub fn session(state: State<'_, AppState>) -> Res<SessionView> {
    Ok(state.station()?.session_view())
}

#[tauri::command]
pub fn login_settings(state: State<'_, AppState>) -> Res<LoginSettings> {
    state.station()?.login_settings()
}

#[tauri::command]
pub fn sync_status(state: State<'_, AppState>) -> Res<SyncStatus> {
    sync_events::current(&state)
}

#[tauri::command]
pub fn sync_now(state: State<'_, AppState>) -> Res<()> {
    sync_events::nudge(&state);
    Ok(())
}
