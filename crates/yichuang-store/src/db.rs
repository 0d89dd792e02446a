//! Opening the SQLCipher file: key first, then proof that it is really encrypted and the key fits.

use std::path::Path;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

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
    sqlcipher_ready()?;
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

/// Waits, once per process, until SQLCipher has finished setting itself up.
///
/// SQLite marks itself initialised *before* it runs SQLCipher's set-up hook
/// (`SQLITE_EXTRA_INIT`, outside SQLite's init mutex). A second thread that opens its
/// first connection in that window gets a bare `SQLITE_ERROR` ("SQL logic error") from
/// `sqlite3_key_v2`, with nothing logged. Measured: about one process in a hundred when
/// two threads open their first keyed connection together. Every keyed open waits here,
/// behind one lock, until keying a throw-away in-memory database works.
pub(crate) fn sqlcipher_ready() -> Result<()> {
    static READY: OnceLock<std::result::Result<(), String>> = OnceLock::new();
    READY
        .get_or_init(|| {
            let deadline = Instant::now() + Duration::from_secs(5);
            loop {
                let probe = Connection::open_in_memory()
                    .and_then(|c| c.key(rusqlite::DEFAULT_NAME, b"probe", false));
                match probe {
                    Ok(()) => return Ok(()),
                    Err(e) if Instant::now() >= deadline => return Err(e.to_string()),
                    Err(_) => std::thread::sleep(Duration::from_millis(2)),
                }
            }
        })
        .clone()
        .map_err(|e| StoreError::Crypto(format!("SQLCipher 加密组件未能启动（{e}）")))
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

#[cfg(test)]
mod tests {
    use std::process::Command;
    use std::sync::{Arc, Barrier};

    use super::*;

    const CHILD: &str = "YICHUANG_STORE_FIRST_OPEN_CHILD";

    /// The race only exists while a process opens its first connection, so each try is a
    /// fresh process: this test binary again, running only `first_keyed_opens_child`.
    /// Before the fix about one try in a hundred failed.
    #[test]
    fn threads_opening_their_first_keyed_connection_together_all_succeed() {
        let exe = std::env::current_exe().expect("test binary path");
        for attempt in 0..150 {
            let out = Command::new(&exe)
                .args([
                    "--exact",
                    "db::tests::first_keyed_opens_child",
                    "--nocapture",
                ])
                .env(CHILD, "1")
                .output()
                .expect("run child");
            assert!(
                out.status.success(),
                "attempt {attempt}: {}",
                String::from_utf8_lossy(&out.stdout)
            );
            assert!(
                String::from_utf8_lossy(&out.stdout).contains("1 passed"),
                "the child test ran"
            );
        }
    }

    #[test]
    fn first_keyed_opens_child() {
        if std::env::var_os(CHILD).is_none() {
            return;
        }
        let dir = tempfile::tempdir().unwrap();
        let threads = 6;
        let start = Arc::new(Barrier::new(threads));
        let opened: Vec<_> = (0..threads)
            .map(|i| {
                let start = start.clone();
                let path = dir.path().join(format!("t{i}.db"));
                std::thread::spawn(move || {
                    let key = DbKey::generate().unwrap();
                    start.wait();
                    open_keyed(&path, &key, Create::Yes).map(|_| ())
                })
            })
            .collect();
        for t in opened {
            t.join().unwrap().expect("every first open works");
        }
    }
}
