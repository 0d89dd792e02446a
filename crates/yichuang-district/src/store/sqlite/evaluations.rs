//! Evaluations on SQLite: a batch in one IMMEDIATE transaction, one rating per case.

use jiff::Timestamp;
use rusqlite::{Connection, OptionalExtension, Transaction, TransactionBehavior, params};
use yichuang_sync::protocol::v2::evaluations::EvaluationRecord;

use crate::DistrictError;
use crate::store::{ALREADY_RATED, EvaluationOutcome, ID_REUSED};

pub(super) fn store_evaluations(
    conn: &mut Connection,
    station: &str,
    records: &[EvaluationRecord],
    now: Timestamp,
) -> Result<Vec<EvaluationOutcome>, DistrictError> {
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
    r: &EvaluationRecord,
    now: Timestamp,
) -> Result<EvaluationOutcome, DistrictError> {
    let (id, case_id, rated_at) = (
        r.id.to_string(),
        r.case_id.to_string(),
        r.rated_at.to_string(),
    );
    type Stored = (String, String, i64, Option<String>, String, String);
    let by_id: Option<Stored> = tx
        .prepare_cached(
            "SELECT case_id, station_code, level, comment, channel, rated_at
             FROM evaluations WHERE id = ?1",
        )?
        .query_row([&id], |row| {
            Ok((
                row.get(0)?,
                row.get(1)?,
                row.get(2)?,
                row.get(3)?,
                row.get(4)?,
                row.get(5)?,
            ))
        })
        .optional()?;
    if let Some(stored) = by_id {
        let same = stored
            == (
                case_id,
                station.to_string(),
                i64::from(r.level),
                r.comment.clone(),
                r.channel.clone(),
                rated_at,
            );
        return Ok(if same {
            EvaluationOutcome::Stored { duplicate: true }
        } else {
            EvaluationOutcome::Conflict(ID_REUSED.into())
        });
    }
    let ours = tx
        .prepare_cached("SELECT 1 FROM cases WHERE id = ?1 AND station_code = ?2")?
        .exists(params![case_id, station])?;
    if !ours {
        return Ok(EvaluationOutcome::UnknownCase);
    }
    let rated = tx
        .prepare_cached("SELECT 1 FROM evaluations WHERE case_id = ?1")?
        .exists([&case_id])?;
    if rated {
        return Ok(EvaluationOutcome::Conflict(ALREADY_RATED.into()));
    }
    tx.prepare_cached(
        "INSERT INTO evaluations (id, case_id, station_code, level, comment, channel, rated_at,
                                  received_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        id,
        case_id,
        station,
        r.level,
        r.comment,
        r.channel,
        rated_at,
        now.to_string()
    ])?;
    Ok(EvaluationOutcome::Stored { duplicate: false })
}

pub(super) fn count(conn: &Connection, station: &str) -> Result<u64, DistrictError> {
    let n: i64 = conn.query_row(
        "SELECT count(*) FROM evaluations WHERE station_code = ?1",
        [station],
        |r| r.get(0),
    )?;
    Ok(u64::try_from(n).unwrap_or(0))
}
