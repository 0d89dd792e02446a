//! Working-day deadlines (行政许可法 Art. 82, 民法典 Art. 201) over the holiday calendar with 调休.
//!
//! The district is the authority for the calendar; the app ships a default. For a year with
//! no data the count falls back to Monday–Friday and the result says so.

use std::collections::{BTreeMap, BTreeSet};

use jiff::civil::{Date, Weekday};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Official days off and make-up workdays of one year.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct YearCalendar {
    /// Statutory holidays and the days off moved next to them.
    pub holidays: BTreeSet<Date>,
    /// Saturdays and Sundays that are workdays (调休上班).
    pub workdays: BTreeSet<Date>,
}

/// The holiday calendar as published by the district (or the default shipped in assets/).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HolidayCalendar {
    pub version: String,
    pub years: BTreeMap<i16, YearCalendar>,
}

/// What a deadline was counted on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[ts(export)]
pub enum CalendarBasis {
    /// Counted on the holiday calendar of this version.
    Calendar { version: String },
    /// At least one year had no data: Monday–Friday were counted as working days.
    WeekdayFallback { years: Vec<i16> },
}

impl CalendarBasis {
    /// A note for the clerk when the deadline may be off, `None` when it is authoritative.
    pub fn notice(&self) -> Option<String> {
        match self {
            CalendarBasis::Calendar { .. } => None,
            CalendarBasis::WeekdayFallback { years } => Some(format!(
                "{} 年的节假日安排尚未下发，期限暂按周一至周五计算，请留意核对",
                years
                    .iter()
                    .map(i16::to_string)
                    .collect::<Vec<_>>()
                    .join("、")
            )),
        }
    }
}

/// A due date and what it was counted on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Deadline {
    #[ts(type = "string")]
    pub due: Date,
    pub basis: CalendarBasis,
}

impl HolidayCalendar {
    /// Parses the JSON form kept in assets/ and sent by the district.
    pub fn from_json(json: &str) -> Result<Self, serde_json::Error> {
        serde_json::from_str(json)
    }

    /// Whether `date` is a working day, and whether the calendar knew its year.
    pub fn is_working_day(&self, date: Date) -> (bool, bool) {
        match self.years.get(&date.year()) {
            Some(year) if year.workdays.contains(&date) => (true, true),
            Some(year) if year.holidays.contains(&date) => (false, true),
            known => (
                !matches!(date.weekday(), Weekday::Saturday | Weekday::Sunday),
                known.is_some(),
            ),
        }
    }

    /// The day `days` working days after `start`; the start day itself is not counted.
    pub fn add_working_days(&self, start: Date, days: u32) -> Deadline {
        let mut missing = BTreeSet::new();
        let mut date = start;
        let mut counted = 0;
        while counted < days {
            date = date.tomorrow().unwrap_or(date);
            let (working, known) = self.is_working_day(date);
            if !known {
                missing.insert(date.year());
            }
            if working {
                counted += 1;
            }
        }
        let basis = if missing.is_empty() {
            CalendarBasis::Calendar {
                version: self.version.clone(),
            }
        } else {
            CalendarBasis::WeekdayFallback {
                years: missing.into_iter().collect(),
            }
        };
        Deadline { due: date, basis }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    fn cal_2026() -> HolidayCalendar {
        let json = include_str!("../../../assets/calendar/holidays.json");
        HolidayCalendar::from_json(json).unwrap()
    }

    #[test]
    fn national_day_ends_on_make_up_saturday() {
        let deadline = cal_2026().add_working_days(d("2026-09-30"), 3);
        assert_eq!(deadline.due, d("2026-10-10"));
        assert!(matches!(deadline.basis, CalendarBasis::Calendar { .. }));
    }

    #[test]
    fn spring_festival_skipped_and_make_up_counted() {
        assert_eq!(
            cal_2026().add_working_days(d("2026-02-13"), 5).due,
            d("2026-02-27")
        );
    }

    #[test]
    fn start_day_not_counted() {
        assert_eq!(
            cal_2026().add_working_days(d("2026-11-27"), 1).due,
            d("2026-11-30")
        );
        assert_eq!(
            cal_2026().add_working_days(d("2026-11-27"), 0).due,
            d("2026-11-27")
        );
    }

    #[test]
    fn unknown_year_falls_back_to_weekdays_and_says_so() {
        let deadline = cal_2026().add_working_days(d("2031-12-31"), 2);
        assert_eq!(deadline.due, d("2032-01-02"));
        assert_eq!(
            deadline.basis,
            CalendarBasis::WeekdayFallback { years: vec![2032] }
        );
        assert!(deadline.basis.notice().unwrap().contains("2032"));
    }
}
