//! The home screen's data (issue 8.2): today's cases and outcome counts, running deadlines
//! counted in working days on the station's holiday calendar, and quarantined records. Any
//! logged-in clerk may read it; the quarantined rows themselves are the hall manager's. A case
//! keeps its clerk's display name (the printed one), so "mine" compares display names.

use jiff::Timestamp;
use jiff::civil::Date;
use tracing::instrument;
use yichuang_core::{HolidayCalendar, time};
use yichuang_store::{DeadlineCase, DeadlineKind, Store};

use crate::home_views::{
    DeadlineList, DeadlineRow, HomeView, OutcomeTally, QuarantineSummary, TALLIED, TodayCase,
};
use crate::station::store_error;
use crate::{AppError, Station};

/// Today's cases listed on the home screen; the queue (办件) has the rest.
pub const TODAY_ROWS: usize = 20;
/// Overdue and soon-due cases listed on the home screen.
pub const HOME_DEADLINE_ROWS: usize = 5;
/// Quarantined cases a hall manager sees on the home screen.
pub const HOME_QUARANTINE_ROWS: usize = 3;
/// The most rows one `deadlines` call returns.
pub const MAX_DEADLINE_ROWS: usize = 500;

impl Station {
    /// The home screen for the logged-in clerk, as of now.
    #[instrument(skip_all, err)]
    pub fn home(&self) -> Result<HomeView, AppError> {
        self.home_at(Timestamp::now())
    }

    /// The home screen as of `now` (tests pass a fixed instant).
    pub fn home_at(&self, now: Timestamp) -> Result<HomeView, AppError> {
        let clerk = self.clerk()?;
        let today = time::local_date(now);
        let start = day_start(today)?;
        let end = day_start(today.tomorrow().map_err(date_error)?)?;
        let (counts, cases, deadlines, (_, quarantined)) = {
            let store = self.lock();
            (
                store
                    .outcome_counts_between(start, end, &clerk.display_name)
                    .map_err(store_error)?,
                store
                    .cases_between(start, end, TODAY_ROWS)
                    .map_err(store_error)?,
                deadline_list(&store, today, &clerk.display_name, HOME_DEADLINE_ROWS, 0)?,
                store.outbox_counts().map_err(store_error)?,
            )
        };
        let counts: Vec<OutcomeTally> = TALLIED
            .iter()
            .map(|(state, label)| {
                let found = counts.iter().find(|c| c.state == *state);
                OutcomeTally {
                    state: *state,
                    label: (*label).to_string(),
                    total: found.map_or(0, |c| c.total),
                    mine: found.map_or(0, |c| c.mine),
                }
            })
            .collect();
        let total: u32 = counts.iter().map(|c| c.total).sum();
        let mine: u32 = counts.iter().map(|c| c.mine).sum();
        let manager = clerk.role.is_manager();
        let rows = if manager && quarantined > 0 {
            let mut rows = self.quarantined()?;
            rows.truncate(HOME_QUARANTINE_ROWS);
            rows
        } else {
            Vec::new()
        };
        Ok(HomeView {
            date_label: format!(
                "{} {}",
                time::format_date_zh(today),
                weekday_zh(today.weekday())
            ),
            more: total.saturating_sub(u32::try_from(cases.len()).unwrap_or(u32::MAX)),
            cases: cases
                .iter()
                .map(|c| TodayCase::of(c, &clerk.display_name))
                .collect(),
            counts,
            total,
            mine,
            deadlines,
            quarantine: QuarantineSummary {
                count: quarantined,
                label: if quarantined == 0 {
                    "没有同步受阻的办件".into()
                } else {
                    format!("{quarantined} 件办件同步受阻，需大厅负责人处理")
                },
                rows,
                can_release: manager,
                hint: if manager {
                    "请在“统计”页的同步受阻列表中核对原因并解除".into()
                } else {
                    "请联系大厅负责人处理".into()
                },
            },
        })
    }

    /// Overdue cases (all of them, a page at a time: `limit` rows after `offset`, most
    /// overdue first) and cases due within three working days (the first `limit`).
    #[instrument(skip_all, err)]
    pub fn deadlines(&self, limit: usize, offset: usize) -> Result<DeadlineList, AppError> {
        self.deadlines_at(Timestamp::now(), limit, offset)
    }

    /// [`Station::deadlines`] as of `now`.
    pub fn deadlines_at(
        &self,
        now: Timestamp,
        limit: usize,
        offset: usize,
    ) -> Result<DeadlineList, AppError> {
        let clerk = self.clerk()?;
        let store = self.lock();
        deadline_list(
            &store,
            time::local_date(now),
            &clerk.display_name,
            limit.min(MAX_DEADLINE_ROWS),
            offset,
        )
    }
}

fn deadline_list(
    store: &Store,
    today: Date,
    clerk: &str,
    limit: usize,
    offset: usize,
) -> Result<DeadlineList, AppError> {
    let calendar = store.calendar().map_err(store_error)?;
    let overdue = store
        .deadlines(None, today, limit, offset)
        .map_err(store_error)?;
    let until = calendar.soon_due_until(today);
    let soon = store
        .deadlines(Some(today), until.tomorrow().map_err(date_error)?, limit, 0)
        .map_err(store_error)?;
    let row = |d: &DeadlineCase| deadline_row(&calendar, d, today, clerk);
    let overdue_total = u32::try_from(overdue.total).unwrap_or(u32::MAX);
    let due_soon_total = u32::try_from(soon.total).unwrap_or(u32::MAX);
    Ok(DeadlineList {
        overdue: overdue.rows.iter().map(row).collect(),
        overdue_total,
        due_soon: soon.rows.iter().map(row).collect(),
        due_soon_total,
        summary: format!("超期 {overdue_total} 件 · 三个工作日内到期 {due_soon_total} 件"),
        calendar_notice: calendar
            .add_working_days(today, yichuang_core::SOON_DUE_WORKING_DAYS)
            .basis
            .notice(),
    })
}

fn deadline_row(
    calendar: &HolidayCalendar,
    d: &DeadlineCase,
    today: Date,
    clerk: &str,
) -> DeadlineRow {
    let standing = calendar.standing(d.due, today);
    let (overdue, working_days) = match standing {
        yichuang_core::DeadlineStanding::Overdue { working_days } => (true, working_days),
        yichuang_core::DeadlineStanding::Due { working_days } => (false, working_days),
    };
    let case = &d.case;
    DeadlineRow {
        case_id: case.id.to_string(),
        case_no: case.case_no.clone(),
        official_case_no: case.official_case_no.clone(),
        item_name: case.item_name.clone(),
        applicant_name: case.intake.applicant.name().to_string(),
        applicant_id_masked: yichuang_core::mask::mask_id(case.intake.applicant.id().1),
        due_date: d.due.to_string(),
        kind_label: match d.kind {
            DeadlineKind::Decision => "办理时限".into(),
            DeadlineKind::Supplement => "容缺补齐材料".into(),
        },
        label: standing.label(),
        overdue,
        working_days,
        clerk: case.clerk.clone(),
        mine: case.clerk == clerk,
    }
}

/// Midnight at the station (UTC+8) starting `date`.
fn day_start(date: Date) -> Result<Timestamp, AppError> {
    time::china_tz()
        .to_timestamp(date.to_datetime(jiff::civil::Time::midnight()))
        .map_err(date_error)
}

fn date_error(e: jiff::Error) -> AppError {
    AppError::new(
        crate::ErrorKind::Internal,
        format!("日期超出范围，无法计算：{e}"),
    )
}

fn weekday_zh(w: jiff::civil::Weekday) -> &'static str {
    use jiff::civil::Weekday::*;
    match w {
        Monday => "星期一",
        Tuesday => "星期二",
        Wednesday => "星期三",
        Thursday => "星期四",
        Friday => "星期五",
        Saturday => "星期六",
        Sunday => "星期日",
    }
}
