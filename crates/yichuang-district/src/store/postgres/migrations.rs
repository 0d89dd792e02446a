//! The PostgreSQL schema's numbered migrations, embedded, tracked in a `schema_version`
//! table and applied under an advisory lock, so two district processes starting together
//! do not both migrate.

use super::Fail;
use crate::DistrictError;

const MIGRATIONS: &[&str] = &[
    include_str!("migrations/0001_district.sql"),
    include_str!("migrations/0002_evaluations.sql"),
    include_str!("migrations/0003_qr_keys.sql"),
    include_str!("migrations/0004_evaluations_by_slip.sql"),
    include_str!("migrations/0005_handovers.sql"),
];

/// Key of the advisory lock the migrations hold (any constant the district owns).
const MIGRATION_LOCK: i64 = 0x5943_4449_5354_0001;

/// Applies every migration newer than the database in one transaction (PostgreSQL's DDL is
/// transactional); refuses a database written by a newer district.
pub(super) async fn migrate(client: &mut deadpool_postgres::Client) -> Result<(), Fail> {
    let tx = client.transaction().await?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
        .await?;
    tx.batch_execute(
        "CREATE TABLE IF NOT EXISTS schema_version (
             only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
             version  integer NOT NULL
         );
         INSERT INTO schema_version (version) VALUES (0) ON CONFLICT DO NOTHING;",
    )
    .await?;
    let found: i32 = tx
        .query_one("SELECT version FROM schema_version", &[])
        .await?
        .get(0);
    let known = i32::try_from(MIGRATIONS.len()).unwrap_or(i32::MAX);
    if found > known {
        return Err(DistrictError::Config(format!(
            "区级数据库版本 {found} 比本程序（{known}）新，请使用新版区级系统"
        ))
        .into());
    }
    for (version, sql) in (1..)
        .zip(MIGRATIONS.iter())
        .skip(usize::try_from(found).unwrap_or(0))
    {
        tx.batch_execute(sql).await?;
        tx.execute("UPDATE schema_version SET version = $1", &[&version])
            .await?;
        tracing::info!(version, "district schema migrated (PostgreSQL)");
    }
    tx.commit().await?;
    Ok(())
}

/// The schema version of a database.
#[cfg(test)]
pub(super) async fn version(client: &deadpool_postgres::Client) -> Result<i32, Fail> {
    Ok(client
        .query_one("SELECT version FROM schema_version", &[])
        .await?
        .get(0))
}
