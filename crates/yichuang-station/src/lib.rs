//! The station application service: what the counter window can do, with no Tauri in it, so the
//! desktop shell, the CLI and the tests all drive the same code.

pub mod accounts;
pub mod credit;
pub mod customer;
mod delivery;
mod delivery_courier;
mod delivery_rules;
pub mod delivery_views;
pub mod error;
pub mod export;
mod export_sheet;
mod handover;
mod handover_quarantine;
pub mod handover_quarantine_views;
mod history;
pub mod home;
pub mod home_views;
mod intake;
pub mod intake_views;
pub mod manager;
pub mod printing;
mod printing_cups;
mod printing_jobs;
#[cfg(test)]
mod printing_tests;
pub mod printing_views;
pub mod provision;
#[cfg(test)]
mod provision_tests;
pub mod queue;
pub mod queue_views;
pub mod scans;
mod search_indexer;
pub mod session;
pub mod settings;
mod settings_printers;
pub mod settings_views;
pub mod slips;
pub mod station;
pub mod stats_views;
pub mod sync_admin;
pub mod views;

pub use accounts::{AccountRow, NewClerkForm};
pub use credit::CreditHint;
pub use customer::{CustomerView, EvaluationMoment, EvaluationScreen, LevelButton, RatingShown};
pub use delivery::parse_delivery_id;
pub use delivery_views::{
    CourierChoice, CourierHandover, DeliveryCase, DeliveryFilter, DeliveryList, HandedRow,
    HandoverSync, ReadyRow, WindowHandover,
};
pub use error::{AppError, ErrorKind};
pub use export::{ExportDone, ExportFormat, ExportProgress, ExportRequest};
pub use handover_quarantine_views::RefusedHandoverRow;
pub use home_views::{
    DeadlineList, DeadlineRow, HomeView, OutcomeTally, QuarantineSummary, TodayCase,
};
pub use intake_views::{ArrivedScan, PageImage, PageView, ReuseOffer, ScanFolder};
pub use intake_views::{
    Choice, DecisionResult, DraftSummary, FormOptions, IntakeForm, ItemView, MaterialLine,
    ReturningApplicant,
};
pub use manager::DateRange;
pub use printing::PRINT_WAIT;
pub use printing_views::{
    PaperChoice, PrintHistoryQuery, PrintOptions, PrintOutcome, PrintRecord, PrintStatus,
    PrinterView,
};
pub use provision::{ProvisionForm, StationConfig};
pub use queue_views::{CaseHistory, HistoryEntry, QueueFilters, QueuePage, ScanGroup};
pub use scans::ScanInbox;
pub use session::{LoginSettings, SessionView};
pub use settings_views::{
    ClerkPrefsForm, ClerkPrefsView, EvaluationCodes, KindPrinter, LocaleChoice,
    PrinterSettingsView, StationForm, StationSettingsView,
};
pub use station::Station;
pub use stats_views::{CaseStatsView, CountBar, EvaluationStatsView};
pub use sync_admin::{DistrictView, QuarantineRow};
pub use views::{CaseRow, ClerkInfo, Screen, Startup, StationInfo};
pub use yichuang_core::Role;
