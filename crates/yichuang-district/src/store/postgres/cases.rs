//! Cases on PostgreSQL: a whole batch in one transaction, official numbers allocated in it
//! from a counter row that the batch locks first and holds to its commit.
//!
//! Locking the counter before touching any case row means two batches never hold rows the
//! other waits for (no deadlock), numbers follow commit order, and a rolled-back batch gives
//! its numbers back (no gaps). Batches of a region take turns there, as on SQLite; the rows
//! themselves go in with one statement per table, not one per record.

use std::collections::HashMap;

use deadpool_postgres::{Client, Transaction};
use jiff::Timestamp;
use uuid::Uuid;
use yichuang_core::time::local_date;
use yichuang_sync::protocol::SubmissionAck;

use super::reference::parse_status;
use super::{Fail, read_time, sql_time};
use crate::DistrictError;
use crate::store::{CaseSummary, PreparedRecord, StoreOutcome};

/// A case this batch found stored, or stores.
struct Known {
    hash: String,
    official_case_no: String,
    received_at: Timestamp,
    revision: i64,
    /// Its revision is higher than the stored one.
    raised: bool,
    /// This batch stores it (with its highest revision already).
    created: bool,
}

pub(super) async fn store_cases(
    tx: &Transaction<'_>,
    region_code: &str,
    records: &[PreparedRecord],
    now: Timestamp,
) -> Result<Vec<StoreOutcome>, Fail> {
    let year = i32::from(local_date(now).year());
    let lock = tx
        .prepare_cached(
            "INSERT INTO case_serials (region_code, year, last) VALUES ($1, $2, 0)
             ON CONFLICT (region_code, year) DO UPDATE SET last = case_serials.last
             RETURNING last",
        )
        .await?;
    let first_free: i64 = tx
        .query_one(&lock, &[&region_code, &year])
        .await?
        .try_get(0)?;

    // Read after taking the lock: a batch that committed meanwhile is seen.
    let ids: Vec<Uuid> = records.iter().map(|r| r.submission.id).collect();
    let stored = tx
        .prepare_cached(
            "SELECT id, content_hash, official_case_no, received_at, revision
             FROM cases WHERE id = ANY($1)",
        )
        .await?;
    let mut known: HashMap<Uuid, Known> = HashMap::new();
    for row in tx.query(&stored, &[&ids]).await? {
        known.insert(
            row.try_get(0)?,
            Known {
                hash: row.try_get(1)?,
                official_case_no: row.try_get(2)?,
                received_at: read_time(row.try_get(3)?)?,
                revision: row.try_get(4)?,
                raised: false,
                created: false,
            },
        );
    }

    // Decide record by record, in order: a record repeated in the batch meets its first copy.
    let mut last = first_free;
    let mut fresh: Vec<&PreparedRecord> = Vec::new();
    let mut outcomes = Vec::with_capacity(records.len());
    for record in records {
        let id = record.submission.id;
        if let Some(k) = known.get_mut(&id) {
            if k.hash != record.hash.as_str() {
                outcomes.push(StoreOutcome::Conflict);
                continue;
            }
            // The station bumps its revision on edits that may not change the content.
            if record.revision > k.revision {
                k.revision = record.revision;
                k.raised = true;
            }
            outcomes.push(StoreOutcome::Duplicate(SubmissionAck {
                id,
                official_case_no: k.official_case_no.clone(),
                received_at: k.received_at,
                duplicate: true,
            }));
            continue;
        }
        last += 1;
        let official_case_no = format!("{region_code}-{year}-{last:06}");
        outcomes.push(StoreOutcome::Created(SubmissionAck {
            id,
            official_case_no: official_case_no.clone(),
            received_at: now,
            duplicate: false,
        }));
        known.insert(
            id,
            Known {
                hash: record.hash.as_str().to_string(),
                official_case_no,
                received_at: now,
                revision: record.revision,
                raised: false,
                created: true,
            },
        );
        fresh.push(record);
    }

    insert_cases(tx, &fresh, &known, now).await?;
    // A citizen may have rated a slip on the district's page before its case arrived.
    let fresh_ids: Vec<Uuid> = fresh.iter().map(|r| r.submission.id).collect();
    super::evaluations::link_slip_ratings(tx, &fresh_ids).await?;
    insert_materials(tx, &fresh).await?;
    raise_revisions(tx, &known).await?;
    if last > first_free {
        tx.execute(
            "UPDATE case_serials SET last = $3 WHERE region_code = $1 AND year = $2",
            &[&region_code, &year, &last],
        )
        .await?;
    }
    Ok(outcomes)
}

async fn insert_cases(
    tx: &Transaction<'_>,
    fresh: &[&PreparedRecord],
    known: &HashMap<Uuid, Known>,
    now: Timestamp,
) -> Result<(), Fail> {
    if fresh.is_empty() {
        return Ok(());
    }
    let mut cols = CaseColumns::default();
    for r in fresh {
        let sub = &r.submission;
        let k = known
            .get(&sub.id)
            .ok_or_else(|| DistrictError::Corrupt("批次中的办件缺少编号".into()))?;
        cols.id.push(sub.id);
        cols.station.push(sub.station_code.as_str());
        cols.case_no.push(&sub.case_no);
        cols.item.push(&sub.item_code);
        cols.hash.push(r.hash.as_str());
        cols.body.push(&r.body);
        cols.number.push(&k.official_case_no);
        cols.revision.push(k.revision);
        cols.offset.push(r.clock_offset_ms);
        cols.protocol.push(
            i32::try_from(r.protocol).map_err(|_| DistrictError::Invalid("协议版本".into()))?,
        );
    }
    let stmt = tx
        .prepare_cached(
            "INSERT INTO cases (id, station_code, case_no, item_code, content_hash, body,
                                official_case_no, received_at, revision, clock_offset_ms,
                                protocol)
             SELECT id, station_code, case_no, item_code, content_hash, body,
                    official_case_no, $8, revision, clock_offset_ms, protocol
             FROM UNNEST($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[],
                         $6::text[], $7::text[], $9::bigint[], $10::bigint[], $11::integer[])
                  AS t (id, station_code, case_no, item_code, content_hash, body,
                        official_case_no, revision, clock_offset_ms, protocol)",
        )
        .await?;
    tx.execute(
        &stmt,
        &[
            &cols.id,
            &cols.station,
            &cols.case_no,
            &cols.item,
            &cols.hash,
            &cols.body,
            &cols.number,
            &sql_time(now),
            &cols.revision,
            &cols.offset,
            &cols.protocol,
        ],
    )
    .await?;
    Ok(())
}

/// The new cases of a batch, column by column (`UNNEST` takes one array per column).
#[derive(Default)]
struct CaseColumns<'a> {
    id: Vec<Uuid>,
    station: Vec<&'a str>,
    case_no: Vec<&'a str>,
    item: Vec<&'a str>,
    hash: Vec<&'a str>,
    body: Vec<&'a str>,
    number: Vec<&'a str>,
    revision: Vec<i64>,
    offset: Vec<Option<i64>>,
    protocol: Vec<i32>,
}

async fn insert_materials(tx: &Transaction<'_>, fresh: &[&PreparedRecord]) -> Result<(), Fail> {
    let (mut case, mut code, mut position, mut sha, mut bytes, mut kind) =
        (vec![], vec![], vec![], vec![], vec![], vec![]);
    for r in fresh {
        for m in &r.materials {
            case.push(r.submission.id);
            code.push(m.material_code.as_str());
            position.push(i64::from(m.position));
            sha.push(m.sha256.as_str());
            bytes.push(
                i64::try_from(m.bytes)
                    .map_err(|_| DistrictError::Invalid("材料大小超出范围".into()))?,
            );
            kind.push(m.kind.as_str());
        }
    }
    if case.is_empty() {
        return Ok(());
    }
    let stmt = tx
        .prepare_cached(
            "INSERT INTO case_materials (case_id, material_code, position, sha256, bytes, kind)
             SELECT * FROM UNNEST($1::uuid[], $2::text[], $3::bigint[], $4::text[],
                                  $5::bigint[], $6::text[])",
        )
        .await?;
    tx.execute(&stmt, &[&case, &code, &position, &sha, &bytes, &kind])
        .await?;
    Ok(())
}

/// Raises the stored revision of resent cases to the highest this batch brought.
async fn raise_revisions(tx: &Transaction<'_>, known: &HashMap<Uuid, Known>) -> Result<(), Fail> {
    let (mut ids, mut revisions) = (vec![], vec![]);
    for (id, k) in known {
        if k.raised && !k.created {
            ids.push(*id);
            revisions.push(k.revision);
        }
    }
    if ids.is_empty() {
        return Ok(());
    }
    tx.execute(
        "UPDATE cases SET revision = GREATEST(cases.revision, v.revision)
         FROM UNNEST($1::uuid[], $2::bigint[]) AS v (id, revision) WHERE cases.id = v.id",
        &[&ids, &revisions],
    )
    .await?;
    Ok(())
}

pub(super) async fn find_case(
    client: &Client,
    station_code: &str,
    id: Uuid,
) -> Result<Option<SubmissionAck>, Fail> {
    let row = client
        .query_opt(
            "SELECT official_case_no, received_at FROM cases WHERE id = $1 AND station_code = $2",
            &[&id, &station_code],
        )
        .await?;
    row.map(|row| {
        Ok(SubmissionAck {
            id,
            official_case_no: row.try_get(0)?,
            received_at: read_time(row.try_get(1)?)?,
            duplicate: true,
        })
    })
    .transpose()
}

pub(super) async fn count_cases(client: &Client, station_code: &str) -> Result<u64, Fail> {
    let n: i64 = client
        .query_one(
            "SELECT count(*) FROM cases WHERE station_code = $1",
            &[&station_code],
        )
        .await?
        .try_get(0)?;
    Ok(u64::try_from(n).map_err(|_| DistrictError::Corrupt("负数计数".into()))?)
}

pub(super) async fn recent_cases(client: &Client, limit: u32) -> Result<Vec<CaseSummary>, Fail> {
    let rows = client
        .query(
            "SELECT c.id, c.station_code, c.official_case_no, c.item_code, c.received_at,
                    (SELECT s.status FROM status_changes s WHERE s.case_id = c.id
                     ORDER BY s.seq DESC LIMIT 1)
             FROM cases c ORDER BY c.arrival DESC LIMIT $1",
            &[&i64::from(limit)],
        )
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let status: Option<String> = row.try_get(5)?;
        out.push(CaseSummary {
            id: row.try_get(0)?,
            station_code: row.try_get(1)?,
            official_case_no: row.try_get(2)?,
            item_code: row.try_get(3)?,
            received_at: read_time(row.try_get(4)?)?,
            status: status.as_deref().map(parse_status).transpose()?,
        });
    }
    Ok(out)
}
