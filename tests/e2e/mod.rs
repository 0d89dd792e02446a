//! The window tests' shared fixtures, one module per kind of set-up: the app on a demo station
//! (`app`, over `display` and `driver`), the window's verbs (`ui`), the clerk's keyboard
//! (`keyboard`), the reference district (`district`), scan files (`scan_files`) and the demo
//! applicant's cases, the station tests' own (`cases`). The `desk` test binary takes it whole
//! and each flow uses the parts it needs.
#![allow(dead_code)]

pub mod app;
#[path = "../../crates/yichuang-station/tests/common/cases.rs"]
pub mod cases;
pub mod display;
pub mod district;
pub mod driver;
pub mod keyboard;
pub mod scan_files;
pub mod ui;

use std::sync::{Mutex, MutexGuard, PoisonError};

static WINDOW_TURN: Mutex<()> = Mutex::new(());

/// The windows of the test binary take turns, one app open at a time: the flows run on two
/// test threads, and two windows on a 2-core counter PC would each time out waiting for the
/// other. Held by [`app::DemoApp`]; a flow that starts the driver itself holds it too. A flow
/// that failed while holding it does not stop the others (the poison is ignored).
pub fn window_turn() -> MutexGuard<'static, ()> {
    WINDOW_TURN.lock().unwrap_or_else(PoisonError::into_inner)
}
