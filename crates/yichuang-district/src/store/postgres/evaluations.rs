//! Evaluations on PostgreSQL: a batch in one transaction, one rating per case whether it came
//! from the station or from the district's page for a slip. Two channels rating the same
//! case at once are settled by the UNIQUE case_id and (station_code, case_no) (`ON CONFLICT
//! DO NOTHING`: the later one is told the case is rated already). A page rating of a case not
//! yet arrived and that case's arrival take the same advisory lock ([`lock_slip`]), so the
//! arrival never misses the rating it must link.

use deadpool_postgres::{Client, Transaction};
use jiff::Timestamp;
use std::time::SystemTime;
use uuid::Uuid;
use yichuang_core::EvaluationLevel;
use yichuang_sync::protocol::v2::evaluations::EvaluationRecord;

use super::{Fail, read_time, sql_time, to_micros};
use crate::DistrictError;
use crate::evaluation_codes::EvaluationCodes;
use crate::store::{ALREADY_RATED, EvaluationOutcome, ID_REUSED, ProvinceCodes, SlipRating};

pub(super) async fn store_evaluations(
    tx: &Transaction<'_>,
    station: &str,
    records: &[EvaluationRecord],
    codes: &EvaluationCodes,
    now: Timestamp,
) -> Result<Vec<EvaluationOutcome>, Fail> {
    let mut outcomes = Vec::with_capacity(records.len());
    for r in records {
        outcomes.push(store_one(tx, station, r, codes, now).await?);
    }
    Ok(outcomes)
}

async fn store_one(
    tx: &Transaction<'_>,
    station: &str,
    r: &EvaluationRecord,
    codes: &EvaluationCodes,
    now: Timestamp,
) -> Result<EvaluationOutcome, Fail> {
    let by_id = tx
        .prepare_cached(
            "SELECT case_id, station_code, level, comment, channel, rated_at
             FROM evaluations WHERE id = $1",
        )
        .await?;
    if let Some(row) = tx.query_opt(&by_id, &[&r.id]).await? {
        let rated_at: SystemTime = row.try_get(5)?;
        let same = row.try_get::<_, Option<Uuid>>(0)? == Some(r.case_id)
            && row.try_get::<_, String>(1)? == station
            && row.try_get::<_, i16>(2)? == i16::from(r.level)
            && row.try_get::<_, Option<String>>(3)? == r.comment
            && row.try_get::<_, String>(4)? == r.channel
            && read_time(rated_at)? == to_micros(r.rated_at);
        return Ok(if same {
            EvaluationOutcome::Stored { duplicate: true }
        } else {
            EvaluationOutcome::Conflict(ID_REUSED.into())
        });
    }
    let ours = tx
        .prepare_cached("SELECT case_no, item_code FROM cases WHERE id = $1 AND station_code = $2")
        .await?;
    let Some(case) = tx.query_opt(&ours, &[&r.case_id, &station]).await? else {
        return Ok(EvaluationOutcome::UnknownCase);
    };
    let (case_no, item_code): (String, String) = (case.try_get(0)?, case.try_get(1)?);
    let level = EvaluationLevel::from_code(r.level).map_err(DistrictError::Invalid)?;
    let mapped = codes.map(level, &r.channel);
    let row = Row {
        id: r.id,
        case_id: Some(r.case_id),
        station,
        case_no: &case_no,
        item_code: &item_code,
        level: r.level,
        comment: r.comment.as_deref(),
        channel: &r.channel,
        codes: &mapped,
        rated_at: r.rated_at,
    };
    insert(tx, &row, now).await
}

struct Row<'a> {
    id: Uuid,
    case_id: Option<Uuid>,
    station: &'a str,
    case_no: &'a str,
    item_code: &'a str,
    level: u8,
    comment: Option<&'a str>,
    channel: &'a str,
    codes: &'a ProvinceCodes,
    rated_at: Timestamp,
}

/// Inserts a rating unless its case (by id, or by station and number) is rated already.
async fn insert(
    tx: &Transaction<'_>,
    r: &Row<'_>,
    now: Timestamp,
) -> Result<EvaluationOutcome, Fail> {
    let insert = tx
        .prepare_cached(
            "INSERT INTO evaluations (id, case_id, station_code, case_no, item_code, level,
                                      score_code, comment, channel, channel_code, rated_at,
                                      received_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
             ON CONFLICT DO NOTHING",
        )
        .await?;
    let inserted = tx
        .execute(
            &insert,
            &[
                &r.id,
                &r.case_id,
                &r.station,
                &r.case_no,
                &r.item_code,
                &i16::from(r.level),
                &r.codes.score,
                &r.comment,
                &r.channel,
                &r.codes.channel,
                &sql_time(r.rated_at),
                &sql_time(now),
            ],
        )
        .await?;
    Ok(if inserted == 1 {
        EvaluationOutcome::Stored { duplicate: false }
    } else {
        EvaluationOutcome::Conflict(ALREADY_RATED.into())
    })
}

/// Takes the transaction's advisory lock of a slip (station and the station's case number).
pub(super) async fn lock_slip(
    tx: &Transaction<'_>,
    station: &str,
    case_no: &str,
) -> Result<(), Fail> {
    let lock = tx
        .prepare_cached("SELECT pg_advisory_xact_lock(hashtextextended($1 || ' ' || $2, 0))")
        .await?;
    tx.execute(&lock, &[&station, &case_no]).await?;
    Ok(())
}

/// A rating from the district's page: against the case if it is here (found by the slip's
/// number or its official one), else against the station and the slip's number.
pub(super) async fn rate_slip(
    tx: &Transaction<'_>,
    r: &SlipRating,
    now: Timestamp,
) -> Result<EvaluationOutcome, Fail> {
    lock_slip(tx, &r.station_code, &r.case_no).await?;
    let find = tx
        .prepare_cached(
            "SELECT id, case_no, item_code FROM cases
             WHERE station_code = $1 AND (case_no = $2 OR official_case_no = $2)
             ORDER BY arrival LIMIT 1",
        )
        .await?;
    let case = tx.query_opt(&find, &[&r.station_code, &r.case_no]).await?;
    let (case_id, case_no, item_code) = match case {
        Some(row) => (
            Some(row.try_get::<_, Uuid>(0)?),
            row.try_get::<_, String>(1)?,
            row.try_get::<_, String>(2)?,
        ),
        None => (None, r.case_no.clone(), r.item_code.clone()),
    };
    let row = Row {
        id: r.id,
        case_id,
        station: &r.station_code,
        case_no: &case_no,
        item_code: &item_code,
        level: r.level,
        comment: r.comment.as_deref(),
        channel: &r.channel,
        codes: &r.codes,
        rated_at: r.rated_at,
    };
    insert(tx, &row, now).await
}

/// Links ratings given for slips before their cases arrived to the cases `ids` (in the
/// transaction storing them, after taking each slip's lock).
pub(super) async fn link_slip_ratings(tx: &Transaction<'_>, ids: &[Uuid]) -> Result<(), Fail> {
    if ids.is_empty() {
        return Ok(());
    }
    // One statement, the locks in a fixed order (two batches never wait on each other
    // crosswise).
    tx.execute(
        "SELECT pg_advisory_xact_lock(hashtextextended(s.station_code || ' ' || s.case_no, 0))
         FROM (SELECT DISTINCT station_code, case_no FROM cases WHERE id = ANY($1)
               ORDER BY station_code, case_no) s",
        &[&ids],
    )
    .await?;
    tx.execute(
        "UPDATE evaluations e SET case_id = c.id
         FROM cases c
         WHERE c.id = ANY($1) AND e.case_id IS NULL
           AND e.station_code = c.station_code AND e.case_no = c.case_no",
        &[&ids],
    )
    .await?;
    Ok(())
}

pub(super) async fn count(client: &Client, station: &str) -> Result<u64, Fail> {
    let n: i64 = client
        .query_one(
            "SELECT count(*) FROM evaluations WHERE station_code = $1",
            &[&station],
        )
        .await?
        .try_get(0)?;
    Ok(u64::try_from(n).map_err(|_| DistrictError::Corrupt("负数计数".into()))?)
}
