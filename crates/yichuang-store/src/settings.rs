//! Station settings (code, counter, district endpoint, evaluation key) as key/value rows.

use std::collections::HashMap;
use std::fmt;

use rusqlite::{Connection, Transaction, params};
use yichuang_core::StationCode;

use crate::{Result, StoreError};

/// The station's configuration as the app needs it.
#[derive(Clone, PartialEq, Eq)]
pub struct StationSettings {
    pub station_code: StationCode,
    pub station_name: String,
    /// Counter (window) number at the station, 1..=99; part of provisional case numbers.
    pub counter: u8,
    pub region_code: String,
    pub district_url: String,
    /// The district's evaluation (好差评) page: the URL the slips' QR codes point at.
    pub evaluation_base_url: String,
}

impl fmt::Debug for StationSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StationSettings")
            .field("station_code", &self.station_code)
            .field("station_name", &self.station_name)
            .field("counter", &self.counter)
            .field("region_code", &self.region_code)
            .field("district_url", &self.district_url)
            .field("evaluation_base_url", &self.evaluation_base_url)
            .finish()
    }
}

pub(crate) fn put(tx: &Transaction<'_>, key: &str, value: &str) -> Result<()> {
    tx.execute(
        "INSERT INTO settings (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        params![key, value],
    )?;
    Ok(())
}

pub(crate) fn write_all(tx: &Transaction<'_>, s: &StationSettings) -> Result<()> {
    let counter = s.counter.to_string();
    for (k, v) in [
        ("station_code", s.station_code.as_str()),
        ("station_name", &s.station_name),
        ("counter", &counter),
        ("region_code", &s.region_code),
        ("district_url", &s.district_url),
        ("evaluation_base_url", &s.evaluation_base_url),
    ] {
        put(tx, k, v)?;
    }
    Ok(())
}

pub(crate) fn read(conn: &Connection) -> Result<StationSettings> {
    let mut stmt = conn.prepare_cached("SELECT key, value FROM settings")?;
    let map: HashMap<String, String> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let get = |k: &str| {
        map.get(k)
            .cloned()
            .ok_or_else(|| StoreError::Corrupt(format!("站点设置缺少 {k}")))
    };
    let counter = get("counter")?;
    Ok(StationSettings {
        station_code: StationCode::try_from(get("station_code")?)?,
        station_name: get("station_name")?,
        counter: counter
            .parse()
            .map_err(|_| StoreError::Corrupt(format!("窗口号“{counter}”无效")))?,
        region_code: get("region_code")?,
        district_url: get("district_url")?,
        evaluation_base_url: get("evaluation_base_url")?,
    })
}

/// The district station code and counter, as accept_case needs them inside its transaction.
pub(crate) fn station_and_counter(conn: &Connection) -> Result<(StationCode, u8)> {
    let s = read(conn)?;
    Ok((s.station_code, s.counter))
}

/// What the hall manager edits about the station besides its code and region (which the
/// district assigned and only a new set-up changes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StationProfile {
    pub station_name: String,
    pub counter: u8,
    /// The phone printed on the papers for questions; empty: the national 12345 hotline.
    pub phone: String,
    /// The station's address line; empty when not set.
    pub address: String,
}

const PHONE_KEY: &str = "station.phone";
const ADDRESS_KEY: &str = "station.address";

/// An optional setting's value, trimmed; `None` when unset or empty.
pub(crate) fn get(conn: &Connection, key: &str) -> Result<Option<String>> {
    use rusqlite::OptionalExtension;
    Ok(conn
        .prepare_cached("SELECT value FROM settings WHERE key = ?1")?
        .query_row([key], |r| r.get::<_, String>(0))
        .optional()?
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty()))
}

impl crate::Store {
    /// The station's editable profile (name, counter, phone, address), as stored now.
    pub fn station_profile(&self) -> Result<StationProfile> {
        let s = read(&self.conn)?;
        Ok(StationProfile {
            station_name: s.station_name,
            counter: s.counter,
            phone: get(&self.conn, PHONE_KEY)?.unwrap_or_default(),
            address: get(&self.conn, ADDRESS_KEY)?.unwrap_or_default(),
        })
    }

    /// Saves the station's profile (checked by the caller field by field; the store refuses
    /// only what would corrupt the settings). Audited as `settings.station_changed` with the
    /// fields that changed (the phone is the station's, not a person's).
    #[tracing::instrument(skip_all, err)]
    pub fn set_station_profile(&mut self, p: &StationProfile, actor: &str) -> Result<()> {
        let name = p.station_name.trim();
        if name.is_empty() || !(1..=99).contains(&p.counter) {
            return Err(StoreError::InvalidInput(
                "站点名称不能为空，窗口号须为 1 至 99".into(),
            ));
        }
        let before = self.station_profile()?;
        let mut changed = Vec::new();
        if before.station_name != name {
            changed.push("station_name");
        }
        if before.counter != p.counter {
            changed.push("counter");
        }
        if before.phone != p.phone.trim() {
            changed.push("phone");
        }
        if before.address != p.address.trim() {
            changed.push("address");
        }
        if changed.is_empty() {
            return Ok(());
        }
        let what = changed.join(",");
        let counter = p.counter.to_string();
        self.write(|tx| {
            put(tx, "station_name", name)?;
            put(tx, "counter", &counter)?;
            put(tx, PHONE_KEY, p.phone.trim())?;
            put(tx, ADDRESS_KEY, p.address.trim())?;
            crate::audit::append(
                tx,
                crate::facade::event(
                    jiff::Timestamp::now(),
                    actor.trim(),
                    "settings.station_changed",
                    &what,
                    "ok",
                ),
            )
        })
    }
}

/// A clerk's own preferences, kept per login (any clerk sets their own).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClerkPrefs {
    /// Larger text in the whole window (the root font size is scaled).
    pub large_text: bool,
    /// The window's language: `zh` or `en`.
    pub locale: String,
}

/// The window languages a clerk can pick.
pub const LOCALES: [&str; 2] = ["zh", "en"];

fn pref_key(login: &str, name: &str) -> String {
    format!("prefs.{}.{name}", login.trim())
}

impl crate::Store {
    /// `login`'s preferences; Chinese and normal text when unset.
    pub fn clerk_prefs(&self, login: &str) -> Result<ClerkPrefs> {
        let large_text = get(&self.conn, &pref_key(login, "large_text"))?;
        let locale = get(&self.conn, &pref_key(login, "locale"))?
            .filter(|l| LOCALES.contains(&l.as_str()))
            .unwrap_or_else(|| "zh".into());
        Ok(ClerkPrefs {
            large_text: large_text.as_deref() == Some("1"),
            locale,
        })
    }

    /// Saves `login`'s own preferences. Audited as `settings.prefs_changed`.
    #[tracing::instrument(skip_all, err)]
    pub fn set_clerk_prefs(&mut self, login: &str, prefs: &ClerkPrefs) -> Result<()> {
        let login = login.trim();
        if login.is_empty() {
            return Err(StoreError::InvalidInput("请先登录".into()));
        }
        if !LOCALES.contains(&prefs.locale.as_str()) {
            return Err(StoreError::InvalidInput(
                "界面语言只能是中文或 English".into(),
            ));
        }
        let what = format!(
            "large_text={} locale={}",
            u8::from(prefs.large_text),
            prefs.locale
        );
        self.write(|tx| {
            put(
                tx,
                &pref_key(login, "large_text"),
                if prefs.large_text { "1" } else { "0" },
            )?;
            put(tx, &pref_key(login, "locale"), &prefs.locale)?;
            crate::audit::append(
                tx,
                crate::facade::event(
                    jiff::Timestamp::now(),
                    login,
                    "settings.prefs_changed",
                    &what,
                    "ok",
                ),
            )
        })
    }
}
