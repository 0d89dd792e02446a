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
