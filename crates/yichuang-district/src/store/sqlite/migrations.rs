//! The district schema's numbered migrations, embedded and tracked in `user_version`.
//!
//! Hand-written like the station's runner (crates/yichuang-store): a dozen lines, and
//! `rusqlite_migration` releases trail rusqlite's (0.43 here).

use rusqlite::{Connection, TransactionBehavior};

use crate::DistrictError;

const MIGRATIONS: &[&str] = &[
    include_str!("../../../migrations/0001_cases.sql"),
    include_str!("../../../migrations/0002_protocol_v2.sql"),
    include_str!("../../../migrations/0003_evaluations.sql"),
    include_str!("../../../migrations/0004_qr_keys.sql"),
    include_str!("../../../migrations/0005_evaluations_by_slip.sql"),
    include_str!("../../../migrations/0006_handovers.sql"),
];

/// Applies every migration newer than the file, each in its own IMMEDIATE transaction;
/// refuses a file written by a newer district.
pub(super) fn migrate(conn: &mut Connection) -> Result<(), DistrictError> {
    let found: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    let known = i64::try_from(MIGRATIONS.len()).unwrap_or(i64::MAX);
    if found > known {
        return Err(DistrictError::Config(format!(
            "区级数据库版本 {found} 比本程序（{known}）新，请使用新版区级系统"
        )));
    }
    for (version, sql) in (1..)
        .zip(MIGRATIONS.iter())
        .skip(usize::try_from(found).unwrap_or(0))
    {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", version)?;
        tx.commit()?;
        tracing::info!(version, "district schema migrated");
    }
    Ok(())
}

/// The schema version of an open database.
#[cfg(test)]
pub(super) fn version(conn: &Connection) -> Result<i64, DistrictError> {
    Ok(conn.pragma_query_value(None, "user_version", |r| r.get(0))?)
}
