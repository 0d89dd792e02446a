//! What the statistics page shows: counts with their Chinese labels, ready to draw as bars.
//! The window draws them; what is counted and how it is labelled is decided here.

use std::collections::BTreeMap;

use jiff::ToSpan;
use jiff::civil::Date;
use serde::Serialize;
use ts_rs::TS;
use yichuang_core::{CaseState, EvaluationLevel, time};
use yichuang_store::{CaseCounts, EvaluationCounts, GroupCount, RatedGroup};

use crate::manager::Days;

/// A range longer than this is counted by month instead of by day.
pub const MAX_DAY_BARS: i32 = 62;

/// One bar of a chart (or one line of a table): what it counts and how many.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct CountBar {
    /// Stable key (a date, an item code, a clerk, a state).
    pub key: String,
    pub label: String,
    pub count: u32,
}

/// The cases of a range, counted four ways.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct CaseStatsView {
    pub from: String,
    pub to: String,
    /// 2026-11-01 至 2026-11-30
    pub range_label: String,
    pub total: u32,
    /// 按日 or 按月 (ranges over 62 days).
    pub period_label: String,
    /// Every day (or month) of the range in order, zero included.
    pub by_period: Vec<CountBar>,
    pub by_item: Vec<CountBar>,
    pub by_clerk: Vec<CountBar>,
    /// Every outcome (受理, 容缺受理, 待补正, 不予受理, 当场办结) in that order, zero included.
    pub by_outcome: Vec<CountBar>,
}

fn n(count: u64) -> u32 {
    u32::try_from(count).unwrap_or(u32::MAX)
}

fn bars(groups: &[GroupCount]) -> Vec<CountBar> {
    groups
        .iter()
        .map(|g| CountBar {
            key: g.key.clone(),
            label: g.label.clone(),
            count: n(g.count),
        })
        .collect()
}

/// Every day from..=to with its count, or every month when the range is long.
fn periods(days: &Days, counted: &[(Date, u64)]) -> (String, Vec<CountBar>) {
    let by_day: BTreeMap<Date, u64> = counted.iter().copied().collect();
    let by_month = (days.to - days.from).get_days() >= MAX_DAY_BARS;
    let mut out: Vec<CountBar> = Vec::new();
    let mut day = days.from;
    while day <= days.to {
        let count = n(by_day.get(&day).copied().unwrap_or(0));
        let (key, label) = if by_month {
            let key = day.strftime("%Y-%m").to_string();
            (key, format!("{}年{}月", day.year(), day.month()))
        } else {
            (day.to_string(), format!("{}月{}日", day.month(), day.day()))
        };
        match out.last_mut() {
            Some(last) if last.key == key => last.count += count,
            _ => out.push(CountBar { key, label, count }),
        }
        match day.checked_add(1.day()) {
            Ok(next) => day = next,
            Err(_) => break,
        }
    }
    let label = if by_month { "按月" } else { "按日" };
    (label.to_string(), out)
}

impl CaseStatsView {
    pub fn new(days: &Days, counts: &CaseCounts) -> Self {
        let (period_label, by_period) = periods(days, &counts.by_day);
        let by_outcome = CaseState::ALL
            .iter()
            .filter(|s| **s != CaseState::Draft)
            .map(|s| CountBar {
                key: serde_json::to_value(s)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_default(),
                label: s.label().to_string(),
                count: n(counts
                    .by_state
                    .iter()
                    .find(|(state, _)| state == s)
                    .map_or(0, |(_, c)| *c)),
            })
            .collect();
        CaseStatsView {
            from: days.from.to_string(),
            to: days.to.to_string(),
            range_label: days.label(),
            total: n(counts.total),
            period_label,
            by_period,
            by_item: bars(&counts.by_item),
            by_clerk: bars(&counts.by_clerk),
            by_outcome,
        }
    }
}

/// Ratings of one item or one clerk.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct RatedRow {
    pub key: String,
    pub label: String,
    pub total: u32,
    /// 非常满意, 满意 and 基本满意.
    pub good: u32,
    /// 差评: 不满意 and 非常不满意.
    pub bad: u32,
    /// 96.0% (good of all), or — when nothing was rated.
    pub satisfaction_label: String,
}

/// A citizen's comment as the page lists it.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct CommentRow {
    pub case_no: String,
    pub item_name: String,
    pub clerk: String,
    pub level_label: String,
    /// A 差评 (shown marked).
    pub bad: bool,
    pub comment: String,
    /// 2026-11-27 09:05 (station time).
    pub rated_at: String,
}

/// The evaluations (好差评) of a range.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct EvaluationStatsView {
    pub from: String,
    pub to: String,
    pub range_label: String,
    pub total: u32,
    /// 满意率 96.0%，差评 2 件 (or 该期间没有评价).
    pub summary_label: String,
    /// The five levels, best first, zero included.
    pub by_level: Vec<CountBar>,
    pub by_item: Vec<RatedRow>,
    pub by_clerk: Vec<RatedRow>,
    /// Newest first, at most 200.
    pub comments: Vec<CommentRow>,
}

/// Levels 4 and 5 (不满意, 非常不满意) are 差评.
fn is_bad(level: EvaluationLevel) -> bool {
    level.code() >= 4
}

fn good_bad(levels: &[u64; 5]) -> (u32, u32) {
    let bad: u64 = levels[3..].iter().sum();
    let good: u64 = levels[..3].iter().sum();
    (n(good), n(bad))
}

pub(crate) fn satisfaction(good: u32, total: u32) -> String {
    if total == 0 {
        return "—".into();
    }
    format!("{:.1}%", f64::from(good) * 100.0 / f64::from(total))
}

fn rated_rows(groups: &[RatedGroup]) -> Vec<RatedRow> {
    groups
        .iter()
        .map(|g| {
            let (good, bad) = good_bad(&g.levels);
            RatedRow {
                key: g.key.clone(),
                label: g.label.clone(),
                total: good + bad,
                good,
                bad,
                satisfaction_label: satisfaction(good, good + bad),
            }
        })
        .collect()
}

impl EvaluationStatsView {
    pub fn new(days: &Days, counts: &EvaluationCounts) -> Self {
        let (good, bad) = good_bad(&counts.levels);
        let total = good + bad;
        let summary_label = if total == 0 {
            "该期间没有评价".to_string()
        } else {
            format!("满意率 {}，差评 {bad} 件", satisfaction(good, total))
        };
        EvaluationStatsView {
            from: days.from.to_string(),
            to: days.to.to_string(),
            range_label: days.label(),
            total,
            summary_label,
            by_level: EvaluationLevel::ALL
                .iter()
                .map(|l| CountBar {
                    key: l.code().to_string(),
                    label: l.label().to_string(),
                    count: n(counts.levels[usize::from(l.code() - 1)]),
                })
                .collect(),
            by_item: rated_rows(&counts.by_item),
            by_clerk: rated_rows(&counts.by_clerk),
            comments: counts
                .comments
                .iter()
                .map(|c| CommentRow {
                    case_no: c.case_no.clone(),
                    item_name: c.item_name.clone(),
                    clerk: c.clerk.clone(),
                    level_label: c.level.label().to_string(),
                    bad: is_bad(c.level),
                    comment: c.comment.clone(),
                    rated_at: time::format_minute(c.rated_at),
                })
                .collect(),
        }
    }
}
