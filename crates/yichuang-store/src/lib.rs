//! The station database: an SQLCipher file whose key lives in the OS keyring, its
//! migrations, and the repositories behind the [`Store`] facade.
//!
//! Writers take `&rusqlite::Transaction`, readers `&rusqlite::Connection`; the facade owns
//! every commit. WAL, foreign keys and a busy timeout are set at every open.

mod accounts;
mod audit;
mod case_history;
mod cases;
mod clerks;
mod clock_offset;
mod credit;
mod db;
mod deadlines;
mod decisions;
mod delivery_reads;
mod device_token;
mod discard;
mod district_status;
mod drafts;
mod error;
mod evaluation_channels;
mod evaluation_stats;
mod evaluations;
mod exports;
mod facade;
mod fsutil;
mod handover_outbox;
mod handovers;
mod home;
mod key;
mod keyring_store;
mod lockout;
mod material_uploads;
mod migrations;
mod outbox;
mod page_key;
mod page_rows;
mod pages;
mod paths;
mod print_jobs;
mod printer_settings;
mod qr_key;
mod quarantine;
mod recovery;
mod reference;
mod reference_download;
mod scan_settings;
mod search;
mod search_keys;
mod search_numbers;
mod search_page;
pub use search_page::COUNT_CAP;
mod serials;
mod settings;
mod stats;
mod store;
mod sync_outcomes;
mod timefmt;

#[cfg(test)]
mod upgrade_tests;

pub use accounts::Account;
pub use case_history::{CaseAuditRecord, StatusRecord};
pub use clerks::{Clerk, DistrictClerk, MIN_PASSWORD_CHARS};
pub use clerks::{display_name_problem, login_problem, password_problem};
pub use deadlines::{DeadlineCase, DeadlineKind, DeadlinePage};
pub use decisions::Saved;
pub use delivery_reads::{AwaitingHandover, HandoverRecord};
pub use district_status::{Applied, CaseDistrictStatus, STATUS_STREAM};
pub use drafts::DraftRecord;
pub use error::{Result, StoreError};
pub use evaluation_channels::DEFAULT_PAD_CHANNEL;
pub use evaluation_channels::DEFAULT_QR_CHANNEL;
pub use evaluation_stats::{EvaluationCounts, RatedComment, RatedGroup};
pub use evaluations::{Evaluation, EvaluationSent};
pub use exports::ExportRow;
pub use handover_outbox::{HandoverSent, RefusedHandover};
pub use handovers::MAX_HANDOVER_FIELD_CHARS;
pub use home::OutcomeCount;
pub use key::DbKey;
pub use keyring_store::KeyringStore;
pub use lockout::{LoginAttempt, LoginPolicy, MAX_LOGIN_FAILURES};
pub use material_uploads::{CaseMaterial, PendingMaterial};
pub use migrations::LATEST_VERSION;
pub use outbox::{OutboxDue, OutboxItem};
pub use page_rows::PageRef;
pub use paths::StationPaths;
pub use print_jobs::{MAX_REPRINT_REASON_CHARS, NewPrint, PrintFilter, PrintJob, PrintState};
pub use quarantine::{MAX_RELEASE_REASON_CHARS, QuarantinedCase, UnreadableRow};
pub use recovery::MIN_PASSPHRASE_CHARS;
pub use reference_download::DownloadedReference;
pub use settings::StationSettings;
pub use settings::{ClerkPrefs, LOCALES, StationProfile};
pub use stats::{CaseCounts, GroupCount};
pub use store::{ProvisionInput, Store, recover_key};
pub use sync_outcomes::{OutcomesRecorded, SyncOutcome};
