//! What the station knows of the district's handling of its cases (审批中 → 办结/不予许可 →
//! 待领取/已寄出): status changes downloaded by cursor, a page applied in one transaction
//! together with the cursor, so a crash never loses or repeats a change.
//!
//! The status lives in the narrow `case_district_status` table (migration 0007), never on
//! the large `cases` row: applying a change reads only indexes of `cases`.

use jiff::Timestamp;
use rusqlite::{Connection, OptionalExtension, Transaction, params};
use serde::Serialize;
use tracing::{info, instrument, warn};
use uuid::Uuid;
use yichuang_core::{DistrictStatus, StatusChange};

use crate::facade::event;
use crate::timefmt::{ts_from_sql, ts_to_sql};
use crate::{Result, Store, StoreError, audit, search};

/// The `sync_cursor` stream of the status download (its cursor is the last `seq` applied).
pub const STATUS_STREAM: &str = "status-changes";

/// A case's current status at the district, as last downloaded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CaseDistrictStatus {
    pub status: DistrictStatus,
    /// Chinese label of `status` (审批中, 办结, …).
    pub label: String,
    /// The district's number of the change that set it.
    pub seq: i64,
    pub changed_at: Timestamp,
    pub note: Option<String>,
    pub courier: Option<String>,
    pub tracking_no: Option<String>,
}

impl CaseDistrictStatus {
    /// The result can be handed over at the window (出件).
    pub fn ready_for_delivery(&self) -> bool {
        self.status.ready_for_delivery()
    }
}

/// What applying one page of status changes did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Applied {
    /// Stored as the case's new status.
    pub applied: u32,
    /// For a case this station does not hold (skipped).
    pub unknown_case: u32,
    /// A step the current status may not take (e.g. 待领取 → 审批中; skipped).
    pub refused: u32,
    /// Seen already (a seq not above the case's): nothing to do.
    pub already: u32,
    /// Cases that got their official number from a change (the upload's answer was lost).
    pub numbered: u32,
}

impl Store {
    /// Applies one page of the district's status changes and moves the download cursor to
    /// `next_after`, all in ONE transaction. Changes for unknown cases and refused steps
    /// are counted and skipped, never an error that blocks the page. The first status a
    /// case gets may be any (the station may have missed earlier ones).
    #[instrument(skip_all, fields(changes = changes.len(), next_after), err)]
    pub fn apply_status_changes(
        &mut self,
        changes: &[StatusChange],
        next_after: i64,
    ) -> Result<Applied> {
        let now = Timestamp::now();
        let done = self.write(|tx| {
            let mut done = Applied::default();
            for change in changes {
                apply_one(tx, change, &mut done)?;
            }
            let cursor = read_cursor(tx)?.max(next_after);
            put_cursor(tx, STATUS_STREAM, &cursor.to_string(), now)?;
            if !changes.is_empty() {
                let target = format!("seq {cursor}");
                let result = format!(
                    "applied {} unknown {} refused {}",
                    done.applied, done.unknown_case, done.refused
                );
                audit::append(
                    tx,
                    event(now, "sync", "district_status.downloaded", &target, &result),
                )?;
            }
            Ok(done)
        })?;
        if done.unknown_case > 0 || done.refused > 0 {
            warn!(
                unknown = done.unknown_case,
                refused = done.refused,
                "status changes skipped"
            );
        }
        info!(applied = done.applied, "status changes applied");
        Ok(done)
    }

    /// The last status change applied (0 before the first download).
    pub fn status_cursor(&self) -> Result<i64> {
        read_cursor(&self.conn)
    }

    /// The case's current status at the district, if the station has heard of one.
    pub fn district_status(&self, case_id: Uuid) -> Result<Option<CaseDistrictStatus>> {
        let row = self
            .conn
            .prepare_cached(
                "SELECT status, seq, changed_at, note, courier, tracking_no
                 FROM case_district_status WHERE case_id = ?1",
            )?
            .query_row([case_id.to_string()], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, Option<String>>(3)?,
                    r.get::<_, Option<String>>(4)?,
                    r.get::<_, Option<String>>(5)?,
                ))
            })
            .optional()?;
        row.map(|(status, seq, changed_at, note, courier, tracking_no)| {
            let status = status_from_sql(&status)?;
            Ok(CaseDistrictStatus {
                status,
                label: status.label().to_string(),
                seq,
                changed_at: ts_from_sql(&changed_at)?,
                note,
                courier,
                tracking_no,
            })
        })
        .transpose()
    }
}

fn apply_one(tx: &Transaction<'_>, change: &StatusChange, done: &mut Applied) -> Result<()> {
    let id = change.case_id.to_string();
    // Index only: the case's id, and its current status from the narrow table.
    let known = tx
        .prepare_cached("SELECT 1 FROM cases WHERE id = ?1")?
        .query_row([&id], |_| Ok(()))
        .optional()?
        .is_some();
    if !known {
        done.unknown_case += 1;
        return Ok(());
    }
    let current: Option<(String, i64)> = tx
        .prepare_cached("SELECT status, seq FROM case_district_status WHERE case_id = ?1")?
        .query_row([&id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    if let Some((status, seq)) = &current {
        if change.seq <= *seq {
            done.already += 1;
            return Ok(());
        }
        if !status_from_sql(status)?.may_become(change.status) {
            done.refused += 1;
            return Ok(());
        }
    }
    let status = status_to_sql(change.status);
    let changed_at = ts_to_sql(change.changed_at);
    tx.prepare_cached(
        "INSERT INTO case_district_status
             (case_id, status, seq, changed_at, note, courier, tracking_no)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT (case_id) DO UPDATE SET status = excluded.status, seq = excluded.seq,
             changed_at = excluded.changed_at, note = excluded.note,
             courier = excluded.courier, tracking_no = excluded.tracking_no",
    )?
    .execute(params![
        id,
        status,
        change.seq,
        changed_at,
        change.note,
        change.courier,
        change.tracking_no
    ])?;
    tx.prepare_cached(
        "INSERT OR IGNORE INTO case_status_history
             (seq, case_id, status, changed_at, note, courier, tracking_no)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        change.seq,
        id,
        status,
        changed_at,
        change.note,
        change.courier,
        change.tracking_no
    ])?;
    if record_official_no(tx, &id, change.official_case_no.trim())? {
        done.numbered += 1;
    }
    done.applied += 1;
    Ok(())
}

/// Writes the district's number on a case that has none yet. Usually the case has it
/// already: the unique index on the number answers that without reading the case row.
fn record_official_no(tx: &Transaction<'_>, id: &str, official: &str) -> Result<bool> {
    if official.is_empty() {
        return Ok(false);
    }
    let holder: Option<String> = tx
        .prepare_cached("SELECT id FROM cases WHERE official_case_no = ?1")?
        .query_row([official], |r| r.get(0))
        .optional()?;
    match holder {
        Some(holder) if holder == id => Ok(false),
        Some(_) => {
            warn!("a status change names a district number another case holds; not recorded");
            Ok(false)
        }
        None => {
            let changed = tx
                .prepare_cached(
                    "UPDATE cases SET official_case_no = ?2, official_case_no_rev = ?3
                     WHERE id = ?1 AND official_case_no IS NULL",
                )?
                .execute(params![id, official, search::reversed(official)])?;
            Ok(changed == 1)
        }
    }
}

fn read_cursor(conn: &Connection) -> Result<i64> {
    let raw: Option<String> = conn
        .prepare_cached("SELECT cursor FROM sync_cursor WHERE stream = ?1")?
        .query_row([STATUS_STREAM], |r| r.get(0))
        .optional()?;
    match raw {
        None => Ok(0),
        Some(raw) => raw
            .parse()
            .map_err(|_| StoreError::Corrupt(format!("状态下载游标“{raw}”无法读取"))),
    }
}

/// Sets the cursor of `stream` inside the caller's transaction.
pub(crate) fn put_cursor(
    tx: &Transaction<'_>,
    stream: &str,
    cursor: &str,
    now: Timestamp,
) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO sync_cursor (stream, cursor, updated_at) VALUES (?1, ?2, ?3)
         ON CONFLICT (stream) DO UPDATE SET cursor = excluded.cursor,
             updated_at = excluded.updated_at",
    )?
    .execute(params![stream, cursor, ts_to_sql(now)])?;
    Ok(())
}

fn status_to_sql(status: DistrictStatus) -> &'static str {
    match status {
        DistrictStatus::Reviewing => "reviewing",
        DistrictStatus::Approved => "approved",
        DistrictStatus::Denied => "denied",
        DistrictStatus::ReadyForPickup => "ready_for_pickup",
        DistrictStatus::Mailed => "mailed",
        DistrictStatus::Delivered => "delivered",
    }
}

fn status_from_sql(s: &str) -> Result<DistrictStatus> {
    Ok(match s {
        "reviewing" => DistrictStatus::Reviewing,
        "approved" => DistrictStatus::Approved,
        "denied" => DistrictStatus::Denied,
        "ready_for_pickup" => DistrictStatus::ReadyForPickup,
        "mailed" => DistrictStatus::Mailed,
        "delivered" => DistrictStatus::Delivered,
        other => {
            return Err(StoreError::Corrupt(format!(
                "办件的区级办理状态“{other}”无法识别"
            )));
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_keep_their_serde_names() {
        for s in [
            DistrictStatus::Reviewing,
            DistrictStatus::Approved,
            DistrictStatus::Denied,
            DistrictStatus::ReadyForPickup,
            DistrictStatus::Mailed,
        ] {
            let serde = serde_json::to_value(s).unwrap();
            assert_eq!(serde.as_str(), Some(status_to_sql(s)));
            assert_eq!(status_from_sql(status_to_sql(s)).unwrap(), s);
        }
        assert!(status_from_sql("lost").is_err());
    }
}
