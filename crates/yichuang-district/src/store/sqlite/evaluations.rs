//! Evaluations on SQLite: a batch in one IMMEDIATE transaction, one rating per case whether
//! it came from the station or from the district's page for a slip (keyed by the station and
//! the slip's case number, so a case not yet arrived can be rated once too).

use jiff::Timestamp;
use rusqlite::{Connection, OptionalExtension, Transaction, TransactionBehavior, params};
use yichuang_core::EvaluationLevel;
use yichuang_sync::protocol::v2::evaluations::EvaluationRecord;

use crate::DistrictError;
use crate::evaluation_codes::EvaluationCodes;
use crate::store::{ALREADY_RATED, EvaluationOutcome, ID_REUSED, ProvinceCodes, SlipRating};

pub(super) fn store_evaluations(
    conn: &mut Connection,
    station: &str,
    records: &[EvaluationRecord],
    codes: &EvaluationCodes,
    now: Timestamp,
) -> Result<Vec<EvaluationOutcome>, DistrictError> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let outcomes = records
        .iter()
        .map(|record| store_one(&tx, station, record, codes, now))
        .collect::<Result<Vec<_>, _>>()?;
    // Acknowledged means committed.
    tx.commit()?;
    Ok(outcomes)
}

fn store_one(
    tx: &Transaction<'_>,
    station: &str,
    r: &EvaluationRecord,
    codes: &EvaluationCodes,
    now: Timestamp,
) -> Result<EvaluationOutcome, DistrictError> {
    let (id, case_id, rated_at) = (
        r.id.to_string(),
        r.case_id.to_string(),
        r.rated_at.to_string(),
    );
    type Stored = (Option<String>, String, i64, Option<String>, String, String);
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
                Some(case_id),
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
    let case: Option<(String, String)> = tx
        .prepare_cached("SELECT case_no, item_code FROM cases WHERE id = ?1 AND station_code = ?2")?
        .query_row(params![case_id, station], |row| {
            Ok((row.get(0)?, row.get(1)?))
        })
        .optional()?;
    let Some((case_no, item_code)) = case else {
        return Ok(EvaluationOutcome::UnknownCase);
    };
    if rated(tx, station, &case_no, Some(&case_id))? {
        return Ok(EvaluationOutcome::Conflict(ALREADY_RATED.into()));
    }
    let level = EvaluationLevel::from_code(r.level).map_err(DistrictError::Invalid)?;
    let mapped = codes.map(level, &r.channel);
    insert(
        tx,
        &Row {
            id: &id,
            case_id: Some(&case_id),
            station,
            case_no: &case_no,
            item_code: &item_code,
            level: r.level,
            comment: r.comment.as_deref(),
            channel: &r.channel,
            codes: &mapped,
            rated_at: &rated_at,
        },
        now,
    )?;
    Ok(EvaluationOutcome::Stored { duplicate: false })
}

/// Whether the case (by its station and number, or by its id) holds a rating.
fn rated(
    tx: &Transaction<'_>,
    station: &str,
    case_no: &str,
    case_id: Option<&str>,
) -> Result<bool, DistrictError> {
    Ok(tx
        .prepare_cached(
            "SELECT 1 FROM evaluations
             WHERE (station_code = ?1 AND case_no = ?2) OR case_id = ?3",
        )?
        .exists(params![station, case_no, case_id])?)
}

struct Row<'a> {
    id: &'a str,
    case_id: Option<&'a str>,
    station: &'a str,
    case_no: &'a str,
    item_code: &'a str,
    level: u8,
    comment: Option<&'a str>,
    channel: &'a str,
    codes: &'a ProvinceCodes,
    rated_at: &'a str,
}

fn insert(tx: &Transaction<'_>, r: &Row<'_>, now: Timestamp) -> Result<(), DistrictError> {
    tx.prepare_cached(
        "INSERT INTO evaluations (id, case_id, station_code, case_no, item_code, level,
                                  score_code, comment, channel, channel_code, rated_at,
                                  received_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
    )?
    .execute(params![
        r.id,
        r.case_id,
        r.station,
        r.case_no,
        r.item_code,
        r.level,
        r.codes.score,
        r.comment,
        r.channel,
        r.codes.channel,
        r.rated_at,
        now.to_string()
    ])?;
    Ok(())
}

/// A rating from the district's page: against the case if it is here (found by the slip's
/// number or its official one), else against the station and the slip's number.
pub(super) fn rate_slip(
    conn: &mut Connection,
    r: &SlipRating,
    now: Timestamp,
) -> Result<EvaluationOutcome, DistrictError> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let case: Option<(String, String, String)> = tx
        .prepare_cached(
            "SELECT id, case_no, item_code FROM cases
             WHERE station_code = ?1 AND (case_no = ?2 OR official_case_no = ?2)
             ORDER BY rowid LIMIT 1",
        )?
        .query_row(params![r.station_code, r.case_no], |row| {
            Ok((row.get(0)?, row.get(1)?, row.get(2)?))
        })
        .optional()?;
    let (case_id, case_no, item_code) = match &case {
        Some((id, no, item)) => (Some(id.as_str()), no.as_str(), item.as_str()),
        None => (None, r.case_no.as_str(), r.item_code.as_str()),
    };
    if rated(&tx, &r.station_code, case_no, case_id)? {
        return Ok(EvaluationOutcome::Conflict(ALREADY_RATED.into()));
    }
    insert(
        &tx,
        &Row {
            id: &r.id.to_string(),
            case_id,
            station: &r.station_code,
            case_no,
            item_code,
            level: r.level,
            comment: r.comment.as_deref(),
            channel: &r.channel,
            codes: &r.codes,
            rated_at: &r.rated_at.to_string(),
        },
        now,
    )?;
    tx.commit()?;
    Ok(EvaluationOutcome::Stored { duplicate: false })
}

/// Links ratings given for a slip before its case arrived to the case (in the transaction
/// storing the case).
pub(super) fn link_slip_ratings(
    tx: &Transaction<'_>,
    case_id: &str,
    station: &str,
    case_no: &str,
) -> Result<(), DistrictError> {
    tx.prepare_cached(
        "UPDATE evaluations SET case_id = ?1
         WHERE station_code = ?2 AND case_no = ?3 AND case_id IS NULL",
    )?
    .execute(params![case_id, station, case_no])?;
    Ok(())
}

pub(super) fn count(conn: &Connection, station: &str) -> Result<u64, DistrictError> {
    let n: i64 = conn.query_row(
        "SELECT count(*) FROM evaluations WHERE station_code = ?1",
        [station],
        |r| r.get(0),
    )?;
    Ok(u64::try_from(n).unwrap_or(0))
}
