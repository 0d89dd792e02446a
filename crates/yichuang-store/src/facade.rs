//! The Store facade's operations for the Tauri shell, the CLI and the sync engine.
//!
//! Readers take `&self` and run on the connection; writers take `&mut self` (the store is
//! the station's one writer) and run inside `Store::write`: one IMMEDIATE transaction each,
//! audit row included, so every operation lands whole or not at all.

use jiff::Timestamp;
use rusqlite::{OptionalExtension, params};
use tracing::instrument;
use uuid::Uuid;
use yichuang_core::{
    Case, CaseQuery, Catalogue, CoreError, HolidayCalendar, IntakeDecision, Role, SyncState,
    ValidIntake,
};

use crate::audit::{self, AuditEvent};
use crate::timefmt::ts_to_sql;
use crate::{Clerk, OutboxDue, Result, StationSettings, Store, StoreError};
use crate::{cases, clerks, outbox, reference, search, settings};

impl Store {
    pub fn settings(&self) -> Result<StationSettings> {
        settings::read(&self.conn)
    }

    /// Changes where the station reaches the district and, with `token`, as whom (a new
    /// device token from enrollment, kept in the OS keyring). `actor` is audited.
    #[instrument(skip_all, err)]
    pub fn set_district(&mut self, url: &str, token: Option<&str>, actor: &str) -> Result<()> {
        let url = url.trim();
        if url.is_empty() {
            return Err(StoreError::InvalidInput("请填写区级系统地址".into()));
        }
        if let Some(token) = token.map(str::trim) {
            if token.is_empty() {
                return Err(StoreError::InvalidInput("区级系统凭据不能为空".into()));
            }
            self.keyring.set_device_token(&self.db_id, token)?;
        }
        let what = if token.is_some() {
            "settings.district_enrolled"
        } else {
            "settings.district_changed"
        };
        self.write(|tx| {
            settings::put(tx, "district_url", url)?;
            audit::append(tx, event(Timestamp::now(), actor.trim(), what, url, "ok"))
        })
    }

    #[instrument(skip_all, err)]
    pub fn add_clerk(&mut self, login: &str, display_name: &str, password: &str) -> Result<Clerk> {
        self.add_account(login, display_name, password, Role::Clerk)
    }

    /// Adds a local account with `role` (the station's first hall manager, or a clerk a hall
    /// manager adds at the station).
    pub fn add_account(
        &mut self,
        login: &str,
        display_name: &str,
        password: &str,
        role: Role,
    ) -> Result<Clerk> {
        let now = Timestamp::now();
        self.write(|tx| {
            let clerk = clerks::insert(tx, login, display_name, password, role, now)?;
            audit::append(tx, event(now, "admin", "clerk.added", &clerk.login, "ok"))?;
            Ok(clerk)
        })
    }

    /// Checks a clerk's password; every attempt is audited, a mismatch is `BadCredentials`.
    #[instrument(skip_all, err)]
    pub fn verify_clerk(&mut self, login: &str, password: &str) -> Result<Clerk> {
        let outcome = clerks::verify(&self.conn, login, password);
        let result = match &outcome {
            Ok(_) => "ok",
            Err(StoreError::BadCredentials) => "bad_credentials",
            Err(_) => "error",
        };
        let actor = login.trim();
        self.write(|tx| {
            audit::append(
                tx,
                event(Timestamp::now(), actor, "clerk.login", actor, result),
            )
        })?;
        outcome
    }

    #[instrument(skip_all, fields(version = %catalogue.version), err)]
    pub fn import_catalogue(&mut self, catalogue: &Catalogue) -> Result<()> {
        let now = Timestamp::now();
        self.write(|tx| {
            reference::insert_catalogue(tx, catalogue, now)?;
            audit::append(
                tx,
                event(
                    now,
                    "system",
                    "catalogue.imported",
                    &catalogue.version,
                    "ok",
                ),
            )
        })
    }

    /// Identifies the current catalogue import (None before the first): cheap to ask, for a
    /// reader that keeps a parsed copy.
    pub fn catalogue_id(&self) -> Result<Option<i64>> {
        reference::current_catalogue_id(&self.conn)
    }

    /// The current (last imported) catalogue, or [`StoreError::NoCatalogue`].
    pub fn catalogue(&self) -> Result<Catalogue> {
        reference::current_catalogue(&self.conn)
    }

    #[instrument(skip_all, fields(version = %calendar.version), err)]
    pub fn import_calendar(&mut self, calendar: &HolidayCalendar) -> Result<()> {
        let now = Timestamp::now();
        self.write(|tx| {
            reference::insert_calendar(tx, calendar, now)?;
            audit::append(
                tx,
                event(now, "system", "calendar.imported", &calendar.version, "ok"),
            )
        })
    }

    /// The current calendar; an empty one (Monday–Friday fallback, flagged on every
    /// deadline) when none was imported yet.
    pub fn calendar(&self) -> Result<HolidayCalendar> {
        reference::current_calendar(&self.conn)
    }

    /// Accepts a complete intake (受理) as a new case; see [`Store::decide_case`] for every
    /// outcome and for repeating the call safely. `clerk` is the name printed on the slip.
    pub fn accept_case(
        &mut self,
        intake: ValidIntake,
        clerk: &str,
        now: Timestamp,
    ) -> Result<Case> {
        let saved = self.decide_case(
            Uuid::now_v7(),
            &intake.draft,
            &IntakeDecision::Accept,
            clerk,
            now,
        )?;
        Ok(saved.case)
    }

    /// Replaces an accepted case's intake (same item), bumps its revision and queues it
    /// again; a sync in flight for the old revision then leaves the outbox row in place.
    #[instrument(skip_all, fields(case_id = %case_id), err)]
    pub fn update_intake(
        &mut self,
        case_id: Uuid,
        intake: ValidIntake,
        actor: &str,
        now: Timestamp,
    ) -> Result<Case> {
        self.write_with_catalogue(|tx, catalogues| {
            let mut case = cases::get(tx, case_id)?.ok_or_else(|| StoreError::CaseNotFound {
                id: case_id.to_string(),
            })?;
            if intake.draft.item_code != case.intake.item_code {
                return Err(StoreError::InvalidInput(
                    "修改办件时不能更换事项，请另行受理".into(),
                ));
            }
            let catalogue = catalogues.current(tx)?;
            if let Some(item) = catalogue.item(&intake.draft.item_code) {
                intake.draft.validate(item).map_err(CoreError::Invalid)?;
            }
            case.intake = intake.draft;
            case.sync_state = SyncState::Pending;
            let revision = cases::update_intake(tx, &case, now)?;
            outbox::enqueue(tx, case_id, revision, now)?;
            audit::append(tx, event(now, actor, "case.edited", &case.case_no, "ok"))?;
            Ok(case)
        })
    }

    /// Newest first.
    pub fn list_cases(&self, limit: usize) -> Result<Vec<Case>> {
        cases::list(&self.conn, limit)
    }

    pub fn get_case(&self, id: Uuid) -> Result<Option<Case>> {
        cases::get(&self.conn, id)
    }

    /// Cases whose applicant name, document number or case number matches `text`, newest
    /// first (at most 50); see [`Store::search_cases`] for filters.
    pub fn find_cases(&self, text: &str) -> Result<Vec<Case>> {
        if text.trim().is_empty() {
            return Ok(Vec::new());
        }
        self.search_cases(&CaseQuery {
            text: text.to_string(),
            ..CaseQuery::default()
        })
    }

    /// The queue search: text and filters, newest accept time first.
    pub fn search_cases(&self, query: &CaseQuery) -> Result<Vec<Case>> {
        search::find(&self.conn, query)
    }

    /// The newest case of the applicant with this document number (a returning applicant).
    pub fn latest_case_of_applicant(&self, id_no: &str) -> Result<Option<Case>> {
        let id_no = yichuang_core::ids::normalize_id(id_no);
        if id_no.is_empty() {
            return Ok(None);
        }
        cases::latest_of_applicant(&self.conn, &id_no)
    }

    /// 容缺 cases whose promised supplement is overdue on `today`, oldest promise first.
    pub fn overdue_supplements(&self, today: jiff::civil::Date) -> Result<Vec<Case>> {
        cases::overdue_supplements(&self.conn, today)
    }

    /// The case's current revision (what a sync of it now must acknowledge).
    pub fn case_revision(&self, id: Uuid) -> Result<i64> {
        cases::revision(&self.conn, id)
    }

    /// Outbox rows not quarantined whose next attempt is due at `now`, oldest due first.
    #[instrument(skip_all, fields(limit), err)]
    pub fn outbox_due(&self, now: Timestamp, limit: usize) -> Result<OutboxDue> {
        outbox::due(&self.conn, now, limit)
    }

    /// The case ids of [`Store::outbox_due`] alone, in send order: a round reads them once,
    /// then its rows a page at a time ([`Store::outbox_entries`]) while earlier pages are on
    /// their way.
    #[instrument(skip_all, fields(limit), err)]
    pub fn outbox_due_order(&self, now: Timestamp, limit: usize) -> Result<Vec<String>> {
        outbox::due_order(&self.conn, now, limit)
    }

    /// The outbox rows of `case_ids` with their cases, in that order.
    #[instrument(skip_all, fields(rows = case_ids.len()), err)]
    pub fn outbox_entries(&self, case_ids: &[String]) -> Result<OutboxDue> {
        outbox::entries(&self.conn, case_ids)
    }

    /// The district acknowledged `revision` with its official number. Only if the outbox
    /// still holds that revision are the number and `Synced` recorded and the row removed;
    /// otherwise (edited meanwhile, or already done) nothing changes and `false` is returned.
    #[instrument(skip_all, fields(case_id = %case_id, revision), err)]
    pub fn record_synced(
        &mut self,
        case_id: Uuid,
        revision: i64,
        official_case_no: &str,
    ) -> Result<bool> {
        let official = official_case_no.trim();
        if official.is_empty() {
            return Err(StoreError::InvalidInput(
                "区级系统没有返回正式办件编号".into(),
            ));
        }
        let now = Timestamp::now();
        self.write(|tx| {
            if !outbox::remove_at_revision(tx, case_id, revision)? {
                return Ok(false);
            }
            cases::mark_synced(tx, case_id, official, now)?;
            audit::append(tx, event(now, "sync", "case.synced", official, "ok"))?;
            Ok(true)
        })
    }

    /// A failed attempt: counted, with its message and the next attempt time; `permanent`
    /// quarantines the case for a clerk (it is never deleted).
    #[instrument(skip_all, fields(case_id = %case_id, permanent), err)]
    pub fn record_sync_failure(
        &mut self,
        case_id: Uuid,
        message: &str,
        permanent: bool,
        next_attempt_at: Timestamp,
    ) -> Result<()> {
        let now = Timestamp::now();
        self.write(|tx| {
            outbox::fail(tx, case_id, message, permanent, next_attempt_at)?;
            if permanent {
                let mut chain = audit::Chain::head(tx)?;
                crate::sync_outcomes::mark_quarantined(tx, &mut chain, case_id, now)?;
            }
            Ok(())
        })
    }

    /// (pending, quarantined) outbox rows.
    pub fn outbox_counts(&self) -> Result<(u32, u32)> {
        outbox::counts(&self.conn)
    }

    /// The sync engine's download cursor for `stream`, if any.
    pub fn sync_cursor(&self, stream: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row(
                "SELECT cursor FROM sync_cursor WHERE stream = ?1",
                [stream],
                |r| r.get(0),
            )
            .optional()?)
    }

    pub fn set_sync_cursor(&mut self, stream: &str, cursor: &str) -> Result<()> {
        self.write(|tx| {
            tx.execute(
                "INSERT INTO sync_cursor (stream, cursor, updated_at) VALUES (?1, ?2, ?3)
                 ON CONFLICT (stream) DO UPDATE SET cursor = excluded.cursor, updated_at = excluded.updated_at",
                params![stream, cursor, ts_to_sql(Timestamp::now())],
            )?;
            Ok(())
        })
    }

    /// Appends a record to the audit hash chain (no personal data in any field).
    pub fn audit(
        &mut self,
        actor: &str,
        event_name: &str,
        target: &str,
        result: &str,
    ) -> Result<()> {
        self.write(|tx| {
            audit::append(
                tx,
                event(Timestamp::now(), actor, event_name, target, result),
            )
        })
    }

    /// Walks the audit chain; a changed or removed row is [`StoreError::AuditTampered`].
    /// Returns how many records were checked.
    pub fn verify_audit_chain(&self) -> Result<u64> {
        audit::verify_chain(&self.conn)
    }
}

pub(crate) fn event<'a>(
    at: Timestamp,
    actor: &'a str,
    event: &'a str,
    target: &'a str,
    result: &'a str,
) -> AuditEvent<'a> {
    AuditEvent {
        at,
        actor,
        event,
        target,
        result,
    }
}
