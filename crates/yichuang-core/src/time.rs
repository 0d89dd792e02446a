//! Station time: China Standard Time (UTC+8, no daylight saving) for dates on slips and deadlines.

use jiff::{
    Timestamp,
    civil::Date,
    tz::{Offset, TimeZone},
};

/// The time zone every station works in.
pub fn china_tz() -> TimeZone {
    TimeZone::fixed(Offset::constant(8))
}

/// The calendar date of an instant at the station.
pub fn local_date(ts: Timestamp) -> Date {
    ts.to_zoned_datetime(china_tz()).date()
}

/// `2026-11-27 09:05` as printed on slips (to the minute).
pub fn format_minute(ts: Timestamp) -> String {
    ts.to_zoned_datetime(china_tz())
        .strftime("%Y-%m-%d %H:%M")
        .to_string()
}

/// `2026年11月27日` as printed on slips.
pub fn format_date_zh(date: Date) -> String {
    format!("{}年{}月{}日", date.year(), date.month(), date.day())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn late_utc_evening_is_next_day_in_china() {
        let ts: Timestamp = "2026-11-27T17:30:00Z".parse().unwrap();
        assert_eq!(local_date(ts), Date::new(2026, 11, 28).unwrap());
        assert_eq!(format_minute(ts), "2026-11-28 01:30");
        assert_eq!(format_date_zh(local_date(ts)), "2026年11月28日");
    }
}
