//! Domain types and rules of the station counter, free of IO so every rule is testable alone.

pub mod applicant;
pub mod calendar;
pub mod case;
pub mod case_no;
pub mod case_query;
pub mod catalogue;
pub mod catalogue_import;
pub mod credit;
pub mod district_status;
pub mod error;
pub mod evaluation;
pub mod evaluation_qr;
pub mod handover;
pub mod ids;
pub mod intake;
pub mod item_search;
pub mod mask;
pub mod outcome;
pub mod phone;
pub mod role;
pub mod slip_kind;
pub mod time;
pub mod working_days;

pub use applicant::{Agent, Applicant};
pub use calendar::{CalendarBasis, Deadline, HolidayCalendar};
pub use case::{Case, CaseState, SyncState};
pub use case_no::{CaseNo, StationCode};
pub use case_query::CaseQuery;
pub use catalogue::{
    Catalogue, DeliveryKind, ItemKind, MaterialForm, MaterialRequirement, ServiceItem,
};
pub use catalogue_import::{CatalogueFileError, ImportReport, RefusedRow, import_catalogue_json};
pub use credit::{CreditEntry, CreditList, CreditListKind};
pub use district_status::{DistrictStatus, StatusChange};
pub use error::{CoreError, Issue, Severity};
pub use evaluation::EvaluationLevel;
pub use handover::{Handover, HandoverForm, HandoverMethod};
pub use ids::{IdType, UsccCheck};
pub use intake::{ContactInfo, DeliveryMethod, IntakeDraft, ReceivedMaterial, ValidIntake};
pub use item_search::ItemIndex;
pub use outcome::{
    CaseOutcome, DateField, Decided, IntakeDecision, MaterialDefect, NoticeMaterial,
};
pub use role::Role;
pub use slip_kind::{Paper, SlipKind};
pub use working_days::{DeadlineStanding, SOON_DUE_WORKING_DAYS};
