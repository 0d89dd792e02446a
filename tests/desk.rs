//! Every flow of the desk in the real window (tauri-driver + WebKitWebDriver under Xvfb), one
//! module per flow over the shared fixtures in `e2e`. One test binary for them all: one link
//! instead of one per flow keeps a clean build's disk and time small; the windows take turns
//! (`e2e::app::DemoApp` holds the turn).

mod e2e;
mod e2e_customer;
mod e2e_delivery;
mod e2e_district_tls;
mod e2e_handover_quarantine;
mod e2e_handover_refusal_district;
mod e2e_home;
mod e2e_idle_lock;
mod e2e_intake;
mod e2e_key_recovery;
mod e2e_keyboard_intake;
mod e2e_keyboard_thirty;
mod e2e_large_screen;
mod e2e_login;
mod e2e_manager;
mod e2e_print_focus;
mod e2e_queue;
mod e2e_scans;
mod e2e_settings;
mod e2e_sync;
mod e2e_window;
