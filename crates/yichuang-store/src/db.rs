//! Opening the SQLCipher file: key first, then proof that it is really encrypted and the key fits.

use std::path::Path;
use std::time::Duration;

use rusqlite::{Connection, ErrorCode, OpenFlags};

use crate::{DbKey, Result, StoreError};

const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Whether opening may create the file (only provisioning may).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Create {
    Yes,
    No,
}

/// Opens `path` with `key`, checks SQLCipher is present and the key opens the file.
/// Writes nothing: a wrong key or a too-new schema leaves the file as it was.
pub(crate) fn open_keyed(path: &Path, key: &DbKey, create: Create) -> Result<Connection> {
    let mut flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    if create == Create::Yes {
        flags |= OpenFlags::SQLITE_OPEN_CREATE;
    }
    let conn = Connection::open_with_flags(path, flags)?;
    conn.key(
        rusqlite::DEFAULT_NAME,
        key.sqlcipher_literal().as_bytes(),
        false,
    )?;
    check_cipher(&conn)?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    // The key is only tried at the first read of the file.
    conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| {
        r.get::<_, i64>(0)
    })
    .map_err(wrong_key)?;
    Ok(conn)
}

/// `PRAGMA cipher_version` answers only when SQLCipher is linked in; plain SQLite ignores
/// `PRAGMA key` and would write plaintext.
pub(crate) fn check_cipher(conn: &Connection) -> Result<String> {
    match conn.query_row("PRAGMA cipher_version", [], |r| r.get::<_, String>(0)) {
        Ok(v) if !v.trim().is_empty() => Ok(v),
        Ok(_) | Err(rusqlite::Error::QueryReturnedNoRows) => Err(StoreError::NotEncrypted),
        Err(e) => Err(e.into()),
    }
}

/// "file is not a database" at the first read means the key does not fit.
pub(crate) fn wrong_key(e: rusqlite::Error) -> StoreError {
    if e.sqlite_error_code() == Some(ErrorCode::NotADatabase) {
        StoreError::WrongKey
    } else {
        e.into()
    }
}

/// The settings every working connection needs: WAL, foreign keys, full fsync on commit.
pub(crate) fn configure(conn: &Connection) -> Result<()> {
    let mode: String = conn.pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(StoreError::Corrupt(format!(
            "无法启用 WAL 日志模式（当前为 {mode}）"
        )));
    }
    conn.pragma_update(None, "foreign_keys", true)?;
    // Nothing a clerk entered may be lost on power failure: fsync the WAL at every commit.
    conn.pragma_update(None, "synchronous", "FULL")?;
    let fk: bool = conn.pragma_query_value(None, "foreign_keys", |r| r.get(0))?;
    if !fk {
        return Err(StoreError::Corrupt("无法启用外键约束".into()));
    }
    Ok(())
}
