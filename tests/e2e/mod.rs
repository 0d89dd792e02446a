//! The window tests' shared fixtures, one module per kind of set-up: the app on a demo station
//! (`app`, over `display` and `driver`), the window's verbs (`ui`), the clerk's keyboard
//! (`keyboard`), the reference district (`district`), scan files (`scan_files`) and the demo
//! applicant's cases, the station tests' own (`cases`). A test binary takes it whole with
//! `#[path = "e2e/mod.rs"] mod e2e;` and uses the parts it needs.
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
