//! The hall manager's desk (统计): counts of cases and of evaluations over a date range. Every
//! command here is the hall manager's only (`Station::manager`); the exports are in export.rs.

use jiff::civil::Date;
use jiff::{Timestamp, ToSpan};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use yichuang_core::time;
use yichuang_store::CaseCounts;

use crate::station::store_error;
use crate::stats_views::{CaseStatsView, EvaluationStatsView};
use crate::{AppError, ErrorKind, Station};

/// The longest range the desk counts or exports at once (five years of local days).
pub const MAX_RANGE_DAYS: i32 = 5 * 366;
/// Days counted per store read for the statistics (whole days: China keeps no summer time).
const STATS_CHUNK_DAYS: i64 = 31;
/// The most comments the evaluation page lists (newest first).
pub const MAX_COMMENTS: usize = 200;

/// A range of local (China) days, both ends included, as `YYYY-MM-DD`; an empty end means
/// the first day of this month (from) or today (to).
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DateRange {
    pub from: Option<String>,
    pub to: Option<String>,
}

/// A resolved range: its days and the instants `[start, end)` that bound them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Days {
    pub from: Date,
    pub to: Date,
    pub start: Timestamp,
    pub end: Timestamp,
}

impl Days {
    /// `2026-11-01 至 2026-11-30`.
    pub fn label(&self) -> String {
        format!("{} 至 {}", self.from, self.to)
    }
}

fn invalid(message: &str) -> AppError {
    AppError::new(ErrorKind::InvalidInput, message)
}

fn parse_day(text: Option<&str>, what: &str) -> Result<Option<Date>, AppError> {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        None => Ok(None),
        Some(t) => t.parse::<Date>().map(Some).map_err(|_| {
            invalid(&format!(
                "{what}“{t}”不是有效日期，请按 年-月-日 填写，如 2026-11-01"
            ))
        }),
    }
}

/// Local midnight of `day` as an instant.
fn start_of(day: Date) -> Result<Timestamp, AppError> {
    day.to_zoned_datetime(time::china_tz())
        .map(|z| z.timestamp())
        .map_err(|_| invalid("日期超出可统计的范围"))
}

impl DateRange {
    /// The days this range covers, `today` being the station's local date.
    pub fn resolve(&self, today: Date) -> Result<Days, AppError> {
        let from = parse_day(self.from.as_deref(), "起始日期")?.unwrap_or(today.first_of_month());
        let to = parse_day(self.to.as_deref(), "截止日期")?.unwrap_or(today);
        if from > to {
            return Err(invalid("起始日期晚于截止日期，请调换后再试"));
        }
        let days = (to - from).get_days();
        if days >= MAX_RANGE_DAYS {
            return Err(invalid("一次最多统计或导出五年，请缩短日期范围"));
        }
        let next = to
            .checked_add(1.day())
            .map_err(|_| invalid("日期超出可统计的范围"))?;
        Ok(Days {
            from,
            to,
            start: start_of(from)?,
            end: start_of(next)?,
        })
    }

    /// [`DateRange::resolve`] with today at the station.
    pub fn resolve_now(&self) -> Result<Days, AppError> {
        self.resolve(time::local_date(Timestamp::now()))
    }
}

impl Station {
    /// Cases accepted in the range, counted by day, item, clerk and outcome (hall manager only).
    pub fn case_stats(&self, range: &DateRange) -> Result<CaseStatsView, AppError> {
        self.manager()?;
        let days = range.resolve_now()?;
        // A month at a time, the store released in between: three years take 0.4 s, which
        // an intake or a sync round must not wait for.
        let mut counts = CaseCounts::default();
        let mut start = days.start;
        while start < days.end {
            let end = start
                .checked_add(jiff::SignedDuration::from_hours(24 * STATS_CHUNK_DAYS))
                .map_or(days.end, |end| end.min(days.end));
            counts.add(self.lock().case_counts(start, end).map_err(store_error)?);
            start = end;
        }
        Ok(CaseStatsView::new(&days, &counts))
    }

    /// Ratings given in the range: per level, item and clerk, and the comments (hall manager only).
    pub fn evaluation_stats(&self, range: &DateRange) -> Result<EvaluationStatsView, AppError> {
        self.manager()?;
        let days = range.resolve_now()?;
        let counts = self
            .lock()
            .evaluation_counts(days.start, days.end, MAX_COMMENTS)
            .map_err(store_error)?;
        Ok(EvaluationStatsView::new(&days, &counts))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    fn range(from: &str, to: &str) -> DateRange {
        DateRange {
            from: Some(from.into()),
            to: Some(to.into()),
        }
    }

    #[test]
    fn an_empty_range_is_this_month_up_to_today_in_china_time() {
        let days = DateRange::default().resolve(d("2026-11-27")).unwrap();
        assert_eq!((days.from, days.to), (d("2026-11-01"), d("2026-11-27")));
        assert_eq!(days.start.to_string(), "2026-10-31T16:00:00Z");
        assert_eq!(days.end.to_string(), "2026-11-27T16:00:00Z");
        assert_eq!(days.label(), "2026-11-01 至 2026-11-27");
    }

    #[test]
    fn bad_dates_and_reversed_or_huge_ranges_are_refused_in_chinese() {
        let today = d("2026-11-27");
        let bad = range("2026-13-01", "2026-11-27")
            .resolve(today)
            .unwrap_err();
        assert!(
            bad.message.contains("起始日期“2026-13-01”不是有效日期"),
            "{bad:?}"
        );
        let reversed = range("2026-11-02", "2026-11-01")
            .resolve(today)
            .unwrap_err();
        assert!(reversed.message.contains("晚于"), "{reversed:?}");
        let huge = range("2010-01-01", "2026-11-01")
            .resolve(today)
            .unwrap_err();
        assert!(huge.message.contains("五年"), "{huge:?}");
        let one_day = range(" 2026-11-02 ", "2026-11-02").resolve(today).unwrap();
        assert_eq!(one_day.end.duration_since(one_day.start).as_hours(), 24);
    }
}
