//! Stations, their devices (token hashes), one-time enrollment codes and health reports.

use jiff::Timestamp;
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use yichuang_sync::protocol::v2::report::StationReport;

use super::{parse_opt_ts, parse_ts};
use crate::DistrictError;
use crate::secrets::SecretHash;
use crate::store::{Device, DeviceHealth, EnrollCode, Enrolled, Redeem, RedeemRefusal};

pub(super) fn ensure_station(
    conn: &Connection,
    code: &str,
    name: &str,
    now: Timestamp,
) -> Result<(), DistrictError> {
    conn.execute(
        "INSERT INTO stations (code, name, created_at) VALUES (?1, ?2, ?3)
         ON CONFLICT (code) DO NOTHING",
        params![code, name, now.to_string()],
    )?;
    Ok(())
}

pub(super) fn register_device(
    conn: &Connection,
    station: &str,
    name: &str,
    token: &SecretHash,
    expires_at: Option<Timestamp>,
    now: Timestamp,
) -> Result<i64, DistrictError> {
    let existing: Option<(i64, String)> = conn
        .query_row(
            "SELECT id, station_code FROM devices WHERE token_hash = ?1",
            params![token.as_str()],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    if let Some((id, owner)) = existing {
        if owner != station {
            return Err(DistrictError::Config(format!(
                "该凭据已登记给站点 {owner}，不能再给站点 {station}"
            )));
        }
        return Ok(id);
    }
    conn.execute(
        "INSERT INTO devices (station_code, name, token_hash, created_at, expires_at)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            station,
            name,
            token.as_str(),
            now.to_string(),
            expires_at.map(|t| t.to_string())
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

pub(super) fn device_by_token(
    conn: &Connection,
    token: &SecretHash,
    now: Timestamp,
) -> Result<Option<Device>, DistrictError> {
    let row: Option<(i64, String, Option<String>, Option<String>)> = conn
        .prepare_cached(
            "SELECT id, station_code, expires_at, revoked_at FROM devices WHERE token_hash = ?1",
        )?
        .query_row(params![token.as_str()], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })
        .optional()?;
    let Some((id, station_code, expires_at, revoked_at)) = row else {
        return Ok(None);
    };
    let expired = parse_opt_ts(expires_at)?.is_some_and(|t| t <= now);
    if expired || revoked_at.is_some() {
        return Ok(None);
    }
    Ok(Some(Device { id, station_code }))
}

pub(super) fn revoke_station(
    conn: &Connection,
    station: &str,
    now: Timestamp,
) -> Result<u64, DistrictError> {
    let n = conn.execute(
        "UPDATE devices SET revoked_at = ?2 WHERE station_code = ?1 AND revoked_at IS NULL",
        params![station, now.to_string()],
    )?;
    Ok(u64::try_from(n).unwrap_or(0))
}

pub(super) fn issue_code(conn: &mut Connection, code: &EnrollCode) -> Result<(), DistrictError> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    ensure_station(&tx, &code.station_code, &code.station_name, code.issued_at)?;
    // A station first made by `--station` bears its code as name: the officer's name wins.
    tx.execute(
        "UPDATE stations SET name = ?2 WHERE code = ?1",
        params![code.station_code, code.station_name],
    )?;
    tx.execute(
        "INSERT INTO enroll_codes (code_hash, station_code, issued_at, expires_at)
         VALUES (?1, ?2, ?3, ?4)",
        params![
            code.code.as_str(),
            code.station_code,
            code.issued_at.to_string(),
            code.expires_at.to_string()
        ],
    )?;
    tx.commit()?;
    Ok(())
}

pub(super) fn redeem(
    conn: &mut Connection,
    redeem: &Redeem,
) -> Result<Result<Enrolled, RedeemRefusal>, DistrictError> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let row: Option<(String, String, Option<String>, String)> = tx
        .query_row(
            "SELECT e.station_code, e.expires_at, e.spent_at, s.name
             FROM enroll_codes e JOIN stations s ON s.code = e.station_code
             WHERE e.code_hash = ?1",
            params![redeem.code.as_str()],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .optional()?;
    let Some((station, expires_at, spent_at, station_name)) = row else {
        tracing::warn!("enrollment with an unknown code");
        return Ok(Err(RedeemRefusal::Unusable));
    };
    if spent_at.is_some() {
        tracing::warn!(station = %station, "enrollment with a spent code");
        return Ok(Err(RedeemRefusal::Unusable));
    }
    if parse_ts(&expires_at)? <= redeem.now {
        tracing::warn!(station = %station, "enrollment with an expired code");
        return Ok(Err(RedeemRefusal::Unusable));
    }
    if station != redeem.station_code {
        tracing::warn!(station = %station, "enrollment code used for another station");
        return Ok(Err(RedeemRefusal::WrongStation));
    }
    let device_id = register_device(
        &tx,
        &station,
        &redeem.device_name,
        &redeem.token,
        None,
        redeem.now,
    )?;
    tx.execute(
        "UPDATE enroll_codes SET spent_at = ?2, device_id = ?3 WHERE code_hash = ?1",
        params![redeem.code.as_str(), redeem.now.to_string(), device_id],
    )?;
    tx.execute(
        "UPDATE devices SET app_version = ?2, last_seen_at = ?3, qr_public_key = ?4 WHERE id = ?1",
        params![
            device_id,
            redeem.app_version,
            redeem.now.to_string(),
            redeem.qr_public_key
        ],
    )?;
    tx.commit()?;
    Ok(Ok(Enrolled {
        device_id,
        station_name,
    }))
}

pub(super) fn record_report(
    conn: &Connection,
    device_id: i64,
    report: &StationReport,
    now: Timestamp,
) -> Result<(), DistrictError> {
    conn.execute(
        "UPDATE devices SET last_seen_at = ?2, app_version = ?3, queue_depth = ?4,
                quarantined = ?5, materials_pending = ?6, last_error = ?7
         WHERE id = ?1",
        params![
            device_id,
            now.to_string(),
            report.app_version,
            report.queue_depth,
            report.quarantined,
            report.materials_pending,
            report.last_error
        ],
    )?;
    Ok(())
}

pub(super) fn health(
    conn: &Connection,
    now: Timestamp,
) -> Result<Vec<DeviceHealth>, DistrictError> {
    let mut stmt = conn.prepare(
        "SELECT s.code, s.name, d.id, d.name, d.expires_at, d.revoked_at, d.last_seen_at,
                d.app_version, d.queue_depth, d.quarantined, d.materials_pending, d.last_error
         FROM devices d JOIN stations s ON s.code = d.station_code
         ORDER BY s.code, d.id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((
            (r.get::<_, String>(0)?, r.get::<_, String>(1)?),
            (r.get::<_, i64>(2)?, r.get::<_, String>(3)?),
            (
                r.get::<_, Option<String>>(4)?,
                r.get::<_, Option<String>>(5)?,
            ),
            (
                r.get::<_, Option<String>>(6)?,
                r.get::<_, Option<String>>(7)?,
            ),
            (
                r.get::<_, Option<u32>>(8)?,
                r.get::<_, Option<u32>>(9)?,
                r.get::<_, Option<u32>>(10)?,
            ),
            r.get::<_, Option<String>>(11)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (
            (station_code, station_name),
            (device_id, device_name),
            (expires, revoked),
            seen,
            q,
            e,
        ) = row?;
        let expired = parse_opt_ts(expires)?.is_some_and(|t| t <= now);
        out.push(DeviceHealth {
            station_code,
            station_name,
            device_id,
            device_name,
            live: !expired && revoked.is_none(),
            last_seen_at: parse_opt_ts(seen.0)?,
            app_version: seen.1,
            queue_depth: q.0,
            quarantined: q.1,
            materials_pending: q.2,
            last_error: e,
        });
    }
    Ok(out)
}

pub(super) fn qr_public_keys(
    conn: &Connection,
    station: &str,
) -> Result<Vec<String>, DistrictError> {
    Ok(conn
        .prepare_cached(
            "SELECT qr_public_key FROM devices
             WHERE station_code = ?1 AND qr_public_key IS NOT NULL ORDER BY id",
        )?
        .query_map([station], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?)
}
