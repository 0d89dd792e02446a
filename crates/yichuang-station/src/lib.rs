//! The station application service: what the counter window can do, with no Tauri in it, so the
//! desktop shell, the CLI and the tests all drive the same code.

pub mod credit;
pub mod customer;
pub mod error;
mod handover;
pub mod home;
pub mod home_views;
mod intake;
pub mod intake_views;
pub mod printing;
mod printing_cups;
mod printing_jobs;
#[cfg(test)]
mod printing_tests;
pub mod printing_views;
pub mod provision;
pub mod scans;
mod search_indexer;
pub mod slips;
pub mod station;
pub mod sync_admin;
pub mod settings;
mod settings_printers;
pub mod settings_views;
pub mod views;

pub use credit::CreditHint;
pub use customer::{CustomerView, EvaluationMoment, EvaluationScreen, LevelButton, RatingShown};
pub use error::{AppError, ErrorKind};
pub use home_views::{
    DeadlineList, DeadlineRow, HomeView, OutcomeTally, QuarantineSummary, TodayCase,
};
pub use intake_views::{ArrivedScan, PageImage, PageView, ReuseOffer, ScanFolder};
pub use intake_views::{
    Choice, DecisionResult, DraftSummary, FormOptions, IntakeForm, ItemView, MaterialLine,
    ReturningApplicant,
};
pub use printing::PRINT_WAIT;
pub use printing_views::{
    PaperChoice, PrintHistoryQuery, PrintOptions, PrintOutcome, PrintRecord, PrintStatus,
    PrinterView,
};
pub use provision::{ProvisionForm, StationConfig};
pub use scans::ScanInbox;
pub use station::Station;
pub use sync_admin::{DistrictView, QuarantineRow};
pub use settings_views::{
    ClerkPrefsForm, ClerkPrefsView, EvaluationCodes, KindPrinter, LocaleChoice, PrinterSettingsView,
    StationForm, StationSettingsView,
};
pub use views::{CaseRow, ClerkInfo, Screen, Startup, StationInfo};
pub use yichuang_core::Role;
