//! [`DistrictStore`] on PostgreSQL, for a city's district server: a small pool of
//! tokio-postgres connections, one transaction per call, retried a bounded number of times
//! when PostgreSQL reports a serialization failure, a deadlock or a lost insert race.

mod admin;
mod cases;
mod devices;
mod evaluations;
mod handovers;
mod migrations;
mod reference;
mod slips;
#[cfg(test)]
mod slips_tests;
#[cfg(test)]
mod tests;
mod tls;

use std::path::PathBuf;
use std::time::{Duration, SystemTime};

use deadpool_postgres::{Manager, ManagerConfig, Pool, PoolError, RecyclingMethod, Runtime};
use jiff::Timestamp;
use tokio_postgres::error::SqlState;

use crate::DistrictError;

pub use admin::{
    create_database, create_database_with, drop_database, drop_database_with, parse_url,
};
pub use tokio_postgres::Config as PgConfig;

mod store_impl;

/// How many connections the district keeps, how long a request waits for one, and which CA
/// a TLS connection (`sslmode=require` in the address) trusts.
#[derive(Debug, Clone)]
pub struct PgOptions {
    /// Connections in the pool (PostgreSQL's own default limit is 100 for everyone).
    pub max_connections: usize,
    /// Longest a request waits for a free connection before it is answered 503 Busy.
    pub wait_timeout: Duration,
    /// The CA file (PEM) that alone signs the server's certificate, instead of the
    /// platform's roots (the binary's `--pg-ca`); needs `sslmode=require`.
    pub ca_file: Option<PathBuf>,
}

impl Default for PgOptions {
    fn default() -> Self {
        Self {
            max_connections: 16,
            wait_timeout: Duration::from_secs(10),
            ca_file: None,
        }
    }
}

/// The district's data in one PostgreSQL database.
#[derive(Clone)]
pub struct PgStore {
    pool: Pool,
}

impl std::fmt::Debug for PgStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PgStore")
    }
}

/// Attempts of one unit of work before its error is given up to the caller.
pub(crate) const MAX_ATTEMPTS: u32 = 5;

impl PgStore {
    /// Connects to the database at `url` (`postgres://user:pass@host:port/db`) with the
    /// default pool, migrating its schema as needed.
    pub async fn connect(url: &str) -> Result<Self, DistrictError> {
        Self::connect_with(parse_url(url)?, PgOptions::default()).await
    }

    /// Connects with `config` and `options`; refuses a database written by a newer
    /// district. Every connection runs with `synchronous_commit = on`: an acknowledged
    /// case is on disk, whatever the server's default. With `sslmode=require` every
    /// connection is TLS with the server's certificate and host name verified (see `tls`).
    pub async fn connect_with(
        mut config: PgConfig,
        options: PgOptions,
    ) -> Result<Self, DistrictError> {
        if options.max_connections == 0 {
            return Err(DistrictError::Config("数据库连接数不能为 0".into()));
        }
        let session = format!(
            "{} -c synchronous_commit=on",
            config.get_options().unwrap_or_default()
        );
        config.options(session.trim());
        if config.get_application_name().is_none() {
            config.application_name("yichuang-district");
        }
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(Duration::from_secs(10));
        }
        let tls = tls::connector(&mut config, options.ca_file.as_deref())?;
        let manager = Manager::from_config(
            config,
            tls,
            ManagerConfig {
                recycling_method: RecyclingMethod::Fast,
            },
        );
        let pool = Pool::builder(manager)
            .max_size(options.max_connections)
            .wait_timeout(Some(options.wait_timeout))
            .create_timeout(Some(Duration::from_secs(10)))
            .runtime(Runtime::Tokio1)
            .build()
            .map_err(|e| DistrictError::Config(format!("数据库连接池无法建立：{e}")))?;
        let store = Self { pool };
        // At start an unreachable server is the operator's to fix, not a busy district: the
        // error and its cause (refused, timed out, wrong password) go to them as they are,
        // a TLS failure (refused, certificate not trusted) said in words they can act on.
        let mut client = store.pool.get().await.map_err(|e| match e {
            PoolError::Backend(e) => tls::connect_failure(&e)
                .unwrap_or_else(|| DistrictError::Io(std::io::Error::other(e))),
            other => DistrictError::Io(std::io::Error::other(other)),
        })?;
        migrations::migrate(&mut client)
            .await
            .map_err(DistrictError::from)?;
        let sync: String = client
            .query_one("SHOW synchronous_commit", &[])
            .await
            .map_err(db_error)?
            .get(0);
        if sync == "off" {
            return Err(DistrictError::Config(
                "PostgreSQL 未按要求同步提交（synchronous_commit=off），已确认的办件可能丢失"
                    .into(),
            ));
        }
        let fsync: String = client
            .query_one("SHOW fsync", &[])
            .await
            .map_err(db_error)?
            .get(0);
        if fsync != "on" {
            tracing::warn!("PostgreSQL runs with fsync off: acknowledged cases may be lost");
        }
        tracing::info!("district store on PostgreSQL ready");
        Ok(store)
    }

    /// A pooled connection; 503 Busy when none frees up in time or the server is away.
    pub(crate) async fn client(&self) -> Result<deadpool_postgres::Client, DistrictError> {
        self.pool.get().await.map_err(|e| match e {
            PoolError::Timeout(_) => {
                tracing::warn!("no free PostgreSQL connection in time");
                busy()
            }
            PoolError::Backend(e) => db_error(e),
            other => {
                tracing::error!(error = %other, "PostgreSQL pool failed");
                busy()
            }
        })
    }
}

/// What a unit of work can fail with: PostgreSQL's own error (maybe worth another attempt)
/// or the district's.
#[derive(Debug)]
pub(crate) enum Fail {
    Db(tokio_postgres::Error),
    District(DistrictError),
}

impl From<tokio_postgres::Error> for Fail {
    fn from(e: tokio_postgres::Error) -> Self {
        Fail::Db(e)
    }
}

impl From<DistrictError> for Fail {
    fn from(e: DistrictError) -> Self {
        Fail::District(e)
    }
}

impl From<Fail> for DistrictError {
    fn from(f: Fail) -> Self {
        match f {
            Fail::Db(e) => db_error(e),
            Fail::District(e) => e,
        }
    }
}

fn busy() -> DistrictError {
    DistrictError::Busy {
        retry_after_secs: 5,
    }
}

/// A PostgreSQL error as a district error: a lost or refused connection is an outage (503,
/// the station keeps its records and retries); anything else is an internal error whose
/// source is kept for the log.
pub(crate) fn db_error(e: tokio_postgres::Error) -> DistrictError {
    let outage = e.is_closed()
        || std::error::Error::source(&e).is_some_and(|s| s.is::<std::io::Error>())
        || e.code().is_some_and(|c| {
            c.code().starts_with("08")
                || [
                    SqlState::ADMIN_SHUTDOWN,
                    SqlState::CANNOT_CONNECT_NOW,
                    SqlState::TOO_MANY_CONNECTIONS,
                ]
                .contains(c)
        });
    if outage {
        tracing::warn!(error = %e, "PostgreSQL unreachable");
        return busy();
    }
    DistrictError::Io(std::io::Error::other(e))
}

/// Errors another attempt on a fresh snapshot may not meet.
pub(crate) fn retryable(f: &Fail) -> bool {
    let Fail::Db(e) = f else { return false };
    e.code().is_some_and(|c| {
        [
            SqlState::T_R_SERIALIZATION_FAILURE,
            SqlState::T_R_DEADLOCK_DETECTED,
            SqlState::UNIQUE_VIOLATION,
        ]
        .contains(c)
    })
}

/// Pause before attempt `n` (2, 3, …): 10 ms doubling, so a retried batch does not
/// collide with its rival again at once.
pub(crate) fn backoff(n: u32) -> Duration {
    Duration::from_millis(10u64 << n.saturating_sub(2).min(5))
}

/// Runs `$body` in one transaction `$tx` on a pooled connection and commits it, again from
/// the start (at most [`MAX_ATTEMPTS`] times) when the attempt failed with a
/// [`retryable`] error. `$body` may use `?` on PostgreSQL and district errors.
macro_rules! in_transaction {
    ($store:expr, $what:literal, |$tx:ident| $body:expr) => {{
        let mut attempt = 1u32;
        loop {
            let mut client = $store.client().await?;
            let result: Result<_, $crate::store::postgres::Fail> = async {
                let $tx = client.transaction().await?;
                let value = $body;
                $tx.commit().await?;
                Ok(value)
            }
            .await;
            match result {
                Err(f)
                    if attempt < $crate::store::postgres::MAX_ATTEMPTS
                        && $crate::store::postgres::retryable(&f) =>
                {
                    attempt += 1;
                    tracing::debug!(what = $what, attempt, "retrying a PostgreSQL transaction");
                    tokio::time::sleep($crate::store::postgres::backoff(attempt)).await;
                }
                other => break other.map_err($crate::DistrictError::from),
            }
        }
    }};
}
pub(crate) use in_transaction;

/// A timestamp as PostgreSQL stores it (jiff's whole range fits in a Unix `SystemTime`).
pub(crate) fn sql_time(t: Timestamp) -> SystemTime {
    let since_epoch = t.as_duration();
    if since_epoch.is_negative() {
        SystemTime::UNIX_EPOCH - since_epoch.unsigned_abs()
    } else {
        SystemTime::UNIX_EPOCH + since_epoch.unsigned_abs()
    }
}

/// A stored `timestamptz`.
pub(crate) fn read_time(t: SystemTime) -> Result<Timestamp, DistrictError> {
    Timestamp::try_from(t).map_err(|_| DistrictError::Corrupt("时间无法读取".into()))
}

pub(crate) fn read_opt_time(t: Option<SystemTime>) -> Result<Option<Timestamp>, DistrictError> {
    t.map(read_time).transpose()
}

/// `t` to the microsecond, PostgreSQL's precision: what a station is told is what is kept.
pub(crate) fn to_micros(t: Timestamp) -> Timestamp {
    Timestamp::from_microsecond(t.as_microsecond()).unwrap_or(t)
}
