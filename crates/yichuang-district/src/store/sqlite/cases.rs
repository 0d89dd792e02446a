//! Cases on SQLite: one IMMEDIATE transaction per batch, official numbers allocated in it.

use jiff::Timestamp;
use rusqlite::{Connection, OptionalExtension, Transaction, TransactionBehavior, params};
use uuid::Uuid;
use yichuang_core::time::local_date;
use yichuang_sync::protocol::SubmissionAck;

use super::{parse_ts, reference::parse_status};
use crate::DistrictError;
use crate::store::{CaseSummary, PreparedRecord, StoreOutcome};

pub(super) fn store_cases(
    conn: &mut Connection,
    region_code: &str,
    records: &[PreparedRecord],
    now: Timestamp,
) -> Result<Vec<StoreOutcome>, DistrictError> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let outcomes = records
        .iter()
        .map(|record| store_one(&tx, region_code, record, now))
        .collect::<Result<Vec<_>, _>>()?;
    // The answer leaves only after this returns: acknowledged means committed.
    tx.commit()?;
    Ok(outcomes)
}

fn store_one(
    tx: &Transaction<'_>,
    region_code: &str,
    record: &PreparedRecord,
    now: Timestamp,
) -> Result<StoreOutcome, DistrictError> {
    let sub = &record.submission;
    let id = sub.id.to_string();
    let existing = tx
        .prepare_cached(
            "SELECT content_hash, official_case_no, received_at FROM cases WHERE id = ?1",
        )?
        .query_row(params![id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
            ))
        })
        .optional()?;
    if let Some((stored_hash, official_case_no, received_at)) = existing {
        if stored_hash != record.hash.as_str() {
            return Ok(StoreOutcome::Conflict);
        }
        // The station bumps its revision on edits that may not change the content.
        tx.prepare_cached("UPDATE cases SET revision = max(revision, ?2) WHERE id = ?1")?
            .execute(params![id, record.revision])?;
        return Ok(StoreOutcome::Duplicate(SubmissionAck {
            id: sub.id,
            official_case_no,
            received_at: parse_ts(&received_at)?,
            duplicate: true,
        }));
    }
    let year = i64::from(local_date(now).year());
    let serial: i64 = tx
        .prepare_cached(
            "INSERT INTO case_serials (region_code, year, last) VALUES (?1, ?2, 1)
             ON CONFLICT (region_code, year) DO UPDATE SET last = last + 1
             RETURNING last",
        )?
        .query_row(params![region_code, year], |r| r.get(0))?;
    let official_case_no = format!("{region_code}-{year}-{serial:06}");
    tx.prepare_cached(
        "INSERT INTO cases (id, station_code, case_no, item_code, content_hash, body,
                            official_case_no, received_at, revision, clock_offset_ms, protocol)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?
    .execute(params![
        id,
        sub.station_code.as_str(),
        sub.case_no,
        sub.item_code,
        record.hash.as_str(),
        record.body,
        official_case_no,
        now.to_string(),
        record.revision,
        record.clock_offset_ms,
        record.protocol,
    ])?;
    let mut insert_material = tx.prepare_cached(
        "INSERT INTO case_materials (case_id, material_code, position, sha256, bytes, kind)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    for m in &record.materials {
        let bytes = i64::try_from(m.bytes)
            .map_err(|_| DistrictError::Invalid("材料大小超出范围".into()))?;
        insert_material.execute(params![
            id,
            m.material_code,
            m.position,
            m.sha256,
            bytes,
            m.kind
        ])?;
    }
    // A citizen may have rated the slip on the district's page before the case arrived.
    super::evaluations::link_slip_ratings(tx, &id, sub.station_code.as_str(), &sub.case_no)?;
    Ok(StoreOutcome::Created(SubmissionAck {
        id: sub.id,
        official_case_no,
        received_at: now,
        duplicate: false,
    }))
}

pub(super) fn find_case(
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

pub(super) fn count_cases(conn: &Connection, station_code: &str) -> Result<u64, DistrictError> {
    let n: i64 = conn.query_row(
        "SELECT count(*) FROM cases WHERE station_code = ?1",
        params![station_code],
        |r| r.get(0),
    )?;
    u64::try_from(n).map_err(|_| DistrictError::Corrupt("负数计数".into()))
}

pub(super) fn recent_cases(
    conn: &Connection,
    limit: u32,
) -> Result<Vec<CaseSummary>, DistrictError> {
    let mut stmt = conn.prepare(
        "SELECT c.id, c.station_code, c.official_case_no, c.item_code, c.received_at,
                (SELECT s.status FROM status_changes s WHERE s.case_id = c.id
                 ORDER BY s.seq DESC LIMIT 1)
         FROM cases c ORDER BY c.rowid DESC LIMIT ?1",
    )?;
    let rows = stmt.query_map(params![limit], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, String>(4)?,
            r.get::<_, Option<String>>(5)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (id, station_code, official_case_no, item_code, received_at, status) = row?;
        out.push(CaseSummary {
            id: Uuid::parse_str(&id)
                .map_err(|_| DistrictError::Corrupt("办件标识无法读取".into()))?,
            station_code,
            official_case_no,
            item_code,
            received_at: parse_ts(&received_at)?,
            status: status.as_deref().map(parse_status).transpose()?,
        });
    }
    Ok(out)
}
