//! Counter clerks' accounts with Argon2id password hashes.

use std::sync::LazyLock;

use argon2::Argon2;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use jiff::Timestamp;
use rusqlite::{Connection, ErrorCode, OptionalExtension, Transaction, params};
use serde::Serialize;

use crate::timefmt::{ts_from_sql, ts_to_sql};
use crate::{Result, StoreError};

/// Minimum length of a clerk's password, in characters.
pub const MIN_PASSWORD_CHARS: usize = 8;

/// A clerk account (never carries the hash).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Clerk {
    pub login: String,
    pub display_name: String,
    pub created_at: Timestamp,
}

/// A hash of a throw-away password, checked when the login is unknown so that an unknown
/// login takes as long as a wrong password.
static DUMMY_HASH: LazyLock<Option<String>> = LazyLock::new(|| {
    Argon2::default()
        .hash_password(b"no such clerk")
        .ok()
        .map(|h| h.to_string())
});

pub(crate) fn insert(
    tx: &Transaction<'_>,
    login: &str,
    display_name: &str,
    password: &str,
    now: Timestamp,
) -> Result<Clerk> {
    let login = login.trim();
    let display_name = display_name.trim();
    if login.is_empty() || login.chars().count() > 32 || login.chars().any(char::is_whitespace) {
        return Err(StoreError::InvalidInput(
            "账号须为 1 至 32 个字符，且不含空格".into(),
        ));
    }
    if display_name.is_empty() || display_name.chars().count() > 50 {
        return Err(StoreError::InvalidInput("姓名须为 1 至 50 个字".into()));
    }
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(StoreError::InvalidInput(format!(
            "密码至少需要 {MIN_PASSWORD_CHARS} 个字符"
        )));
    }
    let hash = Argon2::default()
        .hash_password(password.as_bytes())
        .map_err(|e| StoreError::Crypto(format!("无法计算密码摘要（{e}）")))?
        .to_string();
    let result = tx.execute(
        "INSERT INTO clerks (login, display_name, password_hash, created_at) VALUES (?1, ?2, ?3, ?4)",
        params![login, display_name, hash, ts_to_sql(now)],
    );
    match result {
        Ok(_) => Ok(Clerk {
            login: login.into(),
            display_name: display_name.into(),
            created_at: now,
        }),
        Err(e) if e.sqlite_error_code() == Some(ErrorCode::ConstraintViolation) => {
            Err(StoreError::ClerkExists {
                login: login.into(),
            })
        }
        Err(e) => Err(e.into()),
    }
}

/// The clerk if `password` is theirs; any mismatch is [`StoreError::BadCredentials`].
/// The name printed for `login` on slips: the clerk's display name, or `login` itself for an
/// actor that is not a clerk account (the system, a test).
pub(crate) fn printed_name(conn: &Connection, login: &str) -> Result<String> {
    let name: Option<String> = conn
        .prepare_cached("SELECT display_name FROM clerks WHERE login = ?1")?
        .query_row([login.trim()], |r| r.get(0))
        .optional()?;
    Ok(name.unwrap_or_else(|| login.trim().to_string()))
}

pub(crate) fn verify(conn: &Connection, login: &str, password: &str) -> Result<Clerk> {
    let row: Option<(String, String, String, String)> = conn
        .query_row(
            "SELECT login, display_name, password_hash, created_at FROM clerks WHERE login = ?1",
            [login.trim()],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .optional()?;
    let Some((login, display_name, hash, created_at)) = row else {
        if let Some(dummy) = DUMMY_HASH.as_deref() {
            let _ = Argon2::default().verify_password(password.as_bytes(), dummy);
        }
        return Err(StoreError::BadCredentials);
    };
    match Argon2::default().verify_password(password.as_bytes(), hash.as_str()) {
        Ok(()) => Ok(Clerk {
            login,
            display_name,
            created_at: ts_from_sql(&created_at)?,
        }),
        Err(argon2::password_hash::Error::PasswordInvalid) => Err(StoreError::BadCredentials),
        Err(e) => Err(StoreError::Corrupt(format!(
            "账号的密码摘要无法使用（{e}）"
        ))),
    }
}
