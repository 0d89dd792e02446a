//! Counts of cases for the hall manager's statistics: by local day, item, clerk and outcome
//! over a range of accept times, in one pass over the range (one GROUP BY on the cases table).
//!
//! The range is read through the accept-time index for indexed rows and through the
//! search-pending index for the few cases saved in the last moments (migration 0010 keeps
//! those out of the other indexes), so a month on a station of 100,000 cases reads only that
//! month's rows.

use std::collections::BTreeMap;

use jiff::Timestamp;
use jiff::civil::Date;
use rusqlite::params;
use yichuang_core::CaseState;

use crate::timefmt::{date_from_sql, ts_to_sql};
use crate::{Result, Store, StoreError};

/// One group's count: `key` is the stored value (item code, clerk), `label` what people read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupCount {
    pub key: String,
    pub label: String,
    pub count: u64,
}

/// The cases accepted (or decided) in a range, counted four ways. Each list is ordered for
/// reading: days in calendar order, states in their usual order, the rest most cases first.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CaseCounts {
    pub total: u64,
    /// Local (China) days that have cases; days without are left out.
    pub by_day: Vec<(Date, u64)>,
    pub by_item: Vec<GroupCount>,
    /// By the clerk's name as the case keeps it (the name printed on the slip).
    pub by_clerk: Vec<GroupCount>,
    pub by_state: Vec<(CaseState, u64)>,
}

/// The query's groups: local day, item code, item name, clerk, state. The day is the accept
/// time moved to China time (UTC+8, no daylight saving), cut to its date.
const GROUPS: &str = "SELECT substr(datetime(accepted_at, '+8 hours'), 1, 10) AS day,
        item_code, item_name, clerk, state, count(*)
    FROM cases
    WHERE accepted_at >= ?1 AND accepted_at < ?2 AND search_pending IS NULL
    GROUP BY day, item_code, item_name, clerk, state
    UNION ALL
    SELECT substr(datetime(accepted_at, '+8 hours'), 1, 10) AS day,
        item_code, item_name, clerk, state, count(*)
    FROM cases
    WHERE search_pending = 1 AND accepted_at >= ?1 AND accepted_at < ?2
    GROUP BY day, item_code, item_name, clerk, state";

impl Store {
    /// Counts the cases whose accept time is in `[from, to)`.
    pub fn case_counts(&self, from: Timestamp, to: Timestamp) -> Result<CaseCounts> {
        let mut stmt = self.conn.prepare_cached(GROUPS)?;
        let mut rows = stmt.query(params![ts_to_sql(from), ts_to_sql(to)])?;
        let mut days: BTreeMap<String, u64> = BTreeMap::new();
        let mut items: BTreeMap<String, (String, u64)> = BTreeMap::new();
        let mut clerks: BTreeMap<String, u64> = BTreeMap::new();
        let mut states: BTreeMap<usize, u64> = BTreeMap::new();
        let mut total = 0;
        while let Some(row) = rows.next()? {
            let day: String = row.get(0)?;
            let item_code: String = row.get(1)?;
            let item_name: String = row.get(2)?;
            let clerk: String = row.get(3)?;
            let state: String = row.get(4)?;
            let n: i64 = row.get(5)?;
            let n = u64::try_from(n).unwrap_or(0);
            total += n;
            *days.entry(day).or_default() += n;
            let item = items.entry(item_code).or_insert((item_name, 0));
            item.1 += n;
            *clerks.entry(clerk).or_default() += n;
            let state = case_state(state)?;
            let at = CaseState::ALL.iter().position(|s| *s == state).unwrap_or(0);
            *states.entry(at).or_default() += n;
        }
        let by_day = days
            .into_iter()
            .map(|(d, n)| Ok((date_from_sql(&d)?, n)))
            .collect::<Result<Vec<_>>>()?;
        let by_item = most_first(items.into_iter().map(|(key, (label, count))| GroupCount {
            key,
            label,
            count,
        }));
        let by_clerk = most_first(clerks.into_iter().map(|(key, count)| GroupCount {
            label: key.clone(),
            key,
            count,
        }));
        let by_state = states
            .into_iter()
            .map(|(at, n)| (CaseState::ALL[at], n))
            .collect();
        Ok(CaseCounts {
            total,
            by_day,
            by_item,
            by_clerk,
            by_state,
        })
    }
}

impl CaseCounts {
    /// Adds the counts of a later, separate range (the station counts a long range a month
    /// at a time, so that intake and sync get the store between months).
    pub fn add(&mut self, later: CaseCounts) {
        self.total += later.total;
        self.by_day.extend(later.by_day);
        self.by_item = summed(std::mem::take(&mut self.by_item), later.by_item);
        self.by_clerk = summed(std::mem::take(&mut self.by_clerk), later.by_clerk);
        for (state, n) in later.by_state {
            match self.by_state.iter_mut().find(|(s, _)| *s == state) {
                Some(count) => count.1 += n,
                None => self.by_state.push((state, n)),
            }
        }
        self.by_state
            .sort_by_key(|(state, _)| CaseState::ALL.iter().position(|s| s == state).unwrap_or(0));
    }
}

/// Two lists of groups as one, counts of the same key added, most first.
fn summed(a: Vec<GroupCount>, b: Vec<GroupCount>) -> Vec<GroupCount> {
    let mut by_key: BTreeMap<String, GroupCount> = BTreeMap::new();
    for group in a.into_iter().chain(b) {
        match by_key.get_mut(&group.key) {
            Some(found) => found.count += group.count,
            None => {
                by_key.insert(group.key.clone(), group);
            }
        }
    }
    most_first(by_key.into_values())
}

/// A state as the cases table stores it (its serde name).
pub(crate) fn case_state(stored: String) -> Result<CaseState> {
    serde_json::from_value(serde_json::Value::String(stored.clone()))
        .map_err(|_| StoreError::Corrupt(format!("办件状态“{stored}”无法识别")))
}

/// Most first; equal counts by key, so the order is the same on every call.
pub(crate) fn most_first(groups: impl Iterator<Item = GroupCount>) -> Vec<GroupCount> {
    let mut groups: Vec<GroupCount> = groups.collect();
    groups.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.key.cmp(&b.key)));
    groups
}

#[cfg(test)]
mod tests {
    use super::*;

    fn group(key: &str, count: u64) -> GroupCount {
        GroupCount {
            key: key.into(),
            label: format!("{key}的名称"),
            count,
        }
    }

    #[test]
    fn counts_of_two_ranges_add_up_to_one() {
        let day = |d: &str| d.parse::<Date>().unwrap();
        let mut march = CaseCounts {
            total: 3,
            by_day: vec![(day("2025-03-14"), 3)],
            by_item: vec![group("JZZ01", 2), group("YL01", 1)],
            by_clerk: vec![group("李伟", 3)],
            by_state: vec![(CaseState::Accepted, 2), (CaseState::Rejected, 1)],
        };
        let april = CaseCounts {
            total: 4,
            by_day: vec![(day("2025-04-01"), 1), (day("2025-04-02"), 3)],
            by_item: vec![group("YL01", 3), group("SB02", 1)],
            by_clerk: vec![group("陈静", 4)],
            by_state: vec![(CaseState::ALL[0], 4)],
        };
        march.add(april);
        assert_eq!(march.total, 7);
        assert_eq!(march.by_day.len(), 3);
        let items: Vec<(&str, u64)> = march
            .by_item
            .iter()
            .map(|g| (g.key.as_str(), g.count))
            .collect();
        assert_eq!(items, [("YL01", 4), ("JZZ01", 2), ("SB02", 1)]);
        assert_eq!(march.by_item[0].label, "YL01的名称");
        assert_eq!(march.by_clerk[0].key, "陈静", "most first");
        let positions: Vec<usize> = march
            .by_state
            .iter()
            .map(|(s, _)| CaseState::ALL.iter().position(|a| a == s).unwrap())
            .collect();
        assert!(positions.windows(2).all(|w| w[0] < w[1]), "{positions:?}");
        assert_eq!(march.by_state.iter().map(|(_, n)| n).sum::<u64>(), 7);
    }
}
