//! Handovers on SQLite: a batch in one IMMEDIATE transaction; each stored handover adds the
//! case's 已送达 status change in it.

use jiff::Timestamp;
use rusqlite::{Connection, OptionalExtension, Transaction, TransactionBehavior, params};
use yichuang_sync::protocol::v2::handovers::HandoverRecord;

use super::reference::{current_status, record_status_in};
use crate::DistrictError;
use crate::store::HandoverOutcome;
use crate::store::handovers::{content, delivered, method_code, refusal, repeat};

pub(super) fn store_handovers(
    conn: &mut Connection,
    station: &str,
    records: &[HandoverRecord],
    now: Timestamp,
) -> Result<Vec<HandoverOutcome>, DistrictError> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let outcomes = records
        .iter()
        .map(|record| store_one(&tx, station, record, now))
        .collect::<Result<Vec<_>, _>>()?;
    // Acknowledged means committed.
    tx.commit()?;
    Ok(outcomes)
}

fn store_one(
    tx: &Transaction<'_>,
    station: &str,
    r: &HandoverRecord,
    now: Timestamp,
) -> Result<HandoverOutcome, DistrictError> {
    let (json, hash) = content(r)?;
    let (id, case_id) = (r.id.to_string(), r.case_id.to_string());
    let by_id: Option<(String, String)> = tx
        .prepare_cached("SELECT content_hash, station_code FROM handovers WHERE id = ?1")?
        .query_row([&id], |row| Ok((row.get(0)?, row.get(1)?)))
        .optional()?;
    if let Some((stored, stored_station)) = by_id {
        let hash = if stored_station == station { &hash } else { "" };
        return Ok(repeat(&stored, hash));
    }
    let ours = tx
        .prepare_cached("SELECT 1 FROM cases WHERE id = ?1 AND station_code = ?2")?
        .query_row(params![case_id, station], |_| Ok(()))
        .optional()?
        .is_some();
    if !ours {
        return Ok(HandoverOutcome::UnknownCase);
    }
    if let Some(refused) = refusal(current_status(tx, &case_id)?) {
        return Ok(refused);
    }
    let change = record_status_in(tx, &delivered(r))?;
    tx.prepare_cached(
        "INSERT INTO handovers (id, case_id, station_code, method, record, content_hash,
             handed_at, received_at, status_seq)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![
        id,
        case_id,
        station,
        method_code(r),
        json,
        hash,
        r.handed_at.to_string(),
        now.to_string(),
        change.seq
    ])?;
    Ok(HandoverOutcome::Stored { duplicate: false })
}

pub(super) fn count(conn: &Connection, station: &str) -> Result<u64, DistrictError> {
    let n: i64 = conn.query_row(
        "SELECT count(*) FROM handovers WHERE station_code = ?1",
        [station],
        |r| r.get(0),
    )?;
    Ok(u64::try_from(n).unwrap_or(0))
}
