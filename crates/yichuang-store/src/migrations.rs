//! Schema migrations: the numbered SQL files of /migrations, embedded and tracked in `user_version`.
//!
//! A ~50-line runner rather than `rusqlite_migration`: its current release (2.6) is built
//! against rusqlite 0.40 while the workspace pins 0.43 (with SQLCipher), and we want each
//! step in its own IMMEDIATE transaction and newer databases refused with our own message.

use rusqlite::{Connection, TransactionBehavior};
use tracing::info;

use crate::{Result, StoreError};

/// A step's data work that SQL alone cannot do, run in the step's transaction after its SQL.
type Backfill = fn(&rusqlite::Transaction<'_>) -> Result<()>;

/// `(version, name, sql, backfill)`, in order; a file is never edited once committed.
const MIGRATIONS: &[(i64, &str, &str, Option<Backfill>)] = &[
    (
        1,
        "0001_init",
        include_str!("../../../migrations/0001_init.sql"),
        None,
    ),
    (
        2,
        "0002_queue_indexes_and_sync_cursor",
        include_str!("../../../migrations/0002_queue_indexes_and_sync_cursor.sql"),
        None,
    ),
    (
        3,
        "0003_outcomes_drafts_search",
        include_str!("../../../migrations/0003_outcomes_drafts_search.sql"),
        Some(crate::search::backfill_search_keys),
    ),
    (
        4,
        "0004_pages_and_credit",
        include_str!("../../../migrations/0004_pages_and_credit.sql"),
        Some(crate::page_key::backfill_page_key),
    ),
    (
        5,
        "0005_search_and_commit_indexes",
        include_str!("../../../migrations/0005_search_and_commit_indexes.sql"),
        None,
    ),
    (
        6,
        "0006_fewer_pages_per_intake",
        include_str!("../../../migrations/0006_fewer_pages_per_intake.sql"),
        None,
    ),
    (
        7,
        "0007_district_status",
        include_str!("../../../migrations/0007_district_status.sql"),
        None,
    ),
    (
        8,
        "0008_material_uploads",
        include_str!("../../../migrations/0008_material_uploads.sql"),
        None,
    ),
    (
        9,
        "0009_clock_offset",
        include_str!("../../../migrations/0009_clock_offset.sql"),
        None,
    ),
    (
        10,
        "0010_search_keys_after_commit",
        include_str!("../../../migrations/0010_search_keys_after_commit.sql"),
        None,
    ),
    (
        11,
        "0011_evaluations",
        include_str!("../../../migrations/0011_evaluations.sql"),
        None,
    ),
    (
        12,
        "0012_drop_hmac_evaluation_key",
        include_str!("../../../migrations/0012_drop_hmac_evaluation_key.sql"),
        None,
    ),
    (
        13,
        "0013_print_jobs",
        include_str!("../../../migrations/0013_print_jobs.sql"),
        None,
    ),
    (
        14,
        "0014_handovers",
        include_str!("../../../migrations/0014_handovers.sql"),
        None,
    ),
    (
        15,
        "0015_login_lockout",
        include_str!("../../../migrations/0015_login_lockout.sql"),
        None,
    ),
    (
        16,
        "0016_handover_signed",
        include_str!("../../../migrations/0016_handover_signed.sql"),
        None,
    ),
    (
        17,
        "0017_queue_history_indexes",
        include_str!("../../../migrations/0017_queue_history_indexes.sql"),
        None,
    ),
    (
        18,
        "0018_open_deadlines",
        include_str!("../../../migrations/0018_open_deadlines.sql"),
        None,
    ),
    (
        19,
        "0019_handover_refusals",
        include_str!("../../../migrations/0019_handover_refusals.sql"),
        None,
    ),
    (
        20,
        "0020_decisions_by_case",
        include_str!("../../../migrations/0020_decisions_by_case.sql"),
        None,
    ),
    (
        21,
        "0021_case_number_keys",
        include_str!("../../../migrations/0021_case_number_keys.sql"),
        None,
    ),
];

/// The schema version this build writes.
pub const LATEST_VERSION: i64 = MIGRATIONS.len() as i64;

pub(crate) fn user_version(conn: &Connection) -> Result<i64> {
    Ok(conn.pragma_query_value(None, "user_version", |r| r.get(0))?)
}

/// Refuses a database written by a newer build before anything is changed.
pub(crate) fn refuse_newer(conn: &Connection) -> Result<i64> {
    let found = user_version(conn)?;
    if found > LATEST_VERSION {
        return Err(StoreError::TooNew {
            found,
            known: LATEST_VERSION,
        });
    }
    Ok(found)
}

/// Brings the schema to the latest version.
pub(crate) fn migrate(conn: &mut Connection) -> Result<()> {
    migrate_to(conn, LATEST_VERSION)
}

/// Applies every step up to `target`, each in its own IMMEDIATE transaction that also
/// re-reads the version, so two processes opening the same file cannot apply a step twice.
pub(crate) fn migrate_to(conn: &mut Connection, target: i64) -> Result<()> {
    for &(version, name, sql, backfill) in MIGRATIONS.iter().filter(|m| m.0 <= target) {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let current = refuse_newer(&tx)?;
        if current >= version {
            continue;
        }
        if current != version - 1 {
            return Err(StoreError::Corrupt(format!(
                "数据库版本 {current} 不连续，无法升级到 {version}"
            )));
        }
        tx.execute_batch(sql)?;
        if let Some(backfill) = backfill {
            backfill(&tx)?;
        }
        tx.pragma_update(None, "user_version", version)?;
        tx.commit()?;
        info!(version, name, "applied migration");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_are_numbered_from_one_without_gaps() {
        for (i, (version, name, sql, _)) in MIGRATIONS.iter().enumerate() {
            assert_eq!(*version, i as i64 + 1);
            assert!(name.starts_with(&format!("{version:04}_")));
            assert!(!sql.trim().is_empty());
        }
    }

    #[test]
    fn migrates_a_fresh_database_and_refuses_a_newer_one() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate(&mut conn).unwrap();
        assert_eq!(user_version(&conn).unwrap(), LATEST_VERSION);
        migrate(&mut conn).unwrap();
        conn.pragma_update(None, "user_version", LATEST_VERSION + 1)
            .unwrap();
        let err = migrate(&mut conn).unwrap_err();
        assert!(matches!(err, StoreError::TooNew { .. }));
        assert!(err.to_string().contains("请安装更新版本"));
    }

    #[test]
    fn a_failing_step_leaves_the_previous_version() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate_to(&mut conn, 1).unwrap();
        // Occupy a name that 0002 creates, so 0002 fails half-way.
        conn.execute_batch("CREATE TABLE sync_cursor (x)").unwrap();
        assert!(migrate(&mut conn).is_err());
        assert_eq!(user_version(&conn).unwrap(), 1);
        let indexes: i64 = conn
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE name = 'cases_by_accepted_at'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(indexes, 0, "the step's earlier statements were rolled back");
    }
}
