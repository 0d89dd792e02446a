//! Provisional case numbers (办件编号) made offline, unique per station without coordination.
//!
//! Form: `L{station}-{counter:02}-{yyyymmdd}-{serial:04}`. The station code is assigned by the
//! district, the counter number tells two PCs of one station apart, and the serial is kept
//! in the station database so it survives restarts. After sync the district's official
//! number is kept beside it; both print and both search.

use std::fmt;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::CoreError;

/// A station's code as assigned by the district (letters and digits, 6 to 20 characters).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct StationCode(String);

impl StationCode {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for StationCode {
    type Error = CoreError;
    fn try_from(code: String) -> Result<Self, CoreError> {
        if (6..=20).contains(&code.len()) && code.chars().all(|c| c.is_ascii_alphanumeric()) {
            Ok(Self(code))
        } else {
            Err(CoreError::Format(format!(
                "站点编码“{code}”应为 6 至 20 位字母或数字"
            )))
        }
    }
}

impl From<StationCode> for String {
    fn from(code: StationCode) -> String {
        code.0
    }
}

/// A provisional case number.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct CaseNo(String);

impl CaseNo {
    /// The number for the `serial`-th case (from 1) accepted at `counter` of `station` on `date`.
    pub fn provisional(station: &StationCode, counter: u8, date: Date, serial: u32) -> Self {
        Self(format!(
            "L{}-{:02}-{:04}{:02}{:02}-{:04}",
            station.as_str(),
            counter,
            date.year(),
            date.month(),
            date.day(),
            serial
        ))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Reads back the parts of a provisional number.
    pub fn parse(s: &str) -> Result<(StationCode, u8, Date, u32), CoreError> {
        let bad = || CoreError::Format(format!("“{s}”不是本系统的临时办件编号"));
        let rest = s.strip_prefix('L').ok_or_else(bad)?;
        let parts: Vec<&str> = rest.split('-').collect();
        let [station, counter, date, serial] = parts.as_slice() else {
            return Err(bad());
        };
        let station = StationCode::try_from(station.to_string())?;
        let counter = counter.parse().map_err(|_| bad())?;
        let date = jiff::fmt::strtime::parse("%Y%m%d", date)
            .and_then(|t| t.to_date())
            .map_err(|_| bad())?;
        let serial = serial.parse().map_err(|_| bad())?;
        Ok((station, counter, date, serial))
    }
}

impl fmt::Display for CaseNo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn station() -> StationCode {
        StationCode::try_from("440111001".to_string()).unwrap()
    }

    #[test]
    fn formats_and_parses_back() {
        let date = Date::new(2026, 11, 27).unwrap();
        let no = CaseNo::provisional(&station(), 1, date, 7);
        assert_eq!(no.as_str(), "L440111001-01-20261127-0007");
        assert_eq!(CaseNo::parse(no.as_str()).unwrap(), (station(), 1, date, 7));
    }

    #[test]
    fn differs_by_station_counter_day_and_serial() {
        let date = Date::new(2026, 11, 27).unwrap();
        let other = StationCode::try_from("440111002".to_string()).unwrap();
        let mut seen = std::collections::HashSet::new();
        for st in [station(), other] {
            for counter in 1..=2 {
                for day in [date, date.tomorrow().unwrap()] {
                    for serial in 1..=50 {
                        assert!(seen.insert(CaseNo::provisional(&st, counter, day, serial)));
                    }
                }
            }
        }
    }

    #[test]
    fn rejects_bad_station_codes_and_numbers() {
        assert!(StationCode::try_from("44-01".to_string()).is_err());
        assert!(CaseNo::parse("440111-2026-000123").is_err());
    }
}
