//! District decisions on SQLite: status changes numbered by `seq`, reference documents by
//! version.

use jiff::Timestamp;
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use uuid::Uuid;
use yichuang_core::{DistrictStatus, StatusChange};
use yichuang_sync::protocol::v2::downloads::ReferenceKind;

use super::parse_ts;
use crate::DistrictError;
use crate::store::{NewStatus, Reference};

fn status_text(status: DistrictStatus) -> Result<String, DistrictError> {
    match serde_json::to_value(status)? {
        serde_json::Value::String(s) => Ok(s),
        _ => Err(DistrictError::Corrupt("办理状态无法写入".into())),
    }
}

pub(super) fn parse_status(s: &str) -> Result<DistrictStatus, DistrictError> {
    serde_json::from_value(serde_json::Value::String(s.to_string()))
        .map_err(|_| DistrictError::Corrupt(format!("办理状态“{s}”无法读取")))
}

pub(super) fn record_status(
    conn: &mut Connection,
    change: &NewStatus,
) -> Result<StatusChange, DistrictError> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let change = record_status_in(&tx, change)?;
    tx.commit()?;
    Ok(change)
}

/// The case's latest status, `None` while it has none (just received).
pub(super) fn current_status(
    conn: &Connection,
    case_id: &str,
) -> Result<Option<DistrictStatus>, DistrictError> {
    let current: Option<String> = conn
        .prepare_cached(
            "SELECT status FROM status_changes WHERE case_id = ?1 ORDER BY seq DESC LIMIT 1",
        )?
        .query_row(params![case_id], |r| r.get(0))
        .optional()?;
    current.as_deref().map(parse_status).transpose()
}

/// [`record_status`] inside the caller's transaction.
pub(super) fn record_status_in(
    tx: &Connection,
    change: &NewStatus,
) -> Result<StatusChange, DistrictError> {
    let id = change.case_id.to_string();
    let official_case_no: String = tx
        .query_row(
            "SELECT official_case_no FROM cases WHERE id = ?1",
            params![id],
            |r| r.get(0),
        )
        .optional()?
        .ok_or(DistrictError::NotFound)?;
    // A case the district received is 审批中 until a decision is recorded.
    let current = current_status(tx, &id)?.unwrap_or(DistrictStatus::Reviewing);
    let first = current == DistrictStatus::Reviewing && change.status == DistrictStatus::Reviewing;
    if !first && !current.may_become(change.status) {
        return Err(DistrictError::Invalid(format!(
            "办件当前为“{}”，不能改为“{}”",
            current.label(),
            change.status.label()
        )));
    }
    let seq: i64 = tx.query_row(
        "INSERT INTO status_changes (case_id, status, changed_at, note, courier, tracking_no)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING seq",
        params![
            id,
            status_text(change.status)?,
            change.now.to_string(),
            change.note,
            change.courier,
            change.tracking_no
        ],
        |r| r.get(0),
    )?;
    Ok(StatusChange {
        seq,
        case_id: change.case_id,
        official_case_no,
        status: change.status,
        changed_at: change.now,
        note: change.note.clone(),
        courier: change.courier.clone(),
        tracking_no: change.tracking_no.clone(),
    })
}

pub(super) fn status_changes(
    conn: &Connection,
    station: &str,
    after: i64,
    limit: u32,
) -> Result<Vec<StatusChange>, DistrictError> {
    let mut stmt = conn.prepare_cached(
        "SELECT s.seq, s.case_id, c.official_case_no, s.status, s.changed_at, s.note,
                s.courier, s.tracking_no
         FROM status_changes s JOIN cases c ON c.id = s.case_id
         WHERE s.seq > ?1 AND c.station_code = ?2
         ORDER BY s.seq LIMIT ?3",
    )?;
    let rows = stmt.query_map(params![after, station, limit], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, String>(4)?,
            (
                r.get::<_, Option<String>>(5)?,
                r.get::<_, Option<String>>(6)?,
                r.get::<_, Option<String>>(7)?,
            ),
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (seq, case_id, official_case_no, status, changed_at, (note, courier, tracking_no)) =
            row?;
        out.push(StatusChange {
            seq,
            case_id: Uuid::parse_str(&case_id)
                .map_err(|_| DistrictError::Corrupt("办件标识无法读取".into()))?,
            official_case_no,
            status: parse_status(&status)?,
            changed_at: parse_ts(&changed_at)?,
            note,
            courier,
            tracking_no,
        });
    }
    Ok(out)
}

pub(super) fn publish(
    conn: &mut Connection,
    kind: ReferenceKind,
    reference: &Reference,
    now: Timestamp,
) -> Result<(), DistrictError> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let kind = kind.path_segment();
    let existing: Option<String> = tx
        .query_row(
            "SELECT document FROM reference_docs WHERE kind = ?1 AND version = ?2",
            params![kind, reference.version],
            |r| r.get(0),
        )
        .optional()?;
    match existing {
        Some(doc) if doc != reference.document => return Err(DistrictError::Conflict),
        Some(_) => {}
        None => {
            tx.execute(
                "INSERT INTO reference_docs (kind, version, document, published_at)
                 VALUES (?1, ?2, ?3, ?4)",
                params![kind, reference.version, reference.document, now.to_string()],
            )?;
        }
    }
    tx.execute(
        "INSERT INTO reference_current (kind, version) VALUES (?1, ?2)
         ON CONFLICT (kind) DO UPDATE SET version = excluded.version",
        params![kind, reference.version],
    )?;
    tx.commit()?;
    Ok(())
}

pub(super) fn current(
    conn: &Connection,
    kind: ReferenceKind,
) -> Result<Option<Reference>, DistrictError> {
    Ok(conn
        .query_row(
            "SELECT d.version, d.document FROM reference_current c
             JOIN reference_docs d ON d.kind = c.kind AND d.version = c.version
             WHERE c.kind = ?1",
            params![kind.path_segment()],
            |r| {
                Ok(Reference {
                    version: r.get(0)?,
                    document: r.get(1)?,
                })
            },
        )
        .optional()?)
}
