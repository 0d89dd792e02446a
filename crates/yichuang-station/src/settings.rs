//! The settings screen's engine: the station's name, counter, phone and address (checked field
//! by field, audited), the evaluation channel codes, and each clerk's own preferences (large
//! text, language). Station settings are the hall manager's; preferences are every clerk's own.
//! The papers read the station's settings fresh each time, so a change prints at once.

use tracing::instrument;
use yichuang_core::Issue;
use yichuang_print::DEFAULT_CONSULT_PHONE;
use yichuang_store::{ClerkPrefs, LOCALES, StationProfile, StationSettings};

use crate::settings_views::{
    ClerkPrefsForm, ClerkPrefsView, EvaluationCodes, LocaleChoice, StationForm, StationSettingsView,
};
use crate::station::store_error;
use crate::{AppError, Station};

/// Longest station name and address line a paper's header prints on one line.
pub const MAX_STATION_NAME_CHARS: usize = 40;
pub const MAX_ADDRESS_CHARS: usize = 80;

/// What a paper needs of the station, read at render time.
pub(crate) struct PaperStation {
    pub settings: StationSettings,
    /// The phone printed for questions (the station's, else the 12345 hotline).
    pub phone: String,
    /// The channel code in the papers' evaluation QR codes.
    pub qr_channel: String,
}

fn printed_phone(phone: &str) -> String {
    if phone.trim().is_empty() {
        DEFAULT_CONSULT_PHONE.to_string()
    } else {
        phone.trim().to_string()
    }
}

/// A phone a citizen can dial: a mobile, a landline with area code and extension, or a short
/// hotline; digits with `-`, spaces, brackets, `+` and `转`.
fn phone_problem(phone: &str) -> Option<String> {
    let allowed = |c: char| c.is_ascii_digit() || " -()（）+转".contains(c);
    if phone.chars().any(|c| !allowed(c)) {
        return Some("电话只能包含数字、“-”、括号和“转”，例如 0755-12345678".into());
    }
    let digits = phone.chars().filter(char::is_ascii_digit).count();
    if !(5..=20).contains(&digits) {
        return Some("电话号码应有 5 至 20 位数字，例如 0755-12345678".into());
    }
    None
}

impl Station {
    /// The station's settings as they are stored now (the papers use these).
    pub(crate) fn paper_station(&self) -> Result<PaperStation, AppError> {
        let store = self.lock();
        Ok(PaperStation {
            settings: store.settings().map_err(store_error)?,
            phone: printed_phone(&store.station_profile().map_err(store_error)?.phone),
            qr_channel: store.qr_channel().map_err(store_error)?,
        })
    }

    /// The station's settings; any clerk may look, only a hall manager may change them.
    pub fn station_settings(&self) -> Result<StationSettingsView, AppError> {
        let clerk = self.clerk()?;
        let store = self.lock();
        let s = store.settings().map_err(store_error)?;
        let p = store.station_profile().map_err(store_error)?;
        Ok(StationSettingsView {
            station_code: s.station_code.as_str().to_string(),
            region_code: s.region_code,
            printed_phone: printed_phone(&p.phone),
            station_name: p.station_name,
            counter: p.counter,
            phone: p.phone,
            address: p.address,
            editable: clerk.role.is_manager(),
        })
    }

    /// Per-field problems of a station form (`station_name`, `counter`, `phone`, `address`),
    /// including characters the slip font cannot print.
    pub fn check_station_form(&self, form: &StationForm) -> Vec<Issue> {
        let mut issues = Vec::new();
        let name = form.station_name.trim();
        let n = name.chars().count();
        if n == 0 {
            issues.push(Issue::error("station_name", "required", "请填写站点名称"));
        } else if n > MAX_STATION_NAME_CHARS {
            issues.push(Issue::error(
                "station_name",
                "too_long",
                format!("站点名称最多 {MAX_STATION_NAME_CHARS} 个字"),
            ));
        }
        match form.counter.trim().parse::<u8>() {
            Ok(c) if (1..=99).contains(&c) => {}
            _ => issues.push(Issue::error(
                "counter",
                "range",
                "窗口号须为 1 至 99 的整数",
            )),
        }
        let phone = form.phone.trim();
        if let Some(problem) = (!phone.is_empty()).then(|| phone_problem(phone)).flatten() {
            issues.push(Issue::error("phone", "format", problem));
        }
        let address = form.address.trim();
        if address.chars().count() > MAX_ADDRESS_CHARS {
            issues.push(Issue::error(
                "address",
                "too_long",
                format!("地址最多 {MAX_ADDRESS_CHARS} 个字"),
            ));
        }
        for (field, text) in [("station_name", name), ("address", address)] {
            if text.chars().any(char::is_control) {
                issues.push(Issue::error(field, "one_line", "请写在一行内，不要换行"));
                continue;
            }
            let missing = self.font.missing_chars(text);
            if !missing.is_empty() {
                let chars: String = missing.iter().map(|c| format!("“{c}”")).collect();
                issues.push(Issue::error(
                    field,
                    "unprintable",
                    format!("{chars} 无法用回执字体打印，请改用常用字"),
                ));
            }
        }
        issues
    }

    /// Saves the station's name, counter, phone and address (hall manager only). Case numbers
    /// made after this use the new counter; papers print the new name and phone at once.
    #[instrument(skip_all, err)]
    pub fn set_station_settings(
        &self,
        form: &StationForm,
    ) -> Result<StationSettingsView, AppError> {
        let clerk = self.manager()?;
        let issues = self.check_station_form(form);
        if !issues.is_empty() {
            return Err(AppError::invalid(issues));
        }
        let profile = StationProfile {
            station_name: form.station_name.trim().to_string(),
            counter: form.counter.trim().parse().unwrap_or(1),
            phone: form.phone.trim().to_string(),
            address: form.address.trim().to_string(),
        };
        self.lock()
            .set_station_profile(&profile, &clerk.login)
            .map_err(store_error)?;
        self.station_settings()
    }

    /// The evaluation channel codes (hall manager only).
    pub fn evaluation_codes(&self) -> Result<EvaluationCodes, AppError> {
        self.manager()?;
        let store = self.lock();
        Ok(EvaluationCodes {
            pad_channel: store.pad_channel().map_err(store_error)?,
            qr_channel: store.qr_channel().map_err(store_error)?,
        })
    }

    /// Changes the evaluation channel codes (empty: back to `pad` / `qr`). Audited per code.
    #[instrument(skip_all, err)]
    pub fn set_evaluation_codes(
        &self,
        codes: &EvaluationCodes,
    ) -> Result<EvaluationCodes, AppError> {
        let clerk = self.manager()?;
        let mut issues = Vec::new();
        for (field, code) in [
            ("pad_channel", &codes.pad_channel),
            ("qr_channel", &codes.qr_channel),
        ] {
            let code = code.trim();
            if code.len() > yichuang_core::evaluation::MAX_CHANNEL_LEN
                || code
                    .chars()
                    .any(|c| !(c.is_ascii_alphanumeric() || "-_.".contains(c)))
            {
                issues.push(Issue::error(
                    field,
                    "format",
                    format!(
                        "渠道代码为 1–{} 个字母、数字或“-_.”，例如 pad、3",
                        yichuang_core::evaluation::MAX_CHANNEL_LEN
                    ),
                ));
            }
        }
        if !issues.is_empty() {
            return Err(AppError::invalid(issues));
        }
        {
            let mut store = self.lock();
            let now = (
                store.pad_channel().map_err(store_error)?,
                store.qr_channel().map_err(store_error)?,
            );
            if now.0 != codes.pad_channel.trim() {
                store
                    .set_pad_channel(&codes.pad_channel, &clerk.login)
                    .map_err(store_error)?;
            }
            if now.1 != codes.qr_channel.trim() {
                store
                    .set_qr_channel(&codes.qr_channel, &clerk.login)
                    .map_err(store_error)?;
            }
        }
        self.evaluation_codes()
    }

    /// The lockout and auto-lock minutes as the settings screen shows them (hall manager only;
    /// the login screen reads them through `login_settings`, before anyone is logged in).
    pub fn login_policy(&self) -> Result<crate::LoginSettings, AppError> {
        self.manager()?;
        self.login_settings()
    }

    /// The logged-in clerk's own preferences (any clerk).
    pub fn clerk_prefs(&self) -> Result<ClerkPrefsView, AppError> {
        let clerk = self.clerk()?;
        let prefs = self.lock().clerk_prefs(&clerk.login).map_err(store_error)?;
        Ok(prefs_view(prefs))
    }

    /// Saves the logged-in clerk's own preferences (any clerk, only their own).
    #[instrument(skip_all, err)]
    pub fn set_clerk_prefs(&self, form: &ClerkPrefsForm) -> Result<ClerkPrefsView, AppError> {
        let clerk = self.clerk()?;
        if !LOCALES.contains(&form.locale.as_str()) {
            return Err(AppError::invalid(vec![Issue::error(
                "locale",
                "unknown",
                "界面语言只能是中文或 English",
            )]));
        }
        let prefs = ClerkPrefs {
            large_text: form.large_text,
            locale: form.locale.clone(),
        };
        self.lock()
            .set_clerk_prefs(&clerk.login, &prefs)
            .map_err(store_error)?;
        self.clerk_prefs()
    }
}

fn prefs_view(p: ClerkPrefs) -> ClerkPrefsView {
    ClerkPrefsView {
        large_text: p.large_text,
        locale: p.locale,
        locales: LOCALES
            .iter()
            .map(|code| LocaleChoice {
                code: (*code).to_string(),
                label: if *code == "zh" { "中文" } else { "English" }.into(),
            })
            .collect(),
    }
}
