//! Handovers on PostgreSQL: a batch in one transaction that first takes the status writers'
//! advisory lock, so a handover and an officer's decision on the same case take turns and
//! two resends of one handover cannot both pass the checks; each stored handover adds the
//! case's 已送达 status change in it.

use deadpool_postgres::{Client, Transaction};
use jiff::Timestamp;
use yichuang_sync::protocol::v2::handovers::HandoverRecord;

use super::reference::{STATUS_LOCK, parse_status, record_status};
use super::{Fail, sql_time};
use crate::store::HandoverOutcome;
use crate::store::handovers::{content, delivered, method_code, refusal, repeat};

pub(super) async fn store_handovers(
    tx: &Transaction<'_>,
    station: &str,
    records: &[HandoverRecord],
    now: Timestamp,
) -> Result<Vec<HandoverOutcome>, Fail> {
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&STATUS_LOCK])
        .await?;
    let mut outcomes = Vec::with_capacity(records.len());
    for r in records {
        outcomes.push(store_one(tx, station, r, now).await?);
    }
    Ok(outcomes)
}

async fn store_one(
    tx: &Transaction<'_>,
    station: &str,
    r: &HandoverRecord,
    now: Timestamp,
) -> Result<HandoverOutcome, Fail> {
    let (json, hash) = content(r)?;
    let by_id = tx
        .prepare_cached("SELECT content_hash, station_code FROM handovers WHERE id = $1")
        .await?;
    if let Some(row) = tx.query_opt(&by_id, &[&r.id]).await? {
        let (stored, stored_station): (String, String) = (row.try_get(0)?, row.try_get(1)?);
        let hash = if stored_station == station { &hash } else { "" };
        return Ok(repeat(&stored, hash));
    }
    let ours = tx
        .prepare_cached("SELECT 1 FROM cases WHERE id = $1 AND station_code = $2")
        .await?;
    if tx
        .query_opt(&ours, &[&r.case_id, &station])
        .await?
        .is_none()
    {
        return Ok(HandoverOutcome::UnknownCase);
    }
    let latest = tx
        .prepare_cached(
            "SELECT status FROM status_changes WHERE case_id = $1 ORDER BY seq DESC LIMIT 1",
        )
        .await?;
    let current = match tx.query_opt(&latest, &[&r.case_id]).await? {
        Some(row) => Some(parse_status(&row.try_get::<_, String>(0)?)?),
        None => None,
    };
    if let Some(refused) = refusal(current) {
        return Ok(refused);
    }
    let change = record_status(tx, &delivered(r)).await?;
    let insert = tx
        .prepare_cached(
            "INSERT INTO handovers (id, case_id, station_code, method, record, content_hash,
                 handed_at, received_at, status_seq)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .await?;
    tx.execute(
        &insert,
        &[
            &r.id,
            &r.case_id,
            &station,
            &method_code(r),
            &json,
            &hash,
            &sql_time(r.handed_at),
            &sql_time(now),
            &change.seq,
        ],
    )
    .await?;
    Ok(HandoverOutcome::Stored { duplicate: false })
}

pub(super) async fn count(client: &Client, station: &str) -> Result<u64, Fail> {
    let n: i64 = client
        .query_one(
            "SELECT count(*) FROM handovers WHERE station_code = $1",
            &[&station],
        )
        .await?
        .try_get(0)?;
    Ok(u64::try_from(n).unwrap_or(0))
}
