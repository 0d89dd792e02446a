//! How the clerk's window is drawn: without WebKit's compositing mode, because on a counter PC
//! with no GPU driver (Mesa's software GL) each composited frame that replaces the queue's
//! rows costs 50–90 ms, more than the whole keystroke may take (docs/BENCHMARKS.md).

use tauri::{AppHandle, Manager};

/// Turns hardware acceleration (and with it the compositing mode) off for the clerk's window.
/// The customer window keeps WebKit's default: it shows one case at a time.
#[cfg(target_os = "linux")]
pub fn draw_clerk_window_without_compositing(app: &AppHandle) {
    use webkit2gtk::{HardwareAccelerationPolicy, SettingsExt, WebViewExt};
    let Some(window) = app.get_webview_window("main") else {
        return;
    };
    let set = window.with_webview(|webview| {
        if let Some(settings) = WebViewExt::settings(&webview.inner()) {
            settings.set_hardware_acceleration_policy(HardwareAccelerationPolicy::Never);
        }
    });
    if let Err(e) = set {
        tracing::warn!(error = %e, "the clerk's window keeps WebKit's compositing mode");
    }
}

/// Other systems draw their webviews their own way.
#[cfg(not(target_os = "linux"))]
pub fn draw_clerk_window_without_compositing(_app: &AppHandle) {}
