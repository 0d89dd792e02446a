//! The customer-facing window (客户屏, label "customer"): the clerk's window puts a case on it,
//! the citizen's tap comes back from it. Thin adapters to yichuang-station. The customer window
//! may call only `customer_view` and `customer_rate` (build.rs, tauri.conf.json capabilities);
//! it rates only the case the clerk put on it, with the evaluation id made for that showing.

use std::sync::Mutex;
use std::time::Duration;

use tauri::{AppHandle, Emitter, Manager, State, WebviewWindow, WindowEvent};
use yichuang_core::EvaluationLevel;
use yichuang_station::{AppError, CustomerView, ErrorKind, EvaluationMoment};

use crate::commands::{Res, blocking};
use crate::state::AppState;

/// The window's label in tauri.conf.json.
pub const LABEL: &str = "customer";
/// Pushed to the windows whenever the customer screen changes; carries a [`CustomerView`].
pub const VIEW_EVENT: &str = "customer-view";
/// How long the thanks stay before the screen goes back to its welcome.
const THANKS_SHOWN: Duration = Duration::from_secs(6);

/// What the customer screen shows now (`None`: its welcome).
#[derive(Default)]
pub struct CustomerScreen {
    view: Mutex<Option<CustomerView>>,
}

impl CustomerScreen {
    fn current(&self) -> Option<CustomerView> {
        self.view.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    fn set(&self, view: Option<CustomerView>) {
        *self.view.lock().unwrap_or_else(|p| p.into_inner()) = view;
    }
}

fn idle(state: &AppState) -> CustomerView {
    match state.station() {
        Ok(station) => station.customer_idle(),
        Err(_) => CustomerView::Idle {
            station_name: String::new(),
        },
    }
}

/// Stores the view and pushes it to both windows (the clerk's sees the rating too).
fn publish(app: &AppHandle, screen: &CustomerScreen, view: Option<CustomerView>) -> CustomerView {
    screen.set(view.clone());
    let shown = view.unwrap_or_else(|| idle(&app.state::<AppState>()));
    if let Err(e) = app.emit(VIEW_EVENT, &shown) {
        tracing::warn!(error = %e, "customer screen update not delivered");
    }
    shown
}

/// Puts the customer screen back to its welcome (the clerk logged out or the session locked).
pub fn clear(app: &AppHandle, screen: &CustomerScreen) {
    publish(app, screen, None);
}

/// The station's name changed: a customer screen at its welcome greets with the new one now,
/// not at its next redraw. A case on the screen is left as it is.
pub fn station_renamed(app: &AppHandle, screen: &CustomerScreen) {
    if screen.current().is_none() {
        publish(app, screen, None);
    }
}

/// The clerk's window: shows a case on the customer screen (after acceptance or delivery).
#[tauri::command]
pub async fn customer_show(
    app: AppHandle,
    state: State<'_, AppState>,
    screen: State<'_, CustomerScreen>,
    case_id: String,
    moment: EvaluationMoment,
) -> Res<CustomerView> {
    let station = state.station()?;
    let id = case_id
        .parse()
        .map_err(|_| AppError::new(ErrorKind::InvalidInput, "办件标识有误"))?;
    let view = blocking(move || station.customer_view(id, moment)).await?;
    if let Some(window) = customer_window(&app) {
        let _ = window.show();
    }
    Ok(publish(&app, &screen, Some(view)))
}

/// The customer window: what it shows now.
#[tauri::command]
pub fn customer_view(
    state: State<'_, AppState>,
    screen: State<'_, CustomerScreen>,
) -> CustomerView {
    screen.current().unwrap_or_else(|| idle(&state))
}

/// The customer window: the level the citizen tapped (GB/T 39046 code) for the case it shows.
/// After the thanks the screen goes back to its welcome.
#[tauri::command]
pub async fn customer_rate(
    app: AppHandle,
    state: State<'_, AppState>,
    screen: State<'_, CustomerScreen>,
    evaluation_id: String,
    code: u8,
) -> Res<CustomerView> {
    let shown = match screen.current() {
        Some(CustomerView::Evaluate(shown)) if shown.evaluation_id.to_string() == evaluation_id => {
            shown
        }
        _ => {
            return Err(AppError::new(
                ErrorKind::InvalidInput,
                "本次评价已结束，如需评价请告知窗口工作人员",
            ));
        }
    };
    let level =
        EvaluationLevel::from_code(code).map_err(|m| AppError::new(ErrorKind::InvalidInput, m))?;
    let station = state.station()?;
    let view = blocking(move || {
        station.rate_from_customer_screen(
            shown.evaluation_id,
            shown.case_id,
            level,
            None,
            shown.moment,
        )
    })
    .await?;
    let view = publish(&app, &screen, Some(view));
    let (handle, rated) = (app.clone(), view.clone());
    tauri::async_runtime::spawn(async move {
        tokio::time::sleep(THANKS_SHOWN).await;
        let screen = handle.state::<CustomerScreen>();
        // Only if nothing else was put on the screen meanwhile.
        if screen.current().as_ref() == Some(&rated) {
            publish(&handle, &screen, None);
        }
    });
    Ok(view)
}

/// The customer window, made from its configuration the first time it is needed. It is not
/// made at start (`"create": false`): on a one-monitor PC most days no case is ever put on
/// it, and its web process costs about 180 MB and part of the start. It lives as long as the
/// clerk's window: closing it only hides it (the next case shows it again), and when the
/// clerk's window is closed it goes too, so the app ends as it did with one window.
fn customer_window(app: &AppHandle) -> Option<WebviewWindow> {
    if let Some(window) = app.get_webview_window(LABEL) {
        return Some(window);
    }
    let config = app.config().app.windows.iter().find(|w| w.label == LABEL)?;
    let window = match tauri::WebviewWindowBuilder::from_config(app, config).and_then(|b| b.build())
    {
        Ok(window) => window,
        Err(e) => {
            tracing::error!(error = %e, "customer window could not be made");
            return None;
        }
    };
    let customer = window.clone();
    window.on_window_event(move |event| {
        if let WindowEvent::CloseRequested { api, .. } = event {
            api.prevent_close();
            let _ = customer.hide();
        }
    });
    if let Some(clerk) = app.get_webview_window("main") {
        let customer = window.clone();
        clerk.on_window_event(move |event| {
            if let WindowEvent::Destroyed = event {
                let _ = customer.destroy();
            }
        });
    }
    Some(window)
}

/// Sets the customer window up at start: on a PC with a second monitor it is made at once and
/// fills the monitor the clerk's window is not on; with one monitor it is made only when the
/// clerk first puts a case on it, and then shows as a normal window.
pub fn set_up_window(app: &AppHandle) {
    let Some(clerk) = app.get_webview_window("main") else {
        return;
    };
    let clerk_monitor = clerk
        .current_monitor()
        .ok()
        .flatten()
        .map(|m| *m.position());
    let monitors = clerk.available_monitors().unwrap_or_default();
    let Some(other) = monitors
        .iter()
        .find(|m| Some(*m.position()) != clerk_monitor)
    else {
        tracing::info!(
            monitors = monitors.len(),
            "one monitor: the customer window is made when a case is first shown"
        );
        return;
    };
    let Some(window) = customer_window(app) else {
        return;
    };
    let placed = window
        .set_position(*other.position())
        .and_then(|_| window.set_fullscreen(true));
    match placed {
        Ok(()) => tracing::info!("customer window on the second monitor"),
        Err(e) => tracing::warn!(error = %e, "customer window could not be moved"),
    }
}
