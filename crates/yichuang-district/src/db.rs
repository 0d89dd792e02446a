//! The district's case table on a plain SQLite file: the case id is the primary key, and the
//! official number is allocated in the same transaction as the insert.

use std::path::Path;

use jiff::Timestamp;
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use uuid::Uuid;
use yichuang_core::time::local_date;
use yichuang_sync::protocol::{CaseSubmission, ContentHash, SubmissionAck};

use crate::DistrictError;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS cases (
    id               TEXT PRIMARY KEY,
    station_code     TEXT NOT NULL,
    case_no          TEXT NOT NULL,
    item_code        TEXT NOT NULL,
    content_hash     TEXT NOT NULL,
    body             TEXT NOT NULL,
    official_case_no TEXT NOT NULL UNIQUE,
    received_at      TEXT NOT NULL
) STRICT;
CREATE INDEX IF NOT EXISTS cases_by_station ON cases (station_code);
CREATE TABLE IF NOT EXISTS case_serials (
    region_code TEXT NOT NULL,
    year        INTEGER NOT NULL,
    last        INTEGER NOT NULL,
    PRIMARY KEY (region_code, year)
) STRICT;
";

/// Outcome of storing one submission.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stored {
    Created(SubmissionAck),
    /// Same id, same content: the ack given the first time.
    Duplicate(SubmissionAck),
    /// Same id, different content: nothing written.
    Conflict,
}

/// Opens (creating if needed) the district database.
pub fn open(path: &Path) -> Result<Connection, DistrictError> {
    let conn = Connection::open(path)?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    conn.execute_batch(SCHEMA)?;
    Ok(conn)
}

/// Stores `sub` unless its id is already there; all in one IMMEDIATE transaction.
pub fn store_submission(
    conn: &mut Connection,
    region_code: &str,
    sub: &CaseSubmission,
    hash: &ContentHash,
    body: &str,
    now: Timestamp,
) -> Result<Stored, DistrictError> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let existing = tx
        .query_row(
            "SELECT content_hash, official_case_no, received_at FROM cases WHERE id = ?1",
            params![sub.id.to_string()],
            |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                ))
            },
        )
        .optional()?;
    if let Some((stored_hash, official_case_no, received_at)) = existing {
        if stored_hash != hash.as_str() {
            return Ok(Stored::Conflict);
        }
        return Ok(Stored::Duplicate(SubmissionAck {
            id: sub.id,
            official_case_no,
            received_at: parse_ts(&received_at)?,
            duplicate: true,
        }));
    }
    let year = i64::from(local_date(now).year());
    let serial: i64 = tx.query_row(
        "INSERT INTO case_serials (region_code, year, last) VALUES (?1, ?2, 1)
         ON CONFLICT (region_code, year) DO UPDATE SET last = last + 1
         RETURNING last",
        params![region_code, year],
        |r| r.get(0),
    )?;
    let official_case_no = format!("{region_code}-{year}-{serial:06}");
    tx.execute(
        "INSERT INTO cases (id, station_code, case_no, item_code, content_hash, body,
                            official_case_no, received_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            sub.id.to_string(),
            sub.station_code.as_str(),
            sub.case_no,
            sub.item_code,
            hash.as_str(),
            body,
            official_case_no,
            now.to_string(),
        ],
    )?;
    tx.commit()?;
    Ok(Stored::Created(SubmissionAck {
        id: sub.id,
        official_case_no,
        received_at: now,
        duplicate: false,
    }))
}

/// The ack of a stored case of `station_code`, if there is one.
pub fn find_case(
    conn: &Connection,
    station_code: &str,
    id: Uuid,
) -> Result<Option<SubmissionAck>, DistrictError> {
    let row = conn
        .query_row(
            "SELECT official_case_no, received_at FROM cases WHERE id = ?1 AND station_code = ?2",
            params![id.to_string(), station_code],
            |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)),
        )
        .optional()?;
    row.map(|(official_case_no, received_at)| {
        Ok(SubmissionAck {
            id,
            official_case_no,
            received_at: parse_ts(&received_at)?,
            duplicate: true,
        })
    })
    .transpose()
}

/// How many cases the district holds for `station_code`.
pub fn count_cases(conn: &Connection, station_code: &str) -> Result<u64, DistrictError> {
    let n: i64 = conn.query_row(
        "SELECT count(*) FROM cases WHERE station_code = ?1",
        params![station_code],
        |r| r.get(0),
    )?;
    u64::try_from(n).map_err(|_| DistrictError::Corrupt("负数计数".into()))
}

fn parse_ts(s: &str) -> Result<Timestamp, DistrictError> {
    s.parse()
        .map_err(|e| DistrictError::Corrupt(format!("时间“{s}”无法读取：{e}")))
}

#[cfg(test)]
#[path = "db_tests.rs"]
mod tests;
