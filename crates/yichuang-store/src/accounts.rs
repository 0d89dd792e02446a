//! The station's accounts as a hall manager manages them: the list, local clerks added at the
//! station, their deactivation and password reset. District accounts are the district's to
//! change (the next account sync would undo a local edit), so only local ones are edited here.

use jiff::Timestamp;
use rusqlite::{OptionalExtension, params};
use tracing::instrument;
use yichuang_core::Role;

use crate::facade::event;
use crate::timefmt::ts_from_sql;
use crate::{Clerk, Result, Store, StoreError, audit, clerks, lockout};

/// One account as the accounts screen lists it (never the hash).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub login: String,
    pub display_name: String,
    pub role: Role,
    pub active: bool,
    /// Added at this station (true) or synced from the district (false).
    pub local: bool,
    pub created_at: Timestamp,
}

fn not_local(login: &str) -> StoreError {
    StoreError::InvalidInput(format!(
        "账号“{login}”由区级系统统一管理，请在区级系统中修改"
    ))
}

impl Store {
    /// Every account, active ones first, then by login.
    pub fn accounts(&self) -> Result<Vec<Account>> {
        let mut stmt = self.conn.prepare(
            "SELECT login, display_name, role, active, source, created_at FROM clerks
             ORDER BY active DESC, login",
        )?;
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, bool>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, String>(5)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows.into_iter()
            .map(|(login, display_name, role, active, source, created)| {
                Ok(Account {
                    role: Role::from_code(&role).ok_or_else(|| {
                        StoreError::Corrupt(format!("账号的角色“{role}”无法识别"))
                    })?,
                    login,
                    display_name,
                    active,
                    local: source == "local",
                    created_at: ts_from_sql(&created)?,
                })
            })
            .collect()
    }

    /// Adds a local account added at the station by `actor` (audited as theirs).
    #[instrument(skip_all, err)]
    pub fn add_local_account(
        &mut self,
        login: &str,
        display_name: &str,
        password: &str,
        role: Role,
        actor: &str,
    ) -> Result<Clerk> {
        let now = Timestamp::now();
        self.write(|tx| {
            let clerk = clerks::insert(tx, login, display_name, password, role, now)?;
            audit::append(tx, event(now, actor, "clerk.added", &clerk.login, "ok"))?;
            Ok(clerk)
        })
    }

    /// Deactivates or reactivates a local account. The last active hall manager stays.
    #[instrument(skip_all, fields(active), err)]
    pub fn set_account_active(&mut self, login: &str, active: bool, actor: &str) -> Result<()> {
        let login = login.trim();
        let now = Timestamp::now();
        self.write(|tx| {
            let row: Option<(String, String)> = tx
                .query_row(
                    "SELECT source, role FROM clerks WHERE login = ?1",
                    [login],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?;
            let Some((source, role)) = row else {
                return Err(StoreError::InvalidInput(format!("没有账号“{login}”")));
            };
            if source != "local" {
                return Err(not_local(login));
            }
            if !active && role == Role::HallManager.code() {
                let others: i64 = tx.query_row(
                    "SELECT count(*) FROM clerks WHERE active = 1 AND role = ?1 AND login <> ?2",
                    params![Role::HallManager.code(), login],
                    |r| r.get(0),
                )?;
                if others == 0 {
                    return Err(StoreError::InvalidInput(
                        "这是本站唯一可用的大厅负责人账号，不能停用".into(),
                    ));
                }
            }
            tx.execute(
                "UPDATE clerks SET active = ?2 WHERE login = ?1",
                params![login, active],
            )?;
            let what = if active {
                "clerk.reactivated"
            } else {
                "clerk.deactivated"
            };
            audit::append(tx, event(now, actor, what, login, "ok"))
        })
    }

    /// Sets a new password on a local account and lifts its lockout.
    #[instrument(skip_all, err)]
    pub fn reset_local_password(&mut self, login: &str, password: &str, actor: &str) -> Result<()> {
        let login = login.trim();
        if let Some(message) = clerks::password_problem(password) {
            return Err(StoreError::InvalidInput(message));
        }
        let hash = clerks::hash_password(password)?;
        let now = Timestamp::now();
        self.write(|tx| {
            let source: Option<String> = tx
                .query_row("SELECT source FROM clerks WHERE login = ?1", [login], |r| {
                    r.get(0)
                })
                .optional()?;
            match source.as_deref() {
                None => return Err(StoreError::InvalidInput(format!("没有账号“{login}”"))),
                Some("local") => {}
                Some(_) => return Err(not_local(login)),
            }
            tx.execute(
                "UPDATE clerks SET password_hash = ?2 WHERE login = ?1",
                params![login, hash],
            )?;
            lockout::clear(tx, login)?;
            audit::append(tx, event(now, actor, "clerk.password_reset", login, "ok"))
        })
    }
}
