//! Counter clerks' accounts with Argon2id password hashes.

use std::sync::LazyLock;

use argon2::Argon2;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use jiff::Timestamp;
use rusqlite::{Connection, ErrorCode, OptionalExtension, Transaction, params};
use serde::Serialize;

use yichuang_core::Role;

use crate::timefmt::{ts_from_sql, ts_to_sql};
use crate::{Result, StoreError};

/// Minimum length of a clerk's password, in characters.
pub const MIN_PASSWORD_CHARS: usize = 8;

/// A clerk account (never carries the hash).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Clerk {
    pub login: String,
    pub display_name: String,
    pub role: Role,
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

/// Why the store would refuse `login` as an account name (trimmed first), if it would.
pub fn login_problem(login: &str) -> Option<String> {
    let login = login.trim();
    (login.is_empty() || login.chars().count() > 32 || login.chars().any(char::is_whitespace))
        .then(|| "账号须为 1 至 32 个字符，且不含空格".to_string())
}

/// Why the store would refuse `name` as a clerk's name (trimmed first), if it would.
pub fn display_name_problem(name: &str) -> Option<String> {
    let chars = name.trim().chars().count();
    (chars == 0 || chars > 50).then(|| "姓名须为 1 至 50 个字".to_string())
}

/// Why the store would refuse `password` for an account, if it would.
pub fn password_problem(password: &str) -> Option<String> {
    (password.chars().count() < MIN_PASSWORD_CHARS)
        .then(|| format!("密码至少需要 {MIN_PASSWORD_CHARS} 个字符"))
}

pub(crate) fn hash_password(password: &str) -> Result<String> {
    Ok(Argon2::default()
        .hash_password(password.as_bytes())
        .map_err(|e| StoreError::Crypto(format!("无法计算密码摘要（{e}）")))?
        .to_string())
}

pub(crate) fn insert(
    tx: &Transaction<'_>,
    login: &str,
    display_name: &str,
    password: &str,
    role: Role,
    now: Timestamp,
) -> Result<Clerk> {
    let login = login.trim();
    let display_name = display_name.trim();
    let problem = login_problem(login)
        .or_else(|| display_name_problem(display_name))
        .or_else(|| password_problem(password));
    if let Some(message) = problem {
        return Err(StoreError::InvalidInput(message));
    }
    let hash = hash_password(password)?;
    let result = tx.execute(
        "INSERT INTO clerks (login, display_name, password_hash, created_at, role)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![login, display_name, hash, ts_to_sql(now), role.code()],
    );
    match result {
        Ok(_) => Ok(Clerk {
            login: login.into(),
            display_name: display_name.into(),
            role,
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

/// The name printed for `login` on slips: the clerk's display name, or `login` itself for an
/// actor that is not a clerk account (the system, a test).
pub(crate) fn printed_name(conn: &Connection, login: &str) -> Result<String> {
    let name: Option<String> = conn
        .prepare_cached("SELECT display_name FROM clerks WHERE login = ?1")?
        .query_row([login.trim()], |r| r.get(0))
        .optional()?;
    Ok(name.unwrap_or_else(|| login.trim().to_string()))
}

/// The clerk if `password` is theirs; any mismatch is [`StoreError::BadCredentials`].
pub(crate) fn verify(conn: &Connection, login: &str, password: &str) -> Result<Clerk> {
    let row: Option<(String, String, String, String, String)> = conn
        .query_row(
            "SELECT login, display_name, password_hash, created_at, role FROM clerks
             WHERE login = ?1 AND active = 1",
            [login.trim()],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .optional()?;
    let Some((login, display_name, hash, created_at, role)) = row else {
        if let Some(dummy) = DUMMY_HASH.as_deref() {
            let _ = Argon2::default().verify_password(password.as_bytes(), dummy);
        }
        return Err(StoreError::BadCredentials);
    };
    match Argon2::default().verify_password(password.as_bytes(), hash.as_str()) {
        Ok(()) => Ok(Clerk {
            login,
            display_name,
            role: Role::from_code(&role)
                .ok_or_else(|| StoreError::Corrupt(format!("账号的角色“{role}”无法识别")))?,
            created_at: ts_from_sql(&created_at)?,
        }),
        Err(argon2::password_hash::Error::PasswordInvalid) => Err(StoreError::BadCredentials),
        Err(e) => Err(StoreError::Corrupt(format!(
            "账号的密码摘要无法使用（{e}）"
        ))),
    }
}

/// A clerk account as the district publishes it (the hash is the district's Argon2id PHC
/// string, kept as given; the station never sees the password).
#[derive(Clone, PartialEq, Eq)]
pub struct DistrictClerk {
    pub login: String,
    pub display_name: String,
    pub password_hash: String,
    /// `clerk` or `hall_manager`.
    pub role: String,
    pub active: bool,
}

impl std::fmt::Debug for DistrictClerk {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DistrictClerk")
            .field("login", &self.login)
            .field("role", &self.role)
            .field("active", &self.active)
            .finish_non_exhaustive()
    }
}

/// Checks a published account list as a whole: one bad entry refuses the list, so the
/// accounts never end half replaced.
pub(crate) fn check_district_list(list: &[DistrictClerk]) -> Result<()> {
    if !list.iter().any(|c| c.active) {
        return Err(StoreError::InvalidInput(
            "区级系统下发的窗口人员名单中没有可用账号，未应用（以免本站无人能登录）".into(),
        ));
    }
    let mut seen = std::collections::HashSet::new();
    for c in list {
        let login = c.login.trim();
        if login_problem(login).is_some() {
            return Err(StoreError::InvalidInput(
                "区级系统下发的窗口人员名单中有不合规的账号名，未应用".into(),
            ));
        }
        if !seen.insert(login) {
            return Err(StoreError::InvalidInput(format!(
                "区级系统下发的窗口人员名单中账号“{login}”重复，未应用"
            )));
        }
        if display_name_problem(&c.display_name).is_some() {
            return Err(StoreError::InvalidInput(format!(
                "区级系统下发的窗口人员“{login}”姓名不合规，未应用"
            )));
        }
        if !matches!(c.role.as_str(), "clerk" | "hall_manager") {
            return Err(StoreError::InvalidInput(format!(
                "区级系统下发的窗口人员“{login}”角色无法识别，未应用"
            )));
        }
        let argon2id = argon2::password_hash::phc::PasswordHash::new(&c.password_hash)
            .is_ok_and(|h| h.algorithm.as_str() == "argon2id");
        if !argon2id {
            return Err(StoreError::InvalidInput(format!(
                "区级系统下发的窗口人员“{login}”密码摘要不是 Argon2id 格式，未应用"
            )));
        }
    }
    Ok(())
}

/// Writes the district's account list: listed accounts are added or updated (hash, name,
/// role, active), every other account is kept but made inactive. Returns (written, disabled).
pub(crate) fn upsert_district_list(
    tx: &Transaction<'_>,
    list: &[DistrictClerk],
    now: Timestamp,
) -> Result<(u32, u32)> {
    check_district_list(list)?;
    let mut written = 0;
    for c in list {
        tx.prepare_cached(
            "INSERT INTO clerks (login, display_name, password_hash, created_at, active, role, source)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'district')
             ON CONFLICT (login) DO UPDATE SET display_name = excluded.display_name,
                 password_hash = excluded.password_hash, active = excluded.active,
                 role = excluded.role, source = 'district'",
        )?
        .execute(params![
            c.login.trim(),
            c.display_name.trim(),
            c.password_hash,
            ts_to_sql(now),
            c.active,
            c.role,
        ])?;
        written += 1;
    }
    let listed: Vec<&str> = list.iter().map(|c| c.login.trim()).collect();
    let listed = serde_json::to_string(&listed)
        .map_err(|e| StoreError::Corrupt(format!("窗口人员名单无法处理（{e}）")))?;
    let disabled = tx.execute(
        "UPDATE clerks SET active = 0
         WHERE active = 1 AND login NOT IN (SELECT value FROM json_each(?1))",
        [listed],
    )?;
    Ok((written, u32::try_from(disabled).unwrap_or(u32::MAX)))
}
