//! The Store's intake operations: the clerk's decision on an intake (any Art. 32 outcome),
//! a 补正 completed, a 容缺 supplement handed in, and drafts saved as typed.
//!
//! Each is idempotent by the intake's id: repeating it after any failure (a print error, a
//! crash, a double click) returns what the first call saved, never a second case or number.

use jiff::Timestamp;
use tracing::{info, instrument};
use uuid::Uuid;
use yichuang_core::outcome::decide;
use yichuang_core::{
    Case, CaseNo, CaseOutcome, CaseState, CoreError, IntakeDecision, IntakeDraft, ItemKind,
    ServiceItem, SyncState, time,
};

use crate::audit;
use crate::drafts::{self, DraftRecord};
use crate::facade::event;
use crate::reference::CatalogueCache;
use crate::{Result, Store, StoreError, cases, clerks, outbox, reference, serials, settings};

/// What a decision saved, and whether it had been saved before this call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Saved {
    pub case: Case,
    /// True when the case already existed: the call was a repeat and changed nothing.
    pub already_saved: bool,
}

/// The audit event name of an outcome.
fn event_name(outcome: &CaseOutcome) -> &'static str {
    match outcome {
        CaseOutcome::Accepted => "case.accepted",
        CaseOutcome::AcceptedTolerant { .. } => "case.accepted_tolerant",
        CaseOutcome::CorrectionRequested { .. } => "case.correction_requested",
        CaseOutcome::Rejected { .. } => "case.rejected",
        CaseOutcome::CompletedOnSpot { .. } => "case.completed_on_spot",
    }
}

fn item_of(
    tx: &rusqlite::Transaction<'_>,
    catalogues: &mut CatalogueCache,
    item_code: &str,
) -> Result<ServiceItem> {
    catalogues
        .current(tx)?
        .item(item_code)
        .cloned()
        .ok_or_else(|| StoreError::UnknownItem {
            item_code: item_code.to_string(),
        })
}

/// The due date and its basis when the outcome starts the promised limit on `day`.
fn deadline(
    tx: &rusqlite::Transaction<'_>,
    item: &ServiceItem,
    outcome: &CaseOutcome,
    day: jiff::civil::Date,
) -> Result<Option<yichuang_core::Deadline>> {
    Ok(match (item.kind, item.promised_limit_days) {
        _ if !outcome.starts_the_clock() => None,
        (ItemKind::Immediate, _) | (_, 0) => None,
        (ItemKind::Promised, days) => {
            Some(reference::current_calendar(tx)?.add_working_days(day, days))
        }
    })
}

impl Store {
    /// Records the clerk's decision on the intake started as `id`, checked against the
    /// current catalogue. `clerk` is the clerk's login (audited; the case keeps their display
    /// name for the slip). One transaction: the case with its provisional number and due
    /// date, its outbox row, the audit row, and the draft removed. If a case with `id`
    /// exists, it is returned unchanged with `already_saved`.
    #[instrument(skip_all, fields(intake_id = %id), err)]
    pub fn decide_case(
        &mut self,
        id: Uuid,
        draft: &IntakeDraft,
        decision: &IntakeDecision,
        clerk: &str,
        now: Timestamp,
    ) -> Result<Saved> {
        let saved = self.write_with_catalogue(|tx, catalogues| {
            drafts::refuse_foreign(tx, id, clerk)?;
            if let Some(case) = cases::get(tx, id)? {
                return Ok(Saved {
                    case,
                    already_saved: true,
                });
            }
            let item = item_of(tx, catalogues, &draft.item_code)?;
            let day = time::local_date(now);
            let decided = decide(draft, &item, decision, day, now).map_err(CoreError::Invalid)?;
            let printed_name = clerks::printed_name(tx, clerk)?;
            let state = CaseState::Draft.transition(decided.outcome.state())?;
            let (station, counter) = settings::station_and_counter(tx)?;
            let serial = serials::next(tx, &station, counter, day)?;
            let deadline = deadline(tx, &item, &decided.outcome, day)?;
            let case = Case {
                id,
                case_no: CaseNo::provisional(&station, counter, day, serial).to_string(),
                official_case_no: None,
                station_code: station.as_str().to_string(),
                item_name: item.name.clone(),
                intake: decided.intake.draft,
                clerk: printed_name,
                state,
                outcome: decided.outcome,
                accepted_at: now,
                due_date: deadline.as_ref().map(|d| d.due),
                deadline_basis: deadline.map(|d| d.basis),
                sync_state: SyncState::Pending,
            };
            cases::insert(tx, &case, 1, now)?;
            outbox::enqueue(tx, case.id, 1, now)?;
            drafts::remove(tx, id, clerk)?;
            audit::append(
                tx,
                event(
                    now,
                    clerk.trim(),
                    event_name(&case.outcome),
                    &case.case_no,
                    "ok",
                ),
            )?;
            Ok(Saved {
                case,
                already_saved: false,
            })
        })?;
        if !saved.already_saved {
            info!(case_id = %saved.case.id, state = ?saved.case.state, "case decided");
        }
        Ok(saved)
    }

    /// A 补正 case whose materials are now complete (or that is now refused) is decided
    /// again; an accepted one counts from today (行政许可法 Art. 32). A case no longer
    /// waiting for correction is returned as it is, with `already_saved`.
    #[instrument(skip_all, fields(case_id = %case_id), err)]
    pub fn complete_correction(
        &mut self,
        case_id: Uuid,
        draft: &IntakeDraft,
        decision: &IntakeDecision,
        clerk: &str,
        now: Timestamp,
    ) -> Result<Saved> {
        self.write_with_catalogue(|tx, catalogues| {
            drafts::refuse_foreign(tx, case_id, clerk)?;
            let mut case = cases::get(tx, case_id)?.ok_or_else(|| StoreError::CaseNotFound {
                id: case_id.to_string(),
            })?;
            if case.state != CaseState::AwaitingCorrection {
                return Ok(Saved {
                    case,
                    already_saved: true,
                });
            }
            if draft.item_code != case.intake.item_code {
                return Err(StoreError::InvalidInput(
                    "补正时不能更换事项；如需办理其他事项，请另行受理".into(),
                ));
            }
            let item = item_of(tx, catalogues, &draft.item_code)?;
            let day = time::local_date(now);
            let decided = decide(draft, &item, decision, day, now).map_err(CoreError::Invalid)?;
            case.state = case.state.transition(decided.outcome.state())?;
            let deadline = deadline(tx, &item, &decided.outcome, day)?;
            case.intake = decided.intake.draft;
            case.outcome = decided.outcome;
            case.accepted_at = now;
            case.due_date = deadline.as_ref().map(|d| d.due);
            case.deadline_basis = deadline.map(|d| d.basis);
            case.sync_state = SyncState::Pending;
            let revision = cases::update_decision(tx, &case, now)?;
            outbox::enqueue(tx, case.id, revision, now)?;
            audit::append(
                tx,
                event(now, clerk.trim(), "case.corrected", &case.case_no, "ok"),
            )?;
            Ok(Saved {
                case,
                already_saved: false,
            })
        })
    }

    /// The materials promised at a 容缺受理 were handed in: the case becomes a plain 受理
    /// (its due date is unchanged). Repeating it returns the case as it is.
    #[instrument(skip_all, fields(case_id = %case_id), err)]
    pub fn record_supplement(
        &mut self,
        case_id: Uuid,
        clerk: &str,
        now: Timestamp,
    ) -> Result<Saved> {
        self.write(|tx| {
            let mut case = cases::get(tx, case_id)?.ok_or_else(|| StoreError::CaseNotFound {
                id: case_id.to_string(),
            })?;
            let CaseOutcome::AcceptedTolerant {
                supplemented_at, ..
            } = &mut case.outcome
            else {
                return Ok(Saved {
                    case,
                    already_saved: true,
                });
            };
            if supplemented_at.is_some() {
                return Ok(Saved {
                    case,
                    already_saved: true,
                });
            }
            *supplemented_at = Some(now);
            case.state = case.state.transition(case.outcome.state())?;
            case.sync_state = SyncState::Pending;
            let revision = cases::update_decision(tx, &case, now)?;
            outbox::enqueue(tx, case.id, revision, now)?;
            audit::append(
                tx,
                event(now, clerk.trim(), "case.supplemented", &case.case_no, "ok"),
            )?;
            Ok(Saved {
                case,
                already_saved: false,
            })
        })
    }

    /// Saves an unfinished intake as typed. Returns `false` (and saves nothing) when the
    /// intake was already decided, or the draft belongs to another clerk.
    pub fn save_draft(
        &mut self,
        id: Uuid,
        clerk: &str,
        item_code: &str,
        form_json: &str,
        now: Timestamp,
    ) -> Result<bool> {
        self.write(|tx| {
            if cases::get(tx, id)?.is_some() {
                return Ok(false);
            }
            drafts::save(tx, id, clerk, item_code, form_json, now)
        })
    }

    /// Drops a draft the clerk abandoned (audited; the form itself is not kept).
    pub fn discard_draft(&mut self, id: Uuid, clerk: &str) -> Result<bool> {
        let now = Timestamp::now();
        self.write(|tx| {
            let removed = drafts::remove(tx, id, clerk)?;
            if removed {
                audit::append(
                    tx,
                    event(now, clerk, "draft.discarded", &id.to_string(), "ok"),
                )?;
            }
            Ok(removed)
        })
    }

    pub fn draft(&self, id: Uuid) -> Result<Option<DraftRecord>> {
        drafts::get(&self.conn, id)
    }

    /// `clerk`'s draft `id`; another clerk's answers `None`, as a missing one does.
    pub fn own_draft(&self, id: Uuid, clerk: &str) -> Result<Option<DraftRecord>> {
        drafts::own(&self.conn, id, clerk)
    }

    /// A clerk's unfinished intakes, most recently touched first.
    pub fn drafts_of(&self, clerk: &str) -> Result<Vec<DraftRecord>> {
        drafts::of_clerk(&self.conn, clerk)
    }
}
