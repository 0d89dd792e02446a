//! The outbox: which case revisions still have to reach the district, and their retry state.
//!
//! A row leaves only when the district acknowledged exactly the revision it holds, so an
//! edit made while a sync was in flight is sent in the next round. Permanent failures are
//! quarantined for a clerk to look at, never deleted.

use std::collections::HashMap;

use jiff::Timestamp;
use rusqlite::{Connection, Transaction, params};
use uuid::Uuid;
use yichuang_core::Case;

use crate::cases::{COLUMNS, RawCase, limit_param};
use crate::timefmt::ts_to_sql;
use crate::{Result, StoreError};

/// One case due to be sent, with the revision the district must acknowledge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxItem {
    pub case: Case,
    /// Bumped by every local edit; [`crate::Store::record_synced`] clears the row only at this revision.
    pub revision: i64,
    /// Failed attempts so far.
    pub attempts: u32,
    /// The district's clock offset (ms) the station knew when it recorded the case.
    pub clock_offset_ms: Option<i64>,
}

/// Queues `revision` of a case, resetting any retry state (a new revision is a new attempt).
pub(crate) fn enqueue(
    tx: &Transaction<'_>,
    case_id: Uuid,
    revision: i64,
    now: Timestamp,
) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO outbox (case_id, revision, attempts, last_error, next_attempt_at, quarantined)
         VALUES (?1, ?2, 0, NULL, ?3, 0)
         ON CONFLICT (case_id) DO UPDATE SET revision = excluded.revision, attempts = 0,
             last_error = NULL, next_attempt_at = excluded.next_attempt_at, quarantined = 0",
    )?
    .execute(params![case_id.to_string(), revision, ts_to_sql(now)])?;
    Ok(())
}

/// Rows due to be sent: the decoded ones, and the ones whose case cannot be read (each with
/// its reason), so that one bad row never blocks the others.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OutboxDue {
    pub items: Vec<OutboxItem>,
    /// `(case id as stored, why it cannot be read)`.
    pub unreadable: Vec<(String, String)>,
}

/// Longer than any wait the sync engine schedules (its backoff and `Retry-After` caps are
/// minutes): a next attempt further away than this was scheduled before the device clock
/// jumped backwards, and is due now.
pub(crate) const CLOCK_JUMP_HORIZON: jiff::SignedDuration = jiff::SignedDuration::from_hours(2);

/// Rows not quarantined whose next attempt is due at `now`, oldest due first. A row whose
/// next attempt lies beyond [`CLOCK_JUMP_HORIZON`] counts as due, so a clock set back by a
/// day does not hold the queue for a day (a clock set forwards only makes rows due sooner).
pub(crate) fn due(conn: &Connection, now: Timestamp, limit: usize) -> Result<OutboxDue> {
    let ids = due_order(conn, now, limit)?;
    entries(conn, &ids)
}

/// The case ids of the rows due at `now`, in send order (next attempt, then the UUIDv7 case
/// id, i.e. creation order), at most `limit`: read on the outbox alone, once per round.
pub(crate) fn due_order(conn: &Connection, now: Timestamp, limit: usize) -> Result<Vec<String>> {
    Ok(conn
        .prepare_cached(
            "SELECT case_id FROM outbox
             WHERE quarantined = 0 AND (next_attempt_at <= ?1 OR next_attempt_at > ?3)
             ORDER BY next_attempt_at, case_id LIMIT ?2",
        )?
        .query_map(
            params![
                ts_to_sql(now),
                limit_param(limit),
                ts_to_sql(now.saturating_add(CLOCK_JUMP_HORIZON).unwrap_or(now))
            ],
            |r| r.get(0),
        )?
        .collect::<rusqlite::Result<_>>()?)
}

/// The outbox rows of `case_ids` with their cases, in the order given (one statement; rows
/// gone or quarantined since the ids were read are left out).
pub(crate) fn entries(conn: &Connection, case_ids: &[String]) -> Result<OutboxDue> {
    let ids = serde_json::to_string(case_ids)
        .map_err(|e| StoreError::Corrupt(format!("办件标识无法编码（{e}）")))?;
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT o.case_id, o.revision, o.attempts, c.clock_offset_ms, {COLUMNS}
         FROM outbox o JOIN cases c ON c.id = o.case_id
         WHERE o.case_id IN (SELECT value FROM json_each(?1)) AND o.quarantined = 0"
    ))?;
    let mut rows: HashMap<String, (i64, i64, Option<i64>, RawCase)> = stmt
        .query_map([ids], |r| {
            Ok((
                r.get::<_, String>(0)?,
                (r.get(1)?, r.get(2)?, r.get(3)?, RawCase::from_row(r, 4)?),
            ))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut due = OutboxDue::default();
    for case_id in case_ids {
        let Some((revision, attempts, clock_offset_ms, raw)) = rows.remove(case_id) else {
            continue;
        };
        match raw.decode() {
            Ok(case) => due.items.push(OutboxItem {
                case,
                revision,
                attempts: u32::try_from(attempts).unwrap_or(u32::MAX),
                clock_offset_ms,
            }),
            Err(e) => due.unreadable.push((case_id.clone(), e.to_string())),
        }
    }
    Ok(due)
}

/// Whether the row is there and still holds `revision`.
pub(crate) fn holds_revision(tx: &Transaction<'_>, case_id: Uuid, revision: i64) -> Result<bool> {
    Ok(tx
        .prepare_cached("SELECT 1 FROM outbox WHERE case_id = ?1 AND revision = ?2")?
        .exists(params![case_id.to_string(), revision])?)
}

/// Deletes the row if it still holds `revision`; `false` when it changed or is gone.
pub(crate) fn remove_at_revision(
    tx: &Transaction<'_>,
    case_id: Uuid,
    revision: i64,
) -> Result<bool> {
    let n = tx
        .prepare_cached("DELETE FROM outbox WHERE case_id = ?1 AND revision = ?2")?
        .execute(params![case_id.to_string(), revision])?;
    Ok(n == 1)
}

/// Counts a failed attempt and schedules the next; `permanent` quarantines the row.
pub(crate) fn fail(
    tx: &Transaction<'_>,
    case_id: Uuid,
    message: &str,
    permanent: bool,
    next_attempt_at: Timestamp,
) -> Result<()> {
    let n = tx
        .prepare_cached(
            "UPDATE outbox SET attempts = attempts + 1, last_error = ?2, next_attempt_at = ?3,
             quarantined = max(quarantined, ?4)
         WHERE case_id = ?1",
        )?
        .execute(params![
            case_id.to_string(),
            message,
            ts_to_sql(next_attempt_at),
            permanent
        ])?;
    if n == 0 {
        return Err(StoreError::NotInOutbox {
            id: case_id.to_string(),
        });
    }
    Ok(())
}

/// (pending, quarantined).
pub(crate) fn counts(conn: &Connection) -> Result<(u32, u32)> {
    let (pending, quarantined): (i64, i64) = conn.query_row(
        "SELECT count(*) FILTER (WHERE quarantined = 0), count(*) FILTER (WHERE quarantined = 1)
         FROM outbox",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let clamp = |n: i64| u32::try_from(n).unwrap_or(u32::MAX);
    Ok((clamp(pending), clamp(quarantined)))
}
