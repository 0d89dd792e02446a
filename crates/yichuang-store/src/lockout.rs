//! Login with lockout: failed attempts are counted per typed login name in the database (so a
//! restart does not reset them), five in a row lock that name for the station's set time, and a
//! success clears the count. Unknown names are counted and locked the same way, so neither the
//! answer nor the lock tells whether an account exists. Every attempt is audited.

use jiff::{SignedDuration, Timestamp};
use rusqlite::{Connection, OptionalExtension, Transaction, params};
use tracing::instrument;

use crate::facade::event;
use crate::timefmt::{ts_from_sql, ts_to_sql};
use crate::{Clerk, Result, Store, StoreError, audit, clerks, settings};

/// Failed logins in a row that lock an account.
pub const MAX_LOGIN_FAILURES: u32 = 5;

/// The station's login settings (hall manager's to change).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoginPolicy {
    /// How long a login name stays locked after [`MAX_LOGIN_FAILURES`] failures.
    pub lockout_minutes: u32,
    /// Idle minutes after which the window locks itself.
    pub idle_lock_minutes: u32,
}

impl Default for LoginPolicy {
    fn default() -> Self {
        LoginPolicy {
            lockout_minutes: 15,
            idle_lock_minutes: 5,
        }
    }
}

impl LoginPolicy {
    /// Why the store would refuse this policy, per field (`lockout_minutes`, `idle_lock_minutes`).
    pub fn problems(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        if !(1..=1440).contains(&self.lockout_minutes) {
            out.push(("lockout_minutes", "锁定时长须为 1 至 1440 分钟".to_string()));
        }
        if !(1..=120).contains(&self.idle_lock_minutes) {
            out.push((
                "idle_lock_minutes",
                "无操作自动锁屏时间须为 1 至 120 分钟".to_string(),
            ));
        }
        out
    }
}

/// What a login attempt came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoginAttempt {
    Accepted(Clerk),
    /// Wrong name or password; `locked_until` is set while the name is locked out (the
    /// password was then not even checked).
    Refused {
        locked_until: Option<Timestamp>,
    },
}

const LOCKOUT_KEY: &str = "login.lockout_minutes";
const IDLE_KEY: &str = "login.idle_lock_minutes";

fn setting(conn: &Connection, key: &str) -> Result<Option<u32>> {
    let value: Option<String> = conn
        .prepare_cached("SELECT value FROM settings WHERE key = ?1")?
        .query_row([key], |r| r.get(0))
        .optional()?;
    value
        .map(|v| {
            v.parse()
                .map_err(|_| StoreError::Corrupt(format!("登录设置 {key} 的值“{v}”无效")))
        })
        .transpose()
}

/// `(failures, locked_until)` recorded for `login`.
fn failures_of(conn: &Connection, login: &str) -> Result<(u32, Option<Timestamp>)> {
    let row: Option<(u32, Option<String>)> = conn
        .prepare_cached("SELECT failures, locked_until FROM login_failures WHERE login = ?1")?
        .query_row([login], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let Some((failures, until)) = row else {
        return Ok((0, None));
    };
    Ok((failures, until.as_deref().map(ts_from_sql).transpose()?))
}

pub(crate) fn clear(tx: &Transaction<'_>, login: &str) -> Result<()> {
    tx.prepare_cached("DELETE FROM login_failures WHERE login = ?1")?
        .execute([login])?;
    Ok(())
}

impl Store {
    pub fn login_policy(&self) -> Result<LoginPolicy> {
        let default = LoginPolicy::default();
        Ok(LoginPolicy {
            lockout_minutes: setting(&self.conn, LOCKOUT_KEY)?.unwrap_or(default.lockout_minutes),
            idle_lock_minutes: setting(&self.conn, IDLE_KEY)?.unwrap_or(default.idle_lock_minutes),
        })
    }

    /// Changes the login settings; `actor` is audited.
    #[instrument(skip_all, err)]
    pub fn set_login_policy(&mut self, policy: LoginPolicy, actor: &str) -> Result<()> {
        if let Some((_, message)) = policy.problems().into_iter().next() {
            return Err(StoreError::InvalidInput(message));
        }
        let now = Timestamp::now();
        self.write(|tx| {
            settings::put(tx, LOCKOUT_KEY, &policy.lockout_minutes.to_string())?;
            settings::put(tx, IDLE_KEY, &policy.idle_lock_minutes.to_string())?;
            let what = format!(
                "lockout={} idle={}",
                policy.lockout_minutes, policy.idle_lock_minutes
            );
            audit::append(tx, event(now, actor, "settings.login_policy", &what, "ok"))
        })
    }

    /// Checks a login at `now`, counting failures and locking the name after
    /// [`MAX_LOGIN_FAILURES`]; a success clears the count. Every attempt is audited.
    #[instrument(skip_all, err)]
    pub fn attempt_login(
        &mut self,
        login: &str,
        password: &str,
        now: Timestamp,
    ) -> Result<LoginAttempt> {
        let login = login.trim();
        if login.is_empty() {
            return Ok(LoginAttempt::Refused { locked_until: None });
        }
        let (failures, locked_until) = failures_of(&self.conn, login)?;
        if let Some(until) = locked_until.filter(|until| *until > now) {
            self.write(|tx| {
                audit::append(tx, event(now, login, "clerk.login", login, "locked_out"))
            })?;
            return Ok(LoginAttempt::Refused {
                locked_until: Some(until),
            });
        }
        // A lock that has run out starts the count again.
        let failures = if locked_until.is_some() { 0 } else { failures };
        let lockout = i64::from(self.login_policy()?.lockout_minutes);
        match clerks::verify(&self.conn, login, password) {
            Ok(clerk) => {
                self.write(|tx| {
                    clear(tx, login)?;
                    audit::append(tx, event(now, login, "clerk.login", login, "ok"))
                })?;
                Ok(LoginAttempt::Accepted(clerk))
            }
            Err(StoreError::BadCredentials) => {
                let failures = failures + 1;
                let until = (failures >= MAX_LOGIN_FAILURES)
                    .then(|| now + SignedDuration::from_mins(lockout));
                self.write(|tx| {
                    tx.prepare_cached(
                        "INSERT INTO login_failures (login, failures, last_failed_at, locked_until)
                         VALUES (?1, ?2, ?3, ?4)
                         ON CONFLICT (login) DO UPDATE SET failures = excluded.failures,
                             last_failed_at = excluded.last_failed_at,
                             locked_until = excluded.locked_until",
                    )?
                    .execute(params![
                        login,
                        failures,
                        ts_to_sql(now),
                        until.map(ts_to_sql)
                    ])?;
                    audit::append(
                        tx,
                        event(now, login, "clerk.login", login, "bad_credentials"),
                    )?;
                    if until.is_some() {
                        audit::append(tx, event(now, login, "clerk.locked_out", login, "ok"))?;
                    }
                    Ok(())
                })?;
                Ok(LoginAttempt::Refused {
                    locked_until: until,
                })
            }
            Err(e) => {
                self.write(|tx| {
                    audit::append(tx, event(now, login, "clerk.login", login, "error"))
                })?;
                Err(e)
            }
        }
    }
}
