//! Setting a station up on first start, and where its files live.

use std::path::PathBuf;

use serde::Deserialize;
use ts_rs::TS;
use yichuang_core::{Catalogue, CreditList, HolidayCalendar, Issue, StationCode};
use yichuang_store::{MIN_PASSPHRASE_CHARS, display_name_problem, login_problem, password_problem};

use tracing::instrument;
use yichuang_store::{ProvisionInput, Store};

use crate::station::{paths, store_error};
use crate::{AppError, ErrorKind, Station};

/// Where the station keeps its data, and under which keyring service its key lives.
#[derive(Debug, Clone)]
pub struct StationConfig {
    pub data_dir: PathBuf,
    pub keyring_service: String,
}

/// The first-start form filled in by the hall manager.
#[derive(Debug, Clone, Deserialize, TS)]
#[ts(export)]
pub struct ProvisionForm {
    pub station_code: String,
    pub station_name: String,
    pub counter: u8,
    pub region_code: String,
    pub district_url: String,
    pub district_token: String,
    pub recovery_passphrase: String,
    pub clerk_login: String,
    pub clerk_name: String,
    pub clerk_password: String,
}

impl ProvisionForm {
    pub(crate) fn station_code(&self) -> Result<StationCode, AppError> {
        StationCode::try_from(self.station_code.trim().to_string())
            .map_err(|e| AppError::new(ErrorKind::InvalidInput, e.to_string()))
    }

    /// Every problem the store would refuse, each beside its field (the form's field names),
    /// found before anything is created: a station is set up whole or not at all.
    pub fn issues(&self) -> Vec<Issue> {
        let mut issues = Vec::new();
        let mut bad = |field: &str, message: String| {
            issues.push(Issue::error(field, "invalid", message));
        };
        if let Err(e) = self.station_code() {
            bad("station_code", e.message);
        }
        let name_chars = self.station_name.trim().chars().count();
        if name_chars == 0 || name_chars > 100 {
            bad("station_name", "请填写站点名称（最多 100 个字）".into());
        }
        if !(1..=99).contains(&self.counter) {
            bad("counter", "窗口号须在 1 至 99 之间".into());
        }
        let region = self.region_code.trim();
        if region.len() != 6 || !region.chars().all(|c| c.is_ascii_digit()) {
            bad("region_code", "行政区划代码应为 6 位数字".into());
        }
        if !is_http_url(self.district_url.trim()) {
            bad(
                "district_url",
                "区级系统地址应以 https:// 或 http:// 开头，后接主机名".into(),
            );
        }
        if self.recovery_passphrase.chars().count() < MIN_PASSPHRASE_CHARS {
            bad(
                "recovery_passphrase",
                format!("恢复口令至少需要 {MIN_PASSPHRASE_CHARS} 个字符"),
            );
        }
        if let Some(m) = login_problem(&self.clerk_login) {
            bad("clerk_login", m);
        }
        if let Some(m) = display_name_problem(&self.clerk_name) {
            bad("clerk_name", m);
        }
        if let Some(m) = password_problem(&self.clerk_password) {
            bad("clerk_password", m);
        }
        issues
    }

    /// [`ProvisionForm::issues`] as the error the form shows, or nothing.
    pub(crate) fn check(&self) -> Result<(), AppError> {
        let issues = self.issues();
        if issues.is_empty() {
            Ok(())
        } else {
            Err(AppError::invalid(issues))
        }
    }
}

fn is_http_url(url: &str) -> bool {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    rest.is_some_and(|rest| {
        let host = rest.split(['/', '?', '#']).next().unwrap_or("");
        !host.is_empty() && !rest.chars().any(char::is_whitespace)
    })
}

impl Station {
    /// First start: makes the database and its key, the recovery copy and the first hall
    /// manager, together or not at all. Every field is checked before anything is created;
    /// if a step still fails once the file exists, the new station is removed again
    /// (database, recovery copy, keyring entries) so a second attempt starts clean.
    #[instrument(skip_all, err)]
    pub fn provision(config: &StationConfig, form: ProvisionForm) -> Result<Station, AppError> {
        Station::provision_then(config, form, |_| Ok(()))
    }

    /// [`Station::provision`] with one more step before the station is handed out (tests use
    /// it to prove that a late failure leaves nothing behind).
    pub(crate) fn provision_then(
        config: &StationConfig,
        form: ProvisionForm,
        last_step: impl FnOnce(&mut Store) -> Result<(), AppError>,
    ) -> Result<Station, AppError> {
        form.check()?;
        let (paths, keyring) = paths(config);
        let input = ProvisionInput {
            station_code: form.station_code()?,
            station_name: form.station_name.trim().to_string(),
            counter: form.counter,
            region_code: form.region_code.trim().to_string(),
            district_url: form.district_url.trim().to_string(),
            district_token: form.district_token.trim().to_string(),
            evaluation_base_url: format!("{}/hcp", form.district_url.trim().trim_end_matches('/')),
            recovery_passphrase: form.recovery_passphrase.clone(),
        };
        let mut store = Store::provision(&paths, &keyring, input).map_err(store_error)?;
        match fill_new_station(&mut store, &form).and_then(|()| last_step(&mut store)) {
            Ok(()) => Station::from_store(config, store),
            Err(e) => {
                if let Err(undo) = store.discard_new_station() {
                    tracing::error!(error = %undo, "an unfinished provisioning could not be undone");
                }
                Err(e)
            }
        }
    }
}

/// The first hall manager and the shipped reference data of a station just created.
fn fill_new_station(store: &mut Store, form: &ProvisionForm) -> Result<(), AppError> {
    store
        .add_account(
            form.clerk_login.trim(),
            form.clerk_name.trim(),
            &form.clerk_password,
            yichuang_core::Role::HallManager,
        )
        .map_err(store_error)?;
    store
        .import_catalogue(&shipped_catalogue()?)
        .map_err(store_error)?;
    store
        .import_credit_list(&shipped_credit_list()?)
        .map_err(store_error)?;
    store
        .import_calendar(&shipped_calendar()?)
        .map_err(store_error)?;
    Ok(())
}

/// The catalogue shipped with the app, used until the district sends its own.
pub fn shipped_catalogue() -> Result<Catalogue, AppError> {
    Catalogue::from_json(include_str!("../../../assets/demo/catalogue.json"))
        .map_err(|e| AppError::new(ErrorKind::Internal, format!("内置事项目录无法读取：{e}")))
}

/// The demo 信用红黑名单 shipped with the app, used until the district sends its own.
pub fn shipped_credit_list() -> Result<CreditList, AppError> {
    CreditList::from_json(include_str!("../../../assets/demo/credit-list.json")).map_err(|e| {
        AppError::new(
            ErrorKind::Internal,
            format!("内置信用红黑名单无法读取：{e}"),
        )
    })
}

/// The holiday calendar shipped with the app, used until the district sends its own.
pub fn shipped_calendar() -> Result<HolidayCalendar, AppError> {
    HolidayCalendar::from_json(include_str!("../../../assets/calendar/holidays.json"))
        .map_err(|e| AppError::new(ErrorKind::Internal, format!("内置节假日日历无法读取：{e}")))
}
