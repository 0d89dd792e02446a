//! Domain types and rules of the station counter, free of IO so every rule is testable alone.

pub mod calendar;
pub mod case;
pub mod case_no;
pub mod catalogue;
pub mod credit;
pub mod error;
pub mod evaluation;
pub mod ids;
pub mod intake;
pub mod mask;
pub mod phone;
pub mod time;

pub use calendar::{CalendarBasis, Deadline, HolidayCalendar};
pub use case::{Case, CaseState, SyncState};
pub use case_no::{CaseNo, StationCode};
pub use catalogue::{Catalogue, ItemKind, MaterialForm, MaterialRequirement, ServiceItem};
pub use credit::{CreditEntry, CreditList, CreditListKind};
pub use error::{CoreError, Issue, Severity};
pub use ids::{IdType, UsccCheck};
pub use intake::{
    Applicant, ContactInfo, DeliveryMethod, IntakeDraft, ReceivedMaterial, ValidIntake,
};
