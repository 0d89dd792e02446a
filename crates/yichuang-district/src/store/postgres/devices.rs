//! Stations, their devices (token hashes), one-time enrollment codes and health reports on
//! PostgreSQL.

use deadpool_postgres::{Client, Transaction};
use jiff::Timestamp;
use yichuang_sync::protocol::v2::report::StationReport;

use super::{Fail, read_opt_time, read_time, sql_time};
use crate::DistrictError;
use crate::secrets::SecretHash;
use crate::store::{Device, DeviceHealth, EnrollCode, Enrolled, Redeem, RedeemRefusal};

pub(super) async fn ensure_station(
    tx: &Transaction<'_>,
    code: &str,
    name: &str,
    now: Timestamp,
) -> Result<(), Fail> {
    tx.execute(
        "INSERT INTO stations (code, name, created_at) VALUES ($1, $2, $3)
         ON CONFLICT (code) DO NOTHING",
        &[&code, &name, &sql_time(now)],
    )
    .await?;
    Ok(())
}

pub(super) async fn register_device(
    tx: &Transaction<'_>,
    station: &str,
    name: &str,
    token: &SecretHash,
    expires_at: Option<Timestamp>,
    now: Timestamp,
) -> Result<i64, Fail> {
    let existing = tx
        .query_opt(
            "SELECT id, station_code FROM devices WHERE token_hash = $1",
            &[&token.as_str()],
        )
        .await?;
    if let Some(row) = existing {
        let owner: String = row.try_get(1)?;
        if owner != station {
            return Err(DistrictError::Config(format!(
                "该凭据已登记给站点 {owner}，不能再给站点 {station}"
            ))
            .into());
        }
        return Ok(row.try_get(0)?);
    }
    // A concurrent registration of the same token loses on the unique index and is retried,
    // then finds the row above.
    let row = tx
        .query_one(
            "INSERT INTO devices (station_code, name, token_hash, created_at, expires_at)
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
            &[
                &station,
                &name,
                &token.as_str(),
                &sql_time(now),
                &expires_at.map(sql_time),
            ],
        )
        .await?;
    Ok(row.try_get(0)?)
}

pub(super) async fn device_by_token(
    client: &Client,
    token: &SecretHash,
    now: Timestamp,
) -> Result<Option<Device>, Fail> {
    let stmt = client
        .prepare_cached(
            "SELECT id, station_code, expires_at, revoked_at FROM devices WHERE token_hash = $1",
        )
        .await?;
    let Some(row) = client.query_opt(&stmt, &[&token.as_str()]).await? else {
        return Ok(None);
    };
    let expired = read_opt_time(row.try_get(2)?)?.is_some_and(|t| t <= now);
    let revoked: Option<std::time::SystemTime> = row.try_get(3)?;
    if expired || revoked.is_some() {
        return Ok(None);
    }
    Ok(Some(Device {
        id: row.try_get(0)?,
        station_code: row.try_get(1)?,
    }))
}

pub(super) async fn revoke_station(
    client: &Client,
    station: &str,
    now: Timestamp,
) -> Result<u64, Fail> {
    Ok(client
        .execute(
            "UPDATE devices SET revoked_at = $2 WHERE station_code = $1 AND revoked_at IS NULL",
            &[&station, &sql_time(now)],
        )
        .await?)
}

pub(super) async fn issue_code(tx: &Transaction<'_>, code: &EnrollCode) -> Result<(), Fail> {
    ensure_station(tx, &code.station_code, &code.station_name, code.issued_at).await?;
    // A station first made by `--station` bears its code as name: the officer's name wins.
    tx.execute(
        "UPDATE stations SET name = $2 WHERE code = $1",
        &[&code.station_code, &code.station_name],
    )
    .await?;
    tx.execute(
        "INSERT INTO enroll_codes (code_hash, station_code, issued_at, expires_at)
         VALUES ($1, $2, $3, $4)",
        &[
            &code.code.as_str(),
            &code.station_code,
            &sql_time(code.issued_at),
            &sql_time(code.expires_at),
        ],
    )
    .await?;
    Ok(())
}

pub(super) async fn redeem(
    tx: &Transaction<'_>,
    redeem: &Redeem,
) -> Result<Result<Enrolled, RedeemRefusal>, Fail> {
    // FOR UPDATE: two stations racing with one code take turns; the second sees it spent.
    let row = tx
        .query_opt(
            "SELECT e.station_code, e.expires_at, e.spent_at, s.name
             FROM enroll_codes e JOIN stations s ON s.code = e.station_code
             WHERE e.code_hash = $1 FOR UPDATE OF e",
            &[&redeem.code.as_str()],
        )
        .await?;
    let Some(row) = row else {
        tracing::warn!("enrollment with an unknown code");
        return Ok(Err(RedeemRefusal::Unusable));
    };
    let station: String = row.try_get(0)?;
    let spent: Option<std::time::SystemTime> = row.try_get(2)?;
    if spent.is_some() {
        tracing::warn!(station = %station, "enrollment with a spent code");
        return Ok(Err(RedeemRefusal::Unusable));
    }
    if read_time(row.try_get(1)?)? <= redeem.now {
        tracing::warn!(station = %station, "enrollment with an expired code");
        return Ok(Err(RedeemRefusal::Unusable));
    }
    if station != redeem.station_code {
        tracing::warn!(station = %station, "enrollment code used for another station");
        return Ok(Err(RedeemRefusal::WrongStation));
    }
    let station_name: String = row.try_get(3)?;
    let device_id = register_device(
        tx,
        &station,
        &redeem.device_name,
        &redeem.token,
        None,
        redeem.now,
    )
    .await?;
    let now = sql_time(redeem.now);
    tx.execute(
        "UPDATE enroll_codes SET spent_at = $2, device_id = $3 WHERE code_hash = $1",
        &[&redeem.code.as_str(), &now, &device_id],
    )
    .await?;
    tx.execute(
        "UPDATE devices SET app_version = $2, last_seen_at = $3, qr_public_key = $4
         WHERE id = $1",
        &[&device_id, &redeem.app_version, &now, &redeem.qr_public_key],
    )
    .await?;
    Ok(Ok(Enrolled {
        device_id,
        station_name,
    }))
}

pub(super) async fn record_report(
    client: &Client,
    device_id: i64,
    report: &StationReport,
    now: Timestamp,
) -> Result<(), Fail> {
    let stmt = client
        .prepare_cached(
            "UPDATE devices SET last_seen_at = $2, app_version = $3, queue_depth = $4,
                    quarantined = $5, materials_pending = $6, last_error = $7
             WHERE id = $1",
        )
        .await?;
    client
        .execute(
            &stmt,
            &[
                &device_id,
                &sql_time(now),
                &report.app_version,
                &i64::from(report.queue_depth),
                &i64::from(report.quarantined),
                &i64::from(report.materials_pending),
                &report.last_error,
            ],
        )
        .await?;
    Ok(())
}

fn count(n: Option<i64>) -> Result<Option<u32>, Fail> {
    n.map(|n| u32::try_from(n).map_err(|_| DistrictError::Corrupt("计数超出范围".into())))
        .transpose()
        .map_err(Fail::from)
}

pub(super) async fn health(client: &Client, now: Timestamp) -> Result<Vec<DeviceHealth>, Fail> {
    let rows = client
        .query(
            "SELECT s.code, s.name, d.id, d.name, d.expires_at, d.revoked_at, d.last_seen_at,
                    d.app_version, d.queue_depth, d.quarantined, d.materials_pending, d.last_error
             FROM devices d JOIN stations s ON s.code = d.station_code
             ORDER BY s.code, d.id",
            &[],
        )
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let expired = read_opt_time(row.try_get(4)?)?.is_some_and(|t| t <= now);
        let revoked: Option<std::time::SystemTime> = row.try_get(5)?;
        out.push(DeviceHealth {
            station_code: row.try_get(0)?,
            station_name: row.try_get(1)?,
            device_id: row.try_get(2)?,
            device_name: row.try_get(3)?,
            live: !expired && revoked.is_none(),
            last_seen_at: read_opt_time(row.try_get(6)?)?,
            app_version: row.try_get(7)?,
            queue_depth: count(row.try_get(8)?)?,
            quarantined: count(row.try_get(9)?)?,
            materials_pending: count(row.try_get(10)?)?,
            last_error: row.try_get(11)?,
        });
    }
    Ok(out)
}

pub(super) async fn qr_public_keys(client: &Client, station: &str) -> Result<Vec<String>, Fail> {
    let rows = client
        .query(
            "SELECT qr_public_key FROM devices
             WHERE station_code = $1 AND qr_public_key IS NOT NULL ORDER BY id",
            &[&station],
        )
        .await?;
    Ok(rows
        .iter()
        .map(|r| r.try_get(0))
        .collect::<Result<_, _>>()?)
}
