//! Creating and dropping a district database from an administrator's connection: a city's
//! first set-up, and a fresh database per test or benchmark run.

use std::path::Path;

use tokio_postgres::error::SqlState;

use super::{PgConfig, db_error, tls};
use crate::DistrictError;

/// Reads a connection address (`postgres://user:pass@host:port/db` or `host=… dbname=…`);
/// libpq's `sslmode=verify-full` and `verify-ca` read as `require`, which verifies as much.
pub fn parse_url(url: &str) -> Result<PgConfig, DistrictError> {
    // The parser's message names the faulty part, never the password.
    tls::with_verifying_modes_as_require(url)
        .parse::<PgConfig>()
        .map_err(|e| DistrictError::Config(format!("PostgreSQL 连接地址无法读取：{e}")))
}

/// A database name this module creates: lower-case letters, digits and `_`, at most 63.
fn checked(name: &str) -> Result<&str, DistrictError> {
    let ok = !name.is_empty()
        && name.len() <= 63
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
    if ok {
        Ok(name)
    } else {
        Err(DistrictError::Config(format!(
            "数据库名“{name}”应为 1 至 63 个小写字母、数字或下划线"
        )))
    }
}

/// A connection as `admin`, over TLS as its `sslmode` says, trusting `ca_file` if given.
async fn admin_client(
    admin: &PgConfig,
    ca_file: Option<&Path>,
) -> Result<tokio_postgres::Client, DistrictError> {
    let mut config = admin.clone();
    let tls = tls::connector(&mut config, ca_file)?;
    let (client, connection) = config
        .connect(tls)
        .await
        .map_err(|e| tls::connect_failure(&e).unwrap_or_else(|| db_error(e)))?;
    tokio::spawn(async move {
        if let Err(e) = connection.await {
            tracing::warn!(error = %e, "PostgreSQL admin connection ended");
        }
    });
    Ok(client)
}

/// Creates database `name` unless it exists, as the user of `admin` (who needs CREATEDB);
/// returns the configuration of a connection to it. TLS, if any, trusts the platform's roots.
pub async fn create_database(admin: &PgConfig, name: &str) -> Result<PgConfig, DistrictError> {
    create_database_with(admin, name, None).await
}

/// [`create_database`] over a TLS connection that trusts only the CA file `ca_file` (PEM).
pub async fn create_database_with(
    admin: &PgConfig,
    name: &str,
    ca_file: Option<&Path>,
) -> Result<PgConfig, DistrictError> {
    let name = checked(name)?;
    let client = admin_client(admin, ca_file).await?;
    let exists = client
        .query_opt("SELECT 1 FROM pg_database WHERE datname = $1", &[&name])
        .await
        .map_err(db_error)?
        .is_some();
    if !exists {
        client
            .batch_execute(&format!("CREATE DATABASE \"{name}\""))
            .await
            .map_err(db_error)?;
        tracing::info!("district database created");
    }
    let mut config = admin.clone();
    config.dbname(name);
    Ok(config)
}

/// Drops database `name` if it exists: ends this user's own sessions on it first, then
/// waits (up to about ten seconds) for any other session to go. A plain `DROP DATABASE`
/// also stops autovacuum there, which `WITH (FORCE)` may not do for an ordinary user.
pub async fn drop_database(admin: &PgConfig, name: &str) -> Result<(), DistrictError> {
    drop_database_with(admin, name, None).await
}

/// [`drop_database`] over a TLS connection that trusts only the CA file `ca_file` (PEM).
pub async fn drop_database_with(
    admin: &PgConfig,
    name: &str,
    ca_file: Option<&Path>,
) -> Result<(), DistrictError> {
    let name = checked(name)?;
    let client = admin_client(admin, ca_file).await?;
    let mut attempt = 0;
    loop {
        client
            .execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                 WHERE datname = $1 AND usename = current_user AND pid <> pg_backend_pid()",
                &[&name],
            )
            .await
            .map_err(db_error)?;
        match client
            .batch_execute(&format!("DROP DATABASE IF EXISTS \"{name}\""))
            .await
        {
            Ok(()) => return Ok(()),
            Err(e) if e.code() == Some(&SqlState::OBJECT_IN_USE) && attempt < 100 => {
                attempt += 1;
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            }
            Err(e) => return Err(db_error(e)),
        }
    }
}
