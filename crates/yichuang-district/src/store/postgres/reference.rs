//! District decisions on PostgreSQL: status changes numbered by `seq`, reference documents
//! by version.

use deadpool_postgres::{Client, Transaction};
use jiff::Timestamp;
use yichuang_core::{DistrictStatus, StatusChange};
use yichuang_sync::protocol::v2::downloads::ReferenceKind;

use super::{Fail, read_time, sql_time};
use crate::DistrictError;
use crate::store::{NewStatus, Reference};

/// Key of the advisory lock status writers take in turn (any constant the district owns).
pub(super) const STATUS_LOCK: i64 = 0x5943_4449_5354_0002;

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

pub(super) async fn record_status(
    tx: &Transaction<'_>,
    change: &NewStatus,
) -> Result<StatusChange, Fail> {
    // Status writers take turns until commit: a `seq` is handed out only after every smaller
    // one is committed, so a station reading `seq > cursor` never skips a late commit, and
    // two decisions on one case cannot both pass the check below.
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&STATUS_LOCK])
        .await?;
    let official_case_no: String = tx
        .query_opt(
            "SELECT official_case_no FROM cases WHERE id = $1",
            &[&change.case_id],
        )
        .await?
        .ok_or(DistrictError::NotFound)?
        .try_get(0)?;
    let current: Option<String> = tx
        .query_opt(
            "SELECT status FROM status_changes WHERE case_id = $1 ORDER BY seq DESC LIMIT 1",
            &[&change.case_id],
        )
        .await?
        .map(|r| r.try_get(0))
        .transpose()?;
    // A case the district received is 审批中 until a decision is recorded.
    let current = current
        .as_deref()
        .map(parse_status)
        .transpose()?
        .unwrap_or(DistrictStatus::Reviewing);
    let first = current == DistrictStatus::Reviewing && change.status == DistrictStatus::Reviewing;
    if !first && !current.may_become(change.status) {
        return Err(DistrictError::Invalid(format!(
            "办件当前为“{}”，不能改为“{}”",
            current.label(),
            change.status.label()
        ))
        .into());
    }
    let seq: i64 = tx
        .query_one(
            "INSERT INTO status_changes (case_id, status, changed_at, note, courier, tracking_no)
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING seq",
            &[
                &change.case_id,
                &status_text(change.status)?,
                &sql_time(change.now),
                &change.note,
                &change.courier,
                &change.tracking_no,
            ],
        )
        .await?
        .try_get(0)?;
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

pub(super) async fn status_changes(
    client: &Client,
    station: &str,
    after: i64,
    limit: u32,
) -> Result<Vec<StatusChange>, Fail> {
    let stmt = client
        .prepare_cached(
            "SELECT s.seq, s.case_id, c.official_case_no, s.status, s.changed_at, s.note,
                    s.courier, s.tracking_no
             FROM status_changes s JOIN cases c ON c.id = s.case_id
             WHERE s.seq > $1 AND c.station_code = $2
             ORDER BY s.seq LIMIT $3",
        )
        .await?;
    let rows = client
        .query(&stmt, &[&after, &station, &i64::from(limit)])
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let status: String = row.try_get(3)?;
        out.push(StatusChange {
            seq: row.try_get(0)?,
            case_id: row.try_get(1)?,
            official_case_no: row.try_get(2)?,
            status: parse_status(&status)?,
            changed_at: read_time(row.try_get(4)?)?,
            note: row.try_get(5)?,
            courier: row.try_get(6)?,
            tracking_no: row.try_get(7)?,
        });
    }
    Ok(out)
}

pub(super) async fn publish(
    tx: &Transaction<'_>,
    kind: ReferenceKind,
    reference: &Reference,
    now: Timestamp,
) -> Result<(), Fail> {
    let kind = kind.path_segment();
    // A rival publishing the same version at once is waited for, then compared with.
    tx.execute(
        "INSERT INTO reference_docs (kind, version, document, published_at)
         VALUES ($1, $2, $3, $4) ON CONFLICT (kind, version) DO NOTHING",
        &[
            &kind,
            &reference.version,
            &reference.document,
            &sql_time(now),
        ],
    )
    .await?;
    let stored: String = tx
        .query_one(
            "SELECT document FROM reference_docs WHERE kind = $1 AND version = $2",
            &[&kind, &reference.version],
        )
        .await?
        .try_get(0)?;
    if stored != reference.document {
        return Err(DistrictError::Conflict.into());
    }
    tx.execute(
        "INSERT INTO reference_current (kind, version) VALUES ($1, $2)
         ON CONFLICT (kind) DO UPDATE SET version = excluded.version",
        &[&kind, &reference.version],
    )
    .await?;
    Ok(())
}

pub(super) async fn current(
    client: &Client,
    kind: ReferenceKind,
) -> Result<Option<Reference>, Fail> {
    let stmt = client
        .prepare_cached(
            "SELECT d.version, d.document FROM reference_current c
             JOIN reference_docs d ON d.kind = c.kind AND d.version = c.version
             WHERE c.kind = $1",
        )
        .await?;
    client
        .query_opt(&stmt, &[&kind.path_segment()])
        .await?
        .map(|row| {
            Ok(Reference {
                version: row.try_get(0)?,
                document: row.try_get(1)?,
            })
        })
        .transpose()
}
