//! The accounts screen's work, hall manager only: list the station's accounts, add a local
//! clerk, deactivate or reactivate one, reset its password. District accounts arrive with
//! sync (Argon2id hashes, usable offline) and are changed at the district.

use serde::{Deserialize, Serialize};
use tracing::instrument;
use ts_rs::TS;
use yichuang_core::{Issue, Role};
use yichuang_store::{Account, StoreError, display_name_problem, login_problem, password_problem};

use crate::station::store_error;
use crate::{AppError, ErrorKind, Station};

/// One account as the accounts screen lists it.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct AccountRow {
    pub login: String,
    pub display_name: String,
    pub role: Role,
    /// 窗口人员 / 大厅负责人.
    pub role_label: String,
    pub active: bool,
    /// 在用 / 已停用.
    pub status_label: String,
    /// Added at this station: the hall manager may deactivate it and reset its password.
    pub local: bool,
    /// 本站添加 / 区级同步.
    pub source_label: String,
    /// The account of the hall manager looking at the list (never deactivated by themselves).
    pub is_you: bool,
}

impl From<Account> for AccountRow {
    fn from(a: Account) -> Self {
        AccountRow {
            role_label: a.role.label().to_string(),
            status_label: if a.active { "在用" } else { "已停用" }.to_string(),
            source_label: if a.local {
                "本站添加"
            } else {
                "区级同步"
            }
            .to_string(),
            login: a.login,
            display_name: a.display_name,
            role: a.role,
            active: a.active,
            local: a.local,
            is_you: false,
        }
    }
}

/// The add-a-clerk form.
#[derive(Debug, Clone, Deserialize, TS)]
#[ts(export)]
pub struct NewClerkForm {
    pub login: String,
    pub display_name: String,
    pub password: String,
    pub role: Role,
}

impl NewClerkForm {
    /// Every problem the store would refuse, beside its field.
    pub fn issues(&self) -> Vec<Issue> {
        [
            ("login", login_problem(&self.login)),
            ("display_name", display_name_problem(&self.display_name)),
            ("password", password_problem(&self.password)),
        ]
        .into_iter()
        .filter_map(|(field, problem)| problem.map(|m| Issue::error(field, "invalid", m)))
        .collect()
    }
}

impl Station {
    /// Every account of the station, active ones first.
    pub fn accounts(&self) -> Result<Vec<AccountRow>, AppError> {
        let manager = self.manager()?;
        let accounts = self.lock().accounts().map_err(store_error)?;
        Ok(accounts
            .into_iter()
            .map(|a| AccountRow {
                is_you: a.login == manager.login,
                ..AccountRow::from(a)
            })
            .collect())
    }

    fn account(&self, login: &str) -> Result<Option<AccountRow>, AppError> {
        let accounts = self.lock().accounts().map_err(store_error)?;
        Ok(accounts
            .into_iter()
            .find(|a| a.login == login.trim())
            .map(AccountRow::from))
    }

    /// Adds a local account. Sent twice (a double click), it answers the account the first
    /// call added instead of a second one or an error.
    #[instrument(skip_all, err)]
    pub fn add_local_clerk(&self, form: &NewClerkForm) -> Result<AccountRow, AppError> {
        let manager = self.manager()?;
        let issues = form.issues();
        if !issues.is_empty() {
            return Err(AppError::invalid(issues));
        }
        let added = self.lock().add_local_account(
            &form.login,
            &form.display_name,
            &form.password,
            form.role,
            &manager.login,
        );
        match added {
            Ok(_) => {}
            Err(StoreError::ClerkExists { .. }) => {
                let same = self.account(&form.login)?.filter(|a| {
                    a.local && a.display_name == form.display_name.trim() && a.role == form.role
                });
                return same.ok_or_else(|| {
                    AppError::invalid(vec![Issue::error(
                        "login",
                        "exists",
                        "该工号已有账号，请换一个工号",
                    )])
                });
            }
            Err(e) => return Err(store_error(e)),
        }
        self.account(&form.login)?
            .ok_or_else(|| AppError::new(ErrorKind::Internal, "新账号未能读回"))
    }

    /// Deactivates or reactivates a local account (not one's own).
    #[instrument(skip_all, fields(active), err)]
    pub fn set_clerk_active(&self, login: &str, active: bool) -> Result<AccountRow, AppError> {
        let manager = self.manager()?;
        if !active && login.trim() == manager.login {
            return Err(AppError::new(
                ErrorKind::InvalidInput,
                "不能停用自己正在使用的账号",
            ));
        }
        self.lock()
            .set_account_active(login, active, &manager.login)
            .map_err(store_error)?;
        self.account(login)?
            .ok_or_else(|| AppError::new(ErrorKind::InvalidInput, "没有该账号"))
    }

    /// Sets a new password on a local account and lifts its lockout.
    #[instrument(skip_all, err)]
    pub fn reset_clerk_password(&self, login: &str, password: &str) -> Result<(), AppError> {
        let manager = self.manager()?;
        if let Some(m) = password_problem(password) {
            return Err(AppError::invalid(vec![Issue::error(
                "password", "invalid", m,
            )]));
        }
        self.lock()
            .reset_local_password(login, password, &manager.login)
            .map_err(store_error)
    }
}
