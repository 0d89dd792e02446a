//! Evaluations on PostgreSQL: a batch in one transaction, one rating per case. Two channels
//! rating the same case at once are settled by the UNIQUE case_id (`ON CONFLICT DO
//! NOTHING`: the later one is told the case is rated already).

use deadpool_postgres::{Client, Transaction};
use jiff::Timestamp;
use std::time::SystemTime;
use yichuang_sync::protocol::v2::evaluations::EvaluationRecord;

use super::{Fail, read_time, sql_time, to_micros};
use crate::DistrictError;
use crate::store::{ALREADY_RATED, EvaluationOutcome, ID_REUSED};

pub(super) async fn store_evaluations(
    tx: &Transaction<'_>,
    station: &str,
    records: &[EvaluationRecord],
    now: Timestamp,
) -> Result<Vec<EvaluationOutcome>, Fail> {
    let mut outcomes = Vec::with_capacity(records.len());
    for r in records {
        outcomes.push(store_one(tx, station, r, now).await?);
    }
    Ok(outcomes)
}

async fn store_one(
    tx: &Transaction<'_>,
    station: &str,
    r: &EvaluationRecord,
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
        let same = row.try_get::<_, uuid::Uuid>(0)? == r.case_id
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
        .prepare_cached("SELECT 1 FROM cases WHERE id = $1 AND station_code = $2")
        .await?;
    if tx
        .query_opt(&ours, &[&r.case_id, &station])
        .await?
        .is_none()
    {
        return Ok(EvaluationOutcome::UnknownCase);
    }
    let insert = tx
        .prepare_cached(
            "INSERT INTO evaluations (id, case_id, station_code, level, comment, channel,
                                      rated_at, received_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
             ON CONFLICT (case_id) DO NOTHING",
        )
        .await?;
    let inserted = tx
        .execute(
            &insert,
            &[
                &r.id,
                &r.case_id,
                &station,
                &i16::from(r.level),
                &r.comment,
                &r.channel,
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
