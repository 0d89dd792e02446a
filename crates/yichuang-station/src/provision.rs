//! Setting a station up on first start, and where its files live.

use std::path::PathBuf;

use serde::Deserialize;
use ts_rs::TS;
use yichuang_core::{Catalogue, CreditList, HolidayCalendar, StationCode};

use crate::{AppError, ErrorKind};

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

    pub(crate) fn check(&self) -> Result<(), AppError> {
        let bad = |m: &str| Err(AppError::new(ErrorKind::InvalidInput, m));
        if self.station_name.trim().is_empty() {
            return bad("请填写站点名称");
        }
        if !(1..=99).contains(&self.counter) {
            return bad("窗口号应在 1 到 99 之间");
        }
        if !self.district_url.starts_with("http://") && !self.district_url.starts_with("https://") {
            return bad("区级系统地址应以 https:// 开头");
        }
        if self.recovery_passphrase.chars().count() < 8 {
            return bad("恢复口令至少 8 个字符");
        }
        if self.clerk_login.trim().is_empty()
            || self.clerk_name.trim().is_empty()
            || self.clerk_password.chars().count() < yichuang_store::MIN_PASSWORD_CHARS
        {
            return bad("请填写第一个账号的工号、姓名和至少 8 位的密码");
        }
        Ok(())
    }
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
