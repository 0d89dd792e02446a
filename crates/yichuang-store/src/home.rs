//! Today at the station for the home screen: the day's cases newest first and how many ended
//! in each outcome, for the whole station and for one clerk. Both read a day's range of
//! `cases_by_accepted_at` (and the few cases whose search keys are pending), never the table.

use jiff::Timestamp;
use rusqlite::{Connection, params};
use yichuang_core::{Case, CaseState};

use crate::cases::{RawCase, limit_param};
use crate::search::newest_first;
use crate::timefmt::ts_to_sql;
use crate::{Result, Store, StoreError};

/// How many cases of one outcome a day has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutcomeCount {
    pub state: CaseState,
    /// At the whole station.
    pub total: u32,
    /// Accepted by the clerk asked about.
    pub mine: u32,
}

fn day_sql() -> String {
    newest_first(
        "c.accepted_at >= ?1 AND c.accepted_at < ?2",
        "c.accepted_at >= ?1 AND c.accepted_at < ?2",
        "?3",
    )
}

/// (state, whole station, this clerk) over the day: indexed rows, then pending ones.
const COUNT_SQL: &str = "SELECT state, count(*), sum(clerk = ?3) FROM (
        SELECT c.state, c.clerk FROM cases c
          WHERE c.accepted_at >= ?1 AND c.accepted_at < ?2 AND c.search_pending IS NULL
        UNION ALL
        SELECT c.state, c.clerk FROM cases c
          WHERE c.accepted_at >= ?1 AND c.accepted_at < ?2 AND c.search_pending IS NOT NULL)
     GROUP BY state";

pub(crate) fn day_cases(
    conn: &Connection,
    start: Timestamp,
    end: Timestamp,
    limit: usize,
) -> Result<Vec<Case>> {
    let raws = conn
        .prepare_cached(&day_sql())?
        .query_map(
            params![ts_to_sql(start), ts_to_sql(end), limit_param(limit)],
            |r| RawCase::from_row(r, 2),
        )?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    raws.into_iter().map(RawCase::decode).collect()
}

pub(crate) fn day_counts(
    conn: &Connection,
    start: Timestamp,
    end: Timestamp,
    clerk: &str,
) -> Result<Vec<OutcomeCount>> {
    let rows: Vec<(String, i64, i64)> = conn
        .prepare_cached(COUNT_SQL)?
        .query_map(params![ts_to_sql(start), ts_to_sql(end), clerk], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get::<_, Option<i64>>(2)?.unwrap_or(0),
            ))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut counts = Vec::new();
    for (state, total, mine) in rows {
        let state: CaseState = serde_json::from_value(serde_json::Value::String(state.clone()))
            .map_err(|_| StoreError::Corrupt(format!("办件状态“{state}”无法解析")))?;
        counts.push(OutcomeCount {
            state,
            total: u32::try_from(total).unwrap_or(u32::MAX),
            mine: u32::try_from(mine).unwrap_or(u32::MAX),
        });
    }
    Ok(counts)
}

impl Store {
    /// Cases accepted in `[start, end)`, newest first, at most `limit`.
    pub fn cases_between(
        &self,
        start: Timestamp,
        end: Timestamp,
        limit: usize,
    ) -> Result<Vec<Case>> {
        day_cases(&self.conn, start, end, limit)
    }

    /// How many cases accepted in `[start, end)` are in each state, at the station and by
    /// `clerk` (the display name a case keeps); states with none are left out.
    pub fn outcome_counts_between(
        &self,
        start: Timestamp,
        end: Timestamp,
        clerk: &str,
    ) -> Result<Vec<OutcomeCount>> {
        day_counts(&self.conn, start, end, clerk)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_day_is_read_through_the_accept_time_index() {
        let mut conn = Connection::open_in_memory().unwrap();
        crate::migrations::migrate(&mut conn).unwrap();
        for sql in [day_sql(), COUNT_SQL.to_string()] {
            let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
            let args = vec!["x"; stmt.parameter_count()];
            let plan: Vec<String> = stmt
                .query_map(rusqlite::params_from_iter(args), |r| r.get(3))
                .unwrap()
                .collect::<rusqlite::Result<_>>()
                .unwrap();
            assert!(
                plan.iter().any(|l| l.contains("cases_by_accepted_at")),
                "{plan:#?}"
            );
            assert!(
                plan.iter().any(|l| l.contains("cases_search_pending")),
                "{plan:#?}"
            );
            assert!(!plan.iter().any(|l| l == "SCAN c"), "{plan:#?}");
        }
    }
}
