//! How instants and dates are written in the database: fixed-width UTC text, so text order is time order.

use jiff::Timestamp;
use jiff::civil::Date;

use crate::{Result, StoreError};

/// `2026-11-27T01:05:00.123456789Z`: always nine fractional digits.
pub(crate) fn ts_to_sql(ts: Timestamp) -> String {
    ts.strftime("%Y-%m-%dT%H:%M:%S%.9fZ").to_string()
}

pub(crate) fn ts_from_sql(s: &str) -> Result<Timestamp> {
    s.parse()
        .map_err(|e| StoreError::Corrupt(format!("时间“{s}”无法解析（{e}）")))
}

pub(crate) fn date_from_sql(s: &str) -> Result<Date> {
    s.parse()
        .map_err(|e| StoreError::Corrupt(format!("日期“{s}”无法解析（{e}）")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_sorts_as_text() {
        let a: Timestamp = "2026-11-27T09:05:00Z".parse().unwrap();
        let b: Timestamp = "2026-11-27T09:05:00.5Z".parse().unwrap();
        let c: Timestamp = "2026-11-27T09:05:00.000000001+08:00".parse().unwrap();
        for ts in [a, b, c] {
            assert_eq!(ts_from_sql(&ts_to_sql(ts)).unwrap(), ts);
        }
        assert_eq!(ts_to_sql(a), "2026-11-27T09:05:00.000000000Z");
        assert!(ts_to_sql(a) < ts_to_sql(b));
        assert!(ts_to_sql(c) < ts_to_sql(a));
    }
}
