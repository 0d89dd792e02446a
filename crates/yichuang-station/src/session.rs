//! Who is at the counter: login (with the store's lockout), logout, and the lock a clerk puts
//! on the window when stepping away (or the idle timer does). A locked window keeps who was
//! logged in, but every clerk command refuses until that clerk unlocks with their password or
//! another clerk logs in (换人登录). Drafts are the clerk's own in the store, so a switch
//! neither loses nor mixes anyone's open work.

use jiff::Timestamp;
use serde::Serialize;
use tracing::instrument;
use ts_rs::TS;
use yichuang_core::time;
use yichuang_store::{LoginAttempt, LoginPolicy};

use crate::station::store_error;
use crate::{AppError, ClerkInfo, ErrorKind, Station};

/// The counter's session, kept in memory only: a restart starts at the login screen.
#[derive(Debug, Clone, Default)]
pub(crate) enum Session {
    #[default]
    Out,
    Active(ClerkInfo),
    /// Locked by (or for) this clerk: their work stays, nothing runs until unlocked.
    Locked(ClerkInfo),
}

/// What the window shows: the login screen, the lock screen or the desk.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[ts(export)]
pub enum SessionView {
    LoggedOut,
    Active { clerk: ClerkInfo },
    Locked { clerk: ClerkInfo },
}

/// The login settings as the window and the settings screen see them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, TS)]
#[ts(export)]
pub struct LoginSettings {
    /// Minutes a login name stays locked after 5 failed logins.
    pub lockout_minutes: u32,
    /// Idle minutes after which the window locks itself.
    pub idle_lock_minutes: u32,
}

impl From<LoginPolicy> for LoginSettings {
    fn from(p: LoginPolicy) -> Self {
        LoginSettings {
            lockout_minutes: p.lockout_minutes,
            idle_lock_minutes: p.idle_lock_minutes,
        }
    }
}

fn bad_credentials(locked_until: Option<Timestamp>) -> AppError {
    match locked_until {
        Some(until) => AppError::new(
            ErrorKind::BadCredentials,
            format!(
                "登录失败次数过多，该账号已锁定至 {}，请届时再试或请大厅负责人重置密码",
                time::format_minute(until)
            ),
        ),
        None => AppError::new(ErrorKind::BadCredentials, "工号或密码不正确"),
    }
}

pub(crate) fn locked_error(clerk: &ClerkInfo) -> AppError {
    AppError::new(
        ErrorKind::Locked,
        format!(
            "窗口已锁定，请{}输入密码解锁，或换人登录",
            clerk.display_name
        ),
    )
}

impl Station {
    fn set_session(&self, session: Session) {
        *self.session.lock().unwrap_or_else(|p| p.into_inner()) = session;
    }

    fn current_session(&self) -> Session {
        self.session
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    fn check_password(&self, login: &str, password: &str) -> Result<ClerkInfo, AppError> {
        let attempt = self
            .lock()
            .attempt_login(login, password, Timestamp::now())
            .map_err(store_error)?;
        match attempt {
            LoginAttempt::Accepted(c) => Ok(ClerkInfo::new(c.login, c.display_name, c.role)),
            LoginAttempt::Refused { locked_until } => Err(bad_credentials(locked_until)),
        }
    }

    /// Logs a clerk in (also 换人登录 from a locked window: the locked clerk's drafts stay
    /// theirs). Five failures lock the login name for the station's set time.
    #[instrument(skip_all, err)]
    pub fn login(&self, login: &str, password: &str) -> Result<ClerkInfo, AppError> {
        let info = self.check_password(login, password)?;
        self.set_session(Session::Active(info.clone()));
        Ok(info)
    }

    /// Locks the window for the clerk logged in (by hand, Ctrl+L, or the idle timer).
    /// Locking a locked window, or one nobody is logged into, changes nothing.
    pub fn lock_session(&self) -> SessionView {
        let mut session = self.session.lock().unwrap_or_else(|p| p.into_inner());
        let locked = match &*session {
            Session::Active(clerk) => Some(clerk.login.clone()),
            _ => None,
        };
        if let Session::Active(clerk) = &*session {
            *session = Session::Locked(clerk.clone());
        }
        drop(session);
        if let Some(login) = locked {
            self.audit_session(&login, "session.locked");
        }
        self.session_view()
    }

    /// Records who locked or left the counter (the unlock is audited as a login attempt).
    /// A failed write never keeps the window from locking: it is logged and the lock stands.
    fn audit_session(&self, login: &str, event: &str) {
        if let Err(e) = self.lock().audit(login, event, login, "ok") {
            tracing::warn!(error = %e, event, "session event not audited");
        }
    }

    /// Unlocks the window with the password of the clerk who locked it.
    #[instrument(skip_all, err)]
    pub fn unlock(&self, password: &str) -> Result<ClerkInfo, AppError> {
        // An active session is checked too: a window that showed its lock screen a moment
        // before Rust locked still wants this clerk's password.
        let locked = match self.current_session() {
            Session::Locked(clerk) | Session::Active(clerk) => clerk,
            Session::Out => {
                return Err(AppError::new(ErrorKind::NotLoggedIn, "请先登录"));
            }
        };
        let info = self.check_password(&locked.login, password)?;
        self.set_session(Session::Active(info.clone()));
        Ok(info)
    }

    pub fn logout(&self) {
        let leaving = match self.current_session() {
            Session::Active(clerk) | Session::Locked(clerk) => Some(clerk.login),
            Session::Out => None,
        };
        self.set_session(Session::Out);
        if let Some(login) = leaving {
            self.audit_session(&login, "session.logout");
        }
    }

    /// Who is at the counter, for the window's phase (login, lock screen, desk).
    pub fn session_view(&self) -> SessionView {
        match self.current_session() {
            Session::Out => SessionView::LoggedOut,
            Session::Active(clerk) => SessionView::Active { clerk },
            Session::Locked(clerk) => SessionView::Locked { clerk },
        }
    }

    /// The login settings (the window's idle timer needs them once a clerk is logged in).
    pub fn login_settings(&self) -> Result<LoginSettings, AppError> {
        self.clerk()?;
        Ok(self.lock().login_policy().map_err(store_error)?.into())
    }

    /// Changes the login settings (hall manager only).
    #[instrument(skip_all, err)]
    pub fn set_login_settings(&self, settings: LoginSettings) -> Result<LoginSettings, AppError> {
        let manager = self.manager()?;
        let policy = LoginPolicy {
            lockout_minutes: settings.lockout_minutes,
            idle_lock_minutes: settings.idle_lock_minutes,
        };
        let issues: Vec<_> = policy
            .problems()
            .into_iter()
            .map(|(field, message)| yichuang_core::Issue::error(field, "out_of_range", message))
            .collect();
        if !issues.is_empty() {
            return Err(AppError::invalid(issues));
        }
        self.lock()
            .set_login_policy(policy, &manager.login)
            .map_err(store_error)?;
        Ok(settings)
    }
}
