//! How far a deadline is from today in working days (法定工作日, 调休 days counted), and the
//! words the counter shows for it: "超期 2 个工作日", "剩 1 个工作日", "今日到期".

use jiff::civil::Date;

use crate::HolidayCalendar;

/// Cases due within this many working days are "soon due" on the home screen.
pub const SOON_DUE_WORKING_DAYS: u32 = 3;

/// Where a deadline stands on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeadlineStanding {
    /// Past due: `working_days` working days have gone by since the due date (0 when only
    /// days off have, e.g. due on Friday, seen on Saturday).
    Overdue { working_days: u32 },
    /// Due today or later: `working_days` working days are left after today.
    Due { working_days: u32 },
}

impl DeadlineStanding {
    /// Whether the deadline is past or falls within [`SOON_DUE_WORKING_DAYS`].
    pub fn needs_attention(self) -> bool {
        match self {
            DeadlineStanding::Overdue { .. } => true,
            DeadlineStanding::Due { working_days } => working_days <= SOON_DUE_WORKING_DAYS,
        }
    }

    /// "超期 2 个工作日", "已超期", "今日到期", "剩 1 个工作日".
    pub fn label(self) -> String {
        match self {
            DeadlineStanding::Overdue { working_days: 0 } => "已超期".into(),
            DeadlineStanding::Overdue { working_days } => format!("超期 {working_days} 个工作日"),
            DeadlineStanding::Due { working_days: 0 } => "今日到期".into(),
            DeadlineStanding::Due { working_days } => format!("剩 {working_days} 个工作日"),
        }
    }
}

impl HolidayCalendar {
    /// Working days after `from` up to and including `to` (0 when `to` is not after `from`).
    /// Years the calendar lacks count Monday–Friday, as [`HolidayCalendar::add_working_days`].
    pub fn working_days_between(&self, from: Date, to: Date) -> u32 {
        let mut count = 0;
        let mut date = from;
        while date < to {
            let Ok(next) = date.tomorrow() else { break };
            date = next;
            if self.is_working_day(date).0 {
                count += 1;
            }
        }
        count
    }

    /// Where the deadline `due` stands on `today`.
    pub fn standing(&self, due: Date, today: Date) -> DeadlineStanding {
        if due < today {
            DeadlineStanding::Overdue {
                working_days: self.working_days_between(due, today),
            }
        } else {
            DeadlineStanding::Due {
                working_days: self.working_days_between(today, due),
            }
        }
    }

    /// The last due date that is still "soon" on `today`: `today` plus
    /// [`SOON_DUE_WORKING_DAYS`] working days, and every day off right after it (a case due
    /// on those days has as few working days left).
    pub fn soon_due_until(&self, today: Date) -> Date {
        let mut last = self.add_working_days(today, SOON_DUE_WORKING_DAYS).due;
        while let Ok(next) = last.tomorrow() {
            if self.is_working_day(next).0 {
                break;
            }
            last = next;
        }
        last
    }
}

#[cfg(test)]
mod tests {
    use super::DeadlineStanding::*;
    use super::*;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    fn cal_2026() -> HolidayCalendar {
        HolidayCalendar::from_json(include_str!("../../../assets/calendar/holidays.json")).unwrap()
    }

    #[test]
    fn national_day_holidays_do_not_count_and_make_up_saturday_does() {
        let cal = cal_2026();
        // 09-30 (Wed) → 10-08 (Thu): 10-01..10-07 off, 10-08 the first working day.
        assert_eq!(
            cal.working_days_between(d("2026-09-30"), d("2026-10-08")),
            1
        );
        // 10-10 is a make-up Saturday (调休上班), 10-11 a Sunday off.
        assert_eq!(
            cal.working_days_between(d("2026-10-08"), d("2026-10-12")),
            3
        );
        assert_eq!(
            cal.standing(d("2026-10-10"), d("2026-09-30")),
            Due { working_days: 3 }
        );
        assert_eq!(
            cal.standing(d("2026-09-30"), d("2026-10-09")),
            Overdue { working_days: 2 }
        );
    }

    #[test]
    fn spring_festival_and_its_make_up_days() {
        let cal = cal_2026();
        // 02-14 (Sat) and 02-28 (Sat) are workdays; 02-15..02-23 off.
        assert_eq!(
            cal.working_days_between(d("2026-02-13"), d("2026-02-24")),
            2
        );
        assert_eq!(
            cal.working_days_between(d("2026-02-13"), d("2026-02-28")),
            6
        );
        assert_eq!(
            cal.standing(d("2026-02-27"), d("2026-02-13")).label(),
            "剩 5 个工作日"
        );
        assert_eq!(
            cal.standing(d("2026-02-13"), d("2026-02-23")).label(),
            "超期 1 个工作日"
        );
    }

    #[test]
    fn agrees_with_add_working_days() {
        let cal = cal_2026();
        let mut start = d("2026-01-01");
        while start < d("2026-12-20") {
            for n in [0, 1, 3, 5, 20] {
                let due = cal.add_working_days(start, n).due;
                assert_eq!(cal.working_days_between(start, due), n, "{start} + {n}");
            }
            start = start.tomorrow().unwrap();
        }
    }

    #[test]
    fn labels_for_the_counter() {
        let cal = cal_2026();
        // Monday 2026-11-30.
        let today = d("2026-11-30");
        assert_eq!(cal.standing(today, today).label(), "今日到期");
        assert_eq!(
            cal.standing(d("2026-12-01"), today).label(),
            "剩 1 个工作日"
        );
        assert_eq!(
            cal.standing(d("2026-11-26"), today).label(),
            "超期 2 个工作日"
        );
        // Due Friday, seen on the Saturday after: past, no working day gone yet.
        assert_eq!(
            cal.standing(d("2026-11-27"), d("2026-11-28")).label(),
            "已超期"
        );
        assert!(cal.standing(d("2026-12-03"), today).needs_attention());
        assert!(!cal.standing(d("2026-12-04"), today).needs_attention());
    }

    #[test]
    fn soon_due_reaches_over_the_weekend_and_holidays() {
        let cal = cal_2026();
        // Wednesday 11-25 + 3 working days = Monday 11-30; the weekend before is in range.
        assert_eq!(cal.soon_due_until(d("2026-11-25")), d("2026-11-30"));
        // Thursday 11-26 + 3 = Tuesday 12-01.
        assert_eq!(cal.soon_due_until(d("2026-11-26")), d("2026-12-01"));
        // 09-29 (Tue) + 3 = 10-09 (Fri): 09-30, then 10-08 and 10-09 after the 国庆 holidays.
        assert_eq!(cal.soon_due_until(d("2026-09-29")), d("2026-10-09"));
        // 09-30 + 3 = 10-10 (make-up Saturday); 10-11 is a Sunday off, so it still counts.
        assert_eq!(cal.soon_due_until(d("2026-09-30")), d("2026-10-11"));
        assert!(
            cal.standing(d("2026-10-11"), d("2026-09-30"))
                .needs_attention()
        );
    }
}
